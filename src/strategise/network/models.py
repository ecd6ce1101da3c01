"""The network around children: the people, places, vehicles and online accounts around a
concern, the links between them and each child, and the patterns across cases.

Birmingham §6 and Bristol's complex strategy guidance ask for "mapping in terms of
locations, buildings, peers and include safe spaces" and "any social media sites or
activity of concern". Every record belongs to one local authority; who may see it is
decided in ``strategise.access``. Matching (``match_key``) is ``policy.network``'s.
"""

from __future__ import annotations

from django.db import models

from strategise.cases.models import Adult, Child
from strategise.discussions.models import Discussion
from strategise.organisations.models import LocalAuthority, Team, User
from strategise.policy import network as rules
from strategise.requests.models import StrategyRequest


class EntityKind(models.TextChoices):
    PERSON = rules.PERSON, "Person"
    PLACE = rules.PLACE, "Place"
    VEHICLE = rules.VEHICLE, "Vehicle"
    ACCOUNT = rules.ACCOUNT, "Online account"


PLACE_KINDS = [
    ("address", "Address (a home or flat)"),
    ("park", "Park or open space"),
    ("school", "School or college"),
    ("shop", "Shop"),
    ("takeaway", "Takeaway or café"),
    ("hotel", "Hotel or short-let"),
    ("other", "Other place"),
]
SAFETY = [
    ("risk", "A place of risk"),
    ("safe", "A safe space"),
    ("unknown", "Not known yet"),
]
PLATFORMS = [
    ("snapchat", "Snapchat"),
    ("instagram", "Instagram"),
    ("tiktok", "TikTok"),
    ("whatsapp", "WhatsApp"),
    ("facebook", "Facebook"),
    ("x", "X (Twitter)"),
    ("telegram", "Telegram"),
    ("discord", "Discord"),
    ("phone", "Phone number"),
    ("other", "Other"),
]
LINK_KINDS = [
    ("lives_at", "Lives or stays at"),
    ("goes_to", "Goes to or is seen at"),
    ("family", "Family or household member"),
    ("seen_with", "Seen with"),
    ("driven_in", "Driven in or picked up by"),
    ("contacted_by", "Contacted through"),
    ("peer_positive", "A positive peer (a friend who helps keep them safe)"),
    ("peer", "A peer (a friend or associate)"),
    ("peer_concern", "A peer of concern (a negative influence)"),
    ("peer_abuse", "Peer-on-peer abuse: this peer is alleged to have harmed the child"),
    ("peer_harmed", "Peer-on-peer abuse: the child is alleged to have harmed this peer"),
    ("alleged_perpetrator", "Possible perpetrator of abuse"),
    ("former_contact", "Was in contact, no longer"),
    ("protective", "A protective person or safe space"),
    ("other", "Other"),
]
LINK_KIND_NAMES = dict(LINK_KINDS)
# Links that say someone or somewhere keeps a child safe: mapped (Birmingham §6: "include
# safe spaces"; "any peers (negative or positive)"), never counted as a pattern of abuse.
PROTECTIVE_LINKS = frozenset({"protective", "peer_positive"})
PEER_LINKS = frozenset({"peer_positive", "peer", "peer_concern", "peer_abuse", "peer_harmed"})
CONFIDENCE = [
    ("confirmed", "Confirmed (seen or verified by an agency)"),
    ("reported", "Reported (told by the child, family or another person)"),
    ("suspected", "Suspected (intelligence or a worker's concern)"),
]


class Entity(models.Model):
    """A person, place, vehicle or online account in the network around one or more
    children. A person reuses the child's or adult's own record when there is one."""

    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT)
    kind = models.CharField(max_length=20, choices=EntityKind.choices)
    adult = models.ForeignKey(Adult, on_delete=models.PROTECT, null=True, blank=True)
    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=200, help_text="A name, description or nickname.")
    # A person who is a child or young person (a peer), when not recorded as a child here.
    young_person = models.BooleanField(default=False)
    address = models.TextField(blank=True)
    place_kind = models.CharField(max_length=20, choices=PLACE_KINDS, blank=True)
    safety = models.CharField(max_length=10, choices=SAFETY, blank=True)
    # Stored as typed; the match key holds the normalised form.
    registration = models.CharField(max_length=20, blank=True)
    description = models.CharField(max_length=200, blank=True)
    platform = models.CharField(max_length=20, choices=PLATFORMS, blank=True)
    handle = models.CharField(max_length=200, blank=True)
    # Whose it is: the person who drives the car, uses the account or lives at the address.
    # The children linked to it count as linked to them when looking for patterns.
    used_by = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="things"
    )
    match_key = models.CharField(max_length=400)
    sureness = models.CharField(max_length=10)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name_plural = "entities"
        ordering = ["kind", "name", "pk"]
        indexes = [models.Index(fields=["local_authority", "match_key"], name="entity_key")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """How a page names it: a vehicle by its registration, an account by its handle."""
        if self.kind == EntityKind.VEHICLE:
            return " ".join(part for part in (self.registration, self.description) if part)
        if self.kind == EntityKind.ACCOUNT:
            return f"{self.get_platform_display()} {self.handle}"
        return self.name

    @property
    def is_peer(self) -> bool:
        """Whether it is a child or young person (a peer of the children around them)."""
        return self.child_id is not None or self.young_person


class Link(models.Model):
    """How an entity is linked to a child, on one request: what kind of link, since when
    (and until when), which agency said so and how sure they are."""

    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT)
    request = models.ForeignKey(
        StrategyRequest, on_delete=models.PROTECT, related_name="network_links"
    )
    discussion = models.ForeignKey(
        Discussion, on_delete=models.PROTECT, null=True, blank=True, related_name="network_links"
    )
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="network_links")
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="links")
    kind = models.CharField(max_length=30, choices=LINK_KINDS)
    since = models.DateField(null=True, blank=True)
    until = models.DateField(null=True, blank=True)
    agency = models.CharField(max_length=200, help_text="Which agency said so.")
    confidence = models.CharField(max_length=20, choices=CONFIDENCE)
    note = models.TextField(blank=True)
    # Copied from the entity, so checking a new link for patterns is one index scan.
    match_key = models.CharField(max_length=400)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["since", "pk"]
        indexes = [models.Index(fields=["local_authority", "match_key"], name="link_key")]

    def __str__(self) -> str:
        return f"{self.entity} ({self.get_kind_display()}) of {self.child}"


class AlertStatus(models.TextChoices):
    OPEN = "open", "Open"
    DISMISSED = "dismissed", "Dismissed as a false match"
    RAISED = "raised", "A complex request was raised"


class PatternAlert(models.Model):
    """A pattern across cases: one entity linked to three or more children, or a person
    in a position of trust in more than one request. One per authority, kind and key, so
    it is raised once; a dismissal (with its reason) is remembered and never raised
    again."""

    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT)
    kind = models.CharField(max_length=10)
    match_key = models.CharField(max_length=400)
    label = models.CharField(max_length=300)
    sureness = models.CharField(max_length=10)
    children = models.ManyToManyField(Child, related_name="pattern_alerts")
    evidence = models.JSONField(default=dict)
    since = models.DateField(null=True, blank=True)
    raised_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=AlertStatus.choices, default="open")
    closed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    dismissed_reason = models.TextField(blank=True)
    complex_request = models.ForeignKey(
        StrategyRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["local_authority", "kind", "match_key"], name="pattern_alert_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Pattern {self.pk}: {self.label}"


class NetworkSetting(models.Model):
    """An authority's setting for patterns across cases: its exploitation lead (the
    Missing and Exploitation hub's lead, Birmingham §8), a person or a team, who is
    alerted with the team manager; and the authorities it shares patterns with (none
    unless set: patterns are matched across two authorities only when each names the
    other, as a data-sharing agreement between them would)."""

    local_authority = models.OneToOneField(LocalAuthority, on_delete=models.CASCADE)
    exploitation_lead = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    exploitation_team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    shares_with = models.ManyToManyField(LocalAuthority, blank=True, related_name="+")
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"Network settings of {self.local_authority}"
