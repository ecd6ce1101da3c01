"""The people most tests need: one authority (Sandwell) and someone in each role.

Each fixture is one user in the agency and role its name says; they share the
``authority`` fixture's agencies, so they can be invited to the same discussions.

Every email any test sends (even one it clears from the outbox) is checked when the test
ends, whatever the test itself asserts: its calendar parts by two parsers
(``tests/calendars.py``), and its subject and body for case detail (a child's name or an
action's text in the database).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.core.mail.backends.locmem import EmailBackend

from strategise.actions.models import Action
from strategise.cases.models import Child
from strategise.network.models import Entity
from strategise.organisations.models import LocalAuthority, Role, User
from tests.calendars import check_calendars
from tests.factories import AgencyFactory, LocalAuthorityFactory, UserFactory
from tests.second_factor import VerifiedClient

CALENDARS_CHECKED: list[int] = [0]


@pytest.fixture(autouse=True)
def sent_emails(monkeypatch: pytest.MonkeyPatch) -> list[EmailMessage]:
    """Every email the test sends, even one it clears from the outbox."""
    sent: list[EmailMessage] = []
    send = EmailBackend.send_messages

    def keeping(backend: EmailBackend, messages: Any) -> int:
        messages = list(messages)
        sent.extend(messages)
        return send(backend, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", keeping)
    return sent


@pytest.fixture(autouse=True)
def _every_invitation_calendar_is_valid(sent_emails: list[EmailMessage]) -> Iterator[None]:
    """Check the calendar parts of each email the test sent with icalendar and vobject."""
    yield
    for message in sent_emails:
        CALENDARS_CHECKED[0] += len(check_calendars(message))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if CALENDARS_CHECKED[0]:
        terminalreporter.write_line(
            f"calendars: {CALENDARS_CHECKED[0]} text/calendar parts of sent emails checked "
            "with icalendar and vobject"
        )


AGENCY_KINDS = ("childrens_social_care", "police", "health", "education")


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Each test starts with an empty cache (the private links' rate limits live there)."""
    cache.clear()
    yield
    cache.clear()


def _uses_database(request: pytest.FixtureRequest) -> bool:
    names = request.fixturenames
    return request.node.get_closest_marker("django_db") is not None or any(
        name in names for name in ("db", "transactional_db")
    )


def case_detail_in(messages: list[EmailMessage]) -> list[str]:
    """Each child's name, action's text, or person, place, vehicle or online account of a
    network (as in the database) that an email carries."""
    names = {child.full_name for child in Child.objects.all() if child.full_name}
    names |= {entity.label for entity in Entity.objects.all() if len(entity.label) > 3}
    actions = {
        text[:40] for text in Action.objects.values_list("description", flat=True) if text.strip()
    }
    return [
        f"{message.subject!r} to {message.to}: {detail!r}"
        for message in messages
        for detail in sorted(names | actions)
        if detail in message.subject
        or detail in message.body
        or any(detail in str(content) for content, _ in getattr(message, "alternatives", []))
    ]


@pytest.fixture(autouse=True)
def _emails_carry_no_case_detail(
    request: pytest.FixtureRequest, sent_emails: list[EmailMessage]
) -> Iterator[None]:
    """Every email the suite sends is checked as the test ends: no subject or body may hold
    a child's name or an action's text that is in the database (what leaves the system says
    what needs doing and links to it; the case stays inside)."""
    uses_database = _uses_database(request)
    if uses_database:
        # Set the database up first, so it is still there (not yet rolled back) below.
        if "transactional_db" in request.fixturenames:
            request.getfixturevalue("transactional_db")
        elif "db" in request.fixturenames:
            request.getfixturevalue("db")
    yield
    if not (uses_database and sent_emails):
        return
    found = case_detail_in(sent_emails)
    if found:
        pytest.fail("Case detail in email: " + "; ".join(found), pytrace=False)


def _user(authority: LocalAuthority, kind: str, role: Role, **extra: object) -> User:
    return UserFactory.create(agency=authority.agencies.get(kind=kind), role=role, **extra)


@pytest.fixture
def client() -> VerifiedClient:
    """The test client; ``force_login`` also passes the user's second factor."""
    return VerifiedClient()


@pytest.fixture
def authority(db: None) -> LocalAuthority:
    """Sandwell, with children's social care, police, health and education."""
    sandwell = LocalAuthorityFactory.create(
        name="Sandwell Metropolitan Borough Council", slug="sandwell", profile="sandwell"
    )
    for kind in AGENCY_KINDS:
        AgencyFactory.create(local_authority=sandwell, kind=kind)
    return sandwell


@pytest.fixture
def social_worker(authority: LocalAuthority) -> User:
    return _user(authority, "childrens_social_care", Role.SOCIAL_WORKER)


@pytest.fixture
def team_manager(authority: LocalAuthority) -> User:
    return _user(authority, "childrens_social_care", Role.TEAM_MANAGER)


@pytest.fixture
def police_officer(authority: LocalAuthority) -> User:
    return _user(authority, "police", Role.POLICE)


@pytest.fixture
def health_practitioner(authority: LocalAuthority) -> User:
    return _user(authority, "health", Role.HEALTH)


@pytest.fixture
def analyst(authority: LocalAuthority) -> User:
    """A performance analyst in children's social care: figures, never case records."""
    return _user(authority, "childrens_social_care", Role.PERFORMANCE_ANALYST)


@pytest.fixture
def administrator(authority: LocalAuthority) -> User:
    """An administrator who may use the admin site (is_staff), with no case access."""
    return _user(authority, "childrens_social_care", Role.ADMINISTRATOR, is_staff=True)


@pytest.fixture
def other_authority_social_worker(db: None) -> User:
    """A social worker in another authority (Birmingham): sees none of Sandwell's cases."""
    birmingham = LocalAuthorityFactory.create(
        name="Birmingham City Council", slug="birmingham", profile="birmingham"
    )
    return UserFactory.create(
        agency=AgencyFactory.create(local_authority=birmingham), role=Role.SOCIAL_WORKER
    )
