"""The demo's plans: what becomes of each request of an authority's year, and the names,
concerns and words its stories use."""

from __future__ import annotations

from dataclasses import dataclass

from strategise.demo.steps import Decided
from strategise.discussions.models import Outcome
from strategise.organisations.models import Role

S47J, S47 = Outcome.S47_JOINT, Outcome.S47_SOCIAL_CARE
NFA, S17, EARLY, POLICE = (
    Outcome.NO_FURTHER_ACTION,
    Outcome.S17_ASSESSMENT,
    Outcome.EARLY_HELP,
    Outcome.POLICE_ONLY,
)


@dataclass(frozen=True)
class Plan:
    """What becomes of one request, raised ``days_ago`` days before loading."""

    days_ago: int
    concern: str
    decisions: tuple[Decided, ...] = ()
    ended: str = ""  # "closed" or "withdrawn": no discussion
    late: bool = False  # convened after the procedure's deadline
    reschedule: bool = False
    cancel_first: bool = False
    dissent: bool = False
    reconvene: tuple[Decided, ...] = ()  # decided at a second discussion, if reconvened
    actions: tuple[str, ...] = ("on_time",)  # each "on_time", "late" or "overdue"
    minutes: str = "on_time"  # "on_time", "late", "approved" (not sent), "draft", ""
    correction: bool = False
    by_hand: str = "on_time"  # the clocks a person records: "on_time", "late", "stopped", ""
    disagreement: str = ""  # "", "raised", "escalated" or "resolved"


PLANS: tuple[Plan, ...] = (
    Plan(360, "bruising", (Decided(S47J, icpc=True),)),
    Plan(340, "neglect", (Decided(NFA),), minutes="late"),
    Plan(325, "disclosure", (Decided(S47),), dissent=True, disagreement="resolved"),
    Plan(310, "school_concern", ended="closed"),
    Plan(265, "neglect", (Decided(EARLY),), correction=True),
    Plan(220, "neglect", (Decided(S47, icpc=True), Decided(NFA)), late=True),
    Plan(205, "bruising", (Decided(S47J, icpc=True),), minutes="late", by_hand="late",
         actions=("on_time", "late")),
    Plan(190, "school_concern", (Decided(S17),), cancel_first=True),
    Plan(175, "disclosure", (Decided(S47),), by_hand="stopped", reschedule=True),
    Plan(145, "neglect", (Decided(S17),), minutes="", actions=("overdue",), by_hand=""),
    Plan(130, "bruising", (Decided(S47J, icpc=True),), correction=True),
    Plan(100, "disclosure", (Decided(NFA),), reconvene=(Decided(S47),)),
    Plan(70, "missing", (Decided(POLICE),), actions=("overdue", "late"), by_hand=""),
    Plan(55, "bruising", (Decided(S47J, icpc=True),), dissent=True, disagreement="escalated"),
    Plan(35, "disclosure", (Decided(S47J, icpc=True), Decided(S47)), actions=("late", "overdue")),
    Plan(16, "school_concern", ended="withdrawn"),
    Plan(14, "missing", (Decided(S47),), disagreement="raised", minutes="approved"),
    Plan(10, "disclosure", (Decided(NFA),), minutes="draft", actions=("on_time", "overdue")),
    Plan(6, "bruising", (Decided(S47J),), minutes="approved", by_hand="", reschedule=True),
    Plan(3, "neglect", (Decided(S47),), minutes="draft", by_hand="", actions=("open",)),
)  # fmt: skip

FIRST = {
    "F": ("Ava", "Mia", "Grace", "Sofia", "Ella", "Freya", "Zara", "Hana", "Layla", "Nia"),
    "M": ("Jack", "Harry", "Ibrahim", "Reuben", "Kofi", "Finley", "Ravi", "Tyler", "Ezra", "Max"),
}
FAMILIES = (
    "Adams", "Bailey", "Carter", "Dixon", "Ellis", "Farrow", "Gill", "Holt", "Ince", "Joyce",
    "Kemp", "Lowe", "Mills", "Nash", "Oakes", "Pike", "Quinn", "Rowe", "Shaw", "Tate",
    "Underwood", "Vance", "Webb", "Yates", "Ashworth", "Boyle", "Chowdhury", "Dunn",
    "Egan", "Frost",
)  # fmt: skip
ETHNICITIES = ("WBRI", "WBRI", "WBRI", "MWBC", "APKN", "BAFR", "WOTH", "AIND", "BCRB", "CHNE")
CONCERNS = {
    "bruising": (
        ["physical_abuse"], [], "Designated safeguarding lead, the child's school",
        "Bruising to the face and arms seen at school; the explanation given does not fit.",
    ),
    "neglect": (
        ["neglect"], ["parental_substance_misuse"], "Health visitor",
        "Home conditions are poor, the children are often hungry, and a parent's drinking has "
        "increased.",
    ),
    "disclosure": (
        ["sexual_abuse"], [], "Class teacher",
        "The child told a teacher that an adult in the household touched them; the teacher "
        "wrote down the child's words.",
    ),
    "school_concern": (
        ["emotional_abuse"], [], "Head of year",
        "The child is withdrawn and has said they are frightened to go home after arguments.",
    ),
    "missing": (
        ["child_sexual_exploitation", "missing"], [], "Police missing person coordinator",
        "The child has been missing three times this month and was found with older men.",
    ),
}  # fmt: skip
CLOSE_REASON = (
    "The information shows no reasonable cause to suspect significant harm: a single "
    "assessment is under way and the school is supporting the child."
)
MOVED_AWAY = "The family moved to another authority, which now leads the enquiry."
WITHDRAW_REASON = "Raised for the wrong child: the referral is for a child already open to us."

CONTRIBUTIONS = {
    "police": "Two domestic incidents at the address this year; no convictions for the adults.",
    "health": "Immunisations are up to date; two missed health visitor appointments.",
}
ACTIONS = {
    Role.SOCIAL_WORKER: "Visit the family and see the child alone; record the child's views.",
    Role.POLICE: "Check police systems for every adult in the household and share the result.",
    Role.HEALTH: "Share the health chronology with the allocated social worker.",
    Role.EDUCATION: "Share the school's attendance record and safeguarding log.",
}
