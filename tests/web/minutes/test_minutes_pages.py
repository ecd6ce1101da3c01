"""Minutes: drafted, previewed, approved by the chair, corrected, downloaded as PDF and
Word (audited), and distributed against the deadlines."""

from __future__ import annotations

import io
from typing import Any

import docx
import pytest
from django.core import mail
from django.test import Client
from pypdf import PdfReader

from strategise.audit.models import AuditEvent
from strategise.discussions.corrections import correction_close, correction_open
from strategise.discussions.models import Discussion
from strategise.discussions.recording import contribution_save
from strategise.minutes.models import Minutes, MinutesStatus, Recipient, Sending
from strategise.minutes.services import minutes_approve, minutes_draft, recipients_build
from strategise.organisations.models import LocalAuthority, User
from tests.web.pages import broken_error_links, error_summary, page, text
from tests.web.recording.support import LATER, approved_minutes, held, hidden_inputs, served_form

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def concluded(social_worker: User, team_manager: User, police_officer: User) -> Discussion:
    return held(social_worker, team_manager, police_officer)


def _revision(client: Client, path: str) -> str:
    """The draft's revision the minutes page shows (and its approve button names)."""
    (revision,) = hidden_inputs(page(client, path))["revision"]
    return revision


def test_the_minute_taker_drafts_and_previews_them(
    client: Client, social_worker: User, concluded: Discussion
) -> None:
    path = f"/discussions/{concluded.pk}/minutes/"
    words = text(page(client, path, social_worker))
    assert "Draft the minutes from the record." in words
    response = client.post(path, {"draft": "1"})
    assert response["Location"] == path
    words = text(page(client, path))
    assert "Minutes drafted: version 1" in words
    assert "Version 1 is a draft" in words
    assert "Approve version 1" not in words  # only the chair approves
    assert "Preview of version 1" in words
    assert "Draft DRAFT: not yet approved by the chair" in words
    assert "Decision for each child Child Decision and rationale Amara Okafor Section 47" in words


def test_only_the_chair_approves(
    client: Client, social_worker: User, team_manager: User, concluded: Discussion
) -> None:
    minutes_draft(user=social_worker, discussion=concluded, now=LATER)
    path = f"/discussions/{concluded.pk}/minutes/"
    client.force_login(social_worker)
    html = client.post(path, {"approve": "1"}).content.decode()
    assert "Only the chair can approve the minutes" in text(html)
    client.force_login(team_manager)
    response = client.post(path, {"approve": "1", "revision": _revision(client, path)})
    assert response["Location"] == path
    assert Minutes.objects.get().status == MinutesStatus.APPROVED
    words = text(page(client, path))
    assert "Minutes version 1 approved" in words
    assert f"Approved by {team_manager}" in words


def test_a_correction_needs_its_reason_and_is_a_new_version(
    client: Client, team_manager: User, concluded: Discussion
) -> None:
    approved_minutes(concluded, team_manager)
    path = f"/discussions/{concluded.pk}/minutes/"
    client.force_login(team_manager)
    html = client.post(path, {"draft": "1"}).content.decode()
    assert error_summary(html) == [
        ("These minutes are approved: give the reason for the correction", "correction_reason")
    ]
    client.post(path, {"draft": "1", "correction_reason": "The school's name was wrong"})
    client.post(path, {"approve": "2", "revision": _revision(client, path)})
    words = text(page(client, path))
    assert "2 Approved" in words
    assert "1 Superseded" in words
    assert "Correction: The school's name was wrong" in words


def test_each_version_downloads_as_pdf_and_word_and_the_read_is_audited(
    client: Client, team_manager: User, police_officer: User, concluded: Discussion
) -> None:
    approved_minutes(concluded, team_manager)
    client.force_login(police_officer)  # an invited agency: approved versions only
    response = client.get(f"/discussions/{concluded.pk}/minutes/1/pdf/")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="strategy-discussion-{concluded.pk}-minutes-v1.pdf"'
    )
    pdf = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "OFFICIAL-SENSITIVE" in pdf
    assert "Unexplained bruising to the face" in " ".join(pdf.split())
    response = client.get(f"/discussions/{concluded.pk}/minutes/1/docx/")
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"].endswith('-minutes-v1.docx"')
    word = docx.Document(io.BytesIO(response.content))
    cells = " ".join(c.text for t in word.tables for row in t.rows for c in row.cells)
    assert "Unexplained bruising to the face" in cells
    events = AuditEvent.objects.filter(action="download-minutes", user=police_officer)
    assert [e.detail["as"] for e in events.order_by("pk")] == ["pdf", "docx"]
    assert client.get(f"/discussions/{concluded.pk}/minutes/1/odt/").status_code == 404


def test_a_draft_is_not_for_the_invited_agencies(
    client: Client, team_manager: User, police_officer: User, concluded: Discussion
) -> None:
    minutes_draft(user=team_manager, discussion=concluded, now=LATER)
    client.force_login(police_officer)
    assert client.get(f"/discussions/{concluded.pk}/minutes/").status_code == 404
    assert client.get(f"/discussions/{concluded.pk}/minutes/1/").status_code == 404
    assert client.get(f"/discussions/{concluded.pk}/minutes/1/pdf/").status_code == 404
    assert "Minutes" not in text(page(client, f"/discussions/{concluded.pk}/")).split("Actions")[0]


def test_the_discussion_page_offers_the_approved_minutes(
    client: Client, team_manager: User, police_officer: User, concluded: Discussion
) -> None:
    approved_minutes(concluded, team_manager)
    html = page(client, f"/discussions/{concluded.pk}/", police_officer)
    assert f'href="/discussions/{concluded.pk}/minutes/1/pdf/"' in html
    words = text(page(client, f"/discussions/{concluded.pk}/minutes/1/"))
    assert "Minutes, version 1" in words
    assert "Approved Approved version 1" in words


def test_minutes_wait_for_the_discussion_to_be_concluded(
    client: Client, team_manager: User, discussion: Discussion
) -> None:
    words = text(page(client, f"/discussions/{discussion.pk}/minutes/", team_manager))
    assert "once the chair has concluded the discussion" in words


# --- distribution ----------------------------------------------------------------------


def test_the_list_is_made_from_the_invitations_and_edited(
    client: Client, team_manager: User, concluded: Discussion
) -> None:
    path = f"/discussions/{concluded.pk}/distribution/"
    words = text(page(client, path, team_manager))
    assert "No distribution list yet." in words
    assert (
        "Decisions and action points circulated Due Thursday 5 March 2026, 11:59pm Overdue"
    ) in words
    client.post(path, {"build": "1"})
    recipient = Recipient.objects.get(
        role="Invited: Education setting (school, nursery or college)"
    )
    edit = f"/discussions/{concluded.pk}/distribution/{recipient.pk}/"
    assert f'href="{edit}"' in page(client, path)
    html = client.post(
        edit, {"name": "Amir Khan", "email": "", "method": "email", "included": "on"}
    ).content.decode()
    assert error_summary(html) == [
        (
            "Enter an email address for Invited: Education setting (school, nursery or college)",
            "email",
        )
    ]
    response = client.post(
        edit,
        {"name": "Amir Khan", "email": "dsl@oak.example.org", "method": "secure_email"},
    )
    assert response["Location"] == path
    recipient.refresh_from_db()
    assert (recipient.name, recipient.method, recipient.included) == (
        "Amir Khan",
        "secure_email",
        False,
    )
    assert "Not included" in text(page(client, path))


def test_sending_records_each_recipient_against_the_deadline(
    client: Client,
    team_manager: User,
    concluded: Discussion,
    django_capture_on_commit_callbacks: Any,
) -> None:
    approved_minutes(concluded, team_manager)
    recipients_build(user=team_manager, discussion=concluded)
    path = f"/discussions/{concluded.pk}/distribution/"
    client.force_login(team_manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path, {"send": "1"})
    assert response["Location"] == path
    assert Sending.objects.count() == Recipient.objects.count() == 4
    assert len(mail.outbox) == 4
    words = text(page(client, path))
    assert "Minutes version 1 sent to 4 recipients" in words
    assert "Met late" in words  # the made-up discussion was in March
    first = Sending.objects.exclude(address="").order_by("pk").first()
    assert first is not None
    assert (
        f"email with the PDF attached to {first.address}, by {team_manager} Late for decisions "
        "and action points circulated (due Thursday 5 March 2026, 11:59pm)"
    ) in words
    html = client.post(path, {"send": "1"}).content.decode()
    assert "Everyone on the distribution list has been sent this version" in text(html)


def test_sending_waits_for_approval(
    client: Client, team_manager: User, concluded: Discussion
) -> None:
    recipients_build(user=team_manager, discussion=concluded)
    path = f"/discussions/{concluded.pk}/distribution/"
    words = text(page(client, path, team_manager))
    assert "The minutes can be sent once the chair has approved them." in words
    html = client.post(path, {"send": "1"}).content.decode()
    assert error_summary(html) == [
        ("Only approved minutes can be sent: ask the chair to approve them", "recipients")
    ]


# --- the wording ------------------------------------------------------------------------


def _police_passage(discussion: Discussion) -> str:
    return f"passage-contribution-{discussion.invitations.get(agency_code='police').pk}"


@pytest.fixture
def shared(concluded: Discussion, police_officer: User, team_manager: User) -> Discussion:
    # Shared after the chair concluded: through a correction, as the record is read-only.
    correction_open(user=team_manager, discussion=concluded, reason="Late report", now=LATER)
    contribution_save(
        user=police_officer,
        invitation=concluded.invitations.get(agency_code="police"),
        text="Two call-outs to the address last year, for shouting",
        not_for_family=True,
        consent_needed=False,
        expected_version=0,
        now=LATER,
    )
    correction_close(user=team_manager, discussion=concluded, now=LATER)
    return concluded


def test_the_minute_taker_rewords_and_the_chair_sees_what_changed(
    client: Client, social_worker: User, team_manager: User, shared: Discussion
) -> None:
    minutes_draft(user=social_worker, discussion=shared, now=LATER)
    minutes_path = f"/discussions/{shared.pk}/minutes/"
    path = f"/discussions/{shared.pk}/minutes/1/wording/"
    html = page(client, minutes_path, social_worker)
    assert f'href="{path}"' in html
    assert "Nothing has been reworded: the draft says what the record says." in text(html)
    html = page(client, path)
    words = text(html)
    assert "Change the wording of version 1" in words
    assert "What each agency shared" in words  # each section is a fieldset
    assert "Attendance, decisions, actions and dissent are printed as recorded." in words
    assert "Bristol" not in words  # Sandwell does not say it: no other area is cited
    police = _police_passage(shared)
    assert served_form(html)[police] == ["Two call-outs to the address last year, for shouting"]
    form = {**served_form(html), police: "Two call-outs in 2025, for shouting"}
    response = client.post(path, form)
    assert response["Location"] == minutes_path
    html = page(client, minutes_path, team_manager)
    words = text(html)
    assert "1 passage was reworded." in words
    changed = html.split('id="changes"')[1].split("</p>")[1]
    assert (
        'Two call-outs <del class="app-diff__removed"><span class="govuk-visually-hidden">'
        "[removed: </span>to the address last year,"
    ) in changed
    assert (
        '<ins class="app-diff__added"><span class="govuk-visually-hidden">[added: </span>in 2025,'
        in changed
    )
    assert "Two call-outs in 2025, for shouting" in words  # the preview prints the new wording
    response = client.post(
        minutes_path, {"approve": "1", "revision": _revision(client, minutes_path)}
    )
    assert response["Location"] == minutes_path
    approved = Minutes.objects.get()
    assert approved.status == MinutesStatus.APPROVED
    assert "Two call-outs in 2025, for shouting" in str(approved.document)


def test_the_chair_cannot_approve_a_draft_changed_since_the_page_was_loaded(
    client: Client, social_worker: User, team_manager: User, shared: Discussion
) -> None:
    minutes_draft(user=social_worker, discussion=shared, now=LATER)
    minutes_path = f"/discussions/{shared.pk}/minutes/"
    client.force_login(team_manager)
    seen = _revision(client, minutes_path)
    minutes_draft(user=social_worker, discussion=shared, now=LATER)  # redrafted meanwhile
    html = client.post(minutes_path, {"approve": "1", "revision": seen}).content.decode()
    assert (
        "There is a problem The draft of version 1 has changed since you opened this page (it "
        "was redrafted or reworded): it has not been approved. Read it again, with what was "
        "changed, then try again"
    ) in text(html)
    assert Minutes.objects.get().status == MinutesStatus.DRAFT
    html = client.post(minutes_path, {"approve": "1"}).content.decode()
    assert "it has not been approved" in text(html)  # a post naming no revision neither


def test_rewording_refuses_an_empty_passage_and_an_old_revision(
    client: Client, social_worker: User, shared: Discussion
) -> None:
    minutes_draft(user=social_worker, discussion=shared, now=LATER)
    path = f"/discussions/{shared.pk}/minutes/1/wording/"
    police = _police_passage(shared)
    form = served_form(page(client, path, social_worker))
    html = client.post(path, {**form, police: "  "}).content.decode()
    assert error_summary(html) == [
        (
            f"Enter the wording of “Police: {shared.invitations.get(agency_code='police').user}”",
            police,
        )
    ]
    assert not broken_error_links(html)
    minutes_draft(user=social_worker, discussion=shared, now=LATER)
    html = client.post(path, {**form, police: "Mine"}).content.decode()
    assert "it has not been reworded" in text(html)
    assert Minutes.objects.get().wording == {}


def test_approved_minutes_have_no_wording_page(
    client: Client, team_manager: User, shared: Discussion
) -> None:
    approved_minutes(shared, team_manager)
    client.force_login(team_manager)
    assert client.get(f"/discussions/{shared.pk}/minutes/1/wording/").status_code == 404


def test_bristol_minutes_say_they_are_a_summary_citing_bristol_5_3(
    client: Client,
    authority: LocalAuthority,
    social_worker: User,
    team_manager: User,
    police_officer: User,
) -> None:
    authority.profile = "bristol"
    authority.save(update_fields=["profile"])
    discussion = held(social_worker, team_manager, police_officer)
    words = text(page(client, f"/discussions/{discussion.pk}/minutes/", social_worker))
    assert "They are a summary, not a transcript" in words
    assert "Source: Bristol guidance §5.3" in words
    minutes_draft(user=social_worker, discussion=discussion, now=LATER)
    words = text(page(client, f"/discussions/{discussion.pk}/minutes/1/wording/"))
    assert "Source: Bristol guidance §5.3" in words


def test_an_invited_agency_reads_the_approved_minutes_with_their_sharing_markers(
    client: Client, police_officer: User, team_manager: User, shared: Discussion
) -> None:
    """The police, invited, read the approved minutes, each contribution with its markers."""
    minutes_draft(user=team_manager, discussion=shared, now=LATER)
    minutes = shared.minutes.get()
    minutes_approve(user=team_manager, minutes=minutes, revision=minutes.revision, now=LATER)
    words = text(page(client, f"/discussions/{shared.pk}/minutes/1/", police_officer))
    assert "Two call-outs to the address last year, for shouting" in words
    assert "Not to be shared with the family" in words
