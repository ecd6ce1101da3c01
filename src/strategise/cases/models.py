"""Children, the adults around them, and the links between them.

Every record belongs to one local authority; who may see it is decided in
``strategise.access``, never here.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models.functions import Lower

from strategise.cases.names import fold
from strategise.organisations.models import LocalAuthority, Team, User
from strategise.policy import census, vocabulary

EDUCATION_CHOICES = [
    ("school", "At school"),
    ("pre_school", "At nursery or pre-school"),
    ("college", "At college"),
    ("not_on_roll", "Not on a school roll (for example, home educated)"),
    ("none", "Not in education"),
]
CP_PLAN_CHOICES = [
    ("none", "No child protection plan"),
    ("current", "On a child protection plan now"),
    ("ended_within_2_years", "A plan ended in the last 2 years"),
]


class Household(models.Model):
    """A family living together: children in the same household are 'in the same family'."""

    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT)
    address = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.address.splitlines()[0] if self.address else f"Household {self.pk}"


class Person(models.Model):
    """What children and adults share: names, aliases, date of birth, address."""

    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    aliases = models.CharField(
        max_length=300, blank=True, help_text="Other names the person is known by."
    )
    former_names = models.CharField(
        max_length=300, blank=True, help_text="Names the person was known by before."
    )
    date_of_birth = models.DateField(null=True, blank=True)
    address = models.TextField(blank=True)
    household = models.ForeignKey(Household, on_delete=models.SET_NULL, null=True, blank=True)
    # Stored as its ten digits (its check digit checked by ``policy.identifiers``).
    nhs_number = models.CharField(max_length=10, blank=True)
    police_reference = models.CharField(
        max_length=50, blank=True, help_text="A police reference, for example a crime number."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Child(Person):
    """A child (or unborn baby) a strategy discussion is about."""

    unborn = models.BooleanField(default=False)
    expected_date = models.DateField(null=True, blank=True)
    # Coded as the CIN census codes them; blank is not recorded yet. What was typed before
    # the codes (and could not be matched to one) is kept in ``*_unmapped`` until a code
    # is chosen.
    sex = models.CharField(max_length=1, choices=list(census.SEXES.items()), blank=True)
    sex_unmapped = models.CharField(max_length=50, blank=True)
    ethnicity = models.CharField(max_length=4, choices=list(census.ETHNICITIES.items()), blank=True)
    ethnicity_unmapped = models.CharField(max_length=100, blank=True)
    first_language = models.CharField(max_length=100, blank=True)
    interpreter_needed = models.BooleanField(default=False)
    disability = models.CharField(max_length=300, blank=True)
    education = models.CharField(max_length=20, choices=EDUCATION_CHOICES, default="school")
    education_setting = models.CharField(max_length=200, blank=True)
    local_reference = models.CharField(max_length=50, blank=True)
    looked_after = models.BooleanField(default=False)
    cp_plan = models.CharField(max_length=30, choices=CP_PLAN_CHOICES, default="none")
    in_hospital = models.BooleanField(default=False)
    care_and_support_needs = models.BooleanField(default=False)
    home_authority = models.CharField(
        max_length=200, blank=True, help_text="Another local authority the child normally lives in."
    )
    # The unique pupil number, in capitals (its check letter checked by ``policy.identifiers``).
    upn = models.CharField(max_length=13, blank=True)
    allocated_worker = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="allocated_children"
    )
    allocated_team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="allocated_children"
    )
    # The name as a search compares it (``cases.names.fold``): kept by ``save`` from the
    # first and last names, never typed. On PostgreSQL a trigram index covers it
    # (migration 0005).
    search_name = models.CharField(max_length=201, blank=True, editable=False)

    class Meta:
        verbose_name_plural = "children"
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(Lower("last_name"), "local_authority", name="child_last_name"),
            models.Index(fields=["local_authority", "date_of_birth"], name="child_dob"),
            models.Index(fields=["local_authority", "local_reference"], name="child_reference"),
            models.Index(fields=["local_authority", "nhs_number"], name="child_nhs_number"),
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A derived copy of the name, not a rule: it follows every write of the names, by
        # any path (services, the demo, the tests' factories).
        self.search_name = fold(self.full_name)
        fields = kwargs.get("update_fields")
        if fields is not None and {"first_name", "last_name"} & set(fields):
            kwargs["update_fields"] = {*fields, "search_name"}
        super().save(*args, **kwargs)


class Adult(Person):
    """A parent, carer, family member or other adult, including alleged perpetrators."""

    gender = models.CharField(max_length=50, blank=True)
    notes = models.TextField(blank=True)
    # A position of trust (Working Together 2023: the LADO is told of allegations against
    # someone who works or volunteers with children): their job or role, as triage asks.
    works_with_children = models.BooleanField(default=False)
    occupation = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(Lower("last_name"), "local_authority", name="adult_last_name"),
        ]


RELATIONSHIPS = [
    ("parent", "Parent"),
    ("step_parent", "Step-parent"),
    ("carer", "Carer"),
    ("sibling", "Sibling (an adult brother or sister)"),
    ("grandparent", "Grandparent"),
    ("relative", "Other relative"),
    ("household_member", "Household member"),
    ("partner_of_parent", "Partner of a parent"),
    ("alleged_perpetrator", "Alleged perpetrator"),
    ("position_of_trust", "Professional in a position of trust"),
    ("professional", "Professional"),
    ("other", "Other"),
]
RELATIONSHIP_NAMES = dict(RELATIONSHIPS)
ALLEGED_PERPETRATOR = "alleged_perpetrator"
POSITION_OF_TRUST = "position_of_trust"


class ChildAdultLink(models.Model):
    """How an adult is connected to a child: one row per relationship, so a stepfather who
    is also the alleged perpetrator has two."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="adult_links")
    adult = models.ForeignKey(Adult, on_delete=models.CASCADE, related_name="child_links")
    relationship = models.CharField(max_length=30, choices=RELATIONSHIPS)
    parental_responsibility = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True, null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["child", "adult", "relationship"], name="child_adult_link_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.adult} ({self.get_relationship_display()}) of {self.child}"


class SiblingLink(models.Model):
    """Two children who are brothers or sisters (including half- and step-siblings),
    whether or not they live in the same household. Stored once, the lower id first."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+")
    sibling = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["child", "sibling"], name="sibling_link_unique"),
            models.CheckConstraint(
                condition=models.Q(child__lt=models.F("sibling")), name="sibling_link_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child} and {self.sibling}"


CONCERN_CHOICES = list(vocabulary.CONCERNS.items())
