"""Reading the people and agencies of a local authority: the directory of whom to choose,
and whom to alert when someone's work falls overdue."""

from __future__ import annotations

from dataclasses import dataclass

from strategise.access import sees_whole_authority
from strategise.organisations.models import Agency, User
from strategise.policy import vocabulary

TEAM_MANAGER_GRADES = tuple(
    grade
    for grade, rank in vocabulary.CHAIR_GRADE_ORDER.items()
    if rank >= vocabulary.CHAIR_GRADE_ORDER["team_manager"]
)


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


def line_managers(user: User) -> list[User]:
    """The people to alert about ``user``'s overdue work (none if they have no team).

    The team's named manager (``Team.manager``) is the one accountable person. Where a
    team has none named, or the person is that manager, the alert goes to the others in
    the team whose social care grade is team manager or above, so it still reaches someone.
    """
    team = user.team
    if team is None:
        return []
    if team.manager_id is not None and team.manager_id != user.pk:
        manager = team.manager
        return [manager] if manager is not None and manager.is_active else []
    return list(
        User.objects.filter(team=team, is_active=True, role__in=TEAM_MANAGER_GRADES)
        .exclude(pk=user.pk)
        .order_by("pk")
    )


def team_manager_of(user: User) -> User | None:
    """The manager of the user's team: its named manager (``Team.manager``), else the first
    active member of manager grade (the user themself, if that is them); ``None`` if the
    user has no team or it has no manager."""
    team = user.team
    if team is None:
        return None
    if team.manager is not None and team.manager.is_active:
        return team.manager
    return (
        User.objects.filter(team=team, is_active=True, role__in=TEAM_MANAGER_GRADES)
        .order_by("pk")
        .first()
    )
