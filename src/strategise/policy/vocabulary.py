"""The contract's vocabulary: every code the policy engine accepts or answers with.

The codes are fixed by ``shared/design/triage-contract.md``; the labels are the plain
British English a person sees. Order matters for ``CHAIR_GRADES`` (lowest first).
"""

from __future__ import annotations

from typing import Literal, get_args

ConcernCode = Literal[
    "physical_abuse",
    "sexual_abuse",
    "penetrative_sexual_abuse",
    "emotional_abuse",
    "neglect",
    "fgm",
    "fabricated_or_induced_illness",
    "forced_marriage",
    "child_sexual_exploitation",
    "child_criminal_exploitation",
    "missing",
    "trafficking",
    "radicalisation",
    "child_on_child_abuse",
    "online_abuse",
    "extra_familial_violence",
    "organised_abuse",
    "ritualistic_abuse",
    "injury_to_non_mobile_infant",
    "child_death_with_surviving_siblings",
]

FlagCode = Literal[
    "immediate_risk",
    "serious_harm",
    "forensic_window",
    "emergency_action_taken",
    "medical_implications",
    "open_to_childrens_social_care",
    "whereabouts_unknown",
    "access_refused",
    "parental_domestic_abuse",
    "parental_mental_health",
    "parental_substance_misuse",
    "chair_has_specialist_expertise",
]

AttendeeCode = Literal[
    "childrens_social_care",
    "police",
    "health",
    "education",
    "paediatrician",
    "midwifery",
    "hospital_clinician",
    "referrer",
    "exploitation_hub",
    "youth_offending_service",
    "adult_social_care",
    "adult_mental_health",
    "substance_misuse_service",
    "domestic_abuse_service",
    "probation",
    "housing",
    "legal",
    "lado",
    "carer",
    "home_local_authority",
    "camhs",
    "early_help",
    "contextual_safeguarding",
    "education_officer",
    "specialist_expert",
]

ChairGrade = Literal[
    "social_worker",
    "consultant_social_worker",
    "deputy_team_manager",
    "team_manager",
    "deputy_service_manager",
    "service_manager",
    "principal_officer",
    "head_of_service",
    "director",
]

StepCode = Literal[
    "lado_referral",
    "consider_medical_assessment",
    "same_day_medical",
    "legal_advice",
    "national_referral_mechanism",
    "exploitation_screening_tool",
    "inform_home_authority",
    "business_support_note_taker",
    "n2k_notification",
    "separate_discussion_per_child",
    "safeguarding_service_referral",
    "record_reason_if_family_not_informed",
    "start_section_47",
]

ClockCode = Literal[
    "decisions_circulated",
    "minutes_distributed",
    "child_seen",
    "icpc_held",
    "icpc_requested",
    "next_discussion_by",
    "process_concluded",
    "assessment_completed",
    "out_of_hours_record_sent",
]

SharingMarkerCode = Literal["not_for_family", "consent_needed"]

# Who holds a clock, where a procedure names them (``clock_holders`` in a profile).
ClockHolderCode = Literal["team_manager", "chair", "allocated_worker"]
# Who holds a professional disagreement at a stage of the procedure's escalation route.
DisagreementHolderCode = Literal[
    "counterpart", "line_managers", "senior_managers", "strategy_leads", "outside"
]

CpPlan = Literal["none", "current", "ended_within_2_years"]
Education = Literal["school", "pre_school", "college", "not_on_roll", "none"]
DiscussionType = Literal["standard", "complex"]
AttendeeLevel = Literal["required", "recommended"]

CONCERNS: dict[str, str] = {
    "physical_abuse": "Physical abuse",
    "sexual_abuse": "Sexual abuse",
    "penetrative_sexual_abuse": "Penetrative sexual abuse",
    "emotional_abuse": "Emotional abuse",
    "neglect": "Neglect",
    "fgm": "Female genital mutilation (FGM)",
    "fabricated_or_induced_illness": "Fabricated or induced illness",
    "forced_marriage": "Forced marriage",
    "child_sexual_exploitation": "Child sexual exploitation",
    "child_criminal_exploitation": "Child criminal exploitation",
    "missing": "Missing from home, care or education",
    "trafficking": "Trafficking or modern slavery",
    "radicalisation": "Radicalisation",
    "child_on_child_abuse": "Child-on-child abuse",
    "online_abuse": "Online abuse",
    "extra_familial_violence": "Violence outside the home",
    "organised_abuse": "Organised or multiple abuse",
    "ritualistic_abuse": "Ritualistic abuse",
    "injury_to_non_mobile_infant": "Injury to a non-mobile infant",
    "child_death_with_surviving_siblings": "Death of a child with surviving siblings",
}

FLAGS: dict[str, str] = {
    "immediate_risk": "The child needs same-day safeguarding action",
    "serious_harm": "Serious physical injury or serious neglect",
    "forensic_window": "Evidence may be lost without a same-day discussion",
    "emergency_action_taken": "An agency has already taken immediate or emergency action",
    "medical_implications": "The concerns have significant medical implications",
    "open_to_childrens_social_care": "The child is open to children's social care",
    "whereabouts_unknown": "The child's whereabouts are unknown",
    "access_refused": "Access to the child has been refused or obstructed",
    "parental_domestic_abuse": "A parent or adult in the household is experiencing domestic abuse",
    "parental_mental_health": "A parent or adult in the household has mental health difficulties",
    "parental_substance_misuse": "A parent or adult in the household misuses drugs or alcohol",
    "chair_has_specialist_expertise": "The proposed chair has proven expertise in this area",
}

# The flags that describe the household's circumstances rather than the concern itself.
HOUSEHOLD_FLAGS = frozenset(
    {"parental_domestic_abuse", "parental_mental_health", "parental_substance_misuse"}
)

ATTENDEES: dict[str, str] = {
    "childrens_social_care": "Children's social care",
    "police": "Police",
    "health": "Health",
    "education": "Education setting (school, nursery or college)",
    "paediatrician": "Paediatrician",
    "midwifery": "Midwifery",
    "hospital_clinician": "Hospital clinician",
    "referrer": "The referrer",
    "exploitation_hub": "Exploitation hub",
    "youth_offending_service": "Youth offending service",
    "adult_social_care": "Adult social care",
    "adult_mental_health": "Adult mental health service",
    "substance_misuse_service": "Substance misuse service",
    "domestic_abuse_service": "Domestic abuse service",
    "probation": "Probation",
    "housing": "Housing",
    "legal": "Legal services",
    "lado": "Local authority designated officer (LADO)",
    "carer": "Foster carer or residential worker",
    "home_local_authority": "The child's home local authority",
    "camhs": "Child and adolescent mental health services (CAMHS)",
    "early_help": "Early help",
    "contextual_safeguarding": "Contextual safeguarding service",
    "education_officer": "Local authority education officer",
    "specialist_expert": "Specialist in this form of abuse or neglect",
}

CHAIR_GRADES: dict[str, str] = {
    "social_worker": "Social worker",
    "consultant_social_worker": "Consultant social worker or practice lead",
    "deputy_team_manager": "Deputy team manager",
    "team_manager": "Team manager",
    "deputy_service_manager": "Deputy service manager",
    "service_manager": "Service manager",
    "principal_officer": "Principal officer",
    "head_of_service": "Head of service",
    "director": "Director",
}

STEPS: dict[str, str] = {
    "lado_referral": "Refer to the local authority designated officer (LADO)",
    "consider_medical_assessment": "Consider a child protection medical assessment",
    "same_day_medical": "Arrange a same-day medical assessment",
    "legal_advice": "Seek legal advice",
    "national_referral_mechanism": "Consider a National Referral Mechanism referral",
    "exploitation_screening_tool": "Complete the exploitation screening tool",
    "inform_home_authority": "Inform the child's home local authority",
    "business_support_note_taker": "Appoint a business support note-taker",
    "n2k_notification": "Consider an N2K (need to know) notification",
    "separate_discussion_per_child": "Consider a separate strategy discussion for each child",
    "safeguarding_service_referral": "Contact the Safeguarding Service to arrange the meeting",
    "record_reason_if_family_not_informed": "Record the reason if the family is not to be informed",
    "start_section_47": "Start a section 47 enquiry",
}

CLOCKS: dict[str, str] = {
    "decisions_circulated": "Decisions and action points circulated",
    "minutes_distributed": "Minutes distributed",
    "child_seen": "Child seen by a social worker",
    "icpc_held": "Initial child protection conference held",
    "icpc_requested": "Initial child protection conference requested",
    "next_discussion_by": "Next strategy discussion held",
    "process_concluded": "Strategy discussion process concluded",
    "assessment_completed": "Assessment completed",
    "out_of_hours_record_sent": "Out-of-hours record sent to the day team",
}

CLOCK_HOLDERS: dict[str, str] = {
    "team_manager": "The allocated social worker's team manager",
    "chair": "The chair of the discussion",
    "allocated_worker": "The allocated social worker",
}

DISAGREEMENT_HOLDERS: dict[str, str] = {
    "counterpart": "The professional where the difference of opinion exists",
    "line_managers": "The line managers of the professionals concerned",
    "senior_managers": "A senior manager of each agency concerned",
    "strategy_leads": "The strategy discussion lead of each agency concerned",
    "outside": "Someone outside Strategise, named and emailed when it is escalated",
}

# The words printed beside a contribution that carries the marker; the procedure's clause,
# where it states one, comes from the profile (``Profile.sharing_markers``).
SHARING_MARKERS: dict[str, str] = {
    "not_for_family": "Not to be shared with the family",
    "consent_needed": (
        "Not to be shared outside this meeting without the consent of the agency that shared it"
    ),
}

CHAIR_GRADE_ORDER: dict[str, int] = {grade: rank for rank, grade in enumerate(get_args(ChairGrade))}
