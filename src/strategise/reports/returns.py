"""The statutory returns' rows: one per section 47 enquiry, for one authority and period.

``reports.exports`` writes them as the CIN census (XML) and Annex A (CSV).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from strategise.audit.services import audit_record
from strategise.clocks.models import Clock
from strategise.discussions.models import (
    SECTION_47_OUTCOMES,
    AlsoDecided,
    ChildDecision,
    DiscussionStatus,
)
from strategise.organisations.models import LocalAuthority, User
from strategise.policy import LONDON, census, get_profile, to_london
from strategise.problems import Problem
from strategise.reports.period import Period, year_before
from strategise.reports.tables import MET


@dataclass(frozen=True)
class Section47Enquiry:
    """One section 47 enquiry for one child: what the CIN census and Annex A need."""

    child_pk: int
    child_name: str
    child_id: str
    date_of_birth: date | None
    unborn: bool
    expected_date: date | None
    sex: str
    ethnicity: str
    disability: str
    started: date
    icpc_target: date
    icpc_date: date | None
    icpc_recommended: bool
    enquiries_last_12_months: int
    icpcs_last_12_months: int
    team: str
    worker: str

    @property
    def icpc_not_required(self) -> bool:
        """No ICPC was recommended for this child and none was held for them."""
        return not self.icpc_recommended and self.icpc_date is None


# "Recommend an ICPC" among a child's own further decisions (the JSON list holds codes; the
# quotes keep to whole codes).
ICPC_RECOMMENDED = Q(also__icontains=f'"{AlsoDecided.RECOMMEND_ICPC.value}"')


def _icpc_held() -> QuerySet[Clock]:
    """The met ``icpc_held`` clock of a decision's discussion and child (``OuterRef``s).

    Each child has their own conference: only a child whose own decision recommended one
    is given it (``ICPC_RECOMMENDED``), so a sibling with no conference gets no date. A
    clock of the whole discussion (from before conferences were per child, ``Clock.child``
    empty) stands for every child in it.
    """
    return Clock.objects.filter(
        Q(child=OuterRef("child")) | Q(child__isnull=True),
        discussion=OuterRef("discussion"),
        code="icpc_held",
        state__in=MET,
    )


def _section_47_starts(authority: LocalAuthority) -> QuerySet[ChildDecision]:
    """Section 47 decisions, in held discussions, that start an enquiry.

    A reconvened discussion that decides section 47 again for a child whose previous
    discussion already did continues that enquiry; it does not start another.
    """
    continuing = ChildDecision.objects.filter(
        discussion=OuterRef("discussion__previous"),
        child=OuterRef("child"),
        outcome__in=SECTION_47_OUTCOMES,
    )
    return ChildDecision.objects.filter(
        local_authority=authority,
        discussion__local_authority=authority,
        discussion__status=DiscussionStatus.HELD,
        outcome__in=SECTION_47_OUTCOMES,
    ).exclude(Exists(continuing))


def _count_by_child(decisions: QuerySet[ChildDecision]) -> dict[int, int]:
    return dict(
        decisions.values("child_id")
        .annotate(count=Count("pk"))
        .order_by()
        .values_list("child_id", "count")
    )


def section_47_enquiries(*, authority: LocalAuthority, period: Period) -> list[Section47Enquiry]:
    """Each section 47 enquiry started in the period (the strategy discussion that decided it
    was held in it), child by child, oldest first.

    The ICPC target is 15 working days after the start, by the authority's working
    calendar. The ICPC date is the child's own: when the discussion's ``icpc_held`` clock
    was met, for a child whose decision recommended a conference (``_icpc_held``), if that
    was by the period's last day: a return tells how things stood then, and the CIN census
    refuses a conference after its reference date (DfE rule 8715). The counts "in the last
    12 months" are of the year up to the period's last day.
    """
    # Only the columns the returns need, as tuples: a few thousand rows a year, and model
    # instances (each request's whole triage parsed) were most of an export's time.
    rows: list[Any] = list(
        _section_47_starts(authority)
        .filter(
            discussion__held_at__gte=period.starts_at,
            discussion__held_at__lt=period.ends_before,
        )
        .annotate(
            icpc_met_at=Subquery(
                _icpc_held().filter(met_at__lt=period.ends_before).values("met_at")[:1]
            )
        )
        .order_by("child_id", "discussion__held_at", "pk")
        .values_list(
            "also",
            "icpc_met_at",
            "discussion__held_at",
            "child_id",
            "child__first_name",
            "child__last_name",
            "child__local_reference",
            "child__date_of_birth",
            "child__unborn",
            "child__expected_date",
            "child__sex",
            "child__ethnicity",
            "child__disability",
            "discussion__request__raised_by__first_name",
            "discussion__request__raised_by__last_name",
            "discussion__request__raised_by__username",
            "discussion__request__raised_by__team__name",
            named=True,
        )
    )
    # Grouped by child over the authority's year: a few thousand small rows at most.
    year_from = datetime.combine(year_before(period.last), time(0), tzinfo=LONDON)
    enquiries_in_year = _count_by_child(
        _section_47_starts(authority).filter(
            discussion__held_at__gte=year_from, discussion__held_at__lt=period.ends_before
        )
    )
    icpcs_in_year = _count_by_child(
        _section_47_starts(authority).filter(
            ICPC_RECOMMENDED,
            Exists(_icpc_held().filter(met_at__gte=year_from, met_at__lt=period.ends_before)),
        )
    )
    calendar = get_profile(authority.profile).calendar
    # The census measures the national timescale (Working Together 2023), whatever the
    # local procedure adds: the national profile's ICPC clock.
    icpc = get_profile("national").icpc_within.within
    enquiries = []
    for row in rows:
        # held_at is set: the query asks for it to be in the period.
        held_at: datetime = row.discussion__held_at
        recommended = AlsoDecided.RECOMMEND_ICPC.value in row.also
        met_at: datetime | None = row.icpc_met_at if recommended else None
        raised_by = (
            f"{row.discussion__request__raised_by__first_name} "
            f"{row.discussion__request__raised_by__last_name}"
        ).strip()
        enquiries.append(
            Section47Enquiry(
                child_pk=row.child_id,
                child_name=f"{row.child__first_name} {row.child__last_name}".strip(),
                child_id=row.child__local_reference,
                date_of_birth=row.child__date_of_birth,
                unborn=row.child__unborn,
                expected_date=row.child__expected_date,
                sex=row.child__sex,
                ethnicity=row.child__ethnicity,
                disability=row.child__disability,
                started=to_london(held_at).date(),
                icpc_target=calendar.deadline(icpc, held_at).date(),
                icpc_date=to_london(met_at).date() if met_at else None,
                icpc_recommended=recommended,
                enquiries_last_12_months=enquiries_in_year.get(row.child_id, 0),
                icpcs_last_12_months=icpcs_in_year.get(row.child_id, 0),
                team=row.discussion__request__raised_by__team__name or "",
                # As the user's name reads everywhere (User.__str__).
                worker=raised_by or row.discussion__request__raised_by__username,
            )
        )
    return enquiries


def reference_problems(enquiries: list[Section47Enquiry]) -> list[tuple[str | None, str]]:
    """Each child whose local case reference cannot be their ``LAchildID`` (nor Annex A's
    "Child Unique ID"): the returns never fall back on Strategise's own numbers."""
    problems: dict[int, tuple[str | None, str]] = {}
    for enquiry in enquiries:
        problem = census.child_id_problem(enquiry.child_id)
        if problem and enquiry.child_pk not in problems:
            problems[enquiry.child_pk] = (None, _reference_problem(enquiry, problem))
    return list(problems.values())


def _reference_problem(enquiry: Section47Enquiry, problem: str) -> str:
    return (
        f"The local case reference of {enquiry.child_name} (child {enquiry.child_pk}) "
        f"{problem}: the returns list each child under it ({census.CHILD_ID_RULE}). Record "
        "it on the child's page, then download the return again"
    )


def census_year_of(period: Period) -> int:
    """The census year (named by the year it ends, on 31 March) the whole period is in."""
    year = period.census_year
    if year is None:
        raise Problem(
            f"The CIN census is for one census year, 1 April to 31 March, and "
            f"{period.describe()} is in more than one: choose dates within one census year",
            "to",
        )
    return year


def returns_enquiries(
    *, authority: LocalAuthority, period: Period, user: User | None, purpose: str
) -> list[Section47Enquiry]:
    """The enquiries for a return, with the export audited (``user`` is None from the
    command line). A problem instead, and nothing exported, if a child's reference will not
    do, or the CIN census is asked for dates in more than one census year."""
    if purpose == "cin-census":
        census_year_of(period)
    with transaction.atomic():
        enquiries = section_47_enquiries(authority=authority, period=period)
        problems = reference_problems(enquiries)
        if problems:
            raise Problem.many(problems)
        audit_record(
            user=user,
            action="export-return",
            object_type="reports.return",
            authority=authority,
            children=[enquiry.child_pk for enquiry in enquiries],
            detail={
                "return": purpose,
                "from": period.first.isoformat(),
                "to": period.last.isoformat(),
            },
        )
    return enquiries
