"""Adults around a child: recorded in the user's authority, linked to children by each
relationship, found before they are added again, changed with a version, and audited;
siblings; a child's identifiers."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.http import Http404

from strategise.audit.models import AuditEvent
from strategise.cases.adults import (
    adult_create,
    adult_link,
    adult_update,
    child_identifiers_update,
    sibling_link,
)
from strategise.cases.family import (
    adult_detail,
    adult_possible_duplicates,
    adult_search,
    child_people,
    household_detail,
)
from strategise.cases.models import Adult, Child, ChildAdultLink, SiblingLink
from strategise.discussions.models import Discussion
from strategise.organisations.models import LocalAuthority, User
from strategise.problems import Problem
from tests.factories import (
    AdultFactory,
    ChildFactory,
    DiscussionFactory,
    InvitationFactory,
    StrategyRequestFactory,
    TeamFactory,
)

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 4)


@pytest.fixture
def child(authority: LocalAuthority) -> Child:
    return ChildFactory.create(local_authority=authority, first_name="Lily", last_name="Price")


@pytest.fixture
def discussion(
    authority: LocalAuthority,
    social_worker: User,
    team_manager: User,
    police_officer: User,
    child: Child,
) -> Discussion:
    """A discussion about ``child`` with ``police_officer`` invited."""
    request = StrategyRequestFactory.create(
        local_authority=authority, raised_by=social_worker, children=[child]
    )
    discussion = DiscussionFactory.create(request=request, chair=team_manager)
    InvitationFactory.create(discussion=discussion, user=police_officer)
    return discussion


def _values(**changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "first_name": "Dean",
        "last_name": "Turner",
        "aliases": "Deano",
        "date_of_birth": date(1988, 5, 2),
        "address": "1 Oak Street, West Bromwich",
        "nhs_number": "943 476 5919",
    }
    values.update(changes)
    return values


def _fields(problem: Problem) -> list[str | None]:
    return [field for field, _ in problem.errors]


def test_an_adult_is_recorded_linked_to_the_child_and_living_with_them(
    social_worker: User, child: Child
) -> None:
    adult = adult_create(
        user=social_worker,
        values=_values(),
        today=TODAY,
        child=child,
        relationship="step_parent",
        same_household=True,
    )
    assert adult.local_authority_id == child.local_authority_id
    assert adult.nhs_number == "9434765919"
    assert adult.household_id == child.household_id
    link = ChildAdultLink.objects.get(adult=adult)
    assert (link.child, link.relationship, link.parental_responsibility) == (
        child,
        "step_parent",
        False,
    )
    event = AuditEvent.objects.get(action="create", object_type="cases.Adult")
    assert (event.user_id, event.child_ids) == (social_worker.pk, [child.pk])


def test_a_repeated_post_of_the_same_form_records_the_adult_once(social_worker: User) -> None:
    first = adult_create(user=social_worker, values=_values(), today=TODAY, token="once")
    again = adult_create(user=social_worker, values=_values(), today=TODAY, token="once")
    assert first == again
    assert Adult.objects.count() == 1


def test_every_problem_is_named_at_once(social_worker: User, child: Child) -> None:
    with pytest.raises(Problem) as caught:
        adult_create(
            user=social_worker,
            values=_values(
                first_name="",
                last_name=" ",
                date_of_birth=date(2027, 1, 1),
                nhs_number="943 476 5918",
                works_with_children=True,
            ),
            today=TODAY,
            child=child,
            relationship="cousin",
        )
    assert caught.value.errors == [
        ("first_name", "Enter the adult's first name or last name, or the name they use"),
        ("date_of_birth", "Date of birth must be today or in the past"),
        (
            "nhs_number",
            "The NHS number is not a real NHS number: check each digit (its last digit does "
            "not match)",
        ),
        ("occupation", "Enter their job or role with children"),
        ("relationship", "Select how the adult is related to the child from the list"),
    ]
    assert Adult.objects.count() == 0


def test_a_date_of_birth_too_long_ago_is_a_mistyped_year(social_worker: User) -> None:
    with pytest.raises(Problem) as caught:
        adult_create(
            user=social_worker, values=_values(date_of_birth=date(1880, 1, 1)), today=TODAY
        )
    assert _fields(caught.value) == ["date_of_birth"]


def test_only_social_care_records_adults(police_officer: User) -> None:
    with pytest.raises(Problem, match="Only children's social care"):
        adult_create(user=police_officer, values=_values(), today=TODAY)


def test_a_stepfather_is_linked_again_as_the_alleged_perpetrator(
    social_worker: User, child: Child
) -> None:
    adult = adult_create(
        user=social_worker, values=_values(), today=TODAY, child=child, relationship="step_parent"
    )
    adult_link(user=social_worker, adult=adult, child=child, relationship="alleged_perpetrator")
    # The same relationship again is the link already there, and not audited twice.
    adult_link(user=social_worker, adult=adult, child=child, relationship="alleged_perpetrator")
    assert sorted(ChildAdultLink.objects.values_list("relationship", flat=True)) == [
        "alleged_perpetrator",
        "step_parent",
    ]
    assert AuditEvent.objects.filter(action="link").count() == 1


def test_linking_moves_them_into_the_childs_household_once(
    social_worker: User, child: Child
) -> None:
    adult = AdultFactory.create(local_authority=child.local_authority, household=None)
    adult_link(
        user=social_worker, adult=adult, child=child, relationship="carer", same_household=True
    )
    adult.refresh_from_db()
    assert (adult.household_id, adult.version) == (child.household_id, 2)


def test_an_adult_of_another_authority_cannot_be_linked(
    social_worker: User, child: Child, other_authority_social_worker: User
) -> None:
    elsewhere = AdultFactory.create(
        local_authority_id=other_authority_social_worker.local_authority_id
    )
    with pytest.raises(Problem, match="authority of both"):
        adult_link(user=social_worker, adult=elsewhere, child=child, relationship="parent")
    assert not ChildAdultLink.objects.exists()


def test_a_change_made_meanwhile_is_refused_not_overwritten(
    social_worker: User, team_manager: User, child: Child
) -> None:
    adult = AdultFactory.create(local_authority=child.local_authority, first_name="Dean")
    seen = adult.version
    adult_update(
        user=team_manager,
        adult=adult,
        values=_values(first_name="Dennis"),
        version=seen,
        today=TODAY,
    )
    with pytest.raises(Problem, match="Someone else changed this adult's record"):
        adult_update(
            user=social_worker,
            adult=adult,
            values=_values(first_name="Daniel"),
            version=seen,
            today=TODAY,
        )
    adult.refresh_from_db()
    assert (adult.first_name, adult.version) == ("Dennis", seen + 1)
    event = AuditEvent.objects.get(action="update", object_type="cases.Adult")
    assert "first_name" in event.detail["changed"]


def test_possible_duplicates_are_found_by_name_or_birth_date(
    social_worker: User, child: Child
) -> None:
    same = AdultFactory.create(
        local_authority=child.local_authority,
        first_name="Dean",
        last_name="Turner",
        date_of_birth=date(1988, 5, 2),
    )
    AdultFactory.create(local_authority=child.local_authority, first_name="Dean", last_name="Ng")
    found = adult_possible_duplicates(
        user=social_worker, first_name=" dean ", last_name="TURNER", date_of_birth=None
    )
    assert found == [same]
    by_birth = adult_possible_duplicates(
        user=social_worker, first_name="Deane", last_name="Turner", date_of_birth=date(1988, 5, 2)
    )
    assert by_birth == [same]


def test_search_finds_former_names_and_only_what_the_user_may_see(
    social_worker: User, police_officer: User, child: Child, discussion: Discussion
) -> None:
    linked = AdultFactory.create(
        local_authority=child.local_authority, first_name="Kelly", former_names="Kelly Hughes"
    )
    ChildAdultLink.objects.create(child=child, adult=linked, relationship="parent")
    unlinked = AdultFactory.create(local_authority=child.local_authority, last_name="Hughes")
    assert set(adult_search(user=social_worker, text="hughes")) == {linked, unlinked}
    # The invited police officer sees the adults around a child of their discussion only.
    assert adult_search(user=police_officer, text="hughes") == [linked]
    event = AuditEvent.objects.filter(action="search", object_type="cases.Adult").last()
    assert event is not None and event.child_ids == [child.pk]


def test_an_adults_page_names_only_the_children_the_user_may_see(
    police_officer: User, child: Child, discussion: Discussion
) -> None:
    adult = AdultFactory.create(local_authority=child.local_authority)
    other = ChildFactory.create(local_authority=child.local_authority)
    ChildAdultLink.objects.create(child=child, adult=adult, relationship="parent")
    ChildAdultLink.objects.create(child=other, adult=adult, relationship="parent")
    detail = adult_detail(user=police_officer, pk=adult.pk)
    assert [link.child for link in detail.links] == [child]
    assert not detail.whole
    event = AuditEvent.objects.get(action="view", object_type="cases.Adult")
    assert event.child_ids == [child.pk]


def test_an_adult_around_no_child_they_may_see_is_not_found(
    police_officer: User, child: Child
) -> None:
    adult = AdultFactory.create(local_authority=child.local_authority)
    ChildAdultLink.objects.create(child=child, adult=adult, relationship="parent")
    with pytest.raises(Http404):
        adult_detail(user=police_officer, pk=adult.pk)


def test_siblings_living_elsewhere_are_linked_once_either_way_round(
    social_worker: User, child: Child
) -> None:
    brother = ChildFactory.create(local_authority=child.local_authority)
    sibling_link(user=social_worker, child=brother, sibling=child)
    sibling_link(user=social_worker, child=child, sibling=brother)
    assert SiblingLink.objects.count() == 1
    assert child_people(user=social_worker, child=child).siblings == [brother]
    assert child_people(user=social_worker, child=brother).siblings == [child]
    with pytest.raises(Problem, match="not their own sibling"):
        sibling_link(user=social_worker, child=child, sibling=child)


def test_the_household_lists_its_children_and_adults(social_worker: User, child: Child) -> None:
    adult = AdultFactory.create(local_authority=child.local_authority, household=child.household)
    assert child.household_id is not None
    detail = household_detail(user=social_worker, pk=child.household_id)
    assert (detail.children, detail.adults, detail.whole) == ([child], [adult], True)


def test_the_household_of_another_authority_is_not_found(
    other_authority_social_worker: User, child: Child
) -> None:
    assert child.household_id is not None
    with pytest.raises(Http404):
        household_detail(user=other_authority_social_worker, pk=child.household_id)


def _identifiers(**changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "nhs_number": "943 476 5919",
        "upn": "h801200001001",
        "police_reference": "CR/2026/101",
        "former_names": "Lily Hughes",
        "allocated_worker": None,
        "allocated_team": None,
    }
    values.update(changes)
    return values


def test_a_childs_identifiers_and_allocation_are_kept(social_worker: User, child: Child) -> None:
    team = TeamFactory.create(agency=social_worker.agency)
    changed = child_identifiers_update(
        user=social_worker,
        child=child,
        values=_identifiers(allocated_worker=social_worker, allocated_team=team),
        version=child.version,
    )
    assert (changed.nhs_number, changed.upn, changed.police_reference) == (
        "9434765919",
        "H801200001001",
        "CR/2026/101",
    )
    assert (changed.allocated_worker, changed.allocated_team) == (social_worker, team)


def test_wrong_identifiers_and_an_outside_worker_are_named_at_once(
    social_worker: User, police_officer: User, child: Child
) -> None:
    with pytest.raises(Problem) as caught:
        child_identifiers_update(
            user=social_worker,
            child=child,
            values=_identifiers(
                nhs_number="12345", upn="A801200001001", allocated_worker=police_officer
            ),
            version=child.version,
        )
    assert _fields(caught.value) == ["nhs_number", "upn", "allocated_worker"]
    assert caught.value.errors[1][1] == (
        "The unique pupil number is not a real UPN: check each character (its check letter "
        "does not match)"
    )


def test_identifiers_changed_meanwhile_are_refused(social_worker: User, child: Child) -> None:
    child_identifiers_update(
        user=social_worker, child=child, values=_identifiers(), version=child.version
    )
    with pytest.raises(Problem, match="Someone else changed"):
        child_identifiers_update(
            user=social_worker, child=child, values=_identifiers(upn=""), version=child.version
        )
