"""Signing in with a username and password: Django's model backend, reading the signed-in
user on each request with their agency and its local authority in the same query.

Every page after signing in asks for the user's authority (the access rules scope by it)
and most for the authority itself (its profile, its name in the header); without this,
each was one more query a page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from strategise.organisations.models import User


class UserBackend(ModelBackend):
    """``ModelBackend``, with the user's agency and authority read with the user."""

    def get_user(self, user_id: Any) -> User | None:
        user = (
            User._default_manager.select_related("agency__local_authority")
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None

    async def aget_user(self, user_id: Any) -> User | None:
        user = (
            await User._default_manager.select_related("agency__local_authority")
            .filter(pk=user_id)
            .afirst()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
