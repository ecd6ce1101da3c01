"""What a request may be: how big, and how often a private link may be tried.

* A body longer than ``STRATEGISE_MAX_REQUEST_BYTES`` is refused with 413 before anything
  reads it. Only the pages that take a written report or a people import's CSV file
  (``UPLOAD_PAGES``) take a file, one at a time, and a body up to
  ``STRATEGISE_MAX_UPLOAD_BYTES``: on any other page a file part is refused
  (``FilesOnlyWhereTaken``), and so is a form over ``DATA_UPLOAD_MAX_MEMORY_SIZE``, with
  400 through ``strategise.config.errors.bad_request``.
* A private invitation link answers a limited number of requests per link and per client
  address in a window (``STRATEGISE_LINK_RATE``), counted in Django's cache: beyond that,
  429 until the window ends, so tokens cannot be guessed or a link hammered.
* The language check as you type answers a limited number of requests per user in a
  window (``STRATEGISE_LANGUAGE_RATE``), counted the same way: beyond that, 429 in JSON.

Each refusal is a GOV.UK page that says what was wrong and what to do.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import TooManyFilesSent
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve

from strategise.audit.middleware import client_address

# Refusals are security events for the operator's log (a 400 Django raises itself is also
# logged, by Django, under django.security).
logger = logging.getLogger("strategise.security")


def refused(request: HttpRequest, status: int, title: str, *paragraphs: str) -> HttpResponse:
    """A GOV.UK page for a request refused before (or instead of) its page (and a log line)."""
    logger.warning(
        "refused %s %s from %s: %s",
        status,
        request.path,
        client_address(request) or "unknown",
        title,
    )
    return render(
        request,
        "web/refused.html",
        {"title": title, "paragraphs": paragraphs},
        status=status,
    )


# The pages that take a file: an invitee's written report (signed in, or by private link),
# and the CSV file of a people import (which checks its own, smaller, limit).
UPLOAD_PAGES = frozenset({"web:discussion-report", "web:invitation-report", "web:people-import"})


def takes_a_file(request: HttpRequest) -> bool:
    """Whether the request is for a page that takes a file."""
    try:
        return resolve(request.path_info).view_name in UPLOAD_PAGES
    except Resolver404:
        return False


class FilesOnlyWhereTaken(FileUploadHandler):
    """The first upload handler: a file part sent to a page that takes none is refused
    (400, "No page of Strategise takes a file") before a byte of it is stored."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        if self.request is None or not takes_a_file(self.request):
            raise TooManyFilesSent("A file was sent to a page that takes none")
        super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def refuse_large_bodies(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Middleware: a body over the limit (by its Content-Length) is refused with 413 unread."""

    def middleware(request: HttpRequest) -> HttpResponse:
        length = request.META.get("CONTENT_LENGTH") or "0"
        try:
            size = int(length)
        except ValueError:
            size = -1
        if size < 0:
            return refused(
                request,
                400,
                "Your request could not be read",
                "Its Content-Length header was not a number of bytes. Go back and try again.",
            )
        if takes_a_file(request):
            limit = settings.STRATEGISE_MAX_UPLOAD_BYTES
            if size > limit:
                return refused(
                    request,
                    413,
                    "The file is too large",
                    "A written report may attach one PDF or Word document smaller than 10 MB, "
                    "and a people import takes a CSV file of up to 1 MB. Go back, choose a "
                    "smaller file (or save a report as a PDF), and try again.",
                )
            return get_response(request)
        limit = settings.STRATEGISE_MAX_REQUEST_BYTES
        if size > limit:
            return refused(
                request,
                413,
                "What you sent is too large",
                f"Strategise accepts up to {limit // 1024:,} KB in one go, and no page takes "
                "a file. Go back, shorten what you typed, and try again.",
            )
        return get_response(request)

    return middleware


def _over(key: str, limit: int, window: int) -> bool:
    """Count one more request against ``key``; whether the window's limit is now passed."""
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # the entry expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count > limit


def link_rate_limited(request: HttpRequest, token: str) -> HttpResponse | None:
    """The 429 page if this private link, or this client, has been tried too often lately."""
    rate = settings.STRATEGISE_LINK_RATE
    window = rate["window_seconds"]
    # The cache never holds the token itself, only its digest.
    digest = hashlib.sha256(token.encode()).hexdigest()
    by_token = _over(f"link-rate:token:{digest}", rate["per_token"], window)
    by_address = _over(
        f"link-rate:address:{client_address(request) or 'unknown'}", rate["per_address"], window
    )
    if not (by_token or by_address):
        return None
    minutes = max(1, window // 60)
    response = refused(
        request,
        429,
        "Too many attempts",
        "This invitation link, or your connection, has been used too many times in a short "
        f"while. Wait {minutes} minutes and try again.",
        "If you are having trouble replying, contact the chair of the discussion.",
    )
    response["Retry-After"] = str(window)
    return response


def language_rate_limited(request: HttpRequest, user_pk: int) -> JsonResponse | None:
    """A 429 (in JSON, for the page's script) if this user has asked for the language
    check too often lately; ``None`` if the request may go ahead."""
    rate = settings.STRATEGISE_LANGUAGE_RATE
    window = rate["window_seconds"]
    if not _over(f"language-rate:user:{user_pk}", rate["per_user"], window):
        return None
    logger.warning(
        "refused 429 %s from %s: language check rate", request.path, client_address(request)
    )
    response = JsonResponse(
        {"error": "The words are checked again when you save the page. Try again in a minute"},
        status=429,
    )
    response["Retry-After"] = str(window)
    return response
