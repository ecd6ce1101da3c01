"""Request bodies are bounded: too large is refused unread (413), a form over Django's limit
or a file where no page takes one is refused (400), each with a GOV.UK page that says what
was wrong and what to do."""

from __future__ import annotations

import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from strategise.cases.models import Child
from strategise.organisations.models import User
from tests.web.pages import text

pytestmark = pytest.mark.django_db

MIB = 1024 * 1024


def _page(response: object, status: int) -> str:
    assert response.status_code == status  # type: ignore[attr-defined]
    html = response.content.decode()  # type: ignore[attr-defined]
    assert 'class="govuk-header' in html or "govuk-template" in html
    return text(html)


def test_a_body_over_the_limit_is_refused_before_it_is_read(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="strategise.security"):
        response = client.post(
            "/triage/", b"x" * (2 * MIB + 1), content_type="application/octet-stream"
        )
    words = _page(response, 413)
    assert "What you sent is too large" in words
    assert "Strategise accepts up to 2,048 KB in one go, and no page takes a file." in words
    assert [r.getMessage() for r in caplog.records if r.name == "strategise.security"] == [
        "refused 413 /triage/ from 127.0.0.1: What you sent is too large"
    ]


def test_a_hundred_megabyte_upload_is_refused_by_its_length(client: Client) -> None:
    """Refused on what Content-Length says, so not a byte of it is read or stored."""
    response = client.post(
        "/triage/",
        {"report": SimpleUploadedFile("report.pdf", b"%PDF-1.7 small")},
        CONTENT_LENGTH=str(100 * MIB),
    )
    assert "What you sent is too large" in _page(response, 413)


def test_a_signed_in_page_refuses_it_too(client: Client, social_worker: User) -> None:
    client.force_login(social_worker)
    response = client.post(
        "/children/new/",
        {"first_name": "x" * (3 * MIB)},
    )
    words = _page(response, 413)
    assert "Sign out" in words
    assert not Child.objects.exists()


def test_a_file_on_a_page_that_takes_none_is_refused(client: Client) -> None:
    response = client.post(
        "/triage/", {"profile": "sandwell", "report": SimpleUploadedFile("a.pdf", b"%PDF-1.7")}
    )
    words = _page(response, 400)
    assert "Your request could not be accepted" in words
    assert "No page of Strategise takes a file. Go back and send the form without one." in words


def test_a_form_over_the_form_limit_is_refused(client: Client) -> None:
    response = client.post("/triage/", {"notes": "y" * (MIB + MIB // 2)})
    words = _page(response, 400)
    assert "A form may hold up to 1,024 KB of text." in words


def test_a_length_that_is_not_a_number_is_refused(client: Client) -> None:
    response = client.post("/triage/", b"a=1", content_type="text/plain", CONTENT_LENGTH="lots")
    assert "Its Content-Length header was not a number of bytes." in _page(response, 400)


def test_an_ordinary_form_is_not_affected(client: Client, valid_triage: dict[str, str]) -> None:
    assert client.post("/triage/", valid_triage).status_code == 200
