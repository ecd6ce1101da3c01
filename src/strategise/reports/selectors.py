"""Performance figures and statutory returns for a signed-in user: the entry points.

``report_for``, ``figure_for`` and ``enquiries_for`` check who may see them, scope
everything to the user's own authority and audit the read in the same transaction. The
figures are in ``reports.figures``, one module each; the returns' rows in
``reports.returns``; the period in ``reports.period``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.http import Http404

from strategise.access import may_download_returns, may_see_reports
from strategise.audit.services import audit_record
from strategise.organisations.models import LocalAuthority, User
from strategise.reports.figures.actions import action_completion
from strategise.reports.figures.attendance import agency_attendance
from strategise.reports.figures.clocks import icpc_timeliness, minutes_timeliness
from strategise.reports.figures.outcomes import decision_outcomes
from strategise.reports.figures.reconvening import reconvening
from strategise.reports.figures.section_47 import section_47_conversion
from strategise.reports.figures.timeliness import discussion_timeliness
from strategise.reports.period import Period
from strategise.reports.returns import Section47Enquiry, returns_enquiries
from strategise.reports.tables import Figure

FIGURES: dict[str, Callable[..., Figure]] = {
    "timeliness": discussion_timeliness,
    "attendance": agency_attendance,
    "outcomes": decision_outcomes,
    "section-47": section_47_conversion,
    "icpc": icpc_timeliness,
    "minutes": minutes_timeliness,
    "actions": action_completion,
    "reconvening": reconvening,
}


@dataclass(frozen=True)
class PerformanceReport:
    authority: LocalAuthority
    period: Period
    figures: dict[str, Figure]


def performance_report(
    *, authority: LocalAuthority, period: Period, now: datetime
) -> PerformanceReport:
    """Every figure for the authority and period."""
    return PerformanceReport(
        authority=authority,
        period=period,
        figures={
            slug: compute(authority=authority, period=period, now=now)
            for slug, compute in FIGURES.items()
        },
    )


def _reporting_authority(user: User) -> LocalAuthority:
    if not may_see_reports(user) or user.agency is None:
        raise Http404("No such page")
    return user.agency.local_authority


def report_for(*, user: User, period: Period, now: datetime) -> PerformanceReport:
    """The user's authority's figures for the period (404 for anyone who may not see them)."""
    authority = _reporting_authority(user)
    with transaction.atomic():
        report = performance_report(authority=authority, period=period, now=now)
        audit_record(
            user=user,
            action="view-report",
            object_type="reports.performance",
            detail={"from": period.first.isoformat(), "to": period.last.isoformat()},
        )
    return report


def figure_for(*, user: User, slug: str, period: Period, now: datetime) -> Figure:
    """One figure of the user's authority (404 for an unknown figure or an unentitled user)."""
    authority = _reporting_authority(user)
    if slug not in FIGURES:
        raise Http404("No such figure")
    with transaction.atomic():
        figure = FIGURES[slug](authority=authority, period=period, now=now)
        audit_record(
            user=user,
            action="download-figure",
            object_type="reports.performance",
            detail={
                "figure": slug,
                "from": period.first.isoformat(),
                "to": period.last.isoformat(),
            },
        )
    return figure


def enquiries_for(*, user: User, period: Period, purpose: str) -> list[Section47Enquiry]:
    """The user's authority's enquiries for a return (404 for anyone who may not have them)."""
    if not may_download_returns(user) or user.agency is None:
        raise Http404("No such page")
    return returns_enquiries(
        authority=user.agency.local_authority, period=period, user=user, purpose=purpose
    )
