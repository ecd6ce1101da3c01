"""The pages for a request refused, "not found" and a failure of the service
(``handler400``/``handler404``/``handler500``).

A failure page must not fail in its turn: it queries nothing (the failure may be the
database), and if the template cannot render it falls back to plain HTML. Each failure gets
a short reference, shown to the user and written in the log line with the exception, so a
report of it can be matched to the traceback.
"""

from __future__ import annotations

import logging
import secrets
import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render

from strategise.web.limits import refused

logger = logging.getLogger("django.request")

FALLBACK = (
    "<!DOCTYPE html><html lang='en-GB'><head><title>Sorry, there is a problem with the service"
    " – Strategise</title></head><body><h1>Sorry, there is a problem with the service</h1>"
    "<p>Try again later.</p><p>If it keeps happening, quote this reference: {reference}</p>"
    "</body></html>"
)


def error_reference() -> str:
    """A short reference a person can read out: eight letters and digits, like 7QK3-M9XD."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
    code = "".join(secrets.choice(alphabet) for _ in range(8))
    return f"{code[:4]}-{code[4:]}"


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The GOV.UK 400 page: what was wrong with the request, in plain words (and a log line)."""
    if isinstance(exception, TooManyFilesSent):
        reason = "No page of Strategise takes a file. Go back and send the form without one."
    elif isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024
        reason = (
            f"A form may hold up to {limit:,} KB of text. Go back, shorten what you typed, "
            "and try again."
        )
    elif isinstance(exception, TooManyFieldsSent):
        reason = "The form had more fields than any page of Strategise has. Go back and try again."
    else:
        reason = "Part of it was not in a form Strategise understands. Go back and try again."
    return refused(request, 400, "Your request could not be accepted", reason)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The GOV.UK "Page not found" page."""
    return render(request, "web/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """The GOV.UK "Sorry, there is a problem with the service" page, with a reference."""
    reference = error_reference()
    # Django logs the failure after this returns; log it here instead, with the reference.
    logger.error(
        "Internal Server Error: %s (reference %s)",
        request.path,
        reference,
        exc_info=sys.exc_info(),
        extra={"status_code": 500, "request": request, "reference": reference},
    )
    try:
        response = render(request, "web/500.html", {"reference": reference}, status=500)
    except Exception:
        logger.exception("The error page failed to render too (reference %s)", reference)
        response = HttpResponseServerError(FALLBACK.format(reference=reference))
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response
