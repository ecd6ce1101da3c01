"""A discussion's clocks: each with its due time in words, its clause and its state; the
person responsible (or social care) records one met; a manager stops one with a reason."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from strategise.audit.models import AuditEvent
from strategise.clocks.models import Clock, ClockState
from strategise.clocks.services import clocks_mark_breached
from strategise.discussions.models import Discussion
from strategise.organisations.models import User
from strategise.policy import LONDON
from tests.clocks.support import held_discussion
from tests.web.pages import broken_error_links, error_summary, page, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(social_worker: User, team_manager: User, police_officer: User) -> Discussion:
    """Held in Sandwell on Wednesday 4 March 2026, chaired by the team manager, who is
    responsible for its clocks; the police officer invited."""
    return held_discussion(social_worker, team_manager, users={"police": police_officer})


def _clock(discussion: Discussion, code: str) -> Clock:
    return Clock.objects.get(discussion=discussion, code=code)


def _row_html(html: str, label: str) -> str:
    """The clocks table's row for ``label``."""
    for row in html.split('<tr class="govuk-table__row">')[1:]:
        if label in row:
            return row.split("</tr>")[0]
    raise AssertionError(f"no row for {label}")


def _row(html: str, label: str) -> str:
    """The words of the clocks table's row for ``label``."""
    return text(_row_html(html, label))


def _moment(day: int, month: int, year: int, at: str) -> dict[str, str]:
    return {
        "at_date_day": str(day),
        "at_date_month": str(month),
        "at_date_year": str(year),
        "at_time": at,
    }


def test_the_page_lists_each_clock_with_its_deadline_clause_and_state(
    client: Client, held: Discussion, team_manager: User
) -> None:
    html = page(client, f"/discussions/{held.pk}/clocks/", team_manager)
    assert _row(html, "Initial child protection conference held").startswith(
        "Initial child protection conference held Source: Sandwell procedure §2.0 "
        f"For Amara Okafor Wednesday 25 March 2026, 11:59pm {team_manager} The Social Work "
        "Unit Manager (Sandwell procedure §10.0): the chair (no team manager is "
        "recorded for the chair) Open"
    )
    # The request's own clock: the discussion was held in time.
    request_clock = _row(html, "Strategy discussion held")
    assert "Source: Sandwell procedure §9.0" in request_clock
    assert "Met on time Happened Wednesday 4 March 2026, midday" in request_clock
    assert f'href="/discussions/{held.pk}/"' in html


def test_each_state_has_its_own_tag(
    client: Client, held: Discussion, team_manager: User, social_worker: User
) -> None:
    icpc = _clock(held, "icpc_held")
    Clock.objects.filter(pk=icpc.pk).update(
        state=ClockState.MET_LATE, met_at=icpc.due_at + timedelta(days=2)
    )
    Clock.objects.filter(pk=_clock(held, "assessment_completed").pk).update(
        state=ClockState.STOPPED,
        stopped_at=icpc.due_at,
        stopped_reason="The family moved to Leeds",
    )
    clocks_mark_breached(now=timezone.now())
    html = page(client, f"/discussions/{held.pk}/clocks/", social_worker)
    assert '<strong class="govuk-tag govuk-tag--yellow">Met late</strong>' in html
    assert "Met late Happened Friday 27 March 2026, 11:59pm" in _row(html, "conference held")
    assert '<strong class="govuk-tag govuk-tag--grey">Stopped</strong>' in html
    assert "Stopped Wednesday 25 March 2026, 11:59pm: The family moved to Leeds" in _row(
        html, "Assessment completed"
    )
    # Past its due time and not met: the tick marked it breached.
    assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in _row_html(
        html, "process concluded"
    )
    assert '<strong class="govuk-tag govuk-tag--green">Met on time</strong>' in html


def test_what_each_person_may_do_with_the_clocks(
    client: Client,
    held: Discussion,
    team_manager: User,
    social_worker: User,
    police_officer: User,
) -> None:
    icpc, circulated = _clock(held, "icpc_held"), _clock(held, "decisions_circulated")
    record = f"/discussions/{held.pk}/clocks/{icpc.pk}/met/"
    stop = f"/discussions/{held.pk}/clocks/{icpc.pk}/stop/"

    manager = page(client, f"/discussions/{held.pk}/clocks/", team_manager)
    assert record in manager and stop in manager
    # Strategise meets this one itself, when the decisions are sent.
    assert f"/clocks/{circulated.pk}/met/" not in manager
    assert f"/clocks/{circulated.pk}/stop/" in manager

    worker = page(client, f"/discussions/{held.pk}/clocks/", social_worker)
    assert record in worker and stop not in worker

    police = page(client, f"/discussions/{held.pk}/clocks/", police_officer)
    assert "/met/" not in police and "/stop/" not in police
    assert "Initial child protection conference held" in police


def test_a_clock_is_recorded_met_on_time_or_late(
    client: Client, held: Discussion, social_worker: User
) -> None:
    icpc = _clock(held, "icpc_held")
    client.force_login(social_worker)
    path = f"/discussions/{held.pk}/clocks/{icpc.pk}/met/"
    html = page(client, path)
    assert "Initial child protection conference held" in text(html)
    assert "Due by Wednesday 25 March 2026, 11:59pm" in text(html)

    response = client.post(path, _moment(26, 3, 2026, "09:30"))

    assert response.status_code == 302
    assert response["Location"] == f"/discussions/{held.pk}/clocks/"
    icpc.refresh_from_db()
    assert (icpc.state, icpc.met_at) == (
        ClockState.MET_LATE,
        datetime(2026, 3, 26, 9, 30, tzinfo=LONDON),
    )
    words = text(page(client, response["Location"]))
    assert "Initial child protection conference held: recorded as met late" in words

    assessment = _clock(held, "assessment_completed")
    client.post(
        f"/discussions/{held.pk}/clocks/{assessment.pk}/met/", _moment(20, 4, 2026, "14:00")
    )
    assessment.refresh_from_db()
    assert assessment.state == ClockState.MET


def test_the_date_and_time_must_be_given(
    client: Client, held: Discussion, team_manager: User
) -> None:
    icpc = _clock(held, "icpc_held")
    client.force_login(team_manager)
    html = client.post(f"/discussions/{held.pk}/clocks/{icpc.pk}/met/", {}).content.decode()
    assert error_summary(html) == [
        ("Enter the date it happened", "at_date-day"),
        ("Enter the time it happened", "at_time"),
    ]
    assert broken_error_links(html) == []
    assert _clock(held, "icpc_held").state == ClockState.OPEN


def test_it_cannot_have_happened_in_the_future_or_before_the_clock_started(
    client: Client, held: Discussion, team_manager: User
) -> None:
    icpc = _clock(held, "icpc_held")
    client.force_login(team_manager)
    path = f"/discussions/{held.pk}/clocks/{icpc.pk}/met/"
    tomorrow = timezone.localdate() + timedelta(days=1)
    html = client.post(
        path, _moment(tomorrow.day, tomorrow.month, tomorrow.year, "10:00")
    ).content.decode()
    assert error_summary(html) == [
        ("The date it happened must be today or in the past", "at_date-day")
    ]
    assert broken_error_links(html) == []
    # What was typed is kept.
    assert f'value="{tomorrow.year}"' in html and 'value="10:00"' in html

    html = client.post(path, _moment(1, 3, 2026, "10:00")).content.decode()
    assert error_summary(html) == [
        (
            "The date it happened must be after the clock started (Wednesday 4 March 2026, midday)",
            "at_date-day",
        )
    ]
    assert _clock(held, "icpc_held").state == ClockState.OPEN


def test_a_clock_already_met_has_nothing_more_to_record(
    client: Client, held: Discussion, team_manager: User
) -> None:
    icpc = _clock(held, "icpc_held")
    client.force_login(team_manager)
    path = f"/discussions/{held.pk}/clocks/{icpc.pk}/met/"
    client.post(path, _moment(20, 3, 2026, "10:00"))
    html = page(client, path)
    assert "This clock is met on time, so there is nothing more to record." in text(html)
    assert "<form" not in html.split('id="main-content"')[1]
    client.post(path, _moment(21, 3, 2026, "10:00"))
    icpc.refresh_from_db()
    assert icpc.met_at == datetime(2026, 3, 20, 10, 0, tzinfo=LONDON)


def test_a_manager_stops_a_clock_saying_why(
    client: Client, held: Discussion, team_manager: User
) -> None:
    assessment = _clock(held, "assessment_completed")
    client.force_login(team_manager)
    path = f"/discussions/{held.pk}/clocks/{assessment.pk}/stop/"
    assert "Why it no longer applies" in text(page(client, path))

    html = client.post(path, {"reason": "  "}).content.decode()
    assert error_summary(html) == [("Give the reason the clock no longer applies", "reason")]
    assert broken_error_links(html) == []

    response = client.post(path, {"reason": "The family moved to Leeds; transferred in"})
    assert response["Location"] == f"/discussions/{held.pk}/clocks/"
    assessment.refresh_from_db()
    assert (assessment.state, assessment.stopped_reason) == (
        ClockState.STOPPED,
        "The family moved to Leeds; transferred in",
    )
    words = text(page(client, response["Location"]))
    assert "Assessment completed: clock stopped" in words
    assert "This clock is stopped, so it cannot be stopped." in text(page(client, path))


def test_the_pages_for_recording_or_stopping_are_not_found_for_those_who_may_not(
    client: Client,
    held: Discussion,
    social_worker: User,
    police_officer: User,
    team_manager: User,
) -> None:
    icpc, circulated = _clock(held, "icpc_held"), _clock(held, "decisions_circulated")
    client.force_login(social_worker)
    assert client.get(f"/discussions/{held.pk}/clocks/{icpc.pk}/stop/").status_code == 404
    assert (
        client.post(f"/discussions/{held.pk}/clocks/{icpc.pk}/stop/", {"reason": "x"}).status_code
        == 404
    )
    client.force_login(police_officer)
    assert client.get(f"/discussions/{held.pk}/clocks/{icpc.pk}/met/").status_code == 404
    client.force_login(team_manager)
    # Met by Strategise itself, when the decisions go out.
    assert client.get(f"/discussions/{held.pk}/clocks/{circulated.pk}/met/").status_code == 404
    assert Clock.objects.get(pk=icpc.pk).state == ClockState.OPEN


def test_a_clock_of_another_discussion_is_not_found_here(
    client: Client, held: Discussion, social_worker: User, team_manager: User
) -> None:
    other = held_discussion(social_worker, team_manager, child_name="Kofi")
    theirs = _clock(other, "icpc_held")
    client.force_login(team_manager)
    assert client.get(f"/discussions/{held.pk}/clocks/{theirs.pk}/met/").status_code == 404
    assert client.get(f"/discussions/{held.pk}/clocks/{theirs.pk}/stop/").status_code == 404


def test_a_discussion_not_yet_held_has_no_clocks_of_its_own(
    client: Client, discussion: Discussion, team_manager: User
) -> None:
    words = text(page(client, f"/discussions/{discussion.pk}/clocks/", team_manager))
    assert "None yet. The procedure's clocks start when the discussion is held." in words


def test_reading_the_clocks_is_audited(
    client: Client, held: Discussion, police_officer: User
) -> None:
    page(client, f"/discussions/{held.pk}/clocks/", police_officer)
    event = AuditEvent.objects.get(action="view-clocks")
    assert (event.user, event.object_id) == (police_officer, str(held.pk))
    assert event.child_ids == list(held.request.children.values_list("pk", flat=True))
