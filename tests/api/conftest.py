"""The API's tests use the page matrix's own case (tests/web/test_access.py): the same
child, request, discussion and users, so that an operation and its page can be held to
the same answer. ``bearer`` makes a token for a user, as the account page does."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.utils import timezone

from strategise.organisations.models import User
from strategise.organisations.tokens import api_token_create
from tests.web.conftest import (  # noqa: F401 (fixtures)
    child,
    discussion,
    other_police_officer,
    police_invitation,
    strategy_request,
)
from tests.web.test_access import (  # noqa: F401 (fixtures)
    Case,
    Disputed,
    Recorded,
    case,
    disputed,
    recorded,
)

type Bearer = Callable[..., dict[str, str]]


@pytest.fixture
def bearer() -> Bearer:
    """The headers of a request with a new token of ``user``'s (read and write by default)."""

    def make(
        user: User, scopes: tuple[str, ...] = ("read", "write"), days: int = 30
    ) -> dict[str, str]:
        _, text = api_token_create(
            user=user, name="Tests", scopes=list(scopes), days=days, now=timezone.now()
        )
        return {"Authorization": f"Bearer {text}"}

    return make
