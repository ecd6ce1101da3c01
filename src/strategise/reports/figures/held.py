"""The children's decisions of the discussions held in a period, which several figures count."""

from __future__ import annotations

from django.db.models import QuerySet

from strategise.discussions.models import ChildDecision, DiscussionStatus
from strategise.organisations.models import LocalAuthority
from strategise.reports.period import Period


def held_decisions(authority: LocalAuthority, period: Period) -> QuerySet[ChildDecision]:
    """The decisions for each child in the authority's discussions held in the period."""
    return ChildDecision.objects.filter(
        local_authority=authority,
        discussion__local_authority=authority,
        discussion__status=DiscussionStatus.HELD,
        discussion__held_at__gte=period.starts_at,
        discussion__held_at__lt=period.ends_before,
    )
