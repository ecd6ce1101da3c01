"""The service navigation: notifications (with how many are unread) for everyone signed
in, oversight and reports only for those who may see them, and the current section
marked for screen readers (aria-current)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import timezone

from strategise.notifications.models import Kind
from strategise.notifications.services import notify
from strategise.organisations.models import User
from tests.web.pages import navigation, page

pytestmark = pytest.mark.django_db


def _current(html: str) -> dict[str, str]:
    """Each navigation link marked current: its words, and how (page, or true)."""
    nav = html.split('id="navigation" >')[1].split("</ul>")[0]
    return {
        " ".join(re.sub(r"<[^>]+>", " ", words).split()): how
        for how, words in re.findall(r'aria-current="(\w+)"\s*>(.*?)</a>', nav, re.S)
    }


@pytest.mark.parametrize(
    ("who", "offered"),
    [
        (
            "social_worker",
            "My work Children Adults Notifications Disagreements Try triage Your account Sign out",
        ),
        (
            "police_officer",
            "My work Children Adults Notifications Disagreements Try triage Your account Sign out",
        ),
        (
            "team_manager",
            "My work Children Adults Notifications Disagreements Oversight Patterns Reports "
            "Try triage Your account Sign out",
        ),
        # Figures, never case records: reports, but no case work and no oversight.
        ("analyst", "Notifications Reports Try triage Your account Sign out"),
        ("administrator", "Notifications Accounts Try triage Your account Sign out"),
    ],
)
def test_each_person_is_offered_what_they_may_open(
    client: Client, request: pytest.FixtureRequest, who: str, offered: str
) -> None:
    user: User = request.getfixturevalue(who)
    assert navigation(page(client, "/account/", user)) == offered


@pytest.mark.parametrize(
    "who", ["social_worker", "police_officer", "team_manager", "analyst", "administrator"]
)
def test_every_link_in_each_roles_navigation_opens_for_that_role(
    client: Client, request: pytest.FixtureRequest, who: str
) -> None:
    user: User = request.getfixturevalue(who)
    html = page(client, "/account/", user)
    nav = html.split('id="navigation" >')[1].split("</ul>")[0]
    links = re.findall(r'href="([^"]+)"', nav)
    assert links
    for href in links:
        assert client.get(href).status_code == 200, href


def test_a_visitor_is_offered_none_of_them(client: Client) -> None:
    assert navigation(page(client, "/")) == "About Try triage Sign in"


def test_unread_notifications_are_counted_in_words_a_screen_reader_reads(
    client: Client, social_worker: User
) -> None:
    for number in range(3):
        notify(
            user=social_worker,
            kind=Kind.REMINDER,
            text=f"Reminder {number}",
            target=None,
            dedupe_key=f"test:{number}",
            now=timezone.now(),
        )
    html = page(client, "/my-work/", social_worker)
    assert navigation(html).startswith(
        "My work Children Adults Notifications (3 unread ) Disagreements"
    )
    assert '(3<span class="govuk-visually-hidden"> unread</span>)' in html

    client.post("/notifications/read/")
    assert "unread" not in navigation(page(client, "/my-work/"))


def test_the_current_section_is_marked(client: Client, team_manager: User) -> None:
    assert _current(page(client, "/oversight/", team_manager)) == {"Oversight": "page"}
    assert _current(page(client, "/reports/returns/")) == {"Reports": "true"}
    assert _current(page(client, "/notifications/")) == {"Notifications": "page"}
    assert _current(page(client, "/my-work/")) == {"My work": "page"}
