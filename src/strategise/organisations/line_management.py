"""Who a person's line managers are, for alerts when their work falls overdue.

The team's named manager (``Team.manager``) is the one accountable person. Where a team
has none named, or the person is that manager, the alert goes to the others in the team
whose social care grade is team manager or above, so it still reaches someone.
"""

from __future__ import annotations

from strategise.organisations.models import User
from strategise.policy import vocabulary

TEAM_MANAGER_GRADES = tuple(
    grade
    for grade, rank in vocabulary.CHAIR_GRADE_ORDER.items()
    if rank >= vocabulary.CHAIR_GRADE_ORDER["team_manager"]
)


def line_managers(user: User) -> list[User]:
    """The people to alert about ``user``'s overdue work (none if they have no team)."""
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
