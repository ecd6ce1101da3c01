"""Reading the people and agencies of the user's local authority."""

from __future__ import annotations

from dataclasses import dataclass

from strategise.organisations.access import sees_whole_authority
from strategise.organisations.models import Agency, User


@dataclass(frozen=True)
class Directory:
    """Who can be chosen to chair, take minutes or be invited, and their agencies."""

    users: list[User]
    agencies: list[Agency]

    def users_of_kind(self, kind: str) -> list[User]:
        return [user for user in self.users if user.agency and user.agency.kind == kind]

    def agencies_of_kind(self, kind: str) -> list[Agency]:
        return [agency for agency in self.agencies if agency.kind == kind]


def authority_directory(*, user: User) -> Directory:
    """The active users and the agencies of the user's authority (social care only)."""
    if not sees_whole_authority(user):
        return Directory(users=[], agencies=[])
    users = User.objects.filter(
        is_active=True, agency__local_authority_id=user.local_authority_id
    ).select_related("agency")
    agencies = Agency.objects.filter(local_authority_id=user.local_authority_id)
    return Directory(users=list(users), agencies=list(agencies.order_by("name")))
