"""Who may see which case records, and who may do what with them: the one place that decides.

* Children's social care (practitioners, managers, business support) see every record of
  their own local authority.
* Everyone else (police, health, education and other agencies) sees only the discussions
  they are invited to, the requests behind them and the children in them.
* Performance analysts and administrators see no case records: they work with figures
  and accounts, not children. Administrators manage the accounts and teams of their own
  local authority (``visible_accounts``, ``visible_teams``, ``may_administer``).

Every selector that reads case data starts from one of the ``visible_*`` querysets. A
record outside them is "not found" (404), never "forbidden" (403), so its existence is
not revealed. Every service that changes a record asks one of the ``may_*`` predicates.

This module reads models only (and the policy's vocabulary): services, selectors and
pages import it, never the other way round.
"""

from __future__ import annotations

from typing import Protocol

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from strategise.actions.models import Action
from strategise.cases.models import Adult, Child, Household
from strategise.clocks.models import Clock
from strategise.disagreements.models import Disagreement
from strategise.discussions.models import Discussion, Invitation, WrittenReport
from strategise.integrations.models import WebhookEndpoint
from strategise.network.models import Link, NetworkSetting, PatternAlert
from strategise.organisations.models import LocalAuthority, Role, Team, User
from strategise.policy import vocabulary
from strategise.problems import Problem
from strategise.requests.models import StrategyRequest

NO_CASE_ACCESS = frozenset({Role.PERFORMANCE_ANALYST, Role.ADMINISTRATOR})


class OfAnAuthority(Protocol):
    """A case record that belongs to one local authority."""

    @property
    def local_authority_id(self) -> int: ...


# --- who someone is ---------------------------------------------------------------------


def sees_whole_authority(user: User) -> bool:
    """Whether the user works in children's social care (and so sees their authority's cases)."""
    return (
        user.is_active
        and user.agency is not None
        and user.agency.kind == "childrens_social_care"
        and user.role not in NO_CASE_ACCESS
    )


def social_care_of(user: User, record: OfAnAuthority) -> bool:
    """Whether the user is in children's social care of the record's own local authority."""
    return sees_whole_authority(user) and user.local_authority_id == record.local_authority_id


def _no_case_access(user: User) -> bool:
    return not user.is_authenticated or not user.is_active or user.role in NO_CASE_ACCESS


def _manager(user: User) -> bool:
    """A social care manager: a team manager or above (heads of service and directors too)."""
    return (user.grade_rank or -1) >= vocabulary.CHAIR_GRADE_ORDER["team_manager"]


def authority_of(user: User) -> LocalAuthority:
    """The local authority whose case records the user works on (social care only)."""
    if not sees_whole_authority(user) or user.agency is None:
        raise Problem("Only children's social care can do this")
    return user.agency.local_authority


def _invited(user: User, path: str) -> Q:
    """Invited through ``path`` (the lookup to the invitations, or "" on invitations
    themselves): as the user, or at the user's own email address when the invitation names
    no user (an agency invited by address whose officer then signs in)."""
    prefix = f"{path}__" if path else ""
    invited = Q(**{f"{prefix}user": user})
    if user.email:
        invited |= Q(**{f"{prefix}user__isnull": True, f"{prefix}email__iexact": user.email})
    return invited


def invited(user: User, path: str = "") -> Q:
    """The filter for what the user is invited to, through ``path`` ("" on invitations):
    by account, or at their own address (as ``visible_children`` and the rest count it)."""
    return _invited(user, path)


def invitation_is_theirs(user: User | AnonymousUser, invitation: Invitation) -> bool:
    """Whether the invitation is the signed-in user's: theirs by account, or (naming no
    account) sent to their email address."""
    if not user.is_authenticated or not user.is_active:
        return False
    if invitation.user_id is not None:
        return bool(invitation.user_id == user.pk)
    return bool(invitation.email) and invitation.email.lower() == (user.email or "").lower()


# --- what someone may see ---------------------------------------------------------------


def visible_discussions(user: User) -> QuerySet[Discussion]:
    """The discussions the user may open."""
    discussions = Discussion.objects.all()
    if _no_case_access(user):
        return discussions.none()
    if sees_whole_authority(user):
        return discussions.filter(local_authority_id=user.local_authority_id)
    return discussions.filter(_invited(user, "invitations")).distinct()


def visible_requests(user: User) -> QuerySet[StrategyRequest]:
    """The strategy discussion requests the user may open."""
    requests = StrategyRequest.objects.all()
    if _no_case_access(user):
        return requests.none()
    if sees_whole_authority(user):
        return requests.filter(local_authority_id=user.local_authority_id)
    return requests.filter(_invited(user, "discussions__invitations")).distinct()


def visible_children(user: User) -> QuerySet[Child]:
    """The children the user may open."""
    children = Child.objects.all()
    if _no_case_access(user):
        return children.none()
    if sees_whole_authority(user):
        return children.filter(local_authority_id=user.local_authority_id)
    return children.filter(_invited(user, "requests__discussions__invitations")).distinct()


def visible_adults(user: User) -> QuerySet[Adult]:
    """The adults the user may open: their authority's (social care), or those linked to a
    child the user may see (an invited agency needs to know who is around the child)."""
    adults = Adult.objects.all()
    if _no_case_access(user):
        return adults.none()
    if sees_whole_authority(user):
        return adults.filter(local_authority_id=user.local_authority_id)
    return adults.filter(child_links__child__in=visible_children(user)).distinct()


def visible_households(user: User) -> QuerySet[Household]:
    """The households the user may open: their authority's (social care), or those of a
    child the user may see. What the page lists of it is each member the user may see."""
    households = Household.objects.all()
    if _no_case_access(user):
        return households.none()
    if sees_whole_authority(user):
        return households.filter(local_authority_id=user.local_authority_id)
    return households.filter(child__in=visible_children(user)).distinct()


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
        return actions.filter(local_authority_id=user.local_authority_id)
    return actions.filter(Q(owner=user) | Q(discussion__in=visible_discussions(user)))


def visible_disagreements(user: User) -> QuerySet[Disagreement]:
    """The professional disagreements the user may see: their authority's (social care), or
    those they raised, hold, or that are about a request they may see."""
    disagreements = Disagreement.objects.all()
    if _no_case_access(user):
        return disagreements.none()
    if sees_whole_authority(user):
        return disagreements.filter(local_authority_id=user.local_authority_id)
    held = Disagreement.holders.through.objects.filter(user=user).values("disagreement_id")
    return disagreements.filter(
        Q(raised_by=user) | Q(pk__in=held) | Q(request__in=visible_requests(user))
    )


def visible_network_links(user: User) -> QuerySet[Link]:
    """The links of the network around children the user may see: their authority's
    (social care), or those recorded on a request the user may see (an invited agency
    needs to know the network of the case it is invited to, and no other case's)."""
    links = Link.objects.all()
    if _no_case_access(user):
        return links.none()
    if sees_whole_authority(user):
        return links.filter(local_authority_id=user.local_authority_id)
    return links.filter(request__in=visible_requests(user))


def is_exploitation_lead(user: User) -> bool:
    """Whether the user is their authority's exploitation lead, or in its exploitation
    team (its network setting)."""
    if not sees_whole_authority(user):
        return False
    named = Q(exploitation_lead=user)
    if user.team_id is not None:
        named |= Q(exploitation_team_id=user.team_id)
    return NetworkSetting.objects.filter(named, local_authority_id=user.local_authority_id).exists()


def may_set_network(user: User) -> bool:
    """Who names the exploitation lead and the authorities patterns are shared with: the
    authority's administrators, and its heads of service and directors of social care."""
    if may_administer(user):
        return True
    return (
        sees_whole_authority(user)
        and (user.grade_rank or -1) >= vocabulary.CHAIR_GRADE_ORDER["head_of_service"]
    )


def may_import_people(user: User) -> bool:
    """Who imports a whole authority's children and adults from its case system's export (a
    fresh second factor asked too): its heads of service and directors of social care, who
    see every case record the import touches (its check names references already recorded).
    Not administrators, who see no case records (docs/decisions.md, "Importing people from
    a page")."""
    return (
        sees_whole_authority(user)
        and (user.grade_rank or -1) >= vocabulary.CHAIR_GRADE_ORDER["head_of_service"]
    )


def may_see_patterns(user: User) -> bool:
    """Patterns across cases join children of different cases, so only the authority's
    exploitation lead and its social care managers (team manager and above) see them."""
    return sees_whole_authority(user) and (_manager(user) or is_exploitation_lead(user))


def visible_pattern_alerts(user: User) -> QuerySet[PatternAlert]:
    """The patterns across cases of the user's authority, if they may see them."""
    alerts = PatternAlert.objects.all()
    if not may_see_patterns(user):
        return alerts.none()
    return alerts.filter(local_authority_id=user.local_authority_id)


def may_record_network(user: User, request: StrategyRequest) -> bool:
    """Children's social care of the request's authority maps its network (the agencies
    say what they know in the discussion; social care records it)."""
    return social_care_of(user, request)


def may_handle_alert(user: User, alert: PatternAlert) -> bool:
    """The exploitation lead or a social care manager of the authority dismisses an alert
    or raises a complex request from it."""
    return social_care_of(user, alert) and (_manager(user) or is_exploitation_lead(user))


def works_with_cases(user: User) -> bool:
    """Whether the user works with case records at all (and so has a caseload): anyone
    active but performance analysts and administrators."""
    return not _no_case_access(user)


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


def may_oversee(user: User) -> bool:
    """Team managers and above in children's social care oversee their whole authority."""
    return sees_whole_authority(user) and _manager(user)


def may_administer(user: User, account: User | None = None) -> bool:
    """An active administrator manages the accounts of their own local authority (and, with
    ``account`` given, that account only if it is one of them)."""
    if not (
        user.is_authenticated
        and user.is_active
        and user.role == Role.ADMINISTRATOR
        and user.local_authority_id is not None
    ):
        return False
    return account is None or account.local_authority_id == user.local_authority_id


def visible_accounts(user: User) -> QuerySet[User]:
    """The accounts an administrator manages: everyone in their authority's agencies."""
    if not may_administer(user):
        return User.objects.none()
    return User.objects.filter(agency__local_authority_id=user.local_authority_id)


def visible_webhook_endpoints(user: User) -> QuerySet[WebhookEndpoint]:
    """The webhook endpoints an administrator manages: their own authority's."""
    if not may_administer(user):
        return WebhookEndpoint.objects.none()
    return WebhookEndpoint.objects.filter(local_authority_id=user.local_authority_id)


def visible_teams(user: User) -> QuerySet[Team]:
    """The teams of the administrator's authority's agencies."""
    if not may_administer(user):
        return Team.objects.none()
    return Team.objects.filter(agency__local_authority_id=user.local_authority_id)


# --- what someone may do ----------------------------------------------------------------


def can_raise_requests(user: User) -> bool:
    """Social care raises requests (other agencies refer through their usual route)."""
    return sees_whole_authority(user)


def may_change_child(user: User, child: Child) -> bool:
    """A child's record is changed by children's social care of the child's own authority."""
    return social_care_of(user, child)


def may_change_adult(user: User, adult: Adult) -> bool:
    """An adult's record (and their links to children) is changed by children's social care
    of the adult's own authority."""
    return social_care_of(user, adult)


def may_convene(user: User, request: StrategyRequest) -> bool:
    """Only the request's own authority's children's social care convenes its discussion."""
    return social_care_of(user, request)


def may_close_request(user: User, request: StrategyRequest) -> bool:
    """A team manager or above in the request's authority's social care closes it without
    a discussion (Bristol §6: the manager takes a view on whether one is needed)."""
    return social_care_of(user, request) and _manager(user)


def may_withdraw_request(user: User, request: StrategyRequest) -> bool:
    """Whoever raised the request withdraws it, or a manager who may close it."""
    return (social_care_of(user, request) and user.pk == request.raised_by_id) or may_close_request(
        user, request
    )


def may_run_discussion(user: User, discussion: Discussion) -> bool:
    """The chair, or the authority's children's social care, records attendance and starts."""
    return user.is_active and (user.pk == discussion.chair_id or social_care_of(user, discussion))


def may_record(user: User, discussion: Discussion) -> bool:
    """The chair, the minute-taker and the authority's social care may record."""
    return user.is_active and (
        user.pk in (discussion.chair_id, discussion.minute_taker_id)
        or social_care_of(user, discussion)
    )


def may_edit_distribution(user: User, discussion: Discussion) -> bool:
    """Who decides where the minutes go (and sends them): the chair, the minute-taker, or a
    team manager (or above) in the discussion's authority's social care."""
    return user.pk in (discussion.chair_id, discussion.minute_taker_id) or (
        social_care_of(user, discussion) and _manager(user)
    )


def may_confirm_outside_address(user: User, discussion: Discussion) -> bool:
    """A team manager (or above) in the authority's social care confirms that the minutes
    may go to an address outside the authority's secure domains."""
    return social_care_of(user, discussion) and _manager(user)


def may_reply_by_link(user: User | AnonymousUser, invitation: Invitation) -> bool:
    """An invitation's private link answers whoever holds it, unless they are signed in as
    someone else: then it is not theirs (not their user, nor their email address)."""
    if not user.is_authenticated:
        return True
    return invitation_is_theirs(user, invitation)


def may_read_written_report(user: User, report: WrittenReport) -> bool:
    """A written report (and its file) is read by those who record its discussion, and by
    the invitee who sent it; never by another invited agency."""
    if _no_case_access(user):
        return False
    return may_record(user, report.invitation.discussion) or invitation_is_theirs(
        user, report.invitation
    )


def may_confirm_no_further_action(user: User, discussion: Discussion) -> bool:
    """A team manager (or above) in the discussion's authority's social care."""
    return social_care_of(user, discussion) and _manager(user)


def may_correct(user: User, discussion: Discussion) -> bool:
    """The chair, or a team manager or above in the authority's social care, opens (and
    closes) a correction of a concluded discussion's record."""
    return user.is_active and (
        user.pk == discussion.chair_id or (social_care_of(user, discussion) and _manager(user))
    )


def may_own_action(user: User, discussion: Discussion) -> bool:
    """Whether the user could open the discussion, and so own one of its actions: its
    authority's social care, or someone invited to it (never an analyst or administrator,
    who see no case records, nor someone deactivated)."""
    if _no_case_access(user):
        return False
    return (
        social_care_of(user, discussion)
        or discussion.invitations.filter(_invited(user, "")).exists()
    )


def may_update_action(user: User, action: Action) -> bool:
    """The action's owner, or those who record its discussion."""
    return user.is_active and (user.pk == action.owner_id or may_record(user, action.discussion))


def may_mark_met(user: User, clock: Clock) -> bool:
    """The person responsible for a clock, or the authority's social care, records it met."""
    return user.is_active and (user.pk == clock.responsible_id or social_care_of(user, clock))


def may_stop_clock(user: User, clock: Clock) -> bool:
    """A team manager or above in the authority's social care stops a statutory clock."""
    return social_care_of(user, clock) and _manager(user)


def may_raise(user: User, request: StrategyRequest) -> bool:
    """A participant: social care of the authority, or an invitee to one of its discussions."""
    return visible_requests(user).filter(pk=request.pk).exists()


def may_move(user: User, disagreement: Disagreement) -> bool:
    """Whoever raised or holds it, or a social care manager of the authority, moves it on."""
    return user.is_active and (
        user.pk == disagreement.raised_by_id
        or (social_care_of(user, disagreement) and _manager(user))
        or disagreement.holders.filter(pk=user.pk).exists()
    )
