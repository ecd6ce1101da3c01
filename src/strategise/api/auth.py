"""Who is asking: a bearer token (a personal access token, or one issued to a case
system's client), and whether its scopes allow the operation.

The token's user is then the user of every access rule and selector, exactly as the
signed-in user is for the pages; the session is never used here.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from strategise.api.problems import ApiError
from strategise.organisations.models import ApiScope, ApiToken, User
from strategise.organisations.tokens import api_token_authenticate


class TokenAuth(HttpBearer):
    """A bearer token with ``scope`` among its scopes."""

    def __init__(self, scope: str) -> None:
        super().__init__()
        self.scope = scope

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = api_token_authenticate(text=token, now=timezone.now())
        if found is None:
            return None
        if self.scope not in found.scopes:
            raise ApiError(
                403,
                f"This token may not {'change' if self.scope == ApiScope.WRITE else 'read'} "
                f"records: make one with the {self.scope} scope",
                headers={
                    "WWW-Authenticate": f'Bearer error="insufficient_scope", scope="{self.scope}"'
                },
            )
        request.user = found.user
        return found


READ = TokenAuth(ApiScope.READ)
WRITE = TokenAuth(ApiScope.WRITE)


def api_user(request: HttpRequest) -> User:
    """The user the request's token acts for."""
    token: Any = getattr(request, "auth", None)
    if not isinstance(token, ApiToken):
        raise ApiError(401, "Send a bearer token in the Authorization header")
    return token.user
