"""OAuth 2 client credentials (RFC 6749 §4.4): a case system's id and secret for a
short-lived bearer token. Errors carry OAuth's ``error`` code beside the problem details."""

from __future__ import annotations

import base64
import binascii

from django.http import HttpRequest
from django.utils import timezone
from ninja import Form, Router

from strategise.api.problems import ApiError, ProblemDetails
from strategise.api.schemas import TokenIn, TokenOut
from strategise.organisations.tokens import CLIENT_TOKEN_LIFETIME, api_client_token_issue
from strategise.problems import Problem

router = Router(tags=["oauth"])


def _basic(request: HttpRequest) -> tuple[str, str] | None:
    """The client id and secret of an ``Authorization: Basic`` header (RFC 6749 §2.3.1)."""
    scheme, _, encoded = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        client_id, _, secret = base64.b64decode(encoded, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return client_id, secret


@router.post(
    "/oauth/token",
    response={200: TokenOut, 400: ProblemDetails, 401: ProblemDetails},
    auth=None,
    summary="Get a bearer token for a case system",
)
def token(request: HttpRequest, grant: Form[TokenIn]) -> TokenOut:
    """Exchange a client's id and secret (in the form, or as HTTP Basic) for a bearer
    token that lasts 15 minutes, acting as the client's service account."""
    if grant.grant_type != "client_credentials":
        raise ApiError(
            400,
            "Only the client_credentials grant is offered",
            errors=[("grant_type", "Send grant_type=client_credentials")],
            extra={"error": "unsupported_grant_type"},
        )
    client_id, secret = _basic(request) or (grant.client_id, grant.client_secret)
    try:
        issued, text = api_client_token_issue(
            client_id=client_id, secret=secret, scope=grant.scope, now=timezone.now()
        )
    except Problem as problem:
        field = problem.errors[0][0]
        status, code = (400, "invalid_scope") if field == "scope" else (401, "invalid_client")
        raise ApiError(
            status,
            str(problem),
            errors=problem.errors,
            extra={"error": code},
            headers={"WWW-Authenticate": 'Basic realm="strategise"'} if status == 401 else {},
        ) from None
    return TokenOut(
        access_token=text,
        token_type="Bearer",  # noqa: S106 (the scheme's name, RFC 6750)
        expires_in=int(CLIENT_TOKEN_LIFETIME.total_seconds()),
        scope=" ".join(issued.scopes),
    )
