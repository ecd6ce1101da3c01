"""Errors as RFC 9457 problem details (``application/problem+json``).

Every error the API gives has the same shape: ``type``, ``title``, ``status``, ``detail``
and, for input that was wrong, ``errors`` naming each field (as the pages' error summary
does). ``strategise.problems.Problem`` is the one domain error; this module is the one
place that maps it (and the framework's own errors) to HTTP.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Schema

from strategise.problems import Problem

MEDIA_TYPE = "application/problem+json"
# Problem types: a page of docs/api.md names each (RFC 9457 §3.1.1).
TYPES = {
    400: "bad-request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    412: "edit-conflict",
    422: "invalid",
    428: "precondition-required",
    429: "too-many-requests",
    500: "server-error",
}
TITLES = {
    400: "The request could not be read",
    401: "A valid bearer token is needed",
    403: "You may not do this",
    404: "Not found",
    405: "Method not allowed",
    412: "Someone else changed this since you read it",
    422: "Something in the request is wrong",
    428: "Say which version you are changing",
    429: "Too many requests",
    500: "Server error",
}


class FieldError(Schema):
    """One thing wrong with the request, and the field it belongs to (None: the whole)."""

    field: str | None
    detail: str


class ProblemDetails(Schema):
    """An error (RFC 9457)."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: list[FieldError] = []


class ApiError(Exception):
    """An error answered as problem details; ``extra`` adds members (RFC 9457 §3.2)."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        errors: list[tuple[str | None, str]] | None = None,
        extra: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors or []
        self.extra = extra or {}
        self.headers = headers or {}


def problem_body(request: HttpRequest, error: ApiError) -> dict[str, Any]:
    """The problem details document for ``error``."""
    return {
        "type": f"/api/v1/problems/{TYPES.get(error.status, 'error')}",
        "title": TITLES.get(error.status, "Error"),
        "status": error.status,
        "detail": error.detail,
        "instance": request.path,
        "errors": [{"field": field, "detail": text} for field, text in error.errors],
        **error.extra,
    }


def problem_response(request: HttpRequest, error: ApiError) -> HttpResponse:
    """``error`` as an ``application/problem+json`` response."""
    response = HttpResponse(
        json.dumps(problem_body(request, error), default=str),
        status=error.status,
        content_type=MEDIA_TYPE,
    )
    for name, value in error.headers.items():
        response[name] = value
    return response


def fields_renamed(problem: Problem, names: dict[str, str]) -> Problem:
    """``problem`` with its fields named as the API's body names them, where a service
    names one as its form does (``{"reason": "apologies_reason"}``)."""
    problem.errors = [(names.get(field or "", field), text) for field, text in problem.errors]
    return problem
