"""Reading the people and agencies of a local authority: the directory of whom to choose,
whom to alert when someone's work falls overdue, and the accounts an administrator
manages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.shortcuts import get_object_or_404

from strategise.access import (
    may_administer,
    sees_whole_authority,
    visible_accounts,
    visible_teams,
)
from strategise.organisations.lockout import Lockout, lockout_of
from strategise.organisations.models import Agency, LocalAuthority, Role, Team, User
from strategise.organisations.second_factor import SecondFactors, second_factors_of
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


# --- account administration ------------------------------------------------------------

# A search lists at most this many accounts; more means the search should be narrower.
ACCOUNTS_SHOWN = 100


@dataclass(frozen=True)
class Accounts:
    """The accounts found (at most ``ACCOUNTS_SHOWN``) and how many matched in all."""

    accounts: list[User]
    total: int
    text: str

    @property
    def more(self) -> bool:
        return self.total > len(self.accounts)


def accounts_find(*, user: User, text: str = "") -> Accounts:
    """The administrator's authority's accounts whose name, username or email contains each
    word of ``text`` (all of them when it is blank), by name."""
    found = visible_accounts(user).select_related("agency", "team")
    for word in text.split():
        found = found.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(username__icontains=word)
            | Q(email__icontains=word)
        )
    found = found.order_by("last_name", "first_name", "username")
    return Accounts(accounts=list(found[:ACCOUNTS_SHOWN]), total=found.count(), text=text.strip())


@dataclass(frozen=True)
class AccountDetail:
    """An account as its administrator sees it: who, where, second factors and lockout."""

    account: User
    second_factors: SecondFactors
    lockout: Lockout | None
    manages: list[Team]


def account_detail(*, user: User, pk: int, now: datetime) -> AccountDetail:
    """One account of the administrator's authority (anyone else's is not found)."""
    account = get_object_or_404(visible_accounts(user).select_related("agency", "team"), pk=pk)
    return AccountDetail(
        account=account,
        second_factors=second_factors_of(user=account),
        lockout=lockout_of(username=account.username, address=None, now=now),
        manages=list(Team.objects.filter(manager=account).select_related("agency")),
    )


def account_of(*, user: User, pk: int) -> User:
    """One account of the administrator's authority, to change (anyone else's: not found)."""
    return get_object_or_404(visible_accounts(user).select_related("agency", "team"), pk=pk)


@dataclass(frozen=True)
class Organisation:
    """The agencies of the administrator's authority and their teams, to choose from."""

    agencies: list[Agency]
    teams: list[Team]


def organisation_of(*, user: User) -> Organisation:
    """The administrator's authority's agencies and teams (none for anyone else)."""
    if not may_administer(user):
        return Organisation(agencies=[], teams=[])
    teams = visible_teams(user).select_related("agency", "manager").order_by("agency", "name")
    agencies = Agency.objects.filter(local_authority_id=user.local_authority_id).order_by("name")
    return Organisation(agencies=list(agencies), teams=list(teams))


@dataclass(frozen=True)
class TeamDetail:
    """A team, and who may be named its manager: the active people of its agency."""

    team: Team
    candidates: list[User]


def team_detail(*, user: User, pk: int) -> TeamDetail:
    """One team of the administrator's authority (anyone else's is not found)."""
    team = get_object_or_404(visible_teams(user).select_related("agency", "manager"), pk=pk)
    candidates = User.objects.filter(agency=team.agency, is_active=True).order_by(
        "last_name", "first_name"
    )
    return TeamDetail(team=team, candidates=list(candidates))


# --- the demo's sign-ins ---------------------------------------------------------------

DEMO_SLUG = "demo-"


@dataclass(frozen=True)
class DemoSignIns:
    """The demo's accounts, one per role, in one demo authority, and the other demo
    authorities' endings of the same usernames ("sandwell" in ``sw.sandwell``)."""

    authority: LocalAuthority
    accounts: list[User]
    others: list[str]


def demo_sign_ins() -> DemoSignIns | None:
    """The demo's sign-ins, if the demo is loaded (``None`` otherwise): Sandwell's, else the
    first demo authority's, in the order of the roles."""
    authorities = list(LocalAuthority.objects.filter(slug__startswith=DEMO_SLUG).order_by("name"))
    if not authorities:
        return None
    shown = next((a for a in authorities if a.slug == f"{DEMO_SLUG}sandwell"), authorities[0])
    order = {role: rank for rank, role in enumerate(Role.values)}
    accounts = sorted(
        User.objects.filter(agency__local_authority=shown, is_active=True).select_related("agency"),
        key=lambda user: (order.get(user.role, len(order)), user.username),
    )
    return DemoSignIns(
        authority=shown,
        accounts=accounts,
        others=[a.slug.removeprefix(DEMO_SLUG) for a in authorities if a.pk != shown.pk],
    )
