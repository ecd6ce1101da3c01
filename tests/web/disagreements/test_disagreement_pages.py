"""Professional disagreements in the browser's pages: raised from a discussion, read with
the procedure's stages and the history of moves, escalated a stage at a time, resolved;
and the open ones a person may see."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from strategise.disagreements.models import Disagreement, DisagreementStatus
from strategise.disagreements.services import disagreement_raise
from strategise.discussions.models import Discussion
from strategise.notifications.models import Notification
from strategise.organisations.models import LocalAuthority, Role, User
from tests.clocks.support import held_discussion
from tests.factories import TeamFactory, UserFactory
from tests.notifications.support import link
from tests.web.pages import broken_error_links, choices, error_summary, page, text

pytestmark = pytest.mark.django_db

SANDWELL_12 = "Sandwell procedure §12.0"


@pytest.fixture
def held(social_worker: User, team_manager: User, police_officer: User) -> Discussion:
    """Held in Sandwell, chaired by the team manager, the police officer invited."""
    return held_discussion(social_worker, team_manager, users={"police": police_officer})


def _raise(user: User, discussion: Discussion, **changes: Any) -> Disagreement:
    arguments: dict[str, Any] = {
        "user": user,
        "request": discussion.request,
        "discussion": discussion,
        "subject": "outcome",
        "description": "A single-agency enquiry would do.",
        "now": timezone.now(),
        **changes,
    }
    return disagreement_raise(**arguments)


# --- raising ---------------------------------------------------------------------------


def test_the_raise_page_offers_what_it_may_be_about_and_where_it_starts(
    client: Client, held: Discussion, police_officer: User
) -> None:
    html = page(client, f"/discussions/{held.pk}/disagreements/new/", police_officer)
    assert list(choices(html, "subject")) == ["holding", "outcome", "s47_outcome"]
    words = text(html)
    # (``text`` leaves a space where the bold stage name ends.)
    assert (
        "It starts at the procedure's first stage, senior managers , held by senior managers in "
        "the respective agencies, in liaison with each other."
    ) in words
    assert f"Source: {SANDWELL_12}" in words


def test_before_the_discussion_is_held_only_holding_it_can_be_disputed(
    client: Client, discussion: Discussion, police_officer: User
) -> None:
    html = page(client, f"/discussions/{discussion.pk}/disagreements/new/", police_officer)
    assert list(choices(html, "subject")) == ["holding"]
    assert "The discussion has not been held yet" in text(html)


def test_raising_needs_what_it_is_about_and_why(
    client: Client, held: Discussion, police_officer: User
) -> None:
    client.force_login(police_officer)
    html = client.post(f"/discussions/{held.pk}/disagreements/new/", {}).content.decode()
    assert error_summary(html) == [
        ("Select what the disagreement is about", "subject"),
        ("Describe the difference of opinion and why", "description"),
    ]
    assert broken_error_links(html) == []
    assert not Disagreement.objects.exists()


def test_an_invited_officer_raises_one_and_sees_where_it_stands(
    client: Client,
    held: Discussion,
    police_officer: User,
    social_worker: User,
    team_manager: User,
) -> None:
    client.force_login(police_officer)
    response = client.post(
        f"/discussions/{held.pk}/disagreements/new/",
        {"subject": "outcome", "description": "Police view: a single-agency enquiry.\nNo crime."},
    )
    disagreement = Disagreement.objects.get()
    assert response["Location"] == f"/disagreements/{disagreement.pk}/"
    assert (disagreement.raised_by, disagreement.discussion) == (police_officer, held)

    html = page(client, response["Location"])
    words = text(html)
    assert "Professional disagreement raised" in words
    assert "About The outcome of a strategy discussion" in words
    assert f"Stage Senior managers Source: {SANDWELL_12}" in words
    # Sandwell §12.0: senior managers of the agencies concerned, not the officer who raised it.
    assert "Held by no senior manager" not in words
    assert f"no senior manager of {police_officer.agency} is recorded" in words
    assert "Police view: a single-agency enquiry. No crime." in words
    assert f"Raised by {police_officer}" in words
    assert f'href="/discussions/{held.pk}/"' in html
    # The procedure's stages, the first current.
    assert (
        "The procedure's stages Senior managers Current stage Held by: Senior managers in "
        "the respective agencies, in liaison with each other." in words
    )
    assert "Safeguarding partnership escalation policy Held by:" in words
    # Those told are sent to this page.
    told = Notification.objects.filter(user__in=[social_worker, team_manager])
    assert {link(n) for n in told} == {f"/disagreements/{disagreement.pk}/"}


# --- escalating ------------------------------------------------------------------------


OUTSIDE = {"outside_name": "Jo Patel", "outside_email": "jo.patel@sandwellcsp.org.uk"}


def test_sandwell_12_0_the_lscb_stage_names_the_person_outside_who_is_emailed(
    client: Client,
    held: Discussion,
    police_officer: User,
    sent_emails: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    disagreement = _raise(police_officer, held)
    client.force_login(police_officer)
    path = f"/disagreements/{disagreement.pk}/escalate/"
    html = page(client, path)
    words = text(html)
    assert "Next stage Safeguarding partnership escalation policy:" in words
    assert "This stage is held outside Strategise." in words

    html = client.post(path, {"expected_stage": "0", "outside_email": "nope"}).content.decode()
    assert error_summary(html) == [
        ("Say why it is being escalated and what has been tried", "note"),
        ("Enter the name of the person who holds it next", "outside_name"),
        ("Enter their email address in the correct format, like name@example.org", "outside_email"),
    ]
    assert broken_error_links(html) == []

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            path, {"expected_stage": "0", "note": "Senior managers could not agree.", **OUTSIDE}
        )
    assert response["Location"] == f"/disagreements/{disagreement.pk}/"
    disagreement.refresh_from_db()
    assert (disagreement.stage, disagreement.outside_email) == (1, OUTSIDE["outside_email"])
    assert [m.to for m in sent_emails if m.to == [OUTSIDE["outside_email"]]] == [
        [OUTSIDE["outside_email"]]
    ]
    words = text(page(client, response["Location"]))
    assert "Escalated to the next stage: Safeguarding partnership escalation policy" in words
    assert (
        "Jo Patel (The local safeguarding partnership's escalation policy), emailed at "
        f"{OUTSIDE['outside_email']}" in words
    )
    assert "Escalated by" in words and "Senior managers could not agree." in words
    # At the last stage there is nowhere further to go.
    assert "Escalate to the next stage</a>" not in page(client, response["Location"])
    assert "It is at the procedure's last stage" in text(page(client, path))


def test_the_escalate_page_says_who_the_procedure_makes_the_next_holder(
    client: Client,
    authority: LocalAuthority,
    social_worker: User,
    team_manager: User,
    police_officer: User,
) -> None:
    """Gloucestershire: from the professionals concerned to their line managers."""
    authority.profile = "gloucestershire"
    authority.save(update_fields=["profile"])
    manager = UserFactory.create(
        agency=team_manager.agency, role=Role.SERVICE_MANAGER, first_name="Grace", last_name="Obi"
    )
    team = TeamFactory.create(agency=team_manager.agency, manager=manager)
    team_manager.team = team
    team_manager.save(update_fields=["team"])
    discussion = held_discussion(social_worker, team_manager, users={"police": police_officer})
    disagreement = _raise(police_officer, discussion)
    client.force_login(police_officer)
    path = f"/disagreements/{disagreement.pk}/escalate/"
    words = text(page(client, path))
    assert "Who will hold it Grace Obi (no line manager of" in words
    client.post(path, {"expected_stage": "0", "note": "Not agreed"})
    disagreement.refresh_from_db()
    assert list(disagreement.holders.all()) == [manager]
    told = Notification.objects.get(user=manager)
    assert link(told) == f"/disagreements/{disagreement.pk}/"
    assert "You hold it now" in told.text


def test_at_the_last_stage_it_is_not_escalated_again(
    client: Client, held: Discussion, police_officer: User, team_manager: User
) -> None:
    disagreement = _raise(police_officer, held)
    client.force_login(police_officer)
    path = f"/disagreements/{disagreement.pk}/escalate/"
    first = {"expected_stage": "0", "note": "First", **OUTSIDE}
    client.post(path, first)
    client.force_login(team_manager)
    html = client.post(path, {**first, "expected_stage": "1", "note": "Second"}).content.decode()
    assert "It is at the procedure's last stage" in text(html)
    assert Disagreement.objects.get().moves.count() == 2


def test_someone_else_moving_it_on_first_is_reported(
    client: Client,
    authority: LocalAuthority,
    social_worker: User,
    team_manager: User,
    police_officer: User,
) -> None:
    """Gloucestershire has four stages, so both could escalate it from the first."""
    authority.profile = "gloucestershire"
    authority.save(update_fields=["profile"])
    discussion = held_discussion(social_worker, team_manager, users={"police": police_officer})
    disagreement = _raise(police_officer, discussion)
    path = f"/disagreements/{disagreement.pk}/escalate/"
    client.force_login(police_officer)
    client.post(path, {"expected_stage": "0", "note": "One"})
    # The manager's form was opened before that, at the first stage.
    client.force_login(team_manager)
    html = client.post(path, {"expected_stage": "0", "note": "Two"}).content.decode()
    summary = html.split('class="govuk-error-summary"')[1].split("</ul>")[0]
    assert "Someone else moved this disagreement on: reload it" in text(summary)
    disagreement.refresh_from_db()
    assert (disagreement.stage, disagreement.moves.last().note) == (1, "One")  # type: ignore[union-attr]


# --- resolving -------------------------------------------------------------------------


def test_resolving_needs_how_and_the_outcome_then_whoever_raised_it_is_told(
    client: Client, held: Discussion, police_officer: User, team_manager: User
) -> None:
    disagreement = _raise(police_officer, held)
    client.force_login(team_manager)
    path = f"/disagreements/{disagreement.pk}/resolve/"
    html = client.post(path, {}).content.decode()
    assert error_summary(html) == [
        ("Choose how it was resolved", "resolution"),
        ("Record the outcome and what happens next", "outcome"),
    ]
    assert broken_error_links(html) == []

    response = client.post(
        path, {"resolution": "agreed", "outcome": "The joint enquiry stands; police agree."}
    )
    assert response["Location"] == f"/disagreements/{disagreement.pk}/"
    disagreement.refresh_from_db()
    assert disagreement.status == DisagreementStatus.RESOLVED
    words = text(page(client, response["Location"]))
    assert "Disagreement resolved" in words
    assert "Resolved Agreed: the decision stands," in words
    assert "Outcome The joint enquiry stands; police agree." in words
    assert "Senior managers Resolved at this stage" in words
    assert link(Notification.objects.get(user=police_officer)) == response["Location"]
    assert "already been resolved" in text(page(client, path))
    assert "has been resolved, so it cannot be escalated" in text(
        page(client, f"/disagreements/{disagreement.pk}/escalate/")
    )


def test_those_who_may_see_it_but_not_move_it_get_no_buttons_and_no_forms(
    client: Client, held: Discussion, police_officer: User, social_worker: User
) -> None:
    disagreement = _raise(police_officer, held)
    client.force_login(social_worker)
    html = page(client, f"/disagreements/{disagreement.pk}/")
    assert "/escalate/" not in html and "/resolve/" not in html
    assert client.get(f"/disagreements/{disagreement.pk}/escalate/").status_code == 404
    assert client.post(f"/disagreements/{disagreement.pk}/resolve/", {}).status_code == 404


# --- the list --------------------------------------------------------------------------


def test_the_list_shows_open_ones_held_by_the_user_first(
    client: Client,
    held: Discussion,
    police_officer: User,
    team_manager: User,
    social_worker: User,
    other_authority_social_worker: User,
) -> None:
    police = police_officer.agency
    police.senior_manager = police_officer  # type: ignore[union-attr]
    police.save(update_fields=["senior_manager"])  # type: ignore[union-attr]
    mine = _raise(police_officer, held)  # Sandwell §12.0: held by the police's senior manager
    theirs = _raise(team_manager, held, subject="holding", description="Should not be held")
    resolved = _raise(team_manager, held, description="Settled")
    resolved.status = DisagreementStatus.RESOLVED
    resolved.save(update_fields=["status"])

    html = page(client, "/disagreements/", police_officer)
    held_by_you = html.split('id="held-by-you"')[1].split("</table>")[0]
    others = html.split('id="others"')[1].split("</table>")[0]
    assert f'href="/disagreements/{mine.pk}/"' in held_by_you
    assert f'href="/disagreements/{theirs.pk}/"' in others
    assert f'href="/disagreements/{resolved.pk}/"' not in html
    child = held.request.children.get()
    assert f"Whether to hold a strategy discussion For {child.full_name}; raised by" in text(others)
    assert f"request {held.request_id}" not in text(html).lower()

    words = text(page(client, "/disagreements/", other_authority_social_worker))
    assert "There are no open disagreements you can see." in words


def test_a_holder_who_may_not_see_the_children_reads_a_neutral_line(
    client: Client, held: Discussion, police_officer: User, other_police_officer: User
) -> None:
    disagreement = _raise(police_officer, held)
    disagreement.holders.set([other_police_officer])
    html = page(client, "/disagreements/", other_police_officer)
    assert f'href="/disagreements/{disagreement.pk}/"' in html
    words = text(html)
    assert "Children not shown: you are not invited to their discussion" in words
    assert held.request.children.get().full_name not in words


def test_oversight_links_to_each_open_disagreement_and_the_list(
    client: Client, held: Discussion, police_officer: User, team_manager: User
) -> None:
    disagreement = _raise(police_officer, held)
    html = page(client, "/oversight/", team_manager)
    assert f'href="/disagreements/{disagreement.pk}/"' in html
    assert 'href="/disagreements/"' in html
