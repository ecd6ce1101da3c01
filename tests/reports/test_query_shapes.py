"""The shape of the reports' and the returns' queries: each reads its own authority's rows
through an index, whatever the other authorities hold.

At national size (ten authorities), a year's report scanned every authority's child
decisions (twice), actions and discussions: actions had no authority column, and the
decisions reached theirs only through the discussion. Actions and decisions now copy
their discussion's authority (``local_authority``, set as they are added and checked to
agree), and discussions are indexed by authority, status and when they were held. On
PostgreSQL these tests read the plans (``tests/plans.py``); on SQLite, the SQL that gives
them. ``make bench-national`` reads the plans the planner chooses at size.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from strategise.actions.models import Action
from strategise.actions.services import action_create
from strategise.discussions.models import ChildDecision, Discussion
from strategise.organisations.models import LocalAuthority, User
from strategise.reports.period import Period
from strategise.reports.returns import section_47_enquiries
from strategise.reports.selectors import performance_report
from tests.factories import AgencyFactory, ChildFactory, LocalAuthorityFactory, UserFactory
from tests.plans import reads_of, whole_table_reads
from tests.reports.support import (
    APRIL_2026,
    action_row,
    at,
    clock_row,
    decision_row,
    discussion_row,
    held_discussion,
    invitation_row,
    request_row,
)

pytestmark = pytest.mark.django_db


def _fill(authority: LocalAuthority, worker: User, chair: User) -> Discussion:
    child = ChildFactory.create(local_authority=authority, local_reference="C900001")
    discussion = held_discussion(authority, worker, chair, at(1), children=[child])
    decision_row(discussion, child, "s47_joint", ("recommend_icpc",))
    invitation_row(discussion, "police", "attended")
    clock_row(discussion, "icpc_held", at(20))
    action_row(discussion, at(3))
    return discussion


@pytest.fixture
def two_authorities(authority: LocalAuthority, social_worker: User, team_manager: User) -> None:
    """This authority's April, and another authority's beside it."""
    _fill(authority, social_worker, team_manager)
    other = LocalAuthorityFactory.create()
    social_care = AgencyFactory.create(local_authority=other, kind="childrens_social_care")
    _fill(other, UserFactory.create(agency=social_care), UserFactory.create(agency=social_care))


def _report_reads(authority: LocalAuthority) -> list[str]:
    with CaptureQueriesContext(connection) as context:
        report = performance_report(authority=authority, period=APRIL_2026, now=at(15))
        enquiries = section_47_enquiries(authority=authority, period=APRIL_2026)
    assert report.figures["outcomes"].total == 1  # type: ignore[attr-defined]
    assert report.figures["actions"].counts.overdue == 1  # type: ignore[attr-defined]
    assert [enquiry.child_id for enquiry in enquiries] == ["C900001"]
    return reads_of(context)


def _reading(reads: list[str], table: str) -> list[str]:
    return [sql for sql in reads if f'FROM "{table}"' in sql]


@pytest.mark.usefixtures("two_authorities")
def test_the_report_and_returns_read_actions_and_decisions_by_their_own_authority_column(
    authority: LocalAuthority,
) -> None:
    reads = _report_reads(authority)
    (actions,) = _reading(reads, "actions_action")
    assert '"actions_action"."local_authority_id" = ' in actions
    assert '"discussions_discussion"' not in actions, "no join to find the authority"
    decisions = _reading(reads, "discussions_childdecision")
    assert len(decisions) >= 4  # outcomes, section 47, and the returns' rows and counts
    for sql in decisions:
        assert '"discussions_childdecision"."local_authority_id" = ' in sql


@pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN plans are PostgreSQL's")
@pytest.mark.usefixtures("two_authorities")
def test_no_report_or_return_query_needs_to_read_another_authoritys_rows(
    authority: LocalAuthority,
) -> None:
    reads = _report_reads(authority)
    assert len(reads) >= 10
    for sql in reads:
        assert whole_table_reads(sql, forced=True) == [], sql


def test_actions_and_decisions_take_their_discussions_authority(
    authority: LocalAuthority, social_worker: User, team_manager: User
) -> None:
    _fill(authority, social_worker, team_manager)
    assert {a.local_authority_id for a in Action.objects.all()} == {authority.pk}
    assert {d.local_authority_id for d in ChildDecision.objects.all()} == {authority.pk}
    request = request_row(authority, social_worker, hold_by=at(2))
    discussion = discussion_row(request, team_manager, started_at=at(2), held=False)
    added = action_create(
        user=team_manager,
        discussion=discussion,
        description="Share the school's records",
        agency_code="education",
        due_at=at(6),
        owner_name="Ms Head",
    )
    added.refresh_from_db()
    assert added.local_authority_id == authority.pk


def test_an_action_naming_another_authority_than_its_discussions_is_refused(
    authority: LocalAuthority, social_worker: User, team_manager: User
) -> None:
    discussion = _fill(authority, social_worker, team_manager)
    other = LocalAuthorityFactory.create()
    with pytest.raises(ValueError, match="but its discussion"):
        Action.objects.create(
            discussion=discussion,
            local_authority=other,
            description="Visit",
            due_at=at(5),
        )
    decision = ChildDecision.objects.get()
    decision.local_authority = other
    with pytest.raises(ValueError, match="but its discussion"):
        decision.save()
    assert ChildDecision.objects.get().local_authority_id == authority.pk


def test_a_period_of_the_other_authority_is_not_in_this_ones_figures(
    authority: LocalAuthority, social_worker: User, team_manager: User
) -> None:
    _fill(authority, social_worker, team_manager)
    other = LocalAuthorityFactory.create()
    social_care = AgencyFactory.create(local_authority=other, kind="childrens_social_care")
    worker = UserFactory.create(agency=social_care)
    _fill(other, worker, worker)
    may = Period(date(2026, 5, 1), date(2026, 5, 31))
    report = performance_report(authority=authority, period=may, now=at(15))
    assert report.figures["actions"].counts.overdue == 0  # type: ignore[attr-defined]
    report = performance_report(authority=authority, period=APRIL_2026, now=at(15))
    assert report.figures["actions"].counts.overdue == 1  # type: ignore[attr-defined]
