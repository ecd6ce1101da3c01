"""The statutory returns' rows: one per section 47 enquiry, for one authority and period.

``reports.exports`` writes them as the CIN census (XML) and Annex A (CSV).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

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
from strategise.policy import LONDON, get_profile, to_london
from strategise.reports.period import Period, year_before
from strategise.reports.tables import MET


@dataclass(frozen=True)
class Section47Enquiry:
    """One section 47 enquiry for one child: what the CIN census and Annex A need."""

    child_pk: int
    child_id: str
    date_of_birth: date | None
    unborn: bool
    expected_date: date | None
    gender: str
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
        """No ICPC was recommended and none was held."""
        return not self.icpc_recommended and self.icpc_date is None


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
    calendar; the ICPC date is when the discussion's ``icpc_held`` clock was met. The
    counts "in the last 12 months" are of the year up to the period's last day.
    """
    # Each child's own conference; a clock of the whole discussion (before conferences
    # were per child) stands for every child in it.
    icpc_met_at = (
        Clock.objects.filter(discussion=OuterRef("discussion"), code="icpc_held", state__in=MET)
        .filter(Q(child=OuterRef("child")) | Q(child__isnull=True))
        .values("met_at")[:1]
    )
    rows = list(
        _section_47_starts(authority)
        .filter(
            discussion__held_at__gte=period.starts_at,
            discussion__held_at__lt=period.ends_before,
        )
        .annotate(icpc_met_at=Subquery(icpc_met_at))
        .select_related("child", "discussion__request__raised_by__team")
        .order_by("child_id", "discussion__held_at", "pk")
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
            discussion__clocks__code="icpc_held",
            discussion__clocks__state__in=MET,
            discussion__clocks__met_at__gte=year_from,
            discussion__clocks__met_at__lt=period.ends_before,
        )
    )
    calendar = get_profile(authority.profile).calendar
    # The census measures the national timescale (Working Together 2023), whatever the
    # local procedure adds: the national profile's ICPC clock.
    icpc = get_profile("national").icpc_within.within
    enquiries = []
    for row in rows:
        child = row.child
        raised_by = row.discussion.request.raised_by
        # held_at is set: the query asks for it to be in the period.
        started = to_london(row.discussion.held_at).date()  # type: ignore[arg-type]
        met_at: datetime | None = row.icpc_met_at
        enquiries.append(
            Section47Enquiry(
                child_pk=child.pk,
                child_id=child.local_reference or str(child.pk),
                date_of_birth=child.date_of_birth,
                unborn=child.unborn,
                expected_date=child.expected_date,
                gender=child.gender,
                ethnicity=child.ethnicity,
                disability=child.disability,
                started=started,
                icpc_target=calendar.deadline(icpc, row.discussion.held_at).date(),  # type: ignore[arg-type]
                icpc_date=to_london(met_at).date() if met_at else None,
                icpc_recommended=AlsoDecided.RECOMMEND_ICPC.value in row.also,
                enquiries_last_12_months=enquiries_in_year.get(child.pk, 0),
                icpcs_last_12_months=icpcs_in_year.get(child.pk, 0),
                team=raised_by.team.name if raised_by.team else "",
                worker=str(raised_by),
            )
        )
    return enquiries


def returns_enquiries(
    *, authority: LocalAuthority, period: Period, user: User | None, purpose: str
) -> list[Section47Enquiry]:
    """The enquiries for a return, with the export audited (``user`` is None from the
    command line)."""
    with transaction.atomic():
        enquiries = section_47_enquiries(authority=authority, period=period)
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
