"""Figure 4: children discussed who went on to a section 47 enquiry and to an ICPC."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from django.db.models import Count, Exists, OuterRef, Q

from strategise.clocks.models import Clock
from strategise.discussions.models import SECTION_47_OUTCOMES, AlsoDecided
from strategise.organisations.models import LocalAuthority
from strategise.reports.figures.held import held_decisions
from strategise.reports.period import Period
from strategise.reports.tables import MET, Table, percent


@dataclass(frozen=True)
class Section47Conversion:
    """Of the children discussed, how many went on to a section 47 enquiry and an ICPC."""

    title: ClassVar[str] = "Section 47 enquiries and initial child protection conferences"
    definition: ClassVar[str] = (
        "Of the children discussed at strategy discussions held in these dates: how many a "
        "section 47 enquiry was decided for, how many an initial child protection "
        "conference (ICPC) was recommended for, and, of those with a section 47 enquiry, "
        "how many have had their ICPC."
    )
    children: int
    section_47: int
    icpc_recommended: int
    icpc_held: int

    def counts(self) -> tuple[tuple[str, int], ...]:
        return (
            ("Section 47 enquiry", self.section_47),
            ("Initial child protection conference recommended", self.icpc_recommended),
            ("Initial child protection conference held", self.icpc_held),
        )

    def table(self) -> Table:
        return Table(
            caption=self.title,
            headers=("Children discussed", "Children", "Share of children discussed"),
            rows=tuple(
                (label, count, percent(count, self.children)) for label, count in self.counts()
            ),
            total=("All children discussed", self.children, percent(self.children, self.children)),
        )


def section_47_conversion(
    *, authority: LocalAuthority, period: Period, now: datetime
) -> Section47Conversion:
    """Children's decisions in discussions held in the period: a section 47 outcome; "recommend
    an ICPC" among the further decisions; and, for the section 47 ones, an ``icpc_held`` clock
    that was met (on time or late)."""
    icpc_held = Clock.objects.filter(
        discussion=OuterRef("discussion"), code="icpc_held", state__in=MET
    )
    section_47 = Q(outcome__in=SECTION_47_OUTCOMES)
    figures = (
        held_decisions(authority, period)
        .annotate(icpc_met=Exists(icpc_held))
        .aggregate(
            children=Count("pk"),
            section_47=Count("pk", filter=section_47),
            # The JSON list holds codes; the quotes keep to whole codes.
            icpc_recommended=Count(
                "pk", filter=Q(also__icontains=f'"{AlsoDecided.RECOMMEND_ICPC.value}"')
            ),
            icpc_held=Count("pk", filter=section_47 & Q(icpc_met=True)),
        )
    )
    return Section47Conversion(**figures)
