"""Invitation emails carry an event every calendar accepts, and its updates and cancellation.

``tests/conftest.py`` checks every calendar part of every email sent with icalendar and
vobject; these tests pin what each part says.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core.mail import EmailMultiAlternatives
from django.test import override_settings
from icalendar import Calendar

from strategise.discussions.invitations import (
    ATTACHMENT_NAME,
    cancellation_email,
    invitation_calendar,
    invitation_email,
    rescheduled_email,
)
from strategise.discussions.models import Discussion, Invitation
from strategise.organisations.models import LocalAuthority
from strategise.policy import LONDON
from tests.calendars import calendar_parts, check_calendar_part, check_calendars
from tests.factories import ChildFactory, DiscussionFactory, InvitationFactory

pytestmark = pytest.mark.django_db

TEN_AM = datetime(2026, 3, 5, 10, 0, tzinfo=LONDON)
SUMMER = datetime(2026, 7, 2, 14, 30, tzinfo=LONDON)


@pytest.fixture
def discussion(authority: LocalAuthority) -> Discussion:
    child = ChildFactory.create(local_authority=authority, first_name="Tallulah")
    return DiscussionFactory.create(
        request__local_authority=authority,
        request__children=[child],
        scheduled_for=TEN_AM,
        chair__first_name="Nadia",
        chair__last_name="Iqbal",
        chair__email="nadia.iqbal@sandwell.example",
    )


def _invitation(discussion: Discussion, **fields: object) -> Invitation:
    return InvitationFactory.create(discussion=discussion, **fields)


def _only(message: EmailMultiAlternatives) -> dict[str, Any]:
    (first, *_) = check_calendars(message)
    return first


def test_the_invitation_is_a_request_in_the_message_and_as_an_ics_file(
    discussion: Discussion,
) -> None:
    message = invitation_email(_invitation(discussion), "https://strategise.test/reply/x/")
    kinds = [kind for kind, _ in calendar_parts(message)]
    assert kinds == ["text/calendar; method=REQUEST; charset=UTF-8"] * 2
    assert message.attachments[0][0] == ATTACHMENT_NAME
    raw = message.message().as_string()
    assert 'Content-Type: text/calendar; method="REQUEST"; charset="utf-8"' in raw


def test_a_required_agency_is_a_required_participant_asked_to_reply(
    discussion: Discussion,
) -> None:
    invitation = _invitation(discussion, name="Owen Lloyd", required=True)
    attendee = _only(invitation_email(invitation, "https://strategise.test/reply/x/"))["attendee"]
    assert attendee == {
        "CN": "Owen Lloyd",
        "CUTYPE": "INDIVIDUAL",
        "ROLE": "REQ-PARTICIPANT",
        "PARTSTAT": "NEEDS-ACTION",
        "RSVP": "TRUE",
    }


def test_an_agency_invited_by_choice_is_an_optional_participant(discussion: Discussion) -> None:
    invitation = _invitation(
        discussion, user=None, agency_code="legal", name="", email="legal@example.org"
    )
    invitation.required = False
    attendee = _only(invitation_email(invitation, "https://strategise.test/reply/x/"))["attendee"]
    assert attendee["ROLE"] == "OPT-PARTICIPANT"
    assert (attendee["CN"], attendee["CUTYPE"]) == ("Legal services", "GROUP")


def test_the_chair_organises_it_and_the_service_sends_it(discussion: Discussion) -> None:
    said = _only(invitation_email(_invitation(discussion), "https://strategise.test/reply/x/"))
    assert said["organizer"] == "mailto:nadia.iqbal@sandwell.example"
    assert said["organizer_params"] == {
        "CN": "Nadia Iqbal",
        "SENT-BY": "mailto:strategise@localhost",
    }


def test_without_the_chair_s_address_the_mailbox_of_their_service_organises_it(
    discussion: Discussion,
) -> None:
    discussion.chair.email = ""
    social_care = discussion.chair.agency
    assert social_care is not None
    social_care.email = "mash@sandwell.example"
    social_care.save(update_fields=["email"])
    said = _only(invitation_email(_invitation(discussion), "https://strategise.test/reply/x/"))
    assert said["organizer"] == "mailto:mash@sandwell.example"
    assert said["organizer_params"]["CN"] == social_care.name

    social_care.email = ""
    social_care.save(update_fields=["email"])
    said = _only(invitation_email(_invitation(discussion), "https://strategise.test/reply/x/"))
    assert said["organizer"] == "mailto:strategise@localhost"
    assert said["organizer_params"] == {"CN": "Strategise"}


def test_the_time_is_london_time_with_its_timezone_defined(discussion: Discussion) -> None:
    discussion.scheduled_for = SUMMER
    calendar = Calendar.from_ical(invitation_calendar(_invitation(discussion)))
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/London"
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("DTSTART") == SUMMER
    assert event.decoded("DTSTART").utcoffset() == timedelta(hours=1)
    assert event.decoded("DTEND") == SUMMER + timedelta(hours=1)


def test_one_uid_for_every_invitee_of_a_discussion_and_another_for_the_next(
    discussion: Discussion, authority: LocalAuthority
) -> None:
    first = _only(invitation_email(_invitation(discussion), "u"))
    second = _only(invitation_email(_invitation(discussion, name="Fiona Hall"), "u"))
    other = DiscussionFactory.create(request__local_authority=authority, scheduled_for=TEN_AM)
    third = _only(invitation_email(_invitation(other), "u"))
    assert first["uid"] == second["uid"] != third["uid"]
    assert str(first["uid"]).startswith(f"strategy-discussion-{discussion.pk}-")
    assert (first["sequence"], first["method"]) == (0, "REQUEST")


@override_settings(STRATEGISE_BASE_URL="https://strategise.sandwell.example")
def test_the_uid_is_at_the_site_s_host(discussion: Discussion) -> None:
    assert str(_only(invitation_email(_invitation(discussion), "u"))["uid"]).endswith(
        "@strategise.sandwell.example"
    )


def test_a_rescheduled_discussion_updates_the_same_event(discussion: Discussion) -> None:
    invitation = _invitation(discussion)
    before = _only(invitation_email(invitation, "u"))
    # What a rescheduling service does in its transaction, before sending.
    discussion.scheduled_for = SUMMER
    discussion.calendar_sequence += 1
    message = rescheduled_email(invitation, "https://strategise.test/reply/x/", was=TEN_AM)
    after = _only(message)
    assert (after["uid"], after["method"]) == (before["uid"], "REQUEST")
    assert (after["sequence"], after["start"]) == (1, SUMMER)
    assert message.subject == "Moved: strategy discussion now on Thursday 2 July 2026, 2:30pm"
    assert "you were invited to on Thursday 5 March 2026, 10am has moved" in message.body
    assert "https://strategise.test/reply/x/" in message.body


def test_a_cancelled_discussion_cancels_the_same_event(discussion: Discussion) -> None:
    invitation = _invitation(discussion)
    before = _only(invitation_email(invitation, "u"))
    discussion.calendar_sequence += 1
    message = cancellation_email(invitation)
    after = _only(message)
    assert (after["uid"], after["method"], after["sequence"]) == (before["uid"], "CANCEL", 1)
    assert [kind for kind, _ in calendar_parts(message)] == [
        "text/calendar; method=CANCEL; charset=UTF-8"
    ] * 2
    assert message.subject == "Cancelled: strategy discussion on Thursday 5 March 2026, 10am"


def test_no_email_names_the_child(discussion: Discussion) -> None:
    invitation = _invitation(discussion)
    for message in (
        invitation_email(invitation, "u"),
        rescheduled_email(invitation, "u", was=TEN_AM),
        cancellation_email(invitation),
    ):
        assert "Tallulah" not in message.body
        assert all("Tallulah" not in text for _, text in calendar_parts(message))


def test_the_check_refuses_a_calendar_part_without_its_method(discussion: Discussion) -> None:
    text = invitation_calendar(_invitation(discussion)).decode()
    with pytest.raises(AssertionError, match="needs method="):
        check_calendar_part("text/calendar; charset=UTF-8", text, [discussion.chair.email])


def test_the_check_refuses_a_calendar_without_its_timezone(discussion: Discussion) -> None:
    invitation = _invitation(discussion)
    calendar = Calendar.from_ical(invitation_calendar(invitation))
    calendar.subcomponents = [c for c in calendar.subcomponents if c.name != "VTIMEZONE"]
    with pytest.raises(AssertionError):
        check_calendar_part(
            "text/calendar; method=REQUEST; charset=UTF-8",
            calendar.to_ical().decode(),
            [invitation.email],
        )
