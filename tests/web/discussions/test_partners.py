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
from strategise.discussions.models import Discussion, Invitation, Response, WrittenReport
from strategise.organisations.models import Role, User
from tests.factories import InvitationFactory, UserFactory
from tests.web.pages import error_summary, text

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
    assert [m.to for m in sent_emails] == [["ali.khan@police.example.org"]]
    assert "Sam Hart has named you as their deputy." in sent_emails[0].body


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
