"""Who decides where the minutes go, which addresses need a manager's word, and what each
sending records: the address, how (the PDF attached, or a link to sign in), who and when."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from strategise.audit.models import AuditEvent
from strategise.discussions.models import Discussion
from strategise.minutes.models import Delivery, Minutes, Recipient, RecipientChange, Sending
from strategise.minutes.services import minutes_send, recipient_update, recipients_build
from strategise.organisations.models import LocalAuthority, MinutesDelivery, Role, User
from strategise.problems import Problem
from tests.factories import LocalAuthorityFactory, UserFactory
from tests.web.recording.support import LATER, approved_minutes, held

LINK = "https://strategise.test/discussions/1/"


def _pdf(document: dict[str, Any]) -> bytes:
    return b"%PDF-1.7 " + str(document["status"]).encode()


@pytest.fixture
def minute_taker(authority: LocalAuthority) -> User:
    return UserFactory.create(
        agency=authority.agencies.get(kind="childrens_social_care"), role=Role.BUSINESS_SUPPORT
    )


@pytest.fixture
def held_discussion(
    social_worker: User, team_manager: User, police_officer: User, minute_taker: User
) -> Discussion:
    """Held and minuted, chaired by ``team_manager``, minuted by ``minute_taker``."""
    discussion = held(social_worker, team_manager, police_officer)
    Discussion.objects.filter(pk=discussion.pk).update(minute_taker=minute_taker)
    discussion.refresh_from_db()
    return discussion


def _minutes(discussion: Discussion) -> Minutes:
    return approved_minutes(discussion, discussion.chair)


def _line(discussion: Discussion, agency: str = "health") -> Recipient:
    return discussion.recipients.get(invitation__agency_code=agency)


def _change(user: User, recipient: Recipient, email: str, reason: str = "") -> Recipient:
    return recipient_update(
        user=user,
        recipient=recipient,
        name=recipient.name,
        email=email,
        method="email",
        included=True,
        reason=reason,
        now=LATER,
    )


def _send(user: User, minutes: Minutes) -> list[Sending]:
    return minutes_send(user=user, minutes=minutes, now=LATER, pdf=_pdf, read_link=LINK)


# --- who --------------------------------------------------------------------------------


def test_a_practitioner_may_not_change_the_list_or_send_the_minutes(
    held_discussion: Discussion, social_worker: User, police_officer: User
) -> None:
    minutes = _minutes(held_discussion)
    for user in (social_worker, police_officer):
        with pytest.raises(Problem, match="can change the distribution list"):
            recipients_build(user=user, discussion=held_discussion)
    recipients_build(user=held_discussion.chair, discussion=held_discussion)
    line = _line(held_discussion)
    with pytest.raises(Problem, match="can change the distribution list"):
        _change(social_worker, line, "duty@nhs.net")
    with pytest.raises(Problem, match="can send minutes"):
        _send(social_worker, minutes)
    assert not Sending.objects.exists()


def test_the_minute_taker_and_any_manager_of_the_authority_may(
    authority: LocalAuthority, held_discussion: Discussion, minute_taker: User
) -> None:
    service_manager = UserFactory.create(
        agency=authority.agencies.get(kind="childrens_social_care"), role=Role.SERVICE_MANAGER
    )
    recipients_build(user=minute_taker, discussion=held_discussion)
    _change(service_manager, _line(held_discussion), "safeguarding@nhs.net")
    sent = _send(minute_taker, _minutes(held_discussion))
    assert {s.sent_by for s in sent} == {minute_taker}


def test_another_authoritys_manager_may_not(
    held_discussion: Discussion, other_authority_social_worker: User
) -> None:
    User.objects.filter(pk=other_authority_social_worker.pk).update(role=Role.HEAD_OF_SERVICE)
    other_authority_social_worker.refresh_from_db()
    with pytest.raises(Problem, match="can change the distribution list"):
        recipients_build(user=other_authority_social_worker, discussion=held_discussion)


# --- secure domains ---------------------------------------------------------------------


def test_secure_domains_are_the_national_networks_and_the_authoritys_own(db: None) -> None:
    sandwell = LocalAuthorityFactory.create(email_domains="sandwellchildrenstrust.org")
    for address in (
        "a.social-worker@sandwell.gov.uk",
        "duty@nhs.net",
        "dc.jones@west-midlands.pnn.police.uk",
        "court@cjsm.net",
        "Named.Nurse@SANDWELLCHILDRENSTRUST.ORG",
    ):
        assert sandwell.is_secure_address(address), address
    for address in (
        "someone@gmail.com",
        "dsl@oak-primary.sch.uk",
        "spoof@notgov.uk",
        "spoof@gov.uk.example.com",
        "no-at-sign",
    ):
        assert not sandwell.is_secure_address(address), address


def test_an_authority_chooses_its_secure_domains(db: None) -> None:
    authority = LocalAuthorityFactory.create(email_domains="", secure_domains="gov.uk, sch.uk")
    assert authority.secure_domain_list == ["gov.uk", "sch.uk"]
    assert authority.is_secure_address("dsl@oak-primary.sch.uk")
    assert not authority.is_secure_address("duty@nhs.net")


# --- an outside address ------------------------------------------------------------------


def test_an_outside_address_waits_for_a_managers_confirmation_with_the_reason(
    held_discussion: Discussion, minute_taker: User, team_manager: User
) -> None:
    minutes = _minutes(held_discussion)
    recipients_build(user=minute_taker, discussion=held_discussion)
    line = _change(minute_taker, _line(held_discussion), "gp.surgery@gmail.com")
    assert line.awaiting_confirmation(held_discussion.local_authority)
    with pytest.raises(Problem) as refused:
        _send(minute_taker, minutes)
    assert refused.value.errors == [
        (
            "recipients",
            "A team manager must confirm gp.surgery@gmail.com for Invited: Health before the "
            "minutes go to it: it is not at one of the authority's secure domains",
        )
    ]
    with pytest.raises(Problem, match=r"gp.surgery@gmail.com is not at one of .* give the reason"):
        _change(team_manager, line, "gp.surgery@gmail.com")
    line = _change(team_manager, line, "gp.surgery@gmail.com", reason="The GP has no nhs.net")
    assert not line.awaiting_confirmation(held_discussion.local_authority)
    assert (line.confirmed_by, line.confirmed_reason) == (team_manager, "The GP has no nhs.net")
    event = AuditEvent.objects.filter(action="confirm-outside-address").get()
    assert event.detail["reason"] == "The GP has no nhs.net"
    assert event.detail["after"]["email"] == "gp.surgery@gmail.com"
    _send(minute_taker, minutes)


def test_a_confirmation_is_for_one_address_only(
    held_discussion: Discussion, team_manager: User, minute_taker: User
) -> None:
    recipients_build(user=minute_taker, discussion=held_discussion)
    line = _change(team_manager, _line(held_discussion), "first@gmail.com", reason="Locum GP")
    line = _change(minute_taker, line, "second@gmail.com")
    assert line.awaiting_confirmation(held_discussion.local_authority)
    # Pointing it back does not bring the old confirmation back either.
    line = _change(minute_taker, line, "first@gmail.com")
    assert line.awaiting_confirmation(held_discussion.local_authority)


def test_a_line_not_emailed_needs_no_confirmation(
    held_discussion: Discussion, minute_taker: User
) -> None:
    recipients_build(user=minute_taker, discussion=held_discussion)
    line = recipient_update(
        user=minute_taker,
        recipient=_line(held_discussion),
        name="Dr Patel",
        email="dr.patel@gmail.com",
        method="post",
        included=True,
        now=LATER,
    )
    assert not line.awaiting_confirmation(held_discussion.local_authority)


# --- what each sending records ------------------------------------------------------------


def test_each_sending_keeps_the_address_it_went_to_and_how(
    held_discussion: Discussion,
    team_manager: User,
    minute_taker: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    minutes = _minutes(held_discussion)
    recipients_build(user=minute_taker, discussion=held_discussion)
    line = _change(team_manager, _line(held_discussion), "locum@gmail.com", reason="Locum GP")
    with django_capture_on_commit_callbacks(execute=True):
        sent = {s.recipient_id: s for s in _send(minute_taker, minutes)}
    outside = sent[line.pk]
    assert (outside.address, outside.delivery, outside.sent_by, outside.sent_at) == (
        "locum@gmail.com",
        Delivery.SIGN_IN,
        minute_taker,
        LATER,
    )
    secure = [s for s in sent.values() if s.recipient_id != line.pk]
    assert {s.delivery for s in secure} == {Delivery.ATTACHED}
    # The line pointed elsewhere afterwards: what was sent, and where, does not change.
    _change(minute_taker, line, "duty@nhs.net")
    assert Sending.objects.get(pk=outside.pk).address == "locum@gmail.com"
    assert list(
        RecipientChange.objects.filter(recipient=line).values_list("version", "email", "confirmed")
    ) == [
        (1, "health@example.org", False),
        (2, "locum@gmail.com", True),
        (3, "duty@nhs.net", False),
    ]
    emails = {m.to[0]: m for m in mail.outbox}
    assert emails["locum@gmail.com"].attachments == []
    assert LINK in emails["locum@gmail.com"].body
    for sending in secure:
        ((name, _, mimetype),) = emails[sending.address].attachments
        assert mimetype == "application/pdf"


def test_an_authority_may_have_everyone_sign_in_to_read_them(
    held_discussion: Discussion, minute_taker: User, django_capture_on_commit_callbacks: Any
) -> None:
    LocalAuthority.objects.filter(pk=held_discussion.local_authority_id).update(
        minutes_delivery=MinutesDelivery.SIGN_IN
    )
    held_discussion.refresh_from_db()
    recipients_build(user=minute_taker, discussion=held_discussion)
    with django_capture_on_commit_callbacks(execute=True):
        sent = _send(minute_taker, _minutes(held_discussion))
    assert {s.delivery for s in sent} == {Delivery.SIGN_IN}
    assert mail.outbox and all(m.attachments == [] for m in mail.outbox)
    assert all(f"Sign in to Strategise to read it: {LINK}" in m.body for m in mail.outbox)
