"""A discussion's minutes: each version's status (approved, distributed when), and each
version as the PDF or Word document the minutes page serves. Those who record the
discussion see every version, drafts included; anyone else who may open it sees only
approved ones (``minutes.selectors.visible_minutes``). A download is the page's audited
read (``minutes_get``)."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import Path, Router

from strategise.api.auth import READ, api_user
from strategise.api.paging import MAX_KEY, one_page
from strategise.api.recording_schemas import MinutesPage, minutes_out
from strategise.discussions.selectors import discussion_get
from strategise.minutes.documents import FORMATS, minutes_file
from strategise.minutes.selectors import minutes_get

router = Router(tags=["minutes"], auth=READ)

MAX_VERSION = 2**31 - 1


@router.get(
    "/discussions/{pk}/minutes", response=MinutesPage, summary="List a discussion's minutes"
)
def minutes(request: HttpRequest, pk: int = Path(..., ge=1, le=MAX_KEY)) -> dict[str, object]:
    """The versions of the minutes you may see, newest first."""
    detail = discussion_get(user=api_user(request), pk=pk, minutes=True)
    return one_page(detail.minutes or [], minutes_out)


def _download(
    request: HttpRequest, pk: int, number: int, kind: Literal["pdf", "docx"]
) -> HttpResponse:
    found = minutes_get(user=api_user(request), discussion_pk=pk, number=number, purpose=kind)
    file = minutes_file(found, kind)
    response = HttpResponse(file.content, content_type=file.media_type)
    response["Content-Disposition"] = f'attachment; filename="{file.name}"'
    return response


def _document(kind: Literal["pdf", "docx"]) -> dict[str, object]:
    return {
        "responses": {
            "200": {
                "description": f"The minutes as {kind.upper()}",
                "content": {FORMATS[kind]: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    }


@router.get(
    "/discussions/{pk}/minutes/{number}/pdf",
    summary="Download a version of the minutes as PDF",
    openapi_extra=_document("pdf"),
)
def minutes_as_pdf(
    request: HttpRequest,
    pk: int = Path(..., ge=1, le=MAX_KEY),
    number: int = Path(..., ge=1, le=MAX_VERSION),
) -> HttpResponse:
    """One version of the minutes as the tagged PDF the minutes page serves."""
    return _download(request, pk, number, "pdf")


@router.get(
    "/discussions/{pk}/minutes/{number}/docx",
    summary="Download a version of the minutes as Word",
    openapi_extra=_document("docx"),
)
def minutes_as_docx(
    request: HttpRequest,
    pk: int = Path(..., ge=1, le=MAX_KEY),
    number: int = Path(..., ge=1, le=MAX_VERSION),
) -> HttpResponse:
    """One version of the minutes as the Word document the minutes page serves."""
    return _download(request, pk, number, "docx")
