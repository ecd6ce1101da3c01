"""A fresh second factor (from the last 15 minutes) before approving or sending minutes,
downloading the statutory returns, stopping a clock and opening or closing a correction of
a concluded record; reading needs none."""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import quote

import pytest
import time_machine
from django.test import Client

from strategise.clocks.models import Clock, ClockState
from strategise.discussions.models import Correction, Discussion
from strategise.minutes.models import Minutes, MinutesStatus, Sending
from strategise.minutes.services import minutes_draft, recipients_build
from strategise.organisations.models import User
from strategise.policy import LONDON
from tests.second_factor import app_code, app_device
from tests.web.pages import text
from tests.web.recording.support import LATER, approved_minutes, held, hidden_inputs

pytestmark = pytest.mark.django_db

SIGNED_IN = datetime(2026, 6, 3, 9, 0, tzinfo=LONDON)
STILL_FRESH = timedelta(minutes=15)
STALE = timedelta(minutes=15, seconds=1)
APRIL = {"from_day": "1", "from_month": "4", "from_year": "2026"}
APRIL |= {"to_day": "30", "to_month": "4", "to_year": "2026"}


@pytest.fixture
def concluded(social_worker: User, team_manager: User, police_officer: User) -> Discussion:
    return held(social_worker, team_manager, police_officer)


def _step_up(path: str) -> str:
    return f"/sign-in/second-factor/?next={quote(path, safe='')}"


def _confirm(client: Client, user: User, back_to: str) -> None:
    """Enter a code on the step-up page, which says why it asks, and go back."""
    html = client.get(_step_up(back_to)).content.decode()
    assert '<h1 class="govuk-heading-xl">Confirm it is you</h1>' in html
    assert "This needs a second factor from the last 15 minutes" in text(html)
    response = client.post(
        "/sign-in/second-factor/", {"code": app_code(app_device(user)), "next": back_to}
    )
    assert response["Location"] == back_to


def test_downloading_a_return_asks_again_after_15_minutes(
    client: Client, team_manager: User
) -> None:
    path = "/reports/returns/cin-census.xml"
    with time_machine.travel(SIGNED_IN, tick=False) as traveller:
        client.force_login(team_manager)
        traveller.shift(STILL_FRESH)
        assert client.get(path, APRIL)["Content-Type"] == "application/xml"
        traveller.shift(STALE - STILL_FRESH)
        response = client.get(path, APRIL)
        full_path = f"{path}?{response.wsgi_request.GET.urlencode()}"
        assert response["Location"] == _step_up(full_path)
        # The page listing the returns is only reading: no second factor again.
        assert client.get("/reports/returns/").status_code == 200
        _confirm(client, team_manager, full_path)
        assert client.get(full_path)["Content-Type"] == "application/xml"


def test_approving_minutes_asks_again_after_15_minutes_but_reading_them_does_not(
    client: Client, social_worker: User, team_manager: User, concluded: Discussion
) -> None:
    minutes_draft(user=social_worker, discussion=concluded, now=LATER)
    path = f"/discussions/{concluded.pk}/minutes/"
    with time_machine.travel(SIGNED_IN, tick=False) as traveller:
        client.force_login(team_manager)
        traveller.shift(STALE)
        html = client.get(path).content.decode()
        # The chair approves the revision the page showed.
        approve = {"approve": "1", "revision": hidden_inputs(html)["revision"]}
        response = client.post(path, approve)
        assert response["Location"] == _step_up(path)
        assert Minutes.objects.get().status == MinutesStatus.DRAFT
        _confirm(client, team_manager, path)
        assert client.post(path, approve)["Location"] == path
    assert Minutes.objects.get().status == MinutesStatus.APPROVED


def test_sending_minutes_asks_again_after_15_minutes(
    client: Client, team_manager: User, concluded: Discussion
) -> None:
    approved_minutes(concluded, team_manager)
    recipients_build(user=team_manager, discussion=concluded)
    path = f"/discussions/{concluded.pk}/distribution/"
    with time_machine.travel(SIGNED_IN, tick=False) as traveller:
        client.force_login(team_manager)
        traveller.shift(STALE)
        assert client.get(path).status_code == 200
        assert client.post(path, {"send": "1"})["Location"] == _step_up(path)
        assert not Sending.objects.exists()
        _confirm(client, team_manager, path)
        assert client.post(path, {"send": "1"})["Location"] == path
    assert Sending.objects.count() == 4


def test_stopping_a_clock_asks_again_after_15_minutes(
    client: Client, team_manager: User, concluded: Discussion
) -> None:
    clock = Clock.objects.get(discussion=concluded, code="assessment_completed")
    path = f"/discussions/{concluded.pk}/clocks/{clock.pk}/stop/"
    with time_machine.travel(SIGNED_IN, tick=False) as traveller:
        client.force_login(team_manager)
        traveller.shift(STALE)
        assert client.get(path)["Location"] == _step_up(path)
        _confirm(client, team_manager, path)
        assert client.get(path).status_code == 200
        client.post(path, {"reason": "The family moved to Leeds"})
    clock.refresh_from_db()
    assert clock.state == ClockState.STOPPED


def test_correcting_a_concluded_record_asks_again_after_15_minutes(
    client: Client, team_manager: User, concluded: Discussion
) -> None:
    """Closing a correction can stop a clock: it asks as stopping one does, before the
    page, so that the reason typed is not lost to the question."""
    path = f"/discussions/{concluded.pk}/correction/"
    with time_machine.travel(SIGNED_IN, tick=False) as traveller:
        client.force_login(team_manager)
        traveller.shift(STALE)
        assert client.get(path)["Location"] == _step_up(path)
        assert client.post(path, {"reason": "A typo"})["Location"] == _step_up(path)
        assert not Correction.objects.exists()
        _confirm(client, team_manager, path)
        assert client.post(path, {"reason": "A typo"})["Location"] == path
        traveller.shift(STALE)
        assert client.post(path, {"action": "close"})["Location"] == _step_up(path)
        assert Correction.objects.get().open
