"""Writing children's records. Every write is audited in the same transaction."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction

from strategise.access import authority_of, may_change_child, sees_whole_authority, visible_children
from strategise.audit.services import audit_record
from strategise.cases.models import Child, Household
from strategise.organisations.models import User
from strategise.policy import census
from strategise.problems import Problem

CHILD_FIELDS = (
    "first_name",
    "last_name",
    "aliases",
    "date_of_birth",
    "unborn",
    "expected_date",
    "sex",
    "ethnicity",
    "first_language",
    "interpreter_needed",
    "disability",
    "address",
    "education",
    "education_setting",
    "local_reference",
    "looked_after",
    "cp_plan",
    "in_hospital",
    "care_and_support_needs",
    "home_authority",
)


# An unborn baby's expected date: a baby more than a few weeks overdue has been born (or
# induced), and a pregnancy lasts about ten months at most from its first day.
EXPECTED_OVERDUE = timedelta(weeks=4)
EXPECTED_AHEAD = timedelta(days=305)


def _census_problems(values: dict[str, Any]) -> list[tuple[str | None, str]]:
    """The local reference is the CIN census's ``LAchildID``; sex and ethnicity its codes."""
    errors: list[tuple[str | None, str]] = []
    reference = values.get("local_reference", "")
    problem = census.child_id_problem(reference) if reference else None
    if problem:
        errors.append(
            (
                "local_reference",
                f"The local case reference {problem}, as the children in need census needs it",
            )
        )
    if values.get("sex", "") not in ("", *census.SEXES):
        errors.append(("sex", "Select the child's sex from the list"))
    if values.get("ethnicity", "") not in ("", *census.ETHNICITIES):
        errors.append(("ethnicity", "Select the child's ethnicity from the list"))
    return errors


def _check_child(values: dict[str, Any], today: date) -> None:
    errors = child_problems(values, today)
    if errors:
        raise Problem.many(errors)


def child_problems(values: dict[str, Any], today: date) -> list[tuple[str | None, str]]:
    """Everything wrong with a new child's record, by field (what ``child_create``
    refuses; the import checks each row with it)."""
    errors = _census_problems(values)
    if values.get("unborn"):
        expected = values.get("expected_date")
        if expected is None:
            errors.append(("expected_date", "Enter the expected date of birth of the unborn baby"))
        elif expected < today - EXPECTED_OVERDUE:
            errors.append(
                (
                    "expected_date",
                    "The expected date of birth is more than 4 weeks ago: if the baby has "
                    "been born, untick ‘unborn’ and enter the date of birth",
                )
            )
        elif expected > today + EXPECTED_AHEAD:
            errors.append(
                (
                    "expected_date",
                    "The expected date of birth must be within 10 months from today",
                )
            )
        if values.get("date_of_birth"):
            errors.append(
                ("date_of_birth", "An unborn baby has no date of birth yet: leave it blank")
            )
    else:
        born = values.get("date_of_birth")
        if born is not None and born > today:
            errors.append(("date_of_birth", "Date of birth must be today or in the past"))
        if born is not None and (today.year - born.year) > 18:
            errors.append(("date_of_birth", "The child must be under 18: check the date of birth"))
    return errors


def child_create(
    *,
    user: User,
    values: dict[str, Any],
    same_household_as: Child | None = None,
    today: date,
) -> Child:
    """Create a child in the user's local authority, in a new household or a sibling's."""
    if not sees_whole_authority(user):
        raise Problem("Only children's social care can add a child's record")
    authority = authority_of(user)
    _check_child(values, today)
    with transaction.atomic(durable=True):
        if same_household_as is not None:
            sibling = visible_children(user).get(pk=same_household_as.pk)
            household = sibling.household
        else:
            household = None
        if household is None:
            household = Household.objects.create(
                local_authority=authority, address=values.get("address", "")
            )
            if same_household_as is not None:
                Child.objects.filter(pk=same_household_as.pk).update(household=household)
        child = Child.objects.create(
            local_authority=authority,
            household=household,
            **{name: values[name] for name in CHILD_FIELDS if name in values},
        )
        audit_record(user=user, action="create", obj=child, children=[child.pk])
    return child


CENSUS_FIELDS = ("local_reference", "sex", "ethnicity")


def child_census_update(*, user: User, child: Child, values: dict[str, str], version: int) -> Child:
    """Change what the children in need census takes from a child's record: the local case
    reference (its ``LAchildID``), sex and ethnicity. Choosing a code clears the text it
    replaces (kept from before the codes). ``version`` is the record as the user saw it."""
    if not may_change_child(user, child):
        raise Problem("Only children's social care in the child's authority can change this")
    errors = _census_problems(values)
    if errors:
        raise Problem.many(errors)
    with transaction.atomic(durable=True):
        locked = visible_children(user).select_for_update().get(pk=child.pk)
        if locked.version != version:
            raise Problem(
                "Someone else changed this child's record while you were editing it. "
                "Check what it says now and make your change again"
            )
        changed = {
            name: values[name] for name in CENSUS_FIELDS if values[name] != getattr(locked, name)
        }
        for name, value in changed.items():
            setattr(locked, name, value)
        if locked.sex:
            locked.sex_unmapped = ""
        if locked.ethnicity:
            locked.ethnicity_unmapped = ""
        locked.version += 1
        locked.save(update_fields=[*CENSUS_FIELDS, "sex_unmapped", "ethnicity_unmapped", "version"])
        audit_record(
            user=user,
            action="update",
            obj=locked,
            children=[locked.pk],
            detail={"changed": sorted(changed)},
        )
    return locked
