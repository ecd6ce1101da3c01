"""Convening a strategy discussion: its format, time, chair, invitations and attendance."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import models

from strategise.organisations.models import Agency, LocalAuthority, User
from strategise.requests.models import StrategyRequest


class Format(models.TextChoices):
    IN_PERSON = "in_person", "Meeting in person"
    VIRTUAL = "virtual", "Virtual meeting"
    CALLS = "calls", "Series of phone calls"


class DiscussionStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    STARTED = "started", "Started"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class Discussion(models.Model):
    """One strategy discussion (or meeting) held for a request."""

    request = models.ForeignKey(
        StrategyRequest, on_delete=models.PROTECT, related_name="discussions"
    )
    # Copied from the request so that every scoped query filters one indexed column.
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT)
    format = models.CharField(max_length=20, choices=Format.choices)
    format_reason = models.TextField(
        blank=True, help_text="Why a series of calls, where the procedure expects a meeting."
    )
    scheduled_for = models.DateTimeField()
    location = models.CharField(max_length=300, blank=True)
    chair = models.ForeignKey(User, on_delete=models.PROTECT, related_name="chairing")
    chair_exception = models.TextField(
        blank=True, help_text="Why this chair may chair though below the minimum grade."
    )
    minute_taker = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="minuting", null=True, blank=True
    )
    delay_rationale = models.TextField(
        blank=True, help_text="Why it is held after its deadline (Bristol §3.2)."
    )
    status = models.CharField(
        max_length=20, choices=DiscussionStatus.choices, default=DiscussionStatus.SCHEDULED
    )
    started_at = models.DateTimeField(null=True, blank=True)
    held_at = models.DateTimeField(null=True, blank=True)
    concluded_at = models.DateTimeField(
        null=True, blank=True, help_text="When the chair concluded it (and its record locked)."
    )
    previous = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reconvened_as",
        help_text="The discussion this one reconvenes.",
    )
    reconvene_reason = models.TextField(blank=True)
    # Recorded after it was held ("record a discussion already held"): no invitations were
    # sent, and it was held, with its clocks, when it was scheduled.
    recorded_afterwards = models.BooleanField(default=False)
    reschedule_reason = models.TextField(blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancel_reason = models.TextField(blank=True)
    convened_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    convened_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)
    # Agencies the procedure requires because of the household's circumstances (Sandwell
    # §4.2) that the convenor recorded as not involved: [{"code", "reason", "source"}].
    not_involved = models.JSONField(default=list, blank=True)
    calendar_sequence = models.PositiveIntegerField(
        default=0,
        help_text=(
            "The SEQUENCE of its calendar invitations: one more each time it is rescheduled "
            "or cancelled (RFC 5545 §3.8.7.4)."
        ),
    )

    class Meta:
        ordering = ["scheduled_for", "pk"]
        indexes = [
            models.Index(
                fields=["local_authority", "status", "scheduled_for"], name="discussion_due"
            ),
            models.Index(fields=["chair", "status"], name="discussion_chair"),
            # The reports and the returns: one authority's discussions held in a period.
            models.Index(fields=["local_authority", "status", "held_at"], name="discussion_held"),
        ]

    def __str__(self) -> str:
        return f"Strategy discussion {self.pk}"


class Response(models.TextChoices):
    AWAITING = "awaiting", "Not replied"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    DEPUTY = "deputy", "Sent a deputy"


class Attendance(models.TextChoices):
    ATTENDED = "attended", "Attended"
    APOLOGIES = "apologies", "Sent apologies"
    WRITTEN_REPORT = "written_report", "Sent a written report"
    NO_RESPONSE = "no_response", "Did not respond"


def _new_token() -> str:
    return secrets.token_urlsafe(24)


class Invitation(models.Model):
    """An invitation to one person or agency, who may or may not use Strategise."""

    discussion = models.ForeignKey(Discussion, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="invitations"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True)
    agency_code = models.CharField(max_length=40, help_text="The contract's attendee code.")
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    required = models.BooleanField(default=False)
    reason = models.TextField(blank=True)
    source = models.CharField(max_length=200, blank=True)
    response = models.CharField(max_length=20, choices=Response.choices, default=Response.AWAITING)
    attendance = models.CharField(max_length=20, choices=Attendance.choices, blank=True)
    absence_reason = models.TextField(
        blank=True, help_text="Why the discussion went ahead without this required agency."
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    token = models.CharField(max_length=64, unique=True, default=_new_token)
    apologies_reason = models.TextField(blank=True, help_text="Why the invitee cannot attend.")
    deputy_for = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deputies",
        help_text="The invitation whose invitee named this deputy from their own agency.",
    )
    # The chair agreed that the agency's written report would suffice in its absence, so its
    # non-attendance is not escalated: the clause that allows it (Birmingham §5.1), or blank.
    report_suffices_source = models.CharField(max_length=200, blank=True)
    # Confirming who holds the private link (a code emailed to the invited address), before
    # it shows the children's full names and dates of birth (Sandwell §3.0).
    identity_code = models.CharField(max_length=128, blank=True)
    identity_code_sent_at = models.DateTimeField(null=True, blank=True)
    identity_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-required", "agency_code", "pk"]
        indexes = [models.Index(fields=["user", "discussion"], name="invitation_user")]

    def __str__(self) -> str:
        return self.name or self.agency_code


class WrittenReport(models.Model):
    """What an invited agency sends in writing (Sandwell §4.2, Birmingham §5.1): its text
    and, if attached, a PDF or Word file, kept in the database and served only through
    ``strategise.access``. It counts as the agency's contribution."""

    invitation = models.OneToOneField(
        Invitation, on_delete=models.CASCADE, related_name="written_report"
    )
    text = models.TextField()
    file_name = models.CharField(max_length=255, blank=True)
    file_kind = models.CharField(max_length=10, blank=True, help_text="pdf or docx")
    file_size = models.PositiveIntegerField(default=0)
    file_sha256 = models.CharField(max_length=64, blank=True)
    content = models.BinaryField(blank=True, default=b"")
    sent_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField()
    # 1 for the report as first sent; each replacement adds one, and keeps what it replaced
    # as a ``WrittenReportVersion``.
    version = models.PositiveSmallIntegerField(default=1)

    def __str__(self) -> str:
        return f"Written report of {self.invitation}"


class WrittenReportVersion(models.Model):
    """An earlier version of a written report, kept as it was when the invitee replaced it
    (nothing sent is lost); the chair and the minutes see the latest and that it replaced
    this."""

    report = models.ForeignKey(WrittenReport, on_delete=models.CASCADE, related_name="earlier")
    version = models.PositiveSmallIntegerField()
    text = models.TextField()
    file_name = models.CharField(max_length=255, blank=True)
    file_kind = models.CharField(max_length=10, blank=True)
    file_size = models.PositiveIntegerField(default=0)
    file_sha256 = models.CharField(max_length=64, blank=True)
    content = models.BinaryField(blank=True, default=b"")
    sent_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField()
    replaced_at = models.DateTimeField()

    class Meta:
        ordering = ["report", "version"]
        constraints = [
            models.UniqueConstraint(fields=["report", "version"], name="written_report_version")
        ]

    def __str__(self) -> str:
        return f"Version {self.version} of {self.report}"


# --- the record of the discussion -------------------------------------------------


class MedicalDecision(models.TextChoices):
    ARRANGE = "arrange", "A child protection medical will be arranged"
    ALREADY_DONE = "already_done", "A medical has already taken place"
    NOT_NEEDED = "not_needed", "No child protection medical"


class FamilyInformed(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No, not at this stage"


class LegalAdvice(models.TextChoices):
    SEEK = "seek", "Seek legal advice"
    NOT_NEEDED = "not_needed", "Legal advice is not needed"


class DiscussionRecord(models.Model):
    """What was shared and decided, beyond each agency's contribution and each child's decision."""

    discussion = models.OneToOneField(Discussion, on_delete=models.CASCADE, related_name="record")
    agenda_notes = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)
    background = models.TextField(blank=True)
    family_details_checked = models.BooleanField(default=False)
    other_children = models.TextField(blank=True)
    risk_answers = models.JSONField(default=dict, blank=True)
    family_informed = models.CharField(max_length=10, choices=FamilyInformed.choices, blank=True)
    family_informed_by = models.CharField(max_length=200, blank=True)
    family_informed_when = models.CharField(max_length=200, blank=True)
    family_not_informed_reason = models.TextField(blank=True)
    legal_advice = models.CharField(max_length=20, choices=LegalAdvice.choices, blank=True)
    legal_advice_detail = models.TextField(blank=True)
    interpreter = models.TextField(blank=True)
    further_discussion_needed = models.BooleanField(null=True, blank=True)
    further_discussion_by = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    updated_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Record of {self.discussion}"


class Contribution(models.Model):
    """One agency's contribution, recorded against its invitation."""

    invitation = models.OneToOneField(
        Invitation, on_delete=models.CASCADE, related_name="contribution"
    )
    text = models.TextField()
    not_for_family = models.BooleanField(default=False)
    consent_needed = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    updated_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Contribution of {self.invitation}"


class ContributionUpdate(models.Model):
    """A dated post-meeting update an agency adds to its contribution: the contribution as
    shared at the discussion is never rewritten."""

    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="updates")
    text = models.TextField()
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return f"Update to {self.contribution}"


class Outcome(models.TextChoices):
    NO_FURTHER_ACTION = "nfa", "No further action"
    S47_SOCIAL_CARE = (
        "s47_social_care",
        "Section 47 enquiry, single agency (children's social care)",
    )
    S47_JOINT = "s47_joint", "Section 47 enquiry, joint with the police"
    POLICE_ONLY = "police_only", "Single-agency police investigation"
    S17_ASSESSMENT = "s17_assessment", "Section 17 child in need assessment"
    EARLY_HELP = "early_help", "Early help or support from another agency"
    CONTINUE_PLAN = "continue_plan", "Continue the current plan"


SECTION_47_OUTCOMES = frozenset({Outcome.S47_SOCIAL_CARE, Outcome.S47_JOINT})


class AlsoDecided(models.TextChoices):
    INFORM_LADO = "inform_lado", "Inform the local authority designated officer (LADO)"
    RECOMMEND_ICPC = "recommend_icpc", "Recommend an initial child protection conference"


class DiscussionAuthority:
    """For a model that copies its discussion's authority (``local_authority``) so that
    one authority's rows are read through an index: ``save`` sets it as the row is added
    and refuses (``ValueError``) an authority other than the discussion's. A row read from
    the database is checked again only if its discussion or authority has changed, or its
    discussion is loaded: saving it costs no query to check."""

    discussion: models.ForeignKey[Discussion]
    _loaded_authority: tuple[int | None, int | None] | None = None

    @classmethod
    def from_db(cls, db: str | None, field_names: Any, values: Any, **options: Any) -> Any:
        row = super().from_db(db, field_names, values, **options)  # type: ignore[misc]
        row._loaded_authority = (
            row.__dict__.get("discussion_id"),
            row.__dict__.get("local_authority_id"),
        )
        return row

    def save(self, *args: Any, **kwargs: Any) -> None:
        row: Any = self
        # Read from __dict__: a deferred field is not loaded just to check it.
        loaded = (row.__dict__.get("discussion_id"), row.__dict__.get("local_authority_id"))
        unchanged = not row._state.adding and loaded == self._loaded_authority
        if not unchanged or type(row).discussion.is_cached(row):
            discussion = row.discussion
            if row.local_authority_id is None:
                row.local_authority_id = discussion.local_authority_id
            elif row.local_authority_id != discussion.local_authority_id:
                raise ValueError(
                    f"{row._meta.label} names authority {row.local_authority_id}, but its "
                    f"discussion {discussion.pk} is authority {discussion.local_authority_id}'s"
                )
        super().save(*args, **kwargs)  # type: ignore[misc]
        self._loaded_authority = (
            row.__dict__.get("discussion_id"),
            row.__dict__.get("local_authority_id"),
        )


class ChildDecision(DiscussionAuthority, models.Model):
    """The decision for one child, with its rationale."""

    discussion = models.ForeignKey(Discussion, on_delete=models.CASCADE, related_name="decisions")
    # Copied from the discussion (``save`` sets it and checks it agrees) so that the
    # reports and the returns read one authority's decisions through an index.
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("cases.Child", on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(max_length=30, choices=Outcome.choices)
    also = models.JSONField(default=list, blank=True)
    rationale = models.TextField()
    nfa_confirmed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    nfa_confirmation = models.TextField(blank=True)
    seen_by = models.CharField(max_length=200, blank=True)
    seen_by_when = models.DateTimeField(null=True, blank=True)
    seen_alone = models.BooleanField(null=True, blank=True)
    seen_alone_reason = models.TextField(blank=True)
    # The medical assessment is decided child by child, siblings included (Sandwell §8.0).
    medical_decision = models.CharField(max_length=20, choices=MedicalDecision.choices, blank=True)
    medical_reasoning = models.TextField(blank=True)
    medical_advice = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["discussion", "child"], name="decision_per_child")
        ]
        indexes = [
            models.Index(fields=["local_authority", "outcome"], name="decision_authority"),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} for {self.child}"


class Dissent(models.Model):
    """An agency's disagreement with a decision, and its reasons."""

    discussion = models.ForeignKey(Discussion, on_delete=models.CASCADE, related_name="dissents")
    invitation = models.ForeignKey(Invitation, on_delete=models.PROTECT, related_name="+")
    about = models.CharField(max_length=300)
    reasons = models.TextField()
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"Dissent of {self.invitation}"


class Correction(models.Model):
    """A concluded discussion's record opened again, with its reason, by its chair or a
    manager; closing it passes the checks of concluding again and redrafts the minutes."""

    discussion = models.ForeignKey(Discussion, on_delete=models.CASCADE, related_name="corrections")
    reason = models.TextField()
    opened_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField()
    closed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["opened_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["discussion"],
                condition=models.Q(closed_at__isnull=True),
                name="one_open_correction",
            )
        ]

    def __str__(self) -> str:
        return f"Correction of {self.discussion}"

    @property
    def open(self) -> bool:
        return self.closed_at is None


class LanguageAcceptance(models.Model):
    """Words of the record that the chair kept although the language check flagged them,
    with the reason (``strategise.discussions.language``). ``field`` names the free-text
    field (``record:reason``, ``contribution:<invitation>``...), ``phrase`` the flag's
    phrase and ``words`` the flagged words, lower case and one space apart: if the words
    are changed, the acceptance no longer matches a flag."""

    discussion = models.ForeignKey(
        Discussion, on_delete=models.CASCADE, related_name="language_acceptances"
    )
    field = models.CharField(max_length=100)
    phrase = models.CharField(max_length=100)
    words = models.CharField(max_length=500)
    reason = models.TextField()
    accepted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    accepted_at = models.DateTimeField()

    class Meta:
        ordering = ["accepted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["discussion", "field", "phrase", "words"], name="language_accepted_once"
            )
        ]

    def __str__(self) -> str:
        return f"Words kept in {self.discussion}: {self.words}"
