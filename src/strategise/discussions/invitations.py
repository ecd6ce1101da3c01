"""Invitations by email, each with an iCalendar (.ics) event attached."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from icalendar import Calendar, Event, vCalAddress

from strategise.discussions.models import Discussion, Invitation
from strategise.policy.wording import format_when

MEETING_LENGTH = timedelta(hours=1)


def invitation_calendar(invitation: Invitation) -> bytes:
    """The .ics file for one invitation (RFC 5545), with no case details in it."""
    discussion = invitation.discussion
    calendar = Calendar()
    calendar.add("prodid", "-//Strategise//strategy discussions//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = Event()
    event.add("uid", f"discussion-{discussion.pk}-invitation-{invitation.pk}@strategise")
    event.add("summary", f"Strategy discussion {discussion.pk}")
    event.add("dtstart", discussion.scheduled_for)
    event.add("dtend", discussion.scheduled_for + MEETING_LENGTH)
    event.add("dtstamp", discussion.convened_at)
    event.add("location", discussion.location or discussion.get_format_display())
    event.add(
        "description",
        "A multi-agency strategy discussion. Details are shared in Strategise, not by email.",
    )
    organiser = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    event.add("organizer", organiser)
    if invitation.email:
        event.add("attendee", vCalAddress(f"mailto:{invitation.email}"))
    calendar.add_component(event)
    return calendar.to_ical()


def invitation_email(invitation: Invitation, respond_url: str) -> EmailMessage:
    """The invitation email: when and how, and where to reply; no names of children."""
    discussion: Discussion = invitation.discussion
    body = "\n".join(
        [
            f"Dear {invitation.name or 'colleague'},",
            "",
            "You are invited to a multi-agency strategy discussion.",
            f"When: {format_when(discussion.scheduled_for)}",
            f"How: {discussion.get_format_display()}"
            + (f", {discussion.location}" if discussion.location else ""),
            f"Chair: {discussion.chair}",
            "",
            "Your attendance is required by the local procedure."
            if invitation.required
            else "Your attendance is requested.",
            f"Reply (accept or send apologies): {respond_url}",
            "",
            "If you cannot attend, please send a written report before the discussion.",
        ]
    )
    message = EmailMessage(
        subject=f"Strategy discussion on {format_when(discussion.scheduled_for)}",
        body=body,
        to=[invitation.email],
    )
    message.attach("strategy-discussion.ics", invitation_calendar(invitation), "text/calendar")
    return message
