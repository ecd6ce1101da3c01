"""Writing the records of the people around a child: adults, their links to children,
siblings, and a child's identifiers. Every write is audited in the same transaction.

Only children's social care of the record's own authority writes them
(``access.may_change_adult``, ``access.may_change_child``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from strategise.access import (
    authority_of,
    may_change_adult,
    may_change_child,
    sees_whole_authority,
    visible_adults,
    visible_children,
)
from strategise.audit.idempotency import form_claim, form_keep, form_replayed
from strategise.audit.services import audit_record
from strategise.cases.models import (
    RELATIONSHIP_NAMES,
    Adult,
    Child,
    ChildAdultLink,
    Household,
    SiblingLink,
)
from strategise.organisations.models import Team, User
from strategise.policy import identifiers
from strategise.problems import Problem

ADULT_FIELDS = (
    "first_name",
    "last_name",
    "aliases",
    "former_names",
    "date_of_birth",
    "gender",
    "address",
    "nhs_number",
    "police_reference",
    "works_with_children",
    "occupation",
    "notes",
)
# The oldest anyone is: a date of birth further back is a mistyped year.
OLDEST = 120

Errors = list[tuple[str | None, str]]


def nhs_number_errors(values: dict[str, Any]) -> Errors:
    """The NHS number's check digit (``policy.identifiers``), if one was given."""
    typed = values.get("nhs_number", "")
    problem = identifiers.nhs_number_problem(typed) if typed else None
    return [("nhs_number", f"The NHS number {problem}")] if problem else []


def adult_problems(values: dict[str, Any], today: date) -> Errors:
    """Everything wrong with an adult's record (for a form to show beside its own errors,
    all at once)."""
    errors: Errors = []
    if not (values.get("first_name", "").strip() or values.get("last_name", "").strip()):
        errors.append(
            ("first_name", "Enter the adult's first name or last name, or the name they use")
        )
    born = values.get("date_of_birth")
    if born is not None and born > today:
        errors.append(("date_of_birth", "Date of birth must be today or in the past"))
    elif born is not None and today.year - born.year > OLDEST:
        errors.append(("date_of_birth", f"Date of birth must be within the last {OLDEST} years"))
    errors += nhs_number_errors(values)
    if values.get("works_with_children") and not values.get("occupation", "").strip():
        errors.append(("occupation", "Enter their job or role with children"))
    return errors


def _check_adult(values: dict[str, Any], today: date) -> dict[str, Any]:
    """The adult's record as stored (the NHS number without its spaces), or every
    problem with it at once."""
    errors = adult_problems(values, today)
    if errors:
        raise Problem.many(errors)
    checked = dict(values)
    if checked.get("nhs_number"):
        checked["nhs_number"] = identifiers.nhs_number_normalised(checked["nhs_number"])
    return checked


def _check_relationship(relationship: str) -> None:
    if relationship not in RELATIONSHIP_NAMES:
        raise Problem("Select how the adult is related to the child from the list", "relationship")


def _household_of(child: Child) -> Household:
    """The child's household, made (with the child's address) if none is recorded."""
    if child.household_id is not None and child.household is not None:
        return child.household
    household = Household.objects.create(
        local_authority_id=child.local_authority_id, address=child.address
    )
    Child.objects.filter(pk=child.pk).update(household=household)
    child.household = household
    return household


def _link(
    *, child: Child, adult: Adult, relationship: str, parental_responsibility: bool
) -> tuple[ChildAdultLink, bool]:
    return ChildAdultLink.objects.get_or_create(
        child=child,
        adult=adult,
        relationship=relationship,
        defaults={"parental_responsibility": parental_responsibility},
    )


def adult_create(
    *,
    user: User,
    values: dict[str, Any],
    today: date,
    child: Child | None = None,
    relationship: str = "",
    parental_responsibility: bool = False,
    same_household: bool = False,
    token: str = "",
) -> Adult:
    """Record an adult in the user's authority and, with ``child``, how they are related
    to that child (and, with ``same_household``, that they live in the child's household).
    A repeated post of the same form (``token``) answers with the adult it recorded."""
    first = form_replayed(user=user, token=token, model=Adult)
    if first is not None:
        return first
    if not sees_whole_authority(user):
        raise Problem("Only children's social care can add an adult's record")
    authority = authority_of(user)
    errors: Errors = []
    try:
        checked = _check_adult(values, today)
    except Problem as problem:
        errors += problem.errors
    if child is not None:
        try:
            _check_relationship(relationship)
        except Problem as problem:
            errors += problem.errors
    if errors:
        raise Problem.many(errors)
    with transaction.atomic(durable=True):
        first = form_claim(user=user, token=token, model=Adult)
        if first is not None:
            return first
        known = None
        if child is not None:
            known = visible_children(user).select_related("household").get(pk=child.pk)
        household = _household_of(known) if known is not None and same_household else None
        adult = Adult.objects.create(
            local_authority=authority,
            household=household,
            **{name: checked[name] for name in ADULT_FIELDS if name in checked},
        )
        form_keep(user=user, token=token, obj=adult)
        if known is not None:
            _link(
                child=known,
                adult=adult,
                relationship=relationship,
                parental_responsibility=parental_responsibility,
            )
        audit_record(
            user=user,
            action="create",
            obj=adult,
            children=[known.pk] if known is not None else [],
            detail={"relationship": relationship} if known is not None else {},
        )
    return adult


def adult_update(
    *, user: User, adult: Adult, values: dict[str, Any], version: int, today: date
) -> Adult:
    """Change an adult's record; ``version`` is the record as the user saw it, and a
    change made meanwhile by someone else is refused, not overwritten."""
    if not may_change_adult(user, adult):
        raise Problem("Only children's social care in the adult's authority can change this")
    checked = _check_adult(values, today)
    with transaction.atomic(durable=True):
        locked = visible_adults(user).select_for_update().get(pk=adult.pk)
        if locked.version != version:
            raise Problem(
                "Someone else changed this adult's record while you were editing it. "
                "Check what it says now and make your change again"
            )
        changed = {
            name: checked[name]
            for name in ADULT_FIELDS
            if name in checked and checked[name] != getattr(locked, name)
        }
        for name, value in changed.items():
            setattr(locked, name, value)
        locked.version += 1
        locked.save(update_fields=[*changed, "version"])
        audit_record(
            user=user,
            action="update",
            obj=locked,
            children=list(locked.child_links.values_list("child_id", flat=True).distinct()),
            detail={"changed": sorted(changed)},
        )
    return locked


def adult_link(
    *,
    user: User,
    adult: Adult,
    child: Child,
    relationship: str,
    parental_responsibility: bool = False,
    same_household: bool = False,
) -> ChildAdultLink:
    """Record how an adult already recorded is related to a child (and, with
    ``same_household``, that they live in the child's household). The same relationship
    recorded again is the one already there."""
    if not (may_change_adult(user, adult) and may_change_child(user, child)):
        raise Problem(
            "Only children's social care in the authority of both the adult and the child "
            "can link them"
        )
    _check_relationship(relationship)
    with transaction.atomic(durable=True):
        known = visible_children(user).select_related("household").get(pk=child.pk)
        person = visible_adults(user).select_for_update().get(pk=adult.pk)
        link, created = _link(
            child=known,
            adult=person,
            relationship=relationship,
            parental_responsibility=parental_responsibility,
        )
        moved = False
        if same_household:
            household = _household_of(known)
            if person.household_id != household.pk:
                person.household = household
                person.version += 1
                person.save(update_fields=["household", "version"])
                moved = True
        if created or moved:
            audit_record(
                user=user,
                action="link",
                obj=person,
                children=[known.pk],
                detail={"relationship": relationship, "same_household": moved},
            )
    return link


def sibling_link(*, user: User, child: Child, sibling: Child) -> SiblingLink:
    """Record that two children are brothers or sisters (whether or not they live
    together); recorded again, it is the link already there."""
    if child.pk == sibling.pk:
        raise Problem("Choose another child: a child is not their own sibling", "sibling")
    if not (may_change_child(user, child) and may_change_child(user, sibling)):
        raise Problem("Only children's social care in both children's authority can link them")
    low, high = sorted((child.pk, sibling.pk))
    with transaction.atomic(durable=True):
        found = list(visible_children(user).filter(pk__in=(low, high)))
        if len(found) != 2:
            raise Problem("Choose a child recorded in your authority", "sibling")
        link, created = SiblingLink.objects.get_or_create(child_id=low, sibling_id=high)
        if created:
            audit_record(
                user=user,
                action="link",
                obj=child,
                children=[low, high],
                detail={"sibling": sibling.pk},
            )
    return link


IDENTIFIER_FIELDS = (
    "nhs_number",
    "upn",
    "police_reference",
    "former_names",
    "allocated_worker",
    "allocated_team",
)


def upn_errors(values: dict[str, Any]) -> Errors:
    """The unique pupil number's check letter (``policy.identifiers``), if one was given."""
    upn = values.get("upn", "")
    problem = identifiers.upn_problem(upn) if upn else None
    return [("upn", f"The unique pupil number {problem}")] if problem else []


def _identifier_errors(child: Child, values: dict[str, Any]) -> Errors:
    errors = nhs_number_errors(values) + upn_errors(values)
    worker: User | None = values.get("allocated_worker")
    if worker is not None and not (
        sees_whole_authority(worker) and worker.local_authority_id == child.local_authority_id
    ):
        errors.append(
            (
                "allocated_worker",
                "The allocated social worker must work in this authority's children's social care",
            )
        )
    team: Team | None = values.get("allocated_team")
    if team is not None and not (
        team.agency.kind == "childrens_social_care"
        and team.agency.local_authority_id == child.local_authority_id
    ):
        errors.append(
            ("allocated_team", "The team must be one of this authority's social care teams")
        )
    return errors


def child_identifier_problems(child: Child, values: dict[str, Any]) -> Errors:
    """Everything wrong with a child's identifiers (for a form to show beside its own)."""
    return _identifier_errors(child, values)


def child_identifiers_update(
    *, user: User, child: Child, values: dict[str, Any], version: int
) -> Child:
    """Change a child's NHS number, unique pupil number, police reference, former names,
    allocated social worker and team. ``version`` is the record as the user saw it."""
    if not may_change_child(user, child):
        raise Problem("Only children's social care in the child's authority can change this")
    errors = _identifier_errors(child, values)
    if errors:
        raise Problem.many(errors)
    stored = dict(values)
    stored["nhs_number"] = identifiers.nhs_number_normalised(values.get("nhs_number", ""))
    stored["upn"] = identifiers.upn_normalised(values.get("upn", ""))
    with transaction.atomic(durable=True):
        locked = visible_children(user).select_for_update().get(pk=child.pk)
        if locked.version != version:
            raise Problem(
                "Someone else changed this child's record while you were editing it. "
                "Check what it says now and make your change again"
            )
        changed = {
            name: stored[name]
            for name in IDENTIFIER_FIELDS
            if name in stored and stored[name] != getattr(locked, name)
        }
        for name, value in changed.items():
            setattr(locked, name, value)
        locked.version += 1
        locked.save(update_fields=[*changed, "version"])
        audit_record(
            user=user,
            action="update",
            obj=locked,
            children=[locked.pk],
            detail={"changed": sorted(changed)},
        )
    return locked
