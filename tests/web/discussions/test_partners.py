"""An invitee through the private link: confirms who they are with a code, names a deputy
from their own agency, and sends a written report with a PDF (checked by content)."""

from __future__ import annotations

import io
import re

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail import EmailMessage
from django.test import Client

from strategise.audit.models import AuditEvent
from strategise.discussions.models import (
    Discussion,
    Invitation,
    Response,
    WrittenReport,
    WrittenReportVersion,
)
from strategise.discussions.participation import (
    CONCLUDED,
    ReportFile,
    written_report_replace,
    written_report_send,
)
from strategise.discussions.recording import EditConflict
from strategise.notifications.models import Notification
from strategise.organisations.models import Role, User
from strategise.problems import Problem
from tests.discussions.support import NOW
from tests.factories import InvitationFactory, UserFactory
from tests.web.pages import error_summary, page, text

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def officer(discussion: Discussion) -> Invitation:
    police = discussion.local_authority.agencies.get(kind="police")
    return InvitationFactory.create(
        discussion=discussion,
        user=None,
        agency=police,
        agency_code="police",
        name="Sam Hart",
        email="sam.hart@police.example.org",
        required=True,
    )


def _code(sent: list[EmailMessage]) -> str:
    found = re.search(r"Your code is (\d{6})", str(sent[-1].body))
    assert found is not None
    return found.group(1)


@pytest.fixture
def other_police(discussion: Discussion, police_officer: User) -> User:
    """``police_officer``, invited to the discussion as well (see tests/web/conftest.py)."""
    return police_officer


def test_names_and_dates_of_birth_show_only_once_the_code_is_entered(
    client: Client,
    officer: Invitation,
    sent_emails: list[EmailMessage],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Emails go once the transaction commits: send them at once inside the test's own.
    monkeypatch.setattr("django.db.transaction.on_commit", lambda send, *a, **k: send())
    child = officer.discussion.request.children.get()
    link = f"/invitations/{officer.token}/"
    assert child.full_name not in text(client.get(link).content.decode())
    client.post(f"{link}identity/", {"send": "1"})
    assert sent_emails[-1].to == ["sam.hart@police.example.org"]
    wrong = client.post(
        f"{link}identity/", {"code": "000000" if _code(sent_emails) != "000000" else "111111"}
    )
    assert error_summary(wrong.content.decode()) == [
        ("The code is not right: check the email and try again", "code")
    ]
    client.post(f"{link}identity/", {"code": _code(sent_emails)})
    assert child.full_name in text(client.get(link).content.decode())


def test_a_code_stops_working_after_five_wrong_tries(
    client: Client,
    officer: Invitation,
    sent_emails: list[EmailMessage],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Emails go once the transaction commits: send them at once inside the test's own.
    monkeypatch.setattr("django.db.transaction.on_commit", lambda send, *a, **k: send())
    link = f"/invitations/{officer.token}/identity/"
    client.post(link, {"send": "1"})
    code = _code(sent_emails)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        client.post(link, {"code": wrong})
    html = client.post(link, {"code": code}).content.decode()
    assert error_summary(html) == [
        ("This code has been tried too many times: ask for a new one", "code")
    ]


def test_a_deputy_from_the_same_agency_is_invited_and_emailed(
    client: Client,
    officer: Invitation,
    sent_emails: list[EmailMessage],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Emails go once the transaction commits: send them at once inside the test's own.
    monkeypatch.setattr("django.db.transaction.on_commit", lambda send, *a, **k: send())
    link = f"/invitations/{officer.token}/deputy/"
    html = client.post(link, {"name": "Ali Khan", "email": "ali@elsewhere.example.com"})
    [(message, field)] = error_summary(html.content.decode())
    assert field == "email"
    assert message.startswith(
        "Name a deputy from your own agency: their email address must be at police.example.org"
    )
    client.post(link, {"name": "Ali Khan", "email": "ali.khan@police.example.org"})
    client.post(link, {"name": "Ali Khan", "email": "ali.khan@police.example.org"})
    deputy = Invitation.objects.get(deputy_for=officer)
    assert (deputy.name, deputy.required, deputy.agency_code) == ("Ali Khan", True, "police")
    officer.refresh_from_db()
    assert officer.response == Response.DEPUTY
    chair = officer.discussion.chair
    assert [m.to for m in sent_emails] == [[chair.email], ["ali.khan@police.example.org"]]
    assert "Sam Hart has named you as their deputy." in sent_emails[1].body
    # The chair is told, once, in Strategise and by email (which names no child).
    told = Notification.objects.get(user=chair)
    assert (told.kind, told.target_kind, told.target_key) == (
        "invitee",
        "discussion",
        officer.discussion_id,
    )
    assert told.text == (
        f"Strategy discussion {officer.discussion_id}: Sam Hart (Police) has named a deputy, "
        "Ali Khan, who is invited in their place. Open the discussion to see it."
    )
    child = officer.discussion.request.children.get()
    assert child.first_name not in sent_emails[0].body


def test_a_written_report_with_a_pdf_becomes_the_agencys_contribution(
    client: Client, officer: Invitation
) -> None:
    link = f"/invitations/{officer.token}/report/"
    client.post(
        link,
        {"text": "Two call-outs last year", "file": SimpleUploadedFile("report.pdf", PDF)},
    )
    report = WrittenReport.objects.get(invitation=officer)
    assert (report.file_kind, bytes(report.content)) == ("pdf", PDF)
    assert "Two call-outs last year" in officer.contribution.text


def test_a_file_that_is_not_what_its_name_says_is_refused_with_every_problem(
    client: Client, officer: Invitation
) -> None:
    html = client.post(
        f"/invitations/{officer.token}/report/",
        {"text": "", "file": SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf")},
    ).content.decode()
    assert error_summary(html) == [
        ("Enter your agency’s report (what it knows about the child)", "text"),
        (
            "The selected file must be a PDF or a Word document (.docx): this one is neither, "
            "whatever its name says",
            "file",
        ),
    ]
    assert not WrittenReport.objects.exists()


def test_a_file_over_ten_megabytes_is_refused(client: Client, officer: Invitation) -> None:
    big = PDF + b"0" * (10 * 1024 * 1024)
    html = client.post(
        f"/invitations/{officer.token}/report/",
        {"text": "Report", "file": SimpleUploadedFile("report.pdf", big)},
    ).content.decode()
    assert error_summary(html) == [("The selected file must be smaller than 10 MB", "file")]


def test_an_officer_invited_by_address_reads_the_discussion_once_signed_in(
    client: Client, officer: Invitation
) -> None:
    """Invited at their address, not as an account: signed in, the discussion is theirs."""
    other_police_officer = UserFactory.create(agency=officer.agency, role=Role.POLICE)
    client.force_login(other_police_officer)
    assert client.get(f"/discussions/{officer.discussion_id}/").status_code == 404
    other_police_officer.email = officer.email.upper()
    other_police_officer.save(update_fields=["email"])
    client.force_login(other_police_officer)
    words = text(client.get(f"/discussions/{officer.discussion_id}/").content.decode())
    assert "Your invitation" in words


def test_a_body_too_large_even_for_a_report_is_refused_unread(
    client: Client, officer: Invitation
) -> None:
    response = client.post(
        f"/invitations/{officer.token}/report/",
        {"text": "Report", "file": SimpleUploadedFile("report.pdf", PDF)},
        CONTENT_LENGTH=str(20 * 1024 * 1024),
    )
    assert response.status_code == 413
    words = text(response.content.decode())
    assert "The file is too large" in words
    assert "smaller than 10 MB" in words
    assert not WrittenReport.objects.exists()


def test_a_word_document_is_taken_and_only_its_reader_may_download_it(
    client: Client, officer: Invitation, team_manager: User, other_police: User
) -> None:
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    client.post(
        f"/invitations/{officer.token}/report/",
        {"text": "Our report", "file": SimpleUploadedFile("report.docx", buffer.getvalue())},
    )
    report = WrittenReport.objects.get()
    assert report.file_kind == "docx"
    path = f"/discussions/{officer.discussion_id}/written-reports/{report.pk}/"
    client.force_login(team_manager)  # the chair
    response = client.get(path)
    assert response.status_code == 200
    assert response.content == buffer.getvalue()
    assert AuditEvent.objects.filter(action="download-written-report", user=team_manager).exists()
    client.force_login(other_police)  # invited to the discussion, but not this report's
    assert client.get(path).status_code == 404


def test_the_chair_sees_the_written_report_on_the_record(
    client: Client, officer: Invitation, team_manager: User
) -> None:
    client.post(
        f"/invitations/{officer.token}/report/",
        {"text": "Two call-outs", "file": SimpleUploadedFile("calls.pdf", PDF)},
    )
    Discussion.objects.filter(pk=officer.discussion_id).update(status="started")
    client.force_login(team_manager)
    words = text(client.get(f"/discussions/{officer.discussion_id}/record/").content.decode())
    assert "Written report sent" in words
    assert "calls.pdf" in words
    assert "Two call-outs" in words


def test_a_signed_in_invitee_sees_the_childrens_dates_of_birth(
    client: Client, discussion: Discussion, police_officer: User
) -> None:
    """Sandwell §3.0: full names and dates of birth go with the invitation."""
    child = discussion.request.children.get()
    client.force_login(police_officer)
    words = text(client.get(f"/discussions/{discussion.pk}/").content.decode())
    assert re.search(rf"{child.full_name}\W+born {child.date_of_birth:%-d %B %Y}", words), words[
        :600
    ]


def test_every_form_an_invitee_sees_carries_its_csrf_token(
    client: Client, officer: Invitation, discussion: Discussion, police_officer: User
) -> None:
    """The reply form is a macro: it must still carry the page's CSRF token."""
    link = client.get(f"/invitations/{officer.token}/").content.decode()
    client.force_login(police_officer)
    signed_in = client.get(f"/discussions/{discussion.pk}/").content.decode()
    for html in (link, signed_in):
        forms = re.findall(r"<form\b.*?</form>", html, re.S)
        assert forms
        assert all('name="csrfmiddlewaretoken"' in form for form in forms)


def _send(client: Client, officer: Invitation, words: str, **files: SimpleUploadedFile) -> str:
    response = client.post(f"/invitations/{officer.token}/report/", {"text": words, **files})
    return response.content.decode()


def test_an_invitee_replaces_their_report_and_the_earlier_version_is_kept(
    client: Client, officer: Invitation, team_manager: User
) -> None:
    _send(client, officer, "Two call-outs", file=SimpleUploadedFile("calls.pdf", PDF))
    first = WrittenReport.objects.get(invitation=officer)
    html = page(client, f"/invitations/{officer.token}/report/")
    assert "Replace your written report" in text(html)
    assert "Two call-outs" in html  # the form starts from the report sent
    _send(client, officer, "Three call-outs, one this week")
    report = WrittenReport.objects.get(invitation=officer)
    assert (report.pk, report.version, report.text) == (
        first.pk,
        2,
        "Three call-outs, one this week",
    )
    assert (report.file_name, bytes(report.content)) == ("calls.pdf", PDF)  # the file stays
    earlier = WrittenReportVersion.objects.get(report=report)
    assert (earlier.version, earlier.text, earlier.file_name, bytes(earlier.content)) == (
        1,
        "Two call-outs",
        "calls.pdf",
        PDF,
    )
    assert earlier.sent_at == first.sent_at
    replaced = AuditEvent.objects.get(action="replace-written-report")
    assert replaced.detail["version"] == 2
    assert replaced.detail["replaced"]["version"] == 1
    # The contribution the report wrote follows it.
    officer.contribution.refresh_from_db()
    assert "Three call-outs, one this week" in officer.contribution.text
    assert "Two call-outs" not in officer.contribution.text
    # The chair was told of each, and sees the latest and that it replaced one.
    told = Notification.objects.filter(user=team_manager).order_by("pk")
    assert [n.text.split(": ", 1)[1] for n in told] == [
        "Sam Hart (Police) has sent a written report. Open the discussion to see it.",
        "Sam Hart (Police) has replaced their written report. Open the discussion to see it.",
    ]
    Discussion.objects.filter(pk=officer.discussion_id).update(status="started")
    words = text(page(client, f"/discussions/{officer.discussion_id}/record/", team_manager))
    assert "This is version 2: the invitee replaced the report they sent earlier." in words
    assert "Three call-outs, one this week" in words


def test_the_same_report_again_is_no_new_version(client: Client, officer: Invitation) -> None:
    _send(client, officer, "Two call-outs", file=SimpleUploadedFile("calls.pdf", PDF))
    _send(client, officer, "Two call-outs", file=SimpleUploadedFile("calls.pdf", PDF))
    _send(client, officer, "Two call-outs")
    assert WrittenReport.objects.get().version == 1
    assert not WrittenReportVersion.objects.exists()


def test_a_replacement_with_a_bad_file_changes_nothing(client: Client, officer: Invitation) -> None:
    _send(client, officer, "Two call-outs")
    html = _send(client, officer, "", file=SimpleUploadedFile("new.pdf", b"MZ not a pdf"))
    assert [field for _, field in error_summary(html)] == ["text", "file"]
    assert WrittenReport.objects.get().text == "Two call-outs"
    assert not WrittenReportVersion.objects.exists()


def test_a_contribution_someone_changed_is_not_overwritten_by_a_replacement(
    client: Client, officer: Invitation
) -> None:
    _send(client, officer, "Two call-outs")
    officer.contribution.text = "As the chair recorded it"
    officer.contribution.save()
    _send(client, officer, "Three call-outs")
    officer.contribution.refresh_from_db()
    assert officer.contribution.text == "As the chair recorded it"
    assert WrittenReport.objects.get().text == "Three call-outs"
    assert AuditEvent.objects.get(action="replace-written-report").detail["contribution"] is False


def test_once_the_discussion_has_concluded_a_report_cannot_be_replaced(
    client: Client, discussion: Discussion, police_invitation: Invitation, police_officer: User
) -> None:
    client.force_login(police_officer)
    client.post(f"/discussions/{discussion.pk}/report/", {"text": "Two call-outs"})
    report = WrittenReport.objects.get(invitation=police_invitation)
    Discussion.objects.filter(pk=discussion.pk).update(status="held")
    words = text(page(client, f"/discussions/{discussion.pk}/report/"))
    assert "The discussion has concluded, so your written report can no longer be replaced" in words
    assert "ask the chair to add a dated update" in words
    client.post(f"/discussions/{discussion.pk}/report/", {"text": "Three call-outs"})
    with pytest.raises(Problem) as caught:
        written_report_replace(
            report=report, text="Three call-outs", upload=None, user=police_officer, now=NOW
        )
    assert caught.value.errors == [("text", CONCLUDED)]
    report.refresh_from_db()
    assert (report.text, report.version) == ("Two call-outs", 1)
    assert not WrittenReportVersion.objects.exists()


def test_a_replacement_with_a_new_file_keeps_the_old_file(
    officer: Invitation, police_officer: User
) -> None:
    written_report_send(
        invitation=officer,
        text="Report",
        upload=ReportFile(name="first.pdf", content=PDF),
        user=None,
        now=NOW,
    )
    second = PDF + b"% second\n"
    report = written_report_replace(
        report=WrittenReport.objects.get(),
        text="Report",
        upload=ReportFile(name="second.pdf", content=second),
        user=None,
        now=NOW,
    )
    assert (report.version, report.file_name, bytes(report.content)) == (2, "second.pdf", second)
    earlier = WrittenReportVersion.objects.get()
    assert (earlier.file_name, bytes(earlier.content)) == ("first.pdf", PDF)


def test_a_replacement_based_on_an_old_version_saves_nothing(
    officer: Invitation, police_officer: User
) -> None:
    sent = written_report_send(
        invitation=officer, text="First", upload=None, user=police_officer, now=NOW
    )
    written_report_replace(
        report=sent, text="Second", upload=None, user=police_officer, now=NOW, expected_version=1
    )
    with pytest.raises(EditConflict) as caught:
        written_report_replace(
            report=sent, text="Third", upload=None, user=police_officer, now=NOW, expected_version=1
        )
    assert caught.value.version == 2
    assert caught.value.changes == {"text": ("Second", "Third")}
    report = WrittenReport.objects.get()
    assert (report.text, report.version) == ("Second", 2)
    assert WrittenReportVersion.objects.count() == 1
