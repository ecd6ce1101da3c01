"""Try triage: the form, its error messages, and the policy engine's real answer."""

from __future__ import annotations

from typing import Any

from django.test import Client

from strategise.policy import list_profiles
from strategise.policy.vocabulary import CONCERNS, FLAGS
from tests.web.pages import text


def errors_in(html: str) -> str:
    """The text of the GOV.UK error summary, or fail if the page has none."""
    assert "govuk-error-summary" in html, "the page shows no error summary"
    return html.split('class="govuk-error-summary"')[1].split("</ul>")[0]


def test_form_page_offers_every_profile_concern_and_flag(client: Client) -> None:
    response = client.get("/triage/")
    assert response.status_code == 200
    html = response.content.decode()
    for profile in list_profiles():
        assert f'value="{profile.name}"' in html
    for code, label in CONCERNS.items():
        assert f'value="{code}"' in html
        assert label in html
    for code in FLAGS:
        assert f'value="{code}"' in html
    assert "govuk-error-summary" not in html


def test_form_page_title_has_no_error_prefix_until_submitted(client: Client) -> None:
    html = client.get("/triage/").content.decode()
    assert "<title>Try triage – Strategise</title>" in html


def test_empty_form_names_every_required_answer(client: Client) -> None:
    html = client.post("/triage/", {}).content.decode()
    summary = errors_in(html)
    assert "Select the local procedure to triage against" in summary
    assert "Enter the date concerns were identified" in summary
    assert "Enter the time concerns were identified" in summary
    assert "Select at least one concern" in summary
    assert "<title>Error: Try triage – Strategise</title>" in html


def test_error_summary_links_to_the_field(client: Client, valid_triage: dict[str, Any]) -> None:
    del valid_triage["concerns"]
    html = client.post("/triage/", valid_triage).content.decode()
    summary = errors_in(html)
    assert '<a href="#concerns">Select at least one concern</a>' in summary
    assert 'id="concerns-error"' in html


def test_missing_month_is_named(client: Client, valid_triage: dict[str, Any]) -> None:
    valid_triage["identified_month"] = ""
    summary = errors_in(client.post("/triage/", valid_triage).content.decode())
    assert "The date concerns were identified must include a month" in summary
    assert 'href="#identified_date-day"' in summary


def test_impossible_date_is_rejected(client: Client, valid_triage: dict[str, Any]) -> None:
    valid_triage["identified_day"] = "31"
    valid_triage["identified_month"] = "2"
    summary = errors_in(client.post("/triage/", valid_triage).content.decode())
    assert "The date concerns were identified must be a real date" in summary


def test_time_must_use_the_24_hour_clock(client: Client, valid_triage: dict[str, Any]) -> None:
    valid_triage["identified_time"] = "quarter past ten"
    summary = errors_in(client.post("/triage/", valid_triage).content.decode())
    assert "using the 24-hour clock" in summary
    assert 'href="#identified_time"' in summary


def test_more_households_than_children_is_rejected(
    client: Client, valid_triage: dict[str, Any]
) -> None:
    valid_triage["households"] = "2"
    summary = errors_in(client.post("/triage/", valid_triage).content.decode())
    assert "The number of households cannot be more than the number of children" in summary


def test_unknown_concern_code_is_rejected(client: Client, valid_triage: dict[str, Any]) -> None:
    valid_triage["concerns"] = ["witchcraft"]
    summary = errors_in(client.post("/triage/", valid_triage).content.decode())
    assert "Select only concerns from the list" in summary


def test_answers_are_kept_when_the_form_is_shown_again(
    client: Client, valid_triage: dict[str, Any]
) -> None:
    valid_triage["identified_time"] = ""
    html = client.post("/triage/", valid_triage).content.decode()
    assert 'value="physical_abuse" checked' in html
    assert 'name="identified_year" type="text" value="2026"' in html


def test_valid_case_shows_when_to_hold_the_discussion(
    client: Client, valid_triage: dict[str, Any]
) -> None:
    response = client.post("/triage/", valid_triage)
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" not in html
    # Identified on Friday 6 March 2026: the deadline is a whole date and time in words.
    assert "Hold by " in html
    assert "March 2026, 11:59pm" in html


def test_valid_case_cites_the_local_procedure(client: Client, valid_triage: dict[str, Any]) -> None:
    html = client.post("/triage/", valid_triage).content.decode()
    # Sandwell's procedure is seed file 002; every answer names its clause.
    assert "Source: Sandwell procedure §" in text(html)


def test_valid_case_lists_attendees_with_readable_names(
    client: Client, valid_triage: dict[str, Any]
) -> None:
    html = client.post("/triage/", valid_triage).content.decode()
    assert "Who must be there" in html
    assert "Police" in html
    assert "childrens_social_care" not in html


def test_allegation_against_staff_asks_for_a_lado_referral(
    client: Client, valid_triage: dict[str, Any]
) -> None:
    valid_triage["position_of_trust"] = "yes"
    html = client.post("/triage/", valid_triage).content.decode()
    assert "Refer to the local authority designated officer (LADO)" in html
    assert "Complex" in html


def test_form_is_protected_against_cross_site_requests(
    valid_triage: dict[str, Any],
) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.post("/triage/", valid_triage).status_code == 403


def test_date_in_words_is_rejected(client: Client, valid_triage: dict[str, Any]) -> None:
    valid_triage["identified_day"] = "sixth"
    summary = errors_in(client.post("/triage/", valid_triage).content.decode())
    assert "The date concerns were identified must be a real date" in summary


def test_two_digit_year_is_rejected(client: Client, valid_triage: dict[str, Any]) -> None:
    valid_triage["identified_year"] = "26"
    summary = errors_in(client.post("/triage/", valid_triage).content.decode())
    assert "The year must include 4 numbers" in summary
