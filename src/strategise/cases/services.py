"""Writing children's records. Every write is audited in the same transaction."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction

from strategise.access import authority_of, sees_whole_authority, visible_children
from strategise.audit.services import audit_record
from strategise.cases.models import Child, Household
from strategise.organisations.models import User
from strategise.problems import Problem

CHILD_FIELDS = (
    "first_name",
    "last_name",
    "aliases",
    "date_of_birth",
    "unborn",
    "expected_date",
    "gender",
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


def _check_child(values: dict[str, Any], today: date) -> None:
    errors: list[tuple[str | None, str]] = []
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
    if errors:
        raise Problem.many(errors)


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
