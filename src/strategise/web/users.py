"""The signed-in user of a page."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from strategise.organisations.models import User


def current_user(request: HttpRequest) -> User:
    """The signed-in user (every page but the public ones requires one)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied("Sign in to use this page")
    return user
