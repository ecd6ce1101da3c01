"""Minutes and their distribution.

An approved version is frozen: its document (the structure the PDF and DOCX are made
from) is never changed again. A correction is a new version with its reason. A draft
keeps the document generated from the record beside the minute-taker's wording, so the
chair sees what was changed before approving exactly that.
"""

from __future__ import annotations

from django.db import models

from strategise.discussions.models import Discussion, Invitation
from strategise.organisations.models import LocalAuthority, User


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"
    SUPERSEDED = "superseded", "Superseded by a correction"


class Minutes(models.Model):
    discussion = models.ForeignKey(Discussion, on_delete=models.PROTECT, related_name="minutes")
    number = models.PositiveIntegerField()
    status = models.CharField(
        max_length=20, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT
    )
    #: What is printed: the document generated from the record, with the wording in place.
    document = models.JSONField()
    #: The document as generated from the record, before the minute-taker's wording.
    generated = models.JSONField(default=dict)
    #: The minute-taker's wording of passages, by passage id (only those changed).
    wording = models.JSONField(default=dict, blank=True)
    #: Counts each change to a draft (redrafted, reworded): approval names the one it saw.
    revision = models.PositiveIntegerField(default=1)
    drafted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    drafted_at = models.DateTimeField()
    approved_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    correction_reason = models.TextField(blank=True)

    class Meta:
        verbose_name_plural = "minutes"
        ordering = ["discussion", "number"]
        constraints = [
            models.UniqueConstraint(fields=["discussion", "number"], name="minutes_version")
        ]

    def __str__(self) -> str:
        return f"Minutes of {self.discussion}, version {self.number}"


class Method(models.TextChoices):
    EMAIL = "email", "Email"
    SECURE_EMAIL = "secure_email", "Secure email"
    SYSTEM = "system", "Has access in the case recording system"
    POST = "post", "Post"
    HAND = "hand", "By hand"


class Recipient(models.Model):
    """Someone on the distribution list of a discussion's minutes."""

    discussion = models.ForeignKey(Discussion, on_delete=models.CASCADE, related_name="recipients")
    invitation = models.ForeignKey(
        Invitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    role = models.CharField(max_length=200)
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    method = models.CharField(max_length=20, choices=Method.choices, default=Method.EMAIL)
    source = models.CharField(max_length=200, blank=True)
    included = models.BooleanField(default=True)
    # Each change makes a new version (see RecipientChange), so where the minutes could go,
    # and who said so, is never lost.
    version = models.PositiveIntegerField(default=1)
    # An address outside the authority's secure domains goes on the list only once a team
    # manager (or above) has confirmed it, with the reason: the address they confirmed.
    confirmed_email = models.EmailField(blank=True)
    confirmed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name or self.role

    @property
    def emailed(self) -> bool:
        """Whether the minutes go to this recipient by email."""
        return self.included and self.method in EMAILED

    def outside(self, authority: LocalAuthority) -> bool:
        """Whether the minutes would be emailed to an address outside the secure domains."""
        return self.emailed and bool(self.email) and not authority.is_secure_address(self.email)

    def awaiting_confirmation(self, authority: LocalAuthority) -> bool:
        """Whether an outside address still needs a team manager's confirmation."""
        return self.outside(authority) and self.confirmed_email.lower() != self.email.lower()


EMAILED = (Method.EMAIL, Method.SECURE_EMAIL)


class RecipientChange(models.Model):
    """One version of a line of the distribution list: what it said, who made it so, when."""

    recipient = models.ForeignKey(Recipient, on_delete=models.CASCADE, related_name="changes")
    version = models.PositiveIntegerField()
    changed_at = models.DateTimeField()
    changed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    method = models.CharField(max_length=20, choices=Method.choices)
    included = models.BooleanField()
    # Set when this version confirmed an address outside the secure domains.
    confirmed = models.BooleanField(default=False)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["recipient", "version"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "version"], name="recipient_version")
        ]

    def __str__(self) -> str:
        return f"{self.recipient}, version {self.version}"


class Delivery(models.TextChoices):
    ATTACHED = "attached", "with the PDF attached"
    SIGN_IN = "sign_in", "with a link to sign in and read them"


class Sending(models.Model):
    """One version of the minutes sent to one recipient: when, how, by whom."""

    minutes = models.ForeignKey(Minutes, on_delete=models.PROTECT, related_name="sendings")
    recipient = models.ForeignKey(Recipient, on_delete=models.PROTECT, related_name="sendings")
    method = models.CharField(max_length=20, choices=Method.choices)
    # What went where: the address at the moment of sending (the line may change later),
    # and whether the PDF went with it or only a link to sign in and read it.
    address = models.EmailField(blank=True)
    delivery = models.CharField(max_length=20, choices=Delivery.choices, blank=True)
    sent_at = models.DateTimeField()
    sent_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["minutes", "recipient"], name="sent_once")]

    def __str__(self) -> str:
        return f"{self.minutes} to {self.recipient}"
