"""What the CIN census takes from a child's record: the local case reference (its
``LAchildID``), sex and ethnicity as its codes, on the add-a-child form and its own page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from strategise.audit.models import AuditEvent
from strategise.cases.models import Child
from strategise.organisations.models import User
from tests.web.children.test_children import RUBY
from tests.web.pages import broken_error_links, choices, error_summary, page, text

pytestmark = pytest.mark.django_db

HYPHEN = (
    "The local case reference must be letters and digits only, at most 10 characters: no "
    "spaces, hyphens or other characters, as the children in need census needs it"
)


def _census(child: Child, **changes: Any) -> dict[str, Any]:
    return {
        "local_reference": child.local_reference,
        "sex": child.sex,
        "ethnicity": child.ethnicity,
        "version": str(child.version),
        **changes,
    }


def test_a_new_child_is_recorded_with_the_census_codes(client: Client, social_worker: User) -> None:
    client.force_login(social_worker)
    client.post("/children/new/", {**RUBY, "sex": "F", "ethnicity": "MWBC"})
    child = Child.objects.get(last_name="Turner")
    assert (child.sex, child.ethnicity, child.local_reference) == ("F", "MWBC", "C777")
    words = text(page(client, f"/children/{child.pk}/"))
    assert "Sex Female" in words
    assert "Ethnicity White and Black Caribbean" in words
    assert "Local case reference C777" in words


def test_the_form_offers_the_census_codes(client: Client, social_worker: User) -> None:
    html = page(client, "/children/new/", social_worker)
    assert choices(html, "sex") == {"F": False, "M": False, "U": False}
    options = html.split('id="ethnicity"', 1)[1].split("</select>", 1)[0]
    assert options.count("<option") == 21  # "Not recorded" and the census's 20 groups
    assert 'value="WIRT"' in options and "Traveller of Irish heritage" in options


@pytest.mark.parametrize(
    ("reference", "message"),
    [
        ("B70-1001", HYPHEN),
        ("C 777", HYPHEN),
        (
            "C7777777777",
            "The local case reference must be 10 characters or fewer, as the children in "
            "need census needs it",
        ),
    ],
)
def test_a_reference_the_census_would_refuse_is_refused_beside_its_field(
    client: Client, social_worker: User, reference: str, message: str
) -> None:
    client.force_login(social_worker)
    html = client.post("/children/new/", {**RUBY, "local_reference": reference}).content.decode()
    assert error_summary(html) == [(message, "local_reference")]
    assert broken_error_links(html) == []
    assert not Child.objects.filter(last_name="Turner").exists()


def test_a_sex_outside_the_codes_is_refused(client: Client, social_worker: User) -> None:
    client.force_login(social_worker)
    html = client.post("/children/new/", {**RUBY, "sex": "Female"}).content.decode()
    assert error_summary(html) == [("Select the child's sex from the list", "sex")]


def test_the_census_details_are_changed_and_audited(
    client: Client, social_worker: User, child: Child
) -> None:
    Child.objects.filter(pk=child.pk).update(
        sex="", sex_unmapped="Non-binary", ethnicity="", ethnicity_unmapped="Cornish"
    )
    child.refresh_from_db()
    client.force_login(social_worker)
    html = page(client, f"/children/{child.pk}/census/")
    assert "Sex was recorded as ‘Non-binary’" in text(html)
    assert 'name="local_reference" type="text" spellcheck="false" value="C900001"' in html

    response = client.post(
        f"/children/{child.pk}/census/",
        _census(child, local_reference="C900009", sex="U", ethnicity="WBRI"),
    )

    assert response["Location"] == f"/children/{child.pk}/"
    child.refresh_from_db()
    assert (child.local_reference, child.sex, child.ethnicity) == ("C900009", "U", "WBRI")
    assert (child.sex_unmapped, child.ethnicity_unmapped, child.version) == ("", "", 2)
    event = AuditEvent.objects.get(action="update", object_type="cases.Child")
    assert event.detail == {"changed": ["ethnicity", "local_reference", "sex"]}
    assert event.child_ids == [child.pk]


def test_a_bad_reference_on_the_census_page_is_shown_beside_it(
    client: Client, social_worker: User, child: Child
) -> None:
    client.force_login(social_worker)
    html = client.post(
        f"/children/{child.pk}/census/", _census(child, local_reference="B70-1001")
    ).content.decode()
    assert error_summary(html) == [(HYPHEN, "local_reference")]
    child.refresh_from_db()
    assert child.local_reference == "C900001"


def test_a_change_made_meanwhile_is_not_overwritten(
    client: Client, social_worker: User, child: Child
) -> None:
    seen = _census(child, local_reference="C111")
    Child.objects.filter(pk=child.pk).update(version=child.version + 1)
    client.force_login(social_worker)
    html = client.post(f"/children/{child.pk}/census/", seen).content.decode()
    assert "Someone else changed this child's record while you were editing it" in text(html)
    child.refresh_from_db()
    assert child.local_reference == "C900001"


def test_the_childs_page_asks_for_a_code_where_the_old_text_matched_none(
    client: Client, social_worker: User, child: Child
) -> None:
    Child.objects.filter(pk=child.pk).update(ethnicity="", ethnicity_unmapped="Cornish")
    html = page(client, f"/children/{child.pk}/", social_worker)
    warning = text(html.split('class="govuk-warning-text"', 1)[1].split("</div>", 1)[0])
    assert (
        "Ethnicity was recorded as ‘Cornish’, which is not one of the census’s ethnic groups"
        in (warning)
    )
    assert f'href="/children/{child.pk}/census/">Choose the census code</a>' in html


def test_nothing_is_asked_where_every_value_has_a_code(
    client: Client, social_worker: User, child: Child
) -> None:
    html = page(client, f"/children/{child.pk}/", social_worker)
    assert "govuk-warning-text" not in html
    assert f'href="/children/{child.pk}/census/"' in html  # the Change links
