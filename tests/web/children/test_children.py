"""Children: finding a child, adding one (with the duplicate warning), a child's page."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from strategise.cases.models import Child
from strategise.discussions.models import Discussion
from strategise.organisations.models import LocalAuthority, User
from strategise.requests.models import StrategyRequest
from tests.factories import ChildFactory, StrategyRequestFactory
from tests.web.pages import broken_error_links, error_summary, page, repeated_ids, text

pytestmark = pytest.mark.django_db

RUBY = {
    "first_name": "Ruby",
    "last_name": "Turner",
    "aliases": "Rubes",
    "born": "yes",
    "date_of_birth_day": "3",
    "date_of_birth_month": "5",
    "date_of_birth_year": "2016",
    "sex": "F",
    "ethnicity": "WBRI",
    "first_language": "English",
    "disability": "",
    "address": "12 Hill Road\nWest Bromwich\nB70 1AA",
    "education": "school",
    "education_setting": "Oak Primary School",
    "local_reference": "C777",
    "cp_plan": "none",
    "home_authority": "",
}


def _add(client: Client, **changes: Any) -> Any:
    return client.post("/children/new/", {**RUBY, **changes})


# --- finding a child ----------------------------------------------------------------


def test_the_children_page_offers_a_search_and_adding_a_child(
    client: Client, social_worker: User, child: Child
) -> None:
    html = page(client, "/children/", social_worker)
    assert "Name, other name or reference" in html
    assert 'href="/children/new/"' in html
    assert child.full_name not in html  # nothing is listed before a search


def test_a_search_by_name_lists_the_child_with_a_link(
    client: Client, social_worker: User, child: Child
) -> None:
    html = page(client, "/children/", social_worker, text="price")
    assert "1 child found" in text(html)
    assert f'href="/children/{child.pk}/"' in html


@pytest.mark.parametrize(
    ("field", "value"),
    [("aliases", "Lils"), ("local_reference", "C123456")],
    ids=["alias", "reference"],
)
def test_a_search_finds_a_child_by_alias_or_reference(
    client: Client, social_worker: User, authority: LocalAuthority, field: str, value: str
) -> None:
    found = ChildFactory.create(local_authority=authority, **{field: value})
    html = page(client, "/children/", social_worker, text=value)
    assert found.full_name in text(html)


def test_a_search_by_date_of_birth(client: Client, social_worker: User, child: Child) -> None:
    assert child.date_of_birth is not None
    born = child.date_of_birth
    html = page(
        client,
        "/children/",
        social_worker,
        born_day=str(born.day),
        born_month=str(born.month),
        born_year=str(born.year),
    )
    assert child.full_name in text(html)


def test_a_search_with_a_half_date_says_what_is_missing(
    client: Client, social_worker: User
) -> None:
    html = page(client, "/children/", social_worker, born_day="3")
    assert error_summary(html) == [("The date of birth must include a month and year", "born-day")]


def test_a_search_finding_nothing_says_so(client: Client, social_worker: User) -> None:
    html = page(client, "/children/", social_worker, text="Nobody")
    assert "0 children found" in text(html)
    assert "No children you can see match" in text(html)


def test_other_agencies_may_search_but_not_add(client: Client, police_officer: User) -> None:
    html = page(client, "/children/", police_officer)
    assert 'href="/children/new/"' not in html


# --- adding a child -----------------------------------------------------------------


def test_the_add_a_child_form_renders_every_question(client: Client, social_worker: User) -> None:
    html = page(client, "/children/new/", social_worker)
    for label in [
        "First name",
        "Last name",
        "Other names they are known by",
        "Has the child been born?",
        "Date of birth, if the child has been born",
        "Expected date of birth, if the baby is unborn",
        "Sex",
        "Ethnicity",
        "First language",
        "The child or their family needs an interpreter",
        "Disability or special educational needs",
        "Address",
        "Where is the child educated?",
        "Name of the school, nursery or college",
        "Local case reference",
        "Does the child have a child protection plan?",
        "The child is looked after by a local authority",
    ]:
        assert label in html, label
    assert repeated_ids(html) == []


def test_adding_a_child_with_nothing_names_each_missing_answer(
    client: Client, social_worker: User
) -> None:
    client.force_login(social_worker)
    html = client.post("/children/new/", {"first_name": "Ruby"}).content.decode()
    assert error_summary(html) == [
        ("Enter the child's last name", "last_name"),
        ("Select yes if the child has been born", "born"),
        ("Select where the child is educated", "education"),
        ("Select whether the child has a child protection plan", "cp_plan"),
    ]
    assert 'value="Ruby"' in html
    assert broken_error_links(html) == []


def test_a_date_of_birth_in_the_future_is_refused_by_the_service(
    client: Client, social_worker: User
) -> None:
    client.force_login(social_worker)
    next_year = timezone.localdate() + timedelta(days=400)
    html = _add(
        client,
        date_of_birth_day=str(next_year.day),
        date_of_birth_month=str(next_year.month),
        date_of_birth_year=str(next_year.year),
    ).content.decode()
    assert error_summary(html) == [
        ("Date of birth must be today or in the past", "date_of_birth-day")
    ]
    assert "govuk-input--error" in html.split('id="date_of_birth-day"')[0].rsplit("<input", 1)[1]


def test_a_child_is_added_and_their_page_shown(client: Client, social_worker: User) -> None:
    client.force_login(social_worker)
    response = _add(client, circumstances=["looked_after"], interpreter_needed="on")
    child = Child.objects.get(last_name="Turner")
    assert response["Location"] == f"/children/{child.pk}/"
    assert child.date_of_birth == date(2016, 5, 3)
    assert child.looked_after and child.interpreter_needed and not child.in_hospital
    assert child.local_authority_id == social_worker.local_authority_id
    html = text(page(client, response["Location"]))
    assert "Ruby Turner" in html
    assert "3 May 2016" in html
    assert "Oak Primary School" in html
    assert "English; an interpreter is needed" in html


def test_an_unborn_baby_needs_an_expected_date(client: Client, social_worker: User) -> None:
    client.force_login(social_worker)
    unborn = {"first_name": "Unborn baby", "born": "no", "date_of_birth_day": ""}
    html = _add(client, **unborn, date_of_birth_month="", date_of_birth_year="").content.decode()
    assert error_summary(html) == [
        ("Enter the expected date of birth of the unborn baby", "expected_date-day")
    ]
    due = timezone.localdate() + timedelta(weeks=12)
    response = _add(
        client,
        **unborn,
        date_of_birth_month="",
        date_of_birth_year="",
        expected_date_day=str(due.day),
        expected_date_month=str(due.month),
        expected_date_year=str(due.year),
        education="none",
    )
    child = Child.objects.get(first_name="Unborn baby")
    assert response.status_code == 302
    assert child.unborn and child.expected_date == due and child.date_of_birth is None


def test_a_likely_duplicate_is_shown_before_a_new_child_is_added(
    client: Client, social_worker: User, authority: LocalAuthority
) -> None:
    existing = ChildFactory.create(
        local_authority=authority, first_name="Ruby", last_name="Turner", local_reference="C555"
    )
    client.force_login(social_worker)
    html = _add(client).content.decode()
    assert Child.objects.filter(last_name="Turner").count() == 1
    assert "This child may already be recorded" in text(html)
    assert f'href="/children/{existing.pk}/"' in html
    assert "None of these is the same child" in html
    assert error_summary(html) == []
    # Nothing typed is lost.
    assert 'value="Oak Primary School"' in html
    assert "12 Hill Road" in html
    assert f'name="duplicates_seen" value="{existing.pk}"' in html


def test_going_on_without_confirming_asks_for_the_confirmation(
    client: Client, social_worker: User, authority: LocalAuthority
) -> None:
    existing = ChildFactory.create(local_authority=authority, first_name="Ruby", last_name="Turner")
    client.force_login(social_worker)
    html = _add(client, duplicates_seen=str(existing.pk)).content.decode()
    assert error_summary(html) == [
        (
            "Select ‘None of these is the same child’ to add a new record, or open the matching "
            "child’s record",
            "not_duplicate",
        )
    ]
    assert broken_error_links(html) == []
    assert Child.objects.filter(last_name="Turner").count() == 1


def test_confirming_none_of_them_is_the_child_adds_the_new_child(
    client: Client, social_worker: User, authority: LocalAuthority
) -> None:
    existing = ChildFactory.create(local_authority=authority, first_name="Ruby", last_name="Turner")
    client.force_login(social_worker)
    response = _add(client, duplicates_seen=str(existing.pk), not_duplicate="on")
    assert response.status_code == 302
    assert Child.objects.filter(last_name="Turner").count() == 2


def test_a_new_match_after_a_change_is_shown_again(
    client: Client, social_worker: User, authority: LocalAuthority
) -> None:
    ChildFactory.create(local_authority=authority, first_name="Ruby", last_name="Turner")
    other = ChildFactory.create(local_authority=authority, first_name="Rubie", last_name="Stone")
    client.force_login(social_worker)
    html = _add(
        client, first_name="Rubie", last_name="Stone", duplicates_seen="1", not_duplicate="on"
    ).content.decode()
    assert f'href="/children/{other.pk}/"' in html
    assert not Child.objects.filter(first_name="Rubie").exclude(pk=other.pk).exists()


def test_a_child_in_another_authority_is_not_a_duplicate(
    client: Client, social_worker: User, other_authority_social_worker: User
) -> None:
    assert other_authority_social_worker.agency is not None
    ChildFactory.create(
        local_authority=other_authority_social_worker.agency.local_authority,
        first_name="Ruby",
        last_name="Turner",
    )
    client.force_login(social_worker)
    assert _add(client).status_code == 302


def test_a_brother_or_sister_joins_the_same_household(
    client: Client, social_worker: User, child: Child
) -> None:
    html = page(client, f"/children/new/?household_of={child.pk}", social_worker)
    assert f"The same household as {child.full_name}" in html
    response = _add(client, household_of=str(child.pk), household=str(child.pk))
    added = Child.objects.get(last_name="Turner")
    assert response.status_code == 302
    assert added.household_id == child.household_id


def test_a_new_household_can_still_be_chosen_from_a_childs_page(
    client: Client, social_worker: User, child: Child
) -> None:
    client.force_login(social_worker)
    _add(client, household_of=str(child.pk), household="new")
    assert Child.objects.get(last_name="Turner").household_id != child.household_id


# --- a child's page -----------------------------------------------------------------


def test_a_childs_page_shows_their_household_requests_and_discussions(
    client: Client, social_worker: User, child: Child, discussion: Discussion
) -> None:
    sibling = ChildFactory.create(
        local_authority=child.local_authority, household=child.household, first_name="Mason"
    )
    html = page(client, f"/children/{child.pk}/", social_worker)
    assert f'href="/children/{sibling.pk}/"' in html
    assert f'href="/requests/{discussion.request_id}/"' in html
    assert f'href="/discussions/{discussion.pk}/"' in html
    assert f'href="/requests/new/?child={child.pk}"' in html
    assert f'href="/children/new/?household_of={child.pk}"' in html


def test_a_child_without_history_says_so(client: Client, social_worker: User, child: Child) -> None:
    html = text(page(client, f"/children/{child.pk}/", social_worker))
    assert "No other children are recorded in this household." in html
    assert "Strategy discussion requests None." in html


def test_an_invited_police_officer_sees_the_child_but_cannot_raise_a_request(
    client: Client, police_officer: User, child: Child, discussion: Discussion
) -> None:
    html = page(client, f"/children/{child.pk}/", police_officer)
    assert child.full_name in html
    assert "/requests/new/" not in html


def test_a_childs_page_lists_only_requests_the_user_may_see(
    client: Client,
    police_officer: User,
    child: Child,
    discussion: Discussion,
    strategy_request: StrategyRequest,
) -> None:
    hidden = StrategyRequestFactory.create(local_authority=child.local_authority, children=[child])
    html = page(client, f"/children/{child.pk}/", police_officer)
    assert f'href="/requests/{strategy_request.pk}/"' in html
    assert f'href="/requests/{hidden.pk}/"' not in html


def test_a_search_costs_the_same_few_queries_however_many_children_it_finds(
    client: Client,
    social_worker: User,
    authority: LocalAuthority,
    django_assert_max_num_queries: Any,
) -> None:
    for _ in range(12):
        ChildFactory.create(local_authority=authority, last_name="Turner")
    client.force_login(social_worker)
    with django_assert_max_num_queries(15):
        html = client.get("/children/", {"text": "Turner"}).content.decode()
    assert "12 children found" in text(html)


# --- identifiers as a child is added ----------------------------------------------------


def test_a_child_is_added_with_their_identifiers_shown_on_their_page(
    client: Client, social_worker: User
) -> None:
    client.force_login(social_worker)
    response = _add(
        client,
        former_names="Ruby Walsh",
        nhs_number="943 476 5919",
        upn="h801200001001",
        police_reference="CR/123/26",
    )
    child = Child.objects.get(last_name="Turner")
    assert response["Location"] == f"/children/{child.pk}/"
    assert (child.nhs_number, child.upn, child.police_reference, child.former_names) == (
        "9434765919",
        "H801200001001",
        "CR/123/26",
        "Ruby Walsh",
    )
    words = text(page(client, response["Location"]))
    for shown in ("943 476 5919", "H801200001001", "CR/123/26", "Ruby Walsh"):
        assert shown in words, shown


def test_wrong_identifiers_are_named_with_the_forms_own_errors_and_kept(
    client: Client, social_worker: User
) -> None:
    client.force_login(social_worker)
    html = _add(
        client, last_name="", nhs_number="943 476 5918", upn="A801200001001"
    ).content.decode()
    assert error_summary(html) == [
        ("Enter the child's last name", "last_name"),
        (
            "The NHS number is not a real NHS number: check each digit "
            "(its last digit does not match)",
            "nhs_number",
        ),
        (
            "The unique pupil number is not a real UPN: check each character "
            "(its check letter does not match)",
            "upn",
        ),
    ]
    assert 'value="943 476 5918"' in html and 'value="A801200001001"' in html
    assert broken_error_links(html) == []
    assert not Child.objects.filter(first_name="Ruby").exists()


def test_the_add_a_child_form_asks_for_the_identifiers(client: Client, social_worker: User) -> None:
    html = page(client, "/children/new/", social_worker)
    for label in (
        "Former names (optional)",
        "NHS number (optional)",
        "Unique pupil number (optional)",
        "Police reference (optional)",
    ):
        assert label in html, label
