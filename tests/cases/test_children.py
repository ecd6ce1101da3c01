"""Children's records: created in the user's authority, found by search, audited."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.http import Http404

from strategise.audit.models import AuditEvent
from strategise.cases.models import Child
from strategise.cases.selectors import child_get, child_possible_duplicates, child_search
from strategise.cases.services import child_create
from strategise.organisations.models import User
from strategise.problems import Problem

TODAY = date(2026, 3, 4)


def _values(**changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "first_name": "Amara",
        "last_name": "Okafor",
        "aliases": "Mara",
        "date_of_birth": date(2019, 6, 1),
        "address": "1 Oak Street, West Bromwich",
        "education": "school",
        "local_reference": "SCT1001",
    }
    values.update(changes)
    return values


def test_a_child_is_created_in_the_users_authority_with_a_new_household(
    social_worker: User,
) -> None:
    child = child_create(user=social_worker, values=_values(), today=TODAY)
    assert child.local_authority_id == social_worker.local_authority_id
    assert child.household is not None
    assert child.household.address == "1 Oak Street, West Bromwich"
    event = AuditEvent.objects.get(action="create", object_type="cases.Child")
    assert (event.user_id, event.child_ids) == (social_worker.pk, [child.pk])


def test_a_sibling_joins_the_same_household(social_worker: User) -> None:
    first = child_create(user=social_worker, values=_values(), today=TODAY)
    second = child_create(
        user=social_worker,
        values=_values(first_name="Chidi", date_of_birth=date(2021, 2, 3)),
        same_household_as=first,
        today=TODAY,
    )
    assert second.household_id == first.household_id


def test_an_unborn_baby_needs_an_expected_date_and_no_birth_date(social_worker: User) -> None:
    with pytest.raises(Problem) as caught:
        child_create(
            user=social_worker, values=_values(unborn=True, expected_date=None), today=TODAY
        )
    assert caught.value.errors == [
        ("expected_date", "Enter the expected date of birth of the unborn baby"),
        ("date_of_birth", "An unborn baby has no date of birth yet: leave it blank"),
    ]


@pytest.mark.parametrize(
    ("expected", "message"),
    [
        (
            TODAY - timedelta(weeks=4, days=1),
            "The expected date of birth is more than 4 weeks ago: if the baby has been born, "
            "untick ‘unborn’ and enter the date of birth",
        ),
        (
            TODAY + timedelta(days=306),
            "The expected date of birth must be within 10 months from today",
        ),
    ],
)
def test_an_unborn_babys_expected_date_is_at_most_weeks_past_and_months_ahead(
    social_worker: User, expected: date, message: str
) -> None:
    with pytest.raises(Problem) as caught:
        child_create(
            user=social_worker,
            values=_values(unborn=True, date_of_birth=None, expected_date=expected),
            today=TODAY,
        )
    assert caught.value.errors == [("expected_date", message)]


def test_an_unborn_baby_due_a_few_weeks_ago_or_in_ten_months_is_recorded(
    social_worker: User,
) -> None:
    for expected in (TODAY - timedelta(weeks=4), TODAY + timedelta(days=305)):
        child = child_create(
            user=social_worker,
            values=_values(unborn=True, date_of_birth=None, expected_date=expected),
            today=TODAY,
        )
        assert child.expected_date == expected


def test_a_date_of_birth_in_the_future_is_refused(social_worker: User) -> None:
    with pytest.raises(Problem) as caught:
        child_create(
            user=social_worker, values=_values(date_of_birth=date(2026, 3, 5)), today=TODAY
        )
    assert caught.value.errors == [("date_of_birth", "Date of birth must be today or in the past")]


def test_an_adult_is_not_a_child(social_worker: User) -> None:
    with pytest.raises(Problem) as caught:
        child_create(
            user=social_worker, values=_values(date_of_birth=date(2000, 1, 1)), today=TODAY
        )
    assert caught.value.errors[0][0] == "date_of_birth"


def test_other_agencies_cannot_create_children(police_officer: User) -> None:
    with pytest.raises(Problem, match="Only children's social care can add a child's record"):
        child_create(user=police_officer, values=_values(), today=TODAY)
    assert not Child.objects.exists()


def test_search_by_name_alias_and_reference_within_the_authority(
    social_worker: User, other_authority_social_worker: User
) -> None:
    amara = child_create(user=social_worker, values=_values(), today=TODAY)
    child_create(
        user=other_authority_social_worker,
        values=_values(local_reference="BCT9"),
        today=TODAY,
    )
    assert child_search(user=social_worker, text="okafor") == [amara]
    assert child_search(user=social_worker, text="Mara") == [amara]
    assert child_search(user=social_worker, text="sct1001") == [amara]
    assert child_search(user=social_worker, text="", born=date(2019, 6, 1)) == [amara]
    assert child_search(user=social_worker, text="Nobody") == []
    event = AuditEvent.objects.filter(action="search").first()
    assert event is not None and event.child_ids == [amara.pk]


def test_likely_duplicates_by_name_or_birth_date(social_worker: User) -> None:
    amara = child_create(user=social_worker, values=_values(), today=TODAY)
    assert child_possible_duplicates(
        user=social_worker, first_name="amara", last_name="OKAFOR", date_of_birth=None
    ) == [amara]
    assert child_possible_duplicates(
        user=social_worker, first_name="Ama", last_name="Okafor", date_of_birth=date(2019, 6, 1)
    ) == [amara]
    assert (
        child_possible_duplicates(
            user=social_worker, first_name="Ama", last_name="Okafor", date_of_birth=None
        )
        == []
    )


def test_a_child_outside_the_users_scope_is_not_found(
    social_worker: User,
    other_authority_social_worker: User,
    police_officer: User,
    analyst: User,
    administrator: User,
) -> None:
    amara = child_create(user=social_worker, values=_values(), today=TODAY)
    assert child_get(user=social_worker, pk=amara.pk) == amara
    for outsider in (other_authority_social_worker, police_officer, analyst, administrator):
        with pytest.raises(Http404):
            child_get(user=outsider, pk=amara.pk)
    views = AuditEvent.objects.filter(action="view", object_type="cases.Child")
    assert [event.user_id for event in views] == [social_worker.pk]
