"""Checks that an email's calendar parts are what every calendar accepts.

Each ``text/calendar`` part (the message's alternative and its ``.ics`` attachment) is
read by two independent parsers, icalendar (with any component error an error) and
vobject (validating), which must agree. ``tests/conftest.py`` runs these checks on every
email the suite sends.
"""

from __future__ import annotations

from datetime import timedelta
from email.message import Message
from typing import Any

import vobject  # type: ignore[import-untyped]
from django.core.mail import EmailMessage
from icalendar import Calendar


def calendar_parts(message: EmailMessage) -> list[tuple[str, str]]:
    """Each calendar part of ``message`` as (content type, text), alternatives first."""
    parts: list[tuple[str, str]] = []
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype.split(";")[0].strip().lower() == "text/calendar":
            parts.append((mimetype, content if isinstance(content, str) else content.decode()))
    for attachment in message.attachments:
        if isinstance(attachment, tuple):
            _, content, mimetype = attachment
        else:
            content, mimetype = attachment.get_payload(decode=True), attachment.get_content_type()
        if mimetype.split(";")[0].strip().lower() == "text/calendar":
            parts.append((mimetype, content if isinstance(content, str) else content.decode()))
    return parts


def _content_type_params(content_type: str) -> dict[str, str]:
    header = Message()
    header["Content-Type"] = content_type
    return {key.lower(): value for key, value in (header.get_params() or [])[1:]}


def check_calendar_part(content_type: str, text: str, recipients: list[str]) -> dict[str, Any]:
    """Assert that one calendar part is a valid iTIP message; return what it says."""
    params = _content_type_params(content_type)
    method = params.get("method", "").upper()
    assert method in ("REQUEST", "CANCEL"), f"Content-Type {content_type!r} needs method="
    assert params.get("charset", "").upper() == "UTF-8", f"{content_type!r} needs charset=UTF-8"

    # icalendar, strictly: any property it could not read is an error.
    calendar = Calendar.from_ical(text)
    for component in calendar.walk():
        assert not component.errors, f"{component.name}: {component.errors}"
    assert str(calendar["METHOD"]) == method
    assert str(calendar["VERSION"]) == "2.0" and calendar.get("PRODID")
    timezones = calendar.walk("VTIMEZONE")
    assert [str(tz["TZID"]) for tz in timezones] == ["Europe/London"]
    assert timezones[0].walk("STANDARD") and timezones[0].walk("DAYLIGHT")
    (event,) = calendar.walk("VEVENT")
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert event.decoded("DTSTAMP").utcoffset() == timedelta(0)
    assert event.decoded("DTEND") > event.decoded("DTSTART")
    assert isinstance(event.decoded("SEQUENCE"), int) and event.decoded("SEQUENCE") >= 0
    assert str(event["ORGANIZER"]).startswith("mailto:") and event["ORGANIZER"].params["CN"]
    attendees = event.get("ATTENDEE")
    attendees = attendees if isinstance(attendees, list) else [attendees]
    assert [str(a).removeprefix("mailto:") for a in attendees] == recipients
    for attendee in attendees:
        assert attendee.params["CN"]
        assert attendee.params["ROLE"] in ("REQ-PARTICIPANT", "OPT-PARTICIPANT")
        assert attendee.params["PARTSTAT"] == "NEEDS-ACTION"
        assert attendee.params["RSVP"] == "TRUE"
    assert str(event["STATUS"]) == ("CANCELLED" if method == "CANCEL" else "CONFIRMED")

    # vobject, independently and validating, must read the same event.
    other = vobject.readOne(text, validate=True)
    assert other.method.value == method
    other_event = other.vevent
    assert other_event.uid.value == str(event["UID"])
    assert int(other_event.sequence.value) == event.decoded("SEQUENCE")
    assert other_event.dtstart.value == event.decoded("DTSTART")
    assert other_event.dtstart.value.utcoffset() == event.decoded("DTSTART").utcoffset()
    assert other_event.attendee.params["ROLE"] == [attendees[0].params["ROLE"]]
    return {
        "method": method,
        "uid": str(event["UID"]),
        "sequence": event.decoded("SEQUENCE"),
        "start": event.decoded("DTSTART"),
        "organizer": str(event["ORGANIZER"]),
        "organizer_params": dict(event["ORGANIZER"].params),
        "attendee": dict(attendees[0].params),
    }


def check_calendars(message: EmailMessage) -> list[dict[str, Any]]:
    """Check every calendar part of ``message``; the parts of one message must agree."""
    found = [
        check_calendar_part(kind, text, list(message.to)) for kind, text in calendar_parts(message)
    ]
    assert all(part == found[0] for part in found), "the alternative and the .ics disagree"
    return found
