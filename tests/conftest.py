"""The people most tests need: one authority (Sandwell) and someone in each role.

Each fixture is one user in the agency and role its name says; they share the
``authority`` fixture's agencies, so they can be invited to the same discussions.

Every email any test sends has its calendar parts checked by two parsers
(``tests/calendars.py``) when the test ends, whatever the test itself asserts.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.mail import EmailMessage
from django.core.mail.backends.locmem import EmailBackend

from strategise.organisations.models import LocalAuthority, Role, User
from tests.calendars import check_calendars
from tests.factories import AgencyFactory, LocalAuthorityFactory, UserFactory

CALENDARS_CHECKED: list[int] = [0]


@pytest.fixture(autouse=True)
def _every_invitation_calendar_is_valid(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Keep each email the test sends (even one it clears from the outbox), then check
    its calendar parts with icalendar and vobject."""
    sent: list[EmailMessage] = []
    send = EmailBackend.send_messages

    def keeping(backend: EmailBackend, messages: Any) -> int:
        messages = list(messages)
        sent.extend(messages)
        return send(backend, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", keeping)
    yield
    for message in sent:
        CALENDARS_CHECKED[0] += len(check_calendars(message))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if CALENDARS_CHECKED[0]:
        terminalreporter.write_line(
            f"calendars: {CALENDARS_CHECKED[0]} text/calendar parts of sent emails checked "
            "with icalendar and vobject"
        )


AGENCY_KINDS = ("childrens_social_care", "police", "health", "education")


def _user(authority: LocalAuthority, kind: str, role: Role, **extra: object) -> User:
    return UserFactory.create(agency=authority.agencies.get(kind=kind), role=role, **extra)


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
