"""Who may see which case records: the one place that decides.

* Children's social care (practitioners, managers, business support) see every record of
  their own local authority.
* Everyone else (police, health, education and other agencies) sees only the discussions
  they are invited to, the requests behind them and the children in them.
* Performance analysts and administrators see no case records: they work with figures
  and accounts, not children.

Every selector that reads case data starts from one of these querysets. A record outside
them is "not found" (404), never "forbidden" (403), so its existence is not revealed.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from strategise.actions.models import Action
from strategise.cases.models import Child
from strategise.clocks.models import Clock
from strategise.disagreements.models import Disagreement
from strategise.discussions.models import Discussion
from strategise.organisations.models import LocalAuthority, Role, User
from strategise.policy import vocabulary
from strategise.problems import Problem
from strategise.requests.models import StrategyRequest

NO_CASE_ACCESS = frozenset({Role.PERFORMANCE_ANALYST, Role.ADMINISTRATOR})


def sees_whole_authority(user: User) -> bool:
    """Whether the user works in children's social care (and so sees their authority's cases)."""
    return (
        user.is_active
        and user.agency is not None
        and user.agency.kind == "childrens_social_care"
        and user.role not in NO_CASE_ACCESS
    )


def _no_case_access(user: User) -> bool:
    return not user.is_authenticated or not user.is_active or user.role in NO_CASE_ACCESS


def visible_discussions(user: User) -> QuerySet[Discussion]:
    """The discussions the user may open."""
    discussions = Discussion.objects.all()
    if _no_case_access(user):
        return discussions.none()
    if sees_whole_authority(user):
        return discussions.filter(local_authority_id=user.local_authority_id)
    return discussions.filter(invitations__user=user).distinct()


def visible_requests(user: User) -> QuerySet[StrategyRequest]:
    """The strategy discussion requests the user may open."""
    requests = StrategyRequest.objects.all()
    if _no_case_access(user):
        return requests.none()
    if sees_whole_authority(user):
        return requests.filter(local_authority_id=user.local_authority_id)
    return requests.filter(discussions__invitations__user=user).distinct()


def visible_children(user: User) -> QuerySet[Child]:
    """The children the user may open."""
    children = Child.objects.all()
    if _no_case_access(user):
        return children.none()
    if sees_whole_authority(user):
        return children.filter(local_authority_id=user.local_authority_id)
    return children.filter(requests__discussions__invitations__user=user).distinct()


def authority_of(user: User) -> LocalAuthority:
    """The local authority whose case records the user works on (social care only)."""
    if not sees_whole_authority(user) or user.agency is None:
        raise Problem("Only children's social care can do this")
    return user.agency.local_authority


def can_raise_requests(user: User) -> bool:
    """Social care raises requests (other agencies refer through their usual route)."""
    return sees_whole_authority(user)


def may_convene(user: User, request: StrategyRequest) -> bool:
    """Only the request's own authority's children's social care convenes its discussion."""
    return sees_whole_authority(user) and user.local_authority_id == request.local_authority_id


def may_run_discussion(user: User, discussion: Discussion) -> bool:
    """The chair, or the authority's children's social care, records attendance and starts."""
    return user.pk == discussion.chair_id or (
        sees_whole_authority(user) and user.local_authority_id == discussion.local_authority_id
    )


def _manager(user: User) -> bool:
    """A social care manager: a team manager or above (heads of service and directors too)."""
    return (user.grade_rank or -1) >= vocabulary.CHAIR_GRADE_ORDER["team_manager"]


def may_see_reports(user: User) -> bool:
    """Performance figures are for the authority's performance analysts and its social care
    managers (team manager and above); never for practitioners or other agencies."""
    return (
        user.is_authenticated
        and user.is_active
        and user.agency is not None
        and user.agency.kind == "childrens_social_care"
        and (user.role == Role.PERFORMANCE_ANALYST or _manager(user))
    )


def may_download_returns(user: User) -> bool:
    """The statutory returns list children one by one, so only social care managers, who see
    the authority's case records, may download them (analysts see figures only)."""
    return sees_whole_authority(user) and _manager(user)


def visible_clocks(user: User) -> QuerySet[Clock]:
    """The statutory clocks the user may see: those of the requests they may see."""
    clocks = Clock.objects.all()
    if _no_case_access(user):
        return clocks.none()
    if sees_whole_authority(user):
        return clocks.filter(local_authority_id=user.local_authority_id)
    return clocks.filter(request__in=visible_requests(user))


def visible_actions(user: User) -> QuerySet[Action]:
    """The actions the user may see: those of the discussions they may see, and their own."""
    actions = Action.objects.all()
    if _no_case_access(user):
        return actions.none()
    if sees_whole_authority(user):
        return actions.filter(discussion__local_authority_id=user.local_authority_id)
    return actions.filter(Q(owner=user) | Q(discussion__in=visible_discussions(user)))


def visible_disagreements(user: User) -> QuerySet[Disagreement]:
    """The professional disagreements the user may see: their authority's (social care), or
    those they raised, hold, or that are about a request they may see."""
    disagreements = Disagreement.objects.all()
    if _no_case_access(user):
        return disagreements.none()
    if sees_whole_authority(user):
        return disagreements.filter(local_authority_id=user.local_authority_id)
    return disagreements.filter(
        Q(raised_by=user) | Q(holder=user) | Q(request__in=visible_requests(user))
    )


def may_oversee(user: User) -> bool:
    """Team managers and above in children's social care oversee their whole authority."""
    return sees_whole_authority(user) and _manager(user)
