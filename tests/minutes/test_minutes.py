"""Minutes: drafted, approved by the chair, frozen, corrected as new versions, distributed."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail

from strategise.cases.models import SiblingLink
from strategise.clocks.models import Clock, ClockState
from strategise.discussions.concluding import discussion_conclude
from strategise.discussions.corrections import correction_open
from strategise.discussions.decisions import decision_save
from strategise.discussions.models import Discussion
from strategise.discussions.recording import contribution_save, record_save
from strategise.discussions.services import discussion_convene
from strategise.minutes.content import contribution_markings, minutes_document, read_record
from strategise.minutes.models import Minutes, MinutesStatus, Recipient
from strategise.minutes.services import (
    minutes_approve,
    minutes_draft,
    minutes_send,
    recipient_update,
    recipients_build,
)
from strategise.organisations.models import LocalAuthority, Role, User
from strategise.policy import get_profile
from strategise.problems import Problem
from strategise.requests.models import StrategyRequest
from tests.discussions.support import (
    NOW,
    invitation,
    invitations_for,
    make_child,
    started_discussion,
)
from tests.discussions.test_recording import COMPLETE_RECORD
from tests.factories import AgencyFactory, ChildFactory, LocalAuthorityFactory, UserFactory

LATER = NOW + timedelta(hours=2)
LINK = "https://strategise.test/discussions/1/"


def _pdf(document: dict[str, Any]) -> bytes:
    # The real renderer is tested in tests/discussions/test_documents.py; here only the
    # bytes travel, so a recognisable marker is enough to check they are attached.
    return b"%PDF-1.7 " + str(document["status"]).encode()


def _approve(chair: User, minutes: Minutes) -> Minutes:
    return minutes_approve(user=chair, minutes=minutes, revision=minutes.revision, now=LATER)


def _held(
    worker: User,
    chair: User,
    police: User | None = None,
    contribution: str = "",
    consent_needed: bool = False,
    not_for_family: bool = True,
    record: dict[str, Any] | None = None,
) -> Discussion:
    """Started, recorded (the complete record, with ``record``'s values too) and concluded:
    once concluded, the record is read-only."""
    discussion = started_discussion(
        worker=worker,
        chair=chair,
        children=[make_child(worker, "Amara")],
        users={"police": police} if police else {},
    )
    if police is not None and contribution:
        contribution_save(
            user=police,
            invitation=invitation(discussion, "police"),
            text=contribution,
            not_for_family=not_for_family,
            consent_needed=consent_needed,
            expected_version=0,
            now=LATER,
        )
    record_save(
        user=chair,
        discussion=discussion,
        values={**COMPLETE_RECORD, **(record or {})},
        expected_version=0,
        now=LATER,
    )
    decision_save(
        user=chair,
        discussion=discussion,
        child=discussion.request.children.get(),
        values={
            "outcome": "s47_joint",
            "rationale": "Unexplained bruising to the face",
            "medical_decision": "arrange",
        },
        expected_version=0,
        now=LATER,
    )
    return discussion_conclude(user=chair, discussion=discussion, now=LATER)


def test_draft_then_approve_freezes_the_minutes(
    social_worker: User, team_manager: User, police_officer: User
) -> None:
    discussion = _held(
        social_worker, team_manager, police_officer, "Previous call-out for domestic abuse"
    )
    draft = minutes_draft(user=social_worker, discussion=discussion, now=LATER)
    assert draft.status == MinutesStatus.DRAFT
    assert draft.document["status"] == "DRAFT: not yet approved by the chair"
    with pytest.raises(Problem, match="Only the chair can approve"):
        minutes_approve(user=social_worker, minutes=draft, revision=draft.revision, now=LATER)
    approved = minutes_approve(user=team_manager, minutes=draft, revision=draft.revision, now=LATER)
    assert (approved.status, approved.number) == (MinutesStatus.APPROVED, 1)
    sections = {s["heading"]: s for s in approved.document["sections"]}
    shared = sections["What each agency shared"]["blocks"][0]
    assert shared["markings"] == ["Not to be shared with the family (Sandwell procedure §10.0)"]
    assert "Section 47 enquiry, joint with the police" in str(sections["Decisions"])
    # Changing the record afterwards (through a correction) does not touch the approved
    # version.
    correction_open(user=team_manager, discussion=discussion, reason="Background", now=LATER)
    record_save(
        user=team_manager,
        discussion=discussion,
        values={"background": "New"},
        expected_version=1,
        now=LATER,
    )
    assert Minutes.objects.get(pk=approved.pk).document == approved.document


def test_the_minutes_say_who_is_allocated_and_a_discussion_recorded_afterwards_or_moved(
    social_worker: User, team_manager: User
) -> None:
    plain = _held(social_worker, team_manager)
    labels = [
        label
        for label, _ in minutes_draft(user=social_worker, discussion=plain, now=LATER).document[
            "meta"
        ]
    ]
    assert not {"Allocated social worker", "Recorded afterwards", "Why it was moved"} & set(labels)
    discussion = _held(social_worker, team_manager)
    StrategyRequest.objects.filter(pk=discussion.request_id).update(allocated_worker=social_worker)
    Discussion.objects.filter(pk=discussion.pk).update(
        recorded_afterwards=True, reschedule_reason="The police officer is in court"
    )
    discussion.refresh_from_db()
    meta = dict(
        minutes_draft(user=social_worker, discussion=discussion, now=LATER).document["meta"]
    )
    assert meta["Allocated social worker"] == str(social_worker)
    assert meta["Recorded afterwards"] == "Recorded after it was held: no invitations were sent"
    assert meta["Why it was moved"] == "The police officer is in court"


def test_a_correction_is_a_new_version_with_its_reason(
    social_worker: User, team_manager: User
) -> None:
    discussion = _held(social_worker, team_manager)
    first = _approve(
        team_manager, minutes_draft(user=social_worker, discussion=discussion, now=LATER)
    )
    with pytest.raises(Problem, match="give the reason for the correction"):
        minutes_draft(user=social_worker, discussion=discussion, now=LATER)
    second = minutes_draft(
        user=social_worker,
        discussion=discussion,
        now=LATER,
        correction_reason="Wrong date of birth",
    )
    assert (second.number, second.correction_reason) == (2, "Wrong date of birth")
    minutes_approve(user=team_manager, minutes=second, revision=second.revision, now=LATER)
    first.refresh_from_db()
    assert first.status == MinutesStatus.SUPERSEDED
    assert ["Correction", "Wrong date of birth"] in Minutes.objects.get(pk=second.pk).document[
        "meta"
    ]


def test_minutes_wait_for_the_discussion_to_be_concluded(
    social_worker: User, team_manager: User
) -> None:
    discussion = started_discussion(
        worker=social_worker, chair=team_manager, children=[make_child(social_worker, "A")]
    )
    with pytest.raises(Problem, match="Conclude the discussion"):
        minutes_draft(user=social_worker, discussion=discussion, now=LATER)


def test_distribution_includes_every_invitee_even_if_absent(
    social_worker: User, team_manager: User
) -> None:
    discussion = _held(social_worker, team_manager)
    recipients = recipients_build(user=team_manager, discussion=discussion)
    assert {r.invitation_id for r in recipients if r.invitation_id} == set(
        discussion.invitations.values_list("pk", flat=True)
    )
    assert len(recipients_build(user=team_manager, discussion=discussion)) == len(recipients)


def test_bristol_5_4_distribution_adds_gp_named_nurse_and_service_manager(db: None) -> None:
    bristol = LocalAuthorityFactory.create(profile="bristol")
    social_care = AgencyFactory.create(local_authority=bristol, kind="childrens_social_care")
    worker = UserFactory.create(agency=social_care, role=Role.SOCIAL_WORKER)
    chair = UserFactory.create(agency=social_care, role=Role.TEAM_MANAGER)
    discussion = _held(worker, chair)
    roles = {r.role: r.source for r in recipients_build(user=chair, discussion=discussion)}
    assert roles["The child's GP"] == "001_2d544eb75ad81283.txt §5.4"
    assert "The team's Service Manager or Deputy Service Manager" in roles
    assert "Designated Safeguarding Lead of the child's education setting" in roles


def test_sending_needs_approved_minutes_and_every_email_address(
    social_worker: User, team_manager: User, django_capture_on_commit_callbacks: Any
) -> None:
    discussion = _held(social_worker, team_manager)
    draft = minutes_draft(user=social_worker, discussion=discussion, now=LATER)
    recipients_build(user=team_manager, discussion=discussion)
    with pytest.raises(Problem, match="Only approved minutes can be sent"):
        minutes_send(user=team_manager, minutes=draft, now=LATER, pdf=_pdf, read_link=LINK)
    approved = minutes_approve(user=team_manager, minutes=draft, revision=draft.revision, now=LATER)
    Recipient.objects.filter(discussion=discussion).update(email="")
    with pytest.raises(Problem, match="Enter an email address for"):
        minutes_send(user=team_manager, minutes=approved, now=LATER, pdf=_pdf, read_link=LINK)
    assert not mail.outbox


def test_sending_on_time_meets_the_distribution_clocks(
    social_worker: User, team_manager: User, django_capture_on_commit_callbacks: Any
) -> None:
    discussion = _held(social_worker, team_manager)
    approved = _approve(
        team_manager, minutes_draft(user=social_worker, discussion=discussion, now=LATER)
    )
    recipients = recipients_build(user=team_manager, discussion=discussion)
    with django_capture_on_commit_callbacks(execute=True):
        sent = minutes_send(
            user=team_manager, minutes=approved, now=LATER, pdf=_pdf, read_link=LINK
        )
    assert len(sent) == len(recipients) == len(mail.outbox) == 4
    name, content, mimetype = mail.outbox[0].attachments[0]
    assert (name, mimetype) == (
        f"strategy-discussion-{discussion.pk}-minutes-v1.pdf",
        "application/pdf",
    )
    assert content == b"%PDF-1.7 Approved version 1"
    clock = Clock.objects.get(discussion=discussion, code="decisions_circulated")
    assert (clock.state, clock.met_at) == (ClockState.MET, LATER)
    with pytest.raises(Problem, match="has been sent this version"):
        minutes_send(user=team_manager, minutes=approved, now=LATER, pdf=_pdf, read_link=LINK)


def test_sending_late_is_recorded_as_met_late(social_worker: User, team_manager: User) -> None:
    discussion = _held(social_worker, team_manager)
    approved = _approve(
        team_manager, minutes_draft(user=social_worker, discussion=discussion, now=LATER)
    )
    recipients_build(user=team_manager, discussion=discussion)
    minutes_send(
        user=team_manager,
        minutes=approved,
        now=LATER + timedelta(days=10),
        pdf=_pdf,
        read_link=LINK,
    )
    assert (
        Clock.objects.get(discussion=discussion, code="decisions_circulated").state
        == ClockState.MET_LATE
    )


def test_a_recipient_left_out_is_not_sent(social_worker: User, team_manager: User) -> None:
    discussion = _held(social_worker, team_manager)
    approved = _approve(
        team_manager, minutes_draft(user=social_worker, discussion=discussion, now=LATER)
    )
    first, *others = recipients_build(user=team_manager, discussion=discussion)
    recipient_update(
        user=team_manager,
        recipient=first,
        name=first.name,
        email=first.email,
        method="email",
        included=False,
    )
    with pytest.raises(Problem, match="Enter an email address"):
        recipient_update(
            user=team_manager,
            recipient=others[0],
            name="",
            email="",
            method="email",
            included=True,
        )
    sent = minutes_send(user=team_manager, minutes=approved, now=LATER, pdf=_pdf, read_link=LINK)
    assert first.pk not in {s.recipient_id for s in sent}


def _reconvening(discussion: Discussion, worker: User, chair: User) -> dict[str, Any]:
    request = discussion.request
    request.refresh_from_db()
    return {
        "user": worker,
        "request": request,
        "format": "virtual",
        "scheduled_for": NOW + timedelta(days=14),
        "chair": chair,
        "invitations": invitations_for(request, {}),
        "respond_url": lambda i: f"https://strategise.test/reply/{i.token}/",
        "now": NOW,
    }


def test_reconvening_links_the_chain_within_sandwells_28_days(
    social_worker: User, team_manager: User
) -> None:
    discussion = _held(social_worker, team_manager)
    arguments = _reconvening(discussion, social_worker, team_manager)
    with pytest.raises(Problem, match="reconvene it instead"):
        discussion_convene(**arguments)
    late = {**arguments, "scheduled_for": NOW + timedelta(days=30)}
    with pytest.raises(Problem) as caught:  # Sandwell §2.0: no more than 28 days apart
        discussion_convene(**late, previous=discussion, reconvene_reason="New information")
    assert caught.value.errors[0][0] == "delay_rationale"
    # Sandwell asks no reason for reconvening: that is Gloucestershire's rule.
    again = discussion_convene(**arguments, previous=discussion)
    assert again.previous == discussion
    assert list(discussion.reconvened_as.all()) == [again]


def test_gloucestershire_reconvening_needs_its_clear_rationale(
    authority: LocalAuthority, social_worker: User, team_manager: User
) -> None:
    authority.profile = "gloucestershire"
    authority.save(update_fields=["profile"])
    discussion = _held(social_worker, team_manager)
    arguments = _reconvening(discussion, social_worker, team_manager)
    with pytest.raises(Problem) as caught:
        discussion_convene(**arguments, previous=discussion)
    assert caught.value.errors == [
        (
            "reconvene_reason",
            "Give the reason for reconvening: the procedure asks for a clear rationale "
            "(Gloucestershire guidance §What is a Strategy Discussion?)",
        )
    ]
    again = discussion_convene(
        **arguments, previous=discussion, reconvene_reason="New medical information"
    )
    assert again.reconvene_reason == "New medical information"


def _analysis(minutes: Minutes) -> tuple[str, list[tuple[str, str]]]:
    """The analysis of risk: what it says it asks, then each question with its answer."""
    sections = {s["heading"]: s for s in minutes.document["sections"]}
    intro, *answers = sections["Analysis of risk"]["blocks"]
    return intro["text"], [(block["heading"], block["text"]) for block in answers]


def test_sandwell_minutes_ask_sandwells_risk_questions_not_gloucestershires(
    social_worker: User, team_manager: User
) -> None:
    discussion = _held(social_worker, team_manager)
    asked, answers = _analysis(minutes_draft(user=social_worker, discussion=discussion, now=LATER))
    assert asked == "The procedure's questions (Sandwell procedure §3.0)."
    assert [question for question, _ in answers] == [
        "1. What is known about the child's welfare and safety?",
        "2. What level of risk does the child face?",
        # Recorded against a fifth question Sandwell does not ask: printed all the same.
        "Question 5",
    ]
    assert answers[2][1] == "At the next discussion"


def test_reconvened_gloucestershire_minutes_ask_the_risk_review_questions(
    authority: LocalAuthority, social_worker: User, team_manager: User
) -> None:
    authority.profile = "gloucestershire"
    authority.save(update_fields=["profile"])
    first = _held(social_worker, team_manager)
    asked, answers = _analysis(minutes_draft(user=social_worker, discussion=first, now=LATER))
    assert asked == (
        "The procedure's questions (Gloucestershire guidance §Risk Assessment Principles)."
    )
    assert answers[0] == ("1. What harm are you most worried about?", "Further physical harm")
    first.previous_id = first.pk  # as a reconvened discussion is
    asked, answers = _analysis(minutes_draft(user=social_worker, discussion=first, now=LATER))
    assert asked == "The procedure's questions (Gloucestershire guidance §Risk Review Principles)."
    assert answers[2][0] == "3. Has this improved life for the child?"


def test_the_consent_marker_cites_birmingham_7_only_in_birmingham(
    social_worker: User, team_manager: User, police_officer: User
) -> None:
    discussion = _held(
        social_worker,
        team_manager,
        police_officer,
        "Intelligence about the household",
        consent_needed=True,
    )
    contribution = invitation(discussion, "police").contribution
    assert contribution_markings(contribution, get_profile("sandwell")) == [
        "Not to be shared with the family (Sandwell procedure §10.0)",
        "Not to be shared outside this meeting without the consent of the agency that shared it",
    ]
    assert contribution_markings(contribution, get_profile("birmingham")) == [
        "Not to be shared with the family (Working Together 2023, chapter 3: Strategy discussion)",
        "Not to be shared outside this meeting without the consent of the agency that shared it "
        "(Birmingham guidance §7)",
    ]


def test_the_real_pdf_and_docx_carry_decisions_actions_and_markings(
    social_worker: User, team_manager: User, police_officer: User
) -> None:
    import io

    from docx import Document
    from pypdf import PdfReader

    from strategise.minutes.documents import minutes_docx, minutes_pdf

    discussion = _held(
        social_worker,
        team_manager,
        police_officer,
        "Intelligence about the household",
        consent_needed=True,
        not_for_family=False,
    )
    minutes = _approve(
        team_manager, minutes_draft(user=social_worker, discussion=discussion, now=LATER)
    )
    pdf_text = " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(minutes_pdf(minutes.document))).pages
    )
    docx = Document(io.BytesIO(minutes_docx(minutes.document)))
    docx_text = " ".join(p.text for p in docx.paragraphs) + " ".join(
        cell.text for table in docx.tables for row in table.rows for cell in row.cells
    )
    for text in (pdf_text, docx_text):
        flat = " ".join(text.split())
        assert "Section 47 enquiry, joint with the police" in flat
        assert "Unexplained bruising to the face" in flat
        assert "Not to be shared outside this meeting without the consent" in flat
        assert "Approved version 1" in flat


def _section(minutes: Minutes, heading: str) -> dict[str, Any]:
    return next(s for s in minutes.document["sections"] if s["heading"] == heading)


def test_notes_on_the_procedures_agenda_reach_the_minutes_under_each_item(
    social_worker: User, team_manager: User
) -> None:
    notes = {
        "sandwell-10-0-wishes-and-feelings": "Amara will be asked with an interpreter",
        "sandwell-10-0-share-information": "The police shared two call-outs",
    }
    discussion = _held(social_worker, team_manager, record={"agenda_notes": notes})
    minutes = minutes_draft(user=social_worker, discussion=discussion, now=LATER)
    blocks = _section(minutes, "Notes on the agenda")["blocks"]
    # In the agenda's order (Sandwell §10.0), each note under its item's title.
    assert [(b["heading"], b["text"], b["id"]) for b in blocks] == [
        (
            "Share all available information",
            "The police shared two call-outs",
            "agenda-sandwell-10-0-share-information",
        ),
        (
            "How the child's wishes and feelings will be found out",
            "Amara will be asked with an interpreter",
            "agenda-sandwell-10-0-wishes-and-feelings",
        ),
    ]


def test_without_agenda_notes_there_is_no_section_for_them(
    social_worker: User, team_manager: User
) -> None:
    minutes = minutes_draft(
        user=social_worker, discussion=_held(social_worker, team_manager), now=LATER
    )
    headings = [s["heading"] for s in minutes.document["sections"]]
    assert "Notes on the agenda" not in headings


def test_attendance_lists_the_chair_and_the_minute_taker_first(
    social_worker: User, team_manager: User
) -> None:
    discussion = _held(social_worker, team_manager)
    Discussion.objects.filter(pk=discussion.pk).update(minute_taker=social_worker)
    discussion.refresh_from_db()
    minutes = minutes_draft(user=social_worker, discussion=discussion, now=LATER)
    rows = _section(minutes, "Who was invited and who attended")["blocks"][0]["rows"]
    assert rows[0] == [str(team_manager), str(team_manager.agency), "Chair", "", "Chaired it"]
    assert rows[1] == [
        str(social_worker),
        str(social_worker.agency),
        "Minute-taker",
        "",
        "Took the minutes",
    ]
    police = next(row for row in rows if row[1].startswith("Police"))
    assert police[2].startswith("Yes\n")
    assert police[2].endswith("(Sandwell procedure §3.0)")
    assert police[4] == "Attended"


def test_the_family_table_lists_a_brother_living_elsewhere(
    social_worker: User, team_manager: User
) -> None:
    """Brothers and sisters recorded as siblings are family the agendas ask to be named
    (names, aliases, dates of birth, addresses), even when they live elsewhere."""
    discussion = _held(social_worker, team_manager)
    lily = discussion.request.children.get()
    mason = ChildFactory.create(
        local_authority=lily.local_authority,
        first_name="Mason",
        last_name="Price",
        aliases="Mase",
        date_of_birth=date(2012, 1, 9),
        address="4 Elm Road",
    )
    low, high = sorted((lily.pk, mason.pk))
    SiblingLink.objects.create(child_id=low, sibling_id=high)
    document = minutes_document(read_record(discussion), status="Draft", draft=True)
    family = next(
        block
        for section in document["sections"]
        for block in section["blocks"]
        if block.get("caption") == "Family and household members"
    )
    assert [
        "Mason Price",
        f"Brother or sister of {lily.first_name}, living elsewhere",
        "Mase",
        "9 January 2012",
        "4 Elm Road",
    ] in family["rows"]
