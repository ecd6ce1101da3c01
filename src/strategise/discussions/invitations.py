"""Invitations by email, each carrying an iCalendar event that calendars accept.

Each email is plain text with the event twice: as the ``text/calendar; method=...`` part of
the message (RFC 6047 §2.4, what Outlook and Gmail act on) and as a ``.ics`` attachment.
The event (RFC 5545, iTIP RFC 5546) has the ``VTIMEZONE`` of Europe/London, one ``UID`` per
discussion, the discussion's ``SEQUENCE``, the chair (or the authority) as ``ORGANIZER``
and the invitee as ``ATTENDEE`` asked to reply. Nothing in it names a child.

The builders read the discussion as stored and write nothing:

* ``invitation_email(invitation, respond_url)``: the first invitation (``METHOD:REQUEST``).
* ``rescheduled_email(invitation, respond_url, was=...)``: the same event moved
  (``METHOD:REQUEST``, same ``UID``), so a calendar moves the entry it already has.
* ``cancellation_email(invitation)``: ``METHOD:CANCEL`` with ``STATUS:CANCELLED``, so a
  calendar removes it.
* ``invitation_calendar(invitation, method=...)``: the iCalendar document on its own.

A service that reschedules or cancels a discussion adds one to
``Discussion.calendar_sequence`` in its transaction (RFC 5545 §3.8.7.4: each significant
change, so calendars know the newer message), saves it with the new time or status, and
sends each invitation's email on commit, as ``discussion_convene`` does.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Literal
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from strategise.discussions.models import Discussion, Invitation
from strategise.policy import LONDON, vocabulary
from strategise.policy.wording import format_when

MEETING_LENGTH = timedelta(hours=1)
ATTACHMENT_NAME = "strategy-discussion.ics"
Method = Literal["REQUEST", "CANCEL"]


def calendar_uid(discussion: Discussion) -> str:
    """The event's ``UID``: the same in every message about this discussion, and unique
    to it (its number and when it was convened, at this site's host name)."""
    host = urlsplit(settings.STRATEGISE_BASE_URL).hostname or "strategise"
    convened = discussion.convened_at.astimezone(UTC)
    return f"strategy-discussion-{discussion.pk}-{convened:%Y%m%dT%H%M%SZ}@{host}"


def calendar_content_type(method: Method) -> str:
    """The MIME type of the calendar part (RFC 6047 §2.4): the method, and UTF-8."""
    return f"text/calendar; method={method}; charset=UTF-8"


def _organiser(discussion: Discussion) -> vCalAddress:
    """The chair, or else the mailbox of the chair's service (the authority's children's
    social care), or else the service's own address; sent by the service's address when
    the organiser is someone else."""
    chair = discussion.chair
    service = chair.agency
    if chair.email:
        organiser = vCalAddress(f"mailto:{chair.email}")
        organiser.params["CN"] = vText(str(chair))
    elif service is not None and service.email:
        organiser = vCalAddress(f"mailto:{service.email}")
        organiser.params["CN"] = vText(service.name)
    else:
        organiser = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
        organiser.params["CN"] = vText("Strategise")
        return organiser
    organiser.params["SENT-BY"] = vText(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    return organiser


def _attendee(invitation: Invitation) -> vCalAddress:
    attendee = vCalAddress(f"mailto:{invitation.email}")
    label = vocabulary.ATTENDEES.get(invitation.agency_code, invitation.agency_code)
    attendee.params["CN"] = vText(invitation.name or label)
    attendee.params["CUTYPE"] = vText("INDIVIDUAL" if invitation.name else "GROUP")
    attendee.params["ROLE"] = vText("REQ-PARTICIPANT" if invitation.required else "OPT-PARTICIPANT")
    attendee.params["PARTSTAT"] = vText("NEEDS-ACTION")
    attendee.params["RSVP"] = vText("TRUE")
    return attendee


def invitation_calendar(
    invitation: Invitation, *, method: Method = "REQUEST", now: datetime | None = None
) -> bytes:
    """The iCalendar document for one invitee (RFC 5545), with no case details in it.

    ``method`` is ``REQUEST`` for an invitation or its update, ``CANCEL`` when the
    discussion is cancelled; ``now`` (default: the present) is its ``DTSTAMP``.
    """
    discussion = invitation.discussion
    calendar = Calendar()
    calendar.add("prodid", "-//Strategise//strategy discussions//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    event = Event()
    event.add("uid", calendar_uid(discussion))
    event.add("sequence", discussion.calendar_sequence)
    event.add("dtstamp", (now or timezone.now()).astimezone(UTC))
    start = discussion.scheduled_for.astimezone(LONDON)
    event.add("dtstart", start)
    event.add("dtend", start + MEETING_LENGTH)
    event.add("summary", f"Strategy discussion {discussion.pk}")
    event.add("location", discussion.location or discussion.get_format_display())
    event.add(
        "description",
        "A multi-agency strategy discussion. Details are shared in Strategise, not by email.",
    )
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    event.add("transp", "OPAQUE")
    event.add("organizer", _organiser(discussion))
    if invitation.email:
        event.add("attendee", _attendee(invitation))
    calendar.add_component(event)
    # RFC 5545 §3.2.19: every TZID used needs its VTIMEZONE, so calendars that do not
    # know "Europe/London" by name still place the discussion at the right time; it goes
    # before the event that uses it.
    document = calendar.to_ical()
    begin = b"BEGIN:VEVENT\r\n"
    return document.replace(begin, _london_timezone(start.year) + begin, 1)


@cache
def _london_timezone(year: int) -> bytes:
    """Europe/London's ``VTIMEZONE`` for an event in ``year``, as iCalendar lines (the
    same for every event that year: made once). Only the years around it: from 1970 the
    definition starts with British Standard Time (1968-71), which dateutil-based readers
    (vobject) then misread as summer time."""
    timezone_only = Calendar()
    event = Event()
    event.add("dtstart", datetime(year, 6, 1, tzinfo=LONDON))
    timezone_only.add_component(event)
    timezone_only.add_missing_timezones(first_date=date(year, 1, 1), last_date=date(year + 2, 1, 1))
    (london,) = timezone_only.walk("VTIMEZONE")
    lines: bytes = london.to_ical()
    return lines


def _email(
    invitation: Invitation, *, subject: str, lines: list[str], method: Method
) -> EmailMultiAlternatives:
    document = invitation_calendar(invitation, method=method)
    message = EmailMultiAlternatives(subject=subject, body="\n".join(lines), to=[invitation.email])
    content_type = calendar_content_type(method)
    message.attach_alternative(document.decode("utf-8"), content_type)
    message.attach(ATTACHMENT_NAME, document, content_type)
    return message


def _when_and_how(discussion: Discussion) -> list[str]:
    return [
        f"When: {format_when(discussion.scheduled_for)}",
        f"How: {discussion.get_format_display()}"
        + (f", {discussion.location}" if discussion.location else ""),
        f"Chair: {discussion.chair}",
    ]


def _reply_lines(invitation: Invitation, respond_url: str) -> list[str]:
    return [
        "",
        "Your attendance is required by the local procedure."
        if invitation.required
        else "Your attendance is requested.",
        f"Reply (accept or send apologies): {respond_url}",
        "",
        "If you cannot attend, please send a written report before the discussion.",
    ]


def invitation_email(invitation: Invitation, respond_url: str) -> EmailMultiAlternatives:
    """The invitation email: when and how, and where to reply; no names of children."""
    discussion: Discussion = invitation.discussion
    return _email(
        invitation,
        subject=f"Strategy discussion on {format_when(discussion.scheduled_for)}",
        lines=[
            f"Dear {invitation.name or 'colleague'},",
            "",
            "You are invited to a multi-agency strategy discussion.",
            *_when_and_how(discussion),
            *_reply_lines(invitation, respond_url),
        ],
        method="REQUEST",
    )


def rescheduled_email(
    invitation: Invitation, respond_url: str, *, was: datetime
) -> EmailMultiAlternatives:
    """The update when a discussion moves from ``was`` to its new time: the same event
    (same ``UID``, the discussion's new ``SEQUENCE``), so calendars move it."""
    discussion: Discussion = invitation.discussion
    return _email(
        invitation,
        subject=f"Moved: strategy discussion now on {format_when(discussion.scheduled_for)}",
        lines=[
            f"Dear {invitation.name or 'colleague'},",
            "",
            f"The strategy discussion you were invited to on {format_when(was)} has moved.",
            *_when_and_how(discussion),
            *_reply_lines(invitation, respond_url),
        ],
        method="REQUEST",
    )


def cancellation_email(invitation: Invitation) -> EmailMultiAlternatives:
    """The cancellation (``METHOD:CANCEL``), so calendars remove the discussion."""
    discussion: Discussion = invitation.discussion
    when = format_when(discussion.scheduled_for)
    return _email(
        invitation,
        subject=f"Cancelled: strategy discussion on {when}",
        lines=[
            f"Dear {invitation.name or 'colleague'},",
            "",
            f"The strategy discussion on {when} has been cancelled. You need do nothing more.",
        ],
        method="CANCEL",
    )
