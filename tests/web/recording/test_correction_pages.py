"""The pages of a concluded discussion: read-only, with no edit buttons, until a correction
is opened; the correction page opens and closes it; an agency adds a dated update."""

from __future__ import annotations

import pytest
from django.test import Client

from strategise.clocks.models import Clock, ClockState
from strategise.discussions.concluding import discussion_conclude
from strategise.discussions.decisions import decision_confirm_no_further_action
from strategise.discussions.models import Correction, Discussion
from strategise.minutes.models import Minutes
from strategise.minutes.services import minutes_approve, minutes_draft
from strategise.organisations.models import User
from tests.web.pages import error_summary, page, text
from tests.web.recording.support import LATER, complete, draft_post, held, served_form, started

pytestmark = pytest.mark.django_db

LOCKED = "This discussion was concluded on Wednesday 4 March 2026, 1pm: open a correction"


def _summary(html: str) -> str:
    """The words of the page's error summary (its unlinked messages included)."""
    assert 'class="govuk-error-summary"' in html
    return text(html.split('class="govuk-error-summary"')[1].split("</ul>")[0])


@pytest.fixture
def concluded(social_worker: User, team_manager: User, police_officer: User) -> Discussion:
    return held(social_worker, team_manager, police_officer)


@pytest.mark.parametrize(
    ("path", "button"),
    [
        ("record/", "Save as a draft"),
        ("decisions/", "Save as a draft"),
        ("decisions/{child}/", "Save the decision"),
        ("dissent/", "Record the dissent"),
        ("actions/", "Add the action"),
    ],
)
def test_a_concluded_discussions_pages_are_read_only_without_edit_buttons(
    client: Client, team_manager: User, concluded: Discussion, path: str, button: str
) -> None:
    child = concluded.request.children.get()
    html = page(client, f"/discussions/{concluded.pk}/{path.format(child=child.pk)}", team_manager)
    assert LOCKED in text(html)
    assert button not in text(html)
    assert f'href="/discussions/{concluded.pk}/correction/"' in html
    assert f'href="/discussions/{concluded.pk}/decisions/{child.pk}/"' not in html


def test_a_post_to_a_concluded_record_is_refused_with_the_reason(
    client: Client, team_manager: User, concluded: Discussion
) -> None:
    client.force_login(team_manager)
    posted = {**served_form(page(client, f"/discussions/{concluded.pk}/record/")), "reason": "x"}
    html = client.post(f"/discussions/{concluded.pk}/record/", posted).content.decode()
    assert LOCKED in _summary(html)
    concluded.record.refresh_from_db()
    assert concluded.record.reason != "x"


def test_the_invited_agency_is_offered_an_update_not_a_rewrite(
    client: Client, police_officer: User, concluded: Discussion
) -> None:
    mine = concluded.invitations.get(user=police_officer)
    html = page(client, f"/discussions/{concluded.pk}/", police_officer)
    assert f'href="/discussions/{concluded.pk}/contributions/{mine.pk}/update/"' in html
    assert "Record your agency’s contribution" not in text(html)
    path = f"/discussions/{concluded.pk}/contributions/{mine.pk}/update/"
    posted = client.post(path, {**served_form(page(client, path)), "text": "Charged"})
    assert "This agency's contribution was not recorded, so there is nothing to update" in (
        _summary(posted.content.decode())
    )


def test_a_correction_is_opened_with_its_reason_then_closed_and_the_minutes_follow(
    client: Client, team_manager: User, concluded: Discussion
) -> None:
    approved = minutes_approve(
        user=team_manager,
        minutes=minutes_draft(user=team_manager, discussion=concluded, now=LATER),
        revision=1,
        now=LATER,
    )
    client.force_login(team_manager)
    path = f"/discussions/{concluded.pk}/correction/"
    form = {**served_form(page(client, path)), "action": "open"}
    html = client.post(path, form).content.decode()
    assert error_summary(html) == [("Give the reason for the correction", "reason")]
    response = client.post(path, {**form, "reason": "Kofi was not at home"})
    assert response.status_code == 302
    # The same form posted again (a double click): answered with the correction it opened.
    assert client.post(path, {**form, "reason": "Kofi was not at home"}).status_code == 302
    assert Correction.objects.count() == 1
    words = text(page(client, f"/discussions/{concluded.pk}/record/"))
    assert "The record is being corrected: Kofi was not at home." in words
    assert "Save as a draft" in words
    # Corrected to no further action: Sandwell §10.0 asks for the confirmation again.
    child = concluded.request.children.get()
    typed = {"outcome": "nfa", "rationale": "Accidental"}
    decision_post = draft_post(
        client, f"/discussions/{concluded.pk}/decisions/{child.pk}/", **typed
    )
    saved = client.post(f"/discussions/{concluded.pk}/decisions/{child.pk}/", decision_post)
    assert saved.status_code == 302, error_summary(saved.content.decode())
    html = client.post(path, {"action": "close"}).content.decode()
    assert (
        "A team manager must confirm no further action for Amara Okafor, with reasons "
        "(Sandwell procedure §10.0)"
    ) in _summary(html)
    assert f'href="/discussions/{concluded.pk}/decisions/#children"' in html
    decision_confirm_no_further_action(
        user=team_manager, decision=concluded.decisions.get(), reasons="Agreed"
    )
    response = client.post(path, {"action": "close"})
    assert response["Location"] == f"/discussions/{concluded.pk}/minutes/"
    assert Minutes.objects.get(discussion=concluded, number=2).correction_reason == (
        "Kofi was not at home"
    )
    approved.refresh_from_db()
    assert approved.status == "approved"
    icpc = Clock.objects.get(discussion=concluded, code="icpc_held")
    assert (icpc.state, icpc.stopped_reason) == (
        ClockState.STOPPED,
        "Corrected: Kofi was not at home",
    )
    assert LOCKED in text(page(client, f"/discussions/{concluded.pk}/record/"))


def test_the_decision_page_refuses_a_concluded_decision_after_the_page_was_served(
    client: Client, team_manager: User, social_worker: User, police_officer: User
) -> None:
    discussion = complete(started(social_worker, team_manager, police_officer), team_manager)
    child = discussion.request.children.get()
    client.force_login(team_manager)
    path = f"/discussions/{discussion.pk}/decisions/{child.pk}/"
    served = draft_post(client, path, rationale="Changed my mind")
    discussion_conclude(user=team_manager, discussion=discussion, now=LATER)
    html = client.post(path, served).content.decode()
    assert LOCKED in _summary(html)
    assert discussion.decisions.get().rationale == "Unexplained bruising to the face"
