"""The oversight dashboard: what is due, overdue or in dispute across an authority.

For team managers and above in children's social care. Every list reads only live work
(open requests, live clocks, open actions, open disagreements) through an index, selects
only the columns shown, and returns at most ``limit`` rows with the total beside them, so
the page costs the same after five years of history as after five days.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F, Q, QuerySet

from strategise.access import (
    may_oversee,
    visible_actions,
    visible_clocks,
    visible_disagreements,
    visible_requests,
)
from strategise.actions.models import ActionStatus
from strategise.audit.services import audit_record
from strategise.cases.models import Child
from strategise.cases.selectors import children_named
from strategise.clocks.models import CLOCK_LABELS, LIVE_STATES, ClockState
from strategise.disagreements.models import Disagreement, DisagreementStatus, Subject
from strategise.organisations.models import Agency, Team, User
from strategise.oversight.work import children_in_words
from strategise.policy import LONDON, list_profiles, vocabulary
from strategise.problems import Problem
from strategise.requests.models import RequestStatus

LIMIT = 25
OPEN_REQUESTS = (RequestStatus.AWAITING_CONVENING, RequestStatus.CONVENED)
# The clocks that say a discussion's decisions, minutes or record have yet to go out.
DISTRIBUTION_CLOCKS = ("decisions_circulated", "minutes_distributed", "out_of_hours_record_sent")
SOCIAL_CARE = "childrens_social_care"


@dataclass(frozen=True)
class Filters:
    """What the dashboard is narrowed to; ``None`` means everything."""

    team: int | None = None
    agency: str | None = None
    profile: str | None = None
    due_from: date | None = None
    due_to: date | None = None

    @property
    def any(self) -> bool:
        return any(value is not None for value in vars(self).values())

    def window(self) -> tuple[datetime | None, datetime | None]:
        """The dates as London times: from the start of ``due_from`` to the end of ``due_to``."""
        start = datetime.combine(self.due_from, time.min, LONDON) if self.due_from else None
        end = (
            datetime.combine(self.due_to + timedelta(days=1), time.min, LONDON)
            if self.due_to
            else None
        )
        return start, end


@dataclass(frozen=True)
class RequestRow:
    pk: int
    hold_by: datetime | None
    status: str
    discussion_type: str
    raised_by: str

    def overdue(self, now: datetime) -> bool:
        return self.hold_by is not None and self.hold_by < now


@dataclass(frozen=True)
class ClockRow:
    pk: int
    label: str
    due_at: datetime
    state: str
    request_id: int
    discussion_id: int | None
    responsible: str
    source: str

    def overdue(self, now: datetime) -> bool:
        return self.due_at < now


@dataclass(frozen=True)
class ActionRow:
    pk: int
    description: str
    due_at: datetime
    discussion_id: int
    request_id: int
    owner: str
    agency: str


@dataclass(frozen=True)
class DisagreementRow:
    pk: int
    subject: str
    request_id: int
    stage: str
    stage_source: str
    holder: str
    held_since: datetime


@dataclass(frozen=True)
class Listing[Row]:
    """The first rows of a list, and how many there are in all."""

    rows: list[Row]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


@dataclass(frozen=True)
class Oversight:
    now: datetime
    filters: Filters
    requests: Listing[RequestRow]
    awaiting_distribution: Listing[ClockRow]
    overdue_clocks: Listing[ClockRow]
    overdue_actions: Listing[ActionRow]
    disagreements: Listing[DisagreementRow]
    # The children of each request the lists name, by request (one query for them all).
    children: dict[int, list[Child]] = field(default_factory=dict)

    def about(self, request_id: int) -> str:
        """The children of a request in words (a manager sees all of their authority's)."""
        return children_in_words(self.children.get(request_id, []))

    def request_ids(self) -> set[int]:
        rows: list[Any] = [
            *self.requests.rows,
            *self.awaiting_distribution.rows,
            *self.overdue_clocks.rows,
            *self.overdue_actions.rows,
            *self.disagreements.rows,
        ]
        return {row.pk if isinstance(row, RequestRow) else row.request_id for row in rows}


@dataclass(frozen=True)
class Choices:
    """What the filters offer: the authority's teams and agencies, and the procedures."""

    teams: list[tuple[int, str]]
    agencies: list[tuple[str, str]]
    profiles: list[str]


def _name(first: str | None, last: str | None, username: str | None = None) -> str:
    return " ".join(part for part in (first, last) if part) or username or ""


def _between(queryset: QuerySet[Any], field: str, filters: Filters) -> QuerySet[Any]:
    start, end = filters.window()
    if start is not None:
        queryset = queryset.filter(**{f"{field}__gte": start})
    if end is not None:
        queryset = queryset.filter(**{f"{field}__lt": end})
    return queryset


def _listing[Row](
    found: QuerySet[Any], columns: QuerySet[Any], limit: int, build: Any
) -> Listing[Row]:
    """The first ``limit`` rows of ``columns``; the total counts ``found``, without the
    joins the shown columns need, and only when there are more rows than shown."""
    rows = [build(values) for values in columns[:limit]]
    total = len(rows) if len(rows) < limit else found.order_by().count()
    return Listing(rows=rows, total=total)


def _requests(user: User, filters: Filters, limit: int) -> Listing[RequestRow]:
    found = visible_requests(user).filter(status__in=OPEN_REQUESTS)
    if filters.agency is not None and filters.agency != SOCIAL_CARE:
        found = found.none()  # requests are raised by children's social care
    if filters.team is not None:
        found = found.filter(raised_by__team_id=filters.team)
    if filters.profile is not None:
        found = found.filter(profile=filters.profile)
    found = _between(found, "hold_by", filters)
    values = found.order_by(F("hold_by").asc(nulls_last=True), "pk").values_list(
        "pk",
        "hold_by",
        "status",
        "discussion_type",
        "raised_by__first_name",
        "raised_by__last_name",
    )
    return _listing(
        found,
        values,
        limit,
        lambda v: RequestRow(
            pk=v[0],
            hold_by=v[1],
            status=RequestStatus(v[2]).label,
            discussion_type=v[3],
            raised_by=_name(v[4], v[5]),
        ),
    )


def _clocks(user: User, filters: Filters, limit: int, **where: Any) -> Listing[ClockRow]:
    found = visible_clocks(user).filter(**where)
    if filters.team is not None:
        found = found.filter(responsible__team_id=filters.team)
    if filters.agency is not None:
        found = found.filter(responsible__agency__kind=filters.agency)
    if filters.profile is not None:
        found = found.filter(request__profile=filters.profile)
    found = _between(found, "due_at", filters)
    values = found.order_by("due_at", "pk").values_list(
        "pk",
        "code",
        "due_at",
        "state",
        "request_id",
        "discussion_id",
        "responsible__first_name",
        "responsible__last_name",
        "source",
    )
    return _listing(
        found,
        values,
        limit,
        lambda v: ClockRow(
            pk=v[0],
            label=CLOCK_LABELS.get(v[1], v[1]),
            due_at=v[2],
            state=ClockState(v[3]).label,
            request_id=v[4],
            discussion_id=v[5],
            responsible=_name(v[6], v[7]),
            source=v[8],
        ),
    )


def _actions(user: User, filters: Filters, now: datetime, limit: int) -> Listing[ActionRow]:
    found = visible_actions(user).filter(status=ActionStatus.OPEN, due_at__lt=now)
    if filters.team is not None:
        found = found.filter(owner__team_id=filters.team)
    if filters.agency is not None:
        found = found.filter(agency_code=filters.agency)
    if filters.profile is not None:
        found = found.filter(discussion__request__profile=filters.profile)
    found = _between(found, "due_at", filters)
    values = found.order_by("due_at", "pk").values_list(
        "pk",
        "description",
        "due_at",
        "discussion_id",
        "discussion__request_id",
        "owner__first_name",
        "owner__last_name",
        "owner_name",
        "agency_code",
    )
    return _listing(
        found,
        values,
        limit,
        lambda v: ActionRow(
            pk=v[0],
            description=v[1],
            due_at=v[2],
            discussion_id=v[3],
            request_id=v[4],
            owner=_name(v[5], v[6], v[7]),
            agency=vocabulary.ATTENDEES.get(v[8], v[8]),
        ),
    )


def _disagreements(user: User, filters: Filters, limit: int) -> Listing[DisagreementRow]:
    found = visible_disagreements(user).filter(status=DisagreementStatus.OPEN)
    if filters.team is not None:
        held = Disagreement.holders.through.objects.filter(user__team_id=filters.team)
        found = found.filter(
            Q(raised_by__team_id=filters.team) | Q(pk__in=held.values("disagreement_id"))
        )
    if filters.agency is not None:
        found = found.filter(raised_by_agency__kind=filters.agency)
    if filters.profile is not None:
        found = found.filter(request__profile=filters.profile)
    found = _between(found, "held_since", filters)
    values = found.order_by("held_since", "pk").values_list(
        "pk", "subject", "request_id", "stage_title", "stage_source", "holder_name", "held_since"
    )
    return _listing(
        found,
        values,
        limit,
        lambda v: DisagreementRow(
            pk=v[0],
            subject=Subject(v[1]).label,
            request_id=v[2],
            stage=v[3],
            stage_source=v[4],
            holder=v[5],
            held_since=v[6],
        ),
    )


def oversight_dashboard(
    *, user: User, now: datetime, filters: Filters | None = None, limit: int = LIMIT
) -> Oversight:
    """Open requests by deadline, discussions awaiting minutes or distribution, overdue
    clocks and actions, and open disagreements, for the manager's authority; audited."""
    if not may_oversee(user):
        raise Problem("Only team managers and above in children's social care can see this")
    chosen = filters or Filters()
    with transaction.atomic():
        lists = Oversight(
            now=now,
            filters=chosen,
            requests=_requests(user, chosen, limit),
            awaiting_distribution=_clocks(
                user, chosen, limit, state__in=LIVE_STATES, code__in=DISTRIBUTION_CLOCKS
            ),
            overdue_clocks=_clocks(user, chosen, limit, state__in=LIVE_STATES, due_at__lt=now),
            overdue_actions=_actions(user, chosen, now, limit),
            disagreements=_disagreements(user, chosen, limit),
        )
        oversight = replace(
            lists, children=children_named(user=user, request_ids=lists.request_ids())
        )
        audit_record(
            user=user,
            action="oversight",
            object_type="oversight",
            detail={
                "filters": {k: str(v) for k, v in vars(chosen).items() if v is not None},
                "requests": [row.pk for row in oversight.requests.rows],
            },
            children=sorted({c.pk for named in oversight.children.values() for c in named}),
        )
    return oversight


def oversight_choices(*, user: User) -> Choices:
    """The teams and agencies of the manager's authority, and the procedures, to filter by."""
    authority = user.local_authority_id
    teams = Team.objects.filter(agency__local_authority_id=authority).order_by("name", "pk")
    kinds = sorted(
        set(Agency.objects.filter(local_authority_id=authority).values_list("kind", flat=True)),
        key=lambda code: vocabulary.ATTENDEES.get(code, code),
    )
    return Choices(
        teams=list(teams.values_list("pk", "name")),
        agencies=[(code, vocabulary.ATTENDEES.get(code, code)) for code in kinds],
        profiles=[profile.name for profile in list_profiles()],
    )
