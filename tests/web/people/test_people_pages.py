"""The people around a child, in the browser without JavaScript: adding an adult (after
the likely duplicates), linking one, their page, changing it, the household, a sibling,
the child's identifiers, and choosing the alleged perpetrators on the request form."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from strategise.audit.models import AuditEvent
from strategise.cases.models import Adult, Child, ChildAdultLink, SiblingLink
from strategise.organisations.models import User
from strategise.requests.models import StrategyRequest
from tests.factories import AdultFactory, ChildFactory
from tests.web.pages import (
    broken_error_links,
    choices,
    error_summary,
    page,
    repeated_ids,
    text,
)

pytestmark = pytest.mark.django_db


def _adult(**changes: Any) -> dict[str, Any]:
    return {
        "token": "form-1",
        "relationship": "step_parent",
        "same_household": "on",
        "first_name": "Dean",
        "last_name": "Turner",
        "date_of_birth_day": "2",
        "date_of_birth_month": "5",
        "date_of_birth_year": "1988",
        "nhs_number": "943 476 5919",
        "works_with_children": "no",
        **changes,
    }


def test_a_stepfather_is_added_from_the_childs_page(
    client: Client, social_worker: User, child: Child
) -> None:
    html = page(client, f"/children/{child.pk}/", social_worker)
    assert f'href="/adults/new/?child={child.pk}"' in html
    form = page(client, f"/adults/new/?child={child.pk}")
    assert repeated_ids(form) == []
    response = client.post("/adults/new/", {"child": child.pk, **_adult()})
    assert response.status_code == 302
    adult = Adult.objects.get()
    assert (adult.full_name, adult.nhs_number, adult.household_id) == (
        "Dean Turner",
        "9434765919",
        child.household_id,
    )
    child_page = text(page(client, f"/children/{child.pk}/"))
    assert "Dean Turner : step-parent" in child_page
    # His page links to the household he now lives in.
    assert f'<a class="govuk-link" href="/households/{child.household_id}/">' in page(
        client, f"/adults/{adult.pk}/"
    )


def test_every_error_is_shown_at_once_and_what_was_typed_is_kept(
    client: Client, social_worker: User, child: Child
) -> None:
    client.force_login(social_worker)
    html = client.post(
        "/adults/new/",
        {
            "child": child.pk,
            **_adult(
                first_name="",
                last_name="",
                relationship="",
                nhs_number="943 476 5918",
                date_of_birth_year="88",
                police_reference="PNC 1",
            ),
        },
    ).content.decode()
    assert error_summary(html) == [
        ("Enter the adult's first name or last name, or the name they use", "first_name"),
        ("The year must include 4 numbers", "date_of_birth-day"),
        (
            "The NHS number is not a real NHS number: check each digit (its last digit does "
            "not match)",
            "nhs_number",
        ),
        ("Select how the adult is related to the child", "relationship"),
    ]
    assert broken_error_links(html) == []
    assert 'value="PNC 1"' in html and 'value="943 476 5918"' in html
    assert not Adult.objects.exists()


def test_someone_probably_recorded_already_is_shown_before_a_new_record(
    client: Client, social_worker: User, child: Child
) -> None:
    same = AdultFactory.create(
        local_authority=child.local_authority, first_name="Dean", last_name="Turner"
    )
    client.force_login(social_worker)
    html = client.post("/adults/new/", {"child": child.pk, **_adult()}).content.decode()
    assert "This person may already be recorded" in text(html)
    assert f'href="/adults/{same.pk}/"' in html
    assert Adult.objects.count() == 1
    # Saying none of them is the same person adds the new record.
    html = client.post(
        "/adults/new/",
        {"child": child.pk, **_adult(duplicates_seen=str(same.pk))},
    ).content.decode()
    assert (
        "Select ‘None of these is the same person’ to add a new record, or choose the "
        "matching adult’s record",
        "not_duplicate",
    ) in error_summary(html)
    response = client.post(
        "/adults/new/",
        {"child": child.pk, **_adult(duplicates_seen=str(same.pk), not_duplicate="on")},
    )
    assert response.status_code == 302
    assert Adult.objects.count() == 2


def test_an_adult_already_recorded_is_found_and_linked_as_alleged_perpetrator(
    client: Client, social_worker: User, child: Child
) -> None:
    adult = AdultFactory.create(
        local_authority=child.local_authority, first_name="Dean", last_name="Turner"
    )
    ChildAdultLink.objects.create(child=child, adult=adult, relationship="step_parent")
    html = page(client, f"/children/{child.pk}/adults/", social_worker, find="turner")
    assert choices(html, "adult") == {str(adult.pk): False}
    response = client.post(
        f"/children/{child.pk}/adults/",
        {"find": "turner", "adult": adult.pk, "relationship": "alleged_perpetrator"},
    )
    assert response.status_code == 302
    assert set(ChildAdultLink.objects.values_list("relationship", flat=True)) == {
        "step_parent",
        "alleged_perpetrator",
    }
    words = text(page(client, f"/adults/{adult.pk}/"))
    assert f"{child.full_name} (" in words
    assert "alleged perpetrator" in words and "step-parent" in words


def test_linking_without_choosing_says_what_to_choose(
    client: Client, social_worker: User, child: Child
) -> None:
    AdultFactory.create(local_authority=child.local_authority, last_name="Turner")
    client.force_login(social_worker)
    html = client.post(
        f"/children/{child.pk}/adults/", {"find": "turner", "relationship": ""}
    ).content.decode()
    assert [message for message, _ in error_summary(html)] == [
        "Select the adult to link to the child",
        "Select how the adult is related to the child",
    ]


def test_a_change_someone_made_meanwhile_is_refused(
    client: Client, social_worker: User, child: Child
) -> None:
    adult = AdultFactory.create(local_authority=child.local_authority, first_name="Dean")
    Adult.objects.filter(pk=adult.pk).update(version=adult.version + 1)
    client.force_login(social_worker)
    html = client.post(
        f"/adults/{adult.pk}/change/",
        {"first_name": "Dennis", "last_name": adult.last_name, "version": adult.version},
    ).content.decode()
    assert "Someone else changed this adult's record while you were editing it" in text(html)
    adult.refresh_from_db()
    assert adult.first_name == "Dean"


def test_an_adults_record_is_changed(client: Client, social_worker: User, child: Child) -> None:
    adult = AdultFactory.create(local_authority=child.local_authority, first_name="Dean")
    form = page(client, f"/adults/{adult.pk}/change/", social_worker)
    assert f'name="version" value="{adult.version}"' in form
    response = client.post(
        f"/adults/{adult.pk}/change/",
        {
            "first_name": "Dean",
            "last_name": adult.last_name,
            "former_names": "Dean Walsh",
            "works_with_children": "yes",
            "occupation": "Football coach",
            "version": adult.version,
        },
    )
    assert response.status_code == 302
    words = text(page(client, f"/adults/{adult.pk}/"))
    assert "Dean Walsh" in words and "Yes: Football coach" in words


def test_the_household_lists_everyone_with_their_addresses(
    client: Client, social_worker: User, police_officer: User, child: Child, discussion: Any
) -> None:
    adult = AdultFactory.create(
        local_authority=child.local_authority,
        household=child.household,
        first_name="Kelly",
        address="1 Oak Street\nWest Bromwich",
    )
    ChildAdultLink.objects.create(child=child, adult=adult, relationship="parent")
    unseen = ChildFactory.create(local_authority=child.local_authority, household=child.household)
    words = text(page(client, f"/households/{child.household_id}/", social_worker))
    assert "Kelly" in words and "1 Oak Street, West Bromwich" in words
    assert unseen.full_name in words
    # The invited police officer sees those in it shared with them, and is told so.
    shared = text(page(client, f"/households/{child.household_id}/", police_officer))
    assert child.full_name in shared and "Kelly" in shared
    assert unseen.full_name not in shared
    assert "shared with you: others may be recorded" in shared


def test_a_brother_living_elsewhere_is_recorded(
    client: Client, social_worker: User, child: Child
) -> None:
    brother = ChildFactory.create(
        local_authority=child.local_authority, first_name="Mason", last_name="Price"
    )
    html = page(client, f"/children/{child.pk}/siblings/", social_worker, find="mason")
    assert choices(html, "sibling") == {str(brother.pk): False}
    response = client.post(
        f"/children/{child.pk}/siblings/", {"find": "mason", "sibling": brother.pk}
    )
    assert response.status_code == 302
    assert SiblingLink.objects.count() == 1
    assert "Mason Price" in text(page(client, f"/children/{child.pk}/"))


def test_a_childs_identifiers_are_checked_and_shown(
    client: Client, social_worker: User, child: Child
) -> None:
    client.force_login(social_worker)
    html = client.post(
        f"/children/{child.pk}/identifiers/",
        {"nhs_number": "123", "upn": "H801200001002", "version": child.version},
    ).content.decode()
    assert [message for message, _ in error_summary(html)] == [
        "The NHS number must be 10 digits long: it has 3",
        "The unique pupil number is not a real UPN: check each character (its check letter "
        "does not match)",
    ]
    response = client.post(
        f"/children/{child.pk}/identifiers/",
        {
            "nhs_number": "9434765919",
            "upn": "H801200001001",
            "police_reference": "CR/1",
            "former_names": "Lily Hughes",
            "allocated_worker": social_worker.pk,
            "version": child.version,
        },
    )
    assert response.status_code == 302
    words = text(page(client, f"/children/{child.pk}/"))
    assert "943 476 5919" in words and "H801200001001" in words and "Lily Hughes" in words
    assert str(social_worker) in words


def _request(child: Child, **changes: Any) -> dict[str, Any]:
    moment = timezone.localtime() - timedelta(hours=2)
    return {
        "token": "request-1",
        "identified_date_day": str(moment.day),
        "identified_date_month": str(moment.month),
        "identified_date_year": str(moment.year),
        "identified_time": f"{moment:%H:%M}",
        "offered": [str(child.pk)],
        "children": [str(child.pk)],
        "concerns": ["physical_abuse"],
        "narrative": "Lily told her teacher her stepfather hit her.",
        **changes,
    }


def test_the_request_form_offers_the_adults_recorded_around_the_child(
    client: Client, social_worker: User, child: Child
) -> None:
    coach = AdultFactory.create(
        local_authority=child.local_authority,
        first_name="Tony",
        works_with_children=True,
        occupation="Football coach",
    )
    ChildAdultLink.objects.create(child=child, adult=coach, relationship="other")
    html = page(client, f"/requests/new/?child={child.pk}", social_worker)
    assert choices(html, "perpetrators") == {str(coach.pk): False}
    response = client.post("/requests/new/", _request(child, perpetrators=[str(coach.pk)]))
    assert response.status_code == 302
    perpetrator = StrategyRequest.objects.get().alleged_perpetrators.get()
    assert (perpetrator.adult, perpetrator.name, perpetrator.position_of_trust) == (
        coach,
        coach.full_name,
        True,
    )
    assert StrategyRequest.objects.get().facts["alleged_perpetrators"] == [
        {"position_of_trust": True}
    ]
    assert ChildAdultLink.objects.filter(
        child=child, adult=coach, relationship="alleged_perpetrator"
    ).exists()


def test_someone_not_recorded_yet_is_added_as_the_request_is_raised(
    client: Client, social_worker: User, child: Child
) -> None:
    client.force_login(social_worker)
    response = client.post(
        "/requests/new/",
        _request(
            child,
            perpetrator_1_first_name="Dean",
            perpetrator_1_last_name="Turner",
            perpetrator_1_role="Stepfather",
            perpetrator_1_trust="no",
        ),
    )
    assert response.status_code == 302
    adult = Adult.objects.get()
    assert adult.full_name == "Dean Turner"
    perpetrator = StrategyRequest.objects.get().alleged_perpetrators.get()
    assert (perpetrator.adult, perpetrator.role) == (adult, "Stepfather")
    assert f'href="/adults/{adult.pk}/"' in page(
        client, f"/requests/{StrategyRequest.objects.get().pk}/"
    )


def test_a_role_without_a_name_asks_for_the_name(
    client: Client, social_worker: User, child: Child
) -> None:
    client.force_login(social_worker)
    html = client.post(
        "/requests/new/",
        _request(child, perpetrator_1_role="Football coach", perpetrator_1_trust="yes"),
    ).content.decode()
    assert (
        "Enter their first name or last name, or the name they are known by",
        "perpetrator_1_first_name",
    ) in error_summary(html)
    assert not StrategyRequest.objects.exists()


def test_a_professional_linked_in_a_position_of_trust_is_one_for_triage(
    client: Client, social_worker: User, child: Child
) -> None:
    teacher = AdultFactory.create(local_authority=child.local_authority, first_name="Sam")
    ChildAdultLink.objects.create(child=child, adult=teacher, relationship="position_of_trust")
    client.force_login(social_worker)
    response = client.post("/requests/new/", _request(child, perpetrators=[str(teacher.pk)]))
    assert response.status_code == 302
    assert StrategyRequest.objects.get().alleged_perpetrators.get().position_of_trust


# --- removing a link ---------------------------------------------------------------


def _stepfather_and_perpetrator(child: Child) -> Adult:
    dean = AdultFactory.create(
        local_authority=child.local_authority, first_name="Dean", last_name="Turner"
    )
    for relationship in ("step_parent", "alleged_perpetrator"):
        ChildAdultLink.objects.create(child=child, adult=dean, relationship=relationship)
    return dean


def test_one_of_an_adults_links_is_removed_with_a_reason_kept_in_the_audit(
    client: Client, social_worker: User, child: Child
) -> None:
    dean = _stepfather_and_perpetrator(child)
    perpetrator = ChildAdultLink.objects.get(relationship="alleged_perpetrator")
    path = f"/children/{child.pk}/adults/{dean.pk}/remove/"
    child_page = page(client, f"/children/{child.pk}/", social_worker)
    assert f'href="{path}?relationship=alleged_perpetrator"' in child_page
    form = page(client, f"{path}?relationship=alleged_perpetrator")
    assert choices(form, "link") == {
        str(perpetrator.pk): True,
        str(ChildAdultLink.objects.get(relationship="step_parent").pk): False,
    }
    assert repeated_ids(form) == []
    # Without a reason: nothing is removed, and the reason is asked for.
    html = client.post(path, {"link": perpetrator.pk, "reason": " "}).content.decode()
    assert error_summary(html) == [("Enter why you are removing this link", "reason")]
    assert broken_error_links(html) == []
    assert ChildAdultLink.objects.count() == 2
    response = client.post(path, {"link": perpetrator.pk, "reason": "Recorded in error"})
    assert response["Location"] == f"/children/{child.pk}/"
    assert list(ChildAdultLink.objects.values_list("relationship", flat=True)) == ["step_parent"]
    html = page(client, response["Location"])
    assert "Dean Turner is no longer recorded as alleged perpetrator of" in text(html)
    listed = text(html.split('id="child-adults"')[1].split("</ul>")[0])
    assert "Dean Turner : step-parent" in listed and "alleged perpetrator" not in listed
    event = AuditEvent.objects.get(action="unlink")
    assert (event.user_id, event.object_id, event.child_ids) == (
        social_worker.pk,
        str(dean.pk),
        [child.pk],
    )
    assert event.detail["relationship"] == "alleged_perpetrator"
    assert event.detail["reason"] == "Recorded in error"
    assert event.detail["child"] == child.pk
    # Posted again (a double click): already gone, and said so.
    again = client.post(path, {"link": perpetrator.pk, "reason": "Recorded in error"})
    assert again["Location"] == f"/children/{child.pk}/"
    assert AuditEvent.objects.filter(action="unlink").count() == 1


def test_an_adults_link_is_not_removed_without_choosing_which(
    client: Client, social_worker: User, child: Child
) -> None:
    dean = _stepfather_and_perpetrator(child)
    client.force_login(social_worker)
    html = client.post(
        f"/children/{child.pk}/adults/{dean.pk}/remove/", {"reason": "Separated"}
    ).content.decode()
    assert error_summary(html) == [("Select the relationship to remove", "link")]
    assert "Separated</textarea>" in html
    assert ChildAdultLink.objects.count() == 2


def test_an_adult_not_linked_to_the_child_has_no_removal_page(
    client: Client, social_worker: User, child: Child
) -> None:
    stranger = AdultFactory.create(local_authority=child.local_authority)
    path = f"/children/{child.pk}/adults/{stranger.pk}/remove/"
    assert client.get(path).status_code == 302  # not signed in yet
    client.force_login(social_worker)
    assert client.get(path).status_code == 404


def test_a_police_officer_cannot_remove_a_link(
    client: Client, police_officer: User, child: Child, discussion: Any
) -> None:
    dean = _stepfather_and_perpetrator(child)
    client.force_login(police_officer)
    # The officer sees the child, but may not change the record.
    assert client.get(f"/children/{child.pk}/").status_code == 200
    response = client.post(
        f"/children/{child.pk}/adults/{dean.pk}/remove/",
        {"link": ChildAdultLink.objects.first().pk, "reason": "x"},  # type: ignore[union-attr]
    )
    assert response.status_code == 404
    assert ChildAdultLink.objects.count() == 2


def test_a_sibling_link_is_removed_with_a_reason(
    client: Client, social_worker: User, child: Child
) -> None:
    brother = ChildFactory.create(
        local_authority=child.local_authority, first_name="Mason", last_name="Price"
    )
    low, high = sorted((child.pk, brother.pk))
    SiblingLink.objects.create(child_id=low, sibling_id=high)
    # From the brother's side as from the child's.
    path = f"/children/{brother.pk}/siblings/{child.pk}/remove/"
    assert f'href="{path}"' in page(client, f"/children/{brother.pk}/", social_worker)
    form = page(client, path)
    assert "is recorded as a brother or sister of Mason" in text(form)
    html = client.post(path, {"reason": ""}).content.decode()
    assert error_summary(html) == [("Enter why you are removing this link", "reason")]
    response = client.post(path, {"reason": "They are not related"})
    assert response["Location"] == f"/children/{brother.pk}/"
    assert not SiblingLink.objects.exists()
    event = AuditEvent.objects.get(action="unlink")
    assert event.child_ids == [low, high]
    assert event.detail["reason"] == "They are not related"
    assert client.get(path).status_code == 404


def test_a_child_not_recorded_as_a_sibling_has_no_removal_page(
    client: Client, social_worker: User, child: Child
) -> None:
    other = ChildFactory.create(local_authority=child.local_authority)
    client.force_login(social_worker)
    assert client.get(f"/children/{child.pk}/siblings/{other.pk}/remove/").status_code == 404
