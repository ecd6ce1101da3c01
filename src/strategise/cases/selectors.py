"""Reading children's records, always scoped to the user and audited."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db import connection, transaction
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Lower
from django.shortcuts import get_object_or_404

from strategise.access import (
    sees_whole_authority,
    visible_children,
    visible_discussions,
    visible_requests,
)
from strategise.actions.models import Action
from strategise.audit.listing import Listed, audited_page
from strategise.audit.services import audit_record
from strategise.cases.family import ChildPeople, child_people
from strategise.cases.models import Child
from strategise.cases.names import THRESHOLD, fold, similarity, trigrams
from strategise.discussions.models import ChildDecision, Discussion, DiscussionStatus
from strategise.links import Target, TargetKind
from strategise.organisations.models import User
from strategise.policy.wording import format_when
from strategise.requests.models import RequestChild, StrategyRequest

# The most a search lists, and (on PostgreSQL) how many of the closest it weighs to
# choose them; past that, the user narrows by date of birth or reference.
SEARCH_LIMIT = 50
SEARCH_CANDIDATES = 200


def _matching(children: QuerySet[Child], words: list[str]) -> QuerySet[Child]:
    """Every word part of the name (accents and case aside), an alias, or the reference."""
    for word in words:
        children = children.filter(
            Q(search_name__contains=fold(word))
            | Q(aliases__icontains=word)
            | Q(local_reference__iexact=word)
        )
    return children


def _closest(children: QuerySet[Child], text: str) -> dict[int, float]:
    """The children (by pk) found by the words or by a name like ``text``, with how alike
    the names are: the same answer on PostgreSQL (its trigram index) and on SQLite (the
    same measure, in Python, over the children the user may see)."""
    words = text.split()
    folded = fold(text)
    wanted = trigrams(folded)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.lookups import TrigramSimilar
        from django.contrib.postgres.search import TrigramSimilarity

        alike_name = Q(TrigramSimilar(F("search_name"), Value(folded)))
        found = (
            children.filter(alike_name | Q(pk__in=_matching(children, words)))
            .annotate(alike=TrigramSimilarity("search_name", folded))
            .order_by("-alike", "pk")
            .values_list("pk", "search_name")[:SEARCH_CANDIDATES]
        )
        return {pk: similarity(trigrams(name), wanted) for pk, name in found}
    exact = set(_matching(children, words).values_list("pk", flat=True)) if words else set()
    alike = {}
    for pk, name in children.values_list("pk", "search_name").iterator():
        score = similarity(trigrams(name), wanted)
        if score >= THRESHOLD or pk in exact:
            alike[pk] = score
    return alike


def child_search(*, user: User, text: str = "", born: date | None = None) -> list[Child]:
    """Children the user may see whose name, alias or reference has every word of
    ``text``, or whose name is like it (a letter wrong, another accent: "lilly price"
    finds Lily Price), closest first; ``born`` narrows to a date of birth."""
    children: QuerySet[Child] = visible_children(user)
    if born is not None:
        children = children.filter(date_of_birth=born)
    with transaction.atomic():
        if fold(text):
            alike = _closest(children, text)
            chosen = Child.objects.filter(pk__in=list(alike)).select_related("household")
            found = sorted(
                chosen,
                key=lambda child: (
                    -alike[child.pk],
                    fold(child.last_name),
                    fold(child.first_name),
                    child.pk,
                ),
            )[:SEARCH_LIMIT]
        else:
            ordered = children.select_related("household").order_by(
                Lower("last_name"), Lower("first_name"), "pk"
            )
            found = list(ordered[:SEARCH_LIMIT])
        audit_record(
            user=user,
            action="search",
            object_type="cases.Child",
            children=[child.pk for child in found],
            detail={"text": text, "born": born.isoformat() if born else None},
        )
    return found


def child_list(*, user: User, before: int | None = None, limit: int = 25) -> Listed[Child]:
    """A page of the children the user may see, newest first (a search is ``child_search``)."""
    return audited_page(
        user=user,
        records=visible_children(user).select_related("household"),
        before=before,
        limit=limit,
        children_of=lambda listed: [child.pk for child in listed],
    )


def children_named(*, user: User, request_ids: Iterable[int]) -> dict[int, list[Child]]:
    """Each request's children that the user may see, by request, in one query (a request
    whose children the user may not see is missing). The caller audits the read."""
    wanted = set(request_ids)
    if not wanted:
        return {}
    named: dict[int, list[Child]] = {}
    links = (
        RequestChild.objects.filter(request_id__in=wanted, child__in=visible_children(user))
        .select_related("child")
        .order_by("request_id", "child__date_of_birth", "child_id")
    )
    for link in links:
        named.setdefault(link.request_id, []).append(link.child)
    return named


def child_possible_duplicates(
    *, user: User, first_name: str, last_name: str, date_of_birth: date | None
) -> list[Child]:
    """Children already recorded who are probably the same child (same surname and birth
    date, or same first and last name)."""
    same_name = Q(first_name__iexact=first_name.strip(), last_name__iexact=last_name.strip())
    match = same_name
    if date_of_birth is not None:
        match |= Q(last_name__iexact=last_name.strip(), date_of_birth=date_of_birth)
        match |= Q(first_name__iexact=first_name.strip(), date_of_birth=date_of_birth)
    with transaction.atomic():
        found = list(visible_children(user).filter(match)[:10])
        if found:
            audit_record(
                user=user,
                action="duplicate-check",
                object_type="cases.Child",
                children=[child.pk for child in found],
            )
    return found


def child_get(*, user: User, pk: int) -> Child:
    """One child the user may see (404 otherwise), with the read audited."""
    with transaction.atomic():
        child = get_object_or_404(visible_children(user).select_related("household"), pk=pk)
        audit_record(user=user, action="view", obj=child, children=[child.pk])
    return child


@dataclass(frozen=True)
class TimelineEntry:
    """One event in a child's history: what happened, when, and where to read about it."""

    at: datetime
    title: str
    text: str
    target: Target


@dataclass(frozen=True)
class ChildDetail:
    """A child's page: the child, the others in their household, their requests and
    discussions (only those the user may see), and all of it as a timeline."""

    child: Child
    household: list[Child]
    # Whether ``household`` is everyone recorded there: a partner agency sees only the
    # children of discussions it is invited to, and must not be told there are no others.
    whole_household: bool
    requests: list[StrategyRequest]
    discussions: list[Discussion]
    timeline: list[TimelineEntry]
    # The adults around the child and their siblings, those the user may see.
    people: ChildPeople | None = None


def _discussion_entry(discussion: Discussion) -> TimelineEntry:
    held = discussion.status == DiscussionStatus.HELD and discussion.held_at is not None
    return TimelineEntry(
        at=discussion.held_at if held and discussion.held_at else discussion.scheduled_for,
        title=f"Strategy discussion {discussion.pk} "
        + ("held" if held else discussion.get_status_display().lower()),
        text=f"Chaired by {discussion.chair}"
        + (", reconvening an earlier discussion" if discussion.previous_id else ""),
        target=Target(TargetKind.DISCUSSION, discussion.pk),
    )


def _timeline(
    requests: list[StrategyRequest],
    discussions: list[Discussion],
    decisions: list[ChildDecision],
    actions: list[Action],
) -> list[TimelineEntry]:
    """Requests raised, discussions, the child's decisions and the actions, newest first."""
    entries = [
        TimelineEntry(
            at=request.raised_at,
            title=f"Strategy discussion request {request.pk} raised",
            text=f"By {request.raised_by}: {request.get_status_display().lower()}",
            target=Target(TargetKind.REQUEST, request.pk),
        )
        for request in requests
    ]
    entries += [_discussion_entry(discussion) for discussion in discussions]
    entries += [
        TimelineEntry(
            at=decision.updated_at or decision.discussion.scheduled_for,
            title=f"Decision: {decision.get_outcome_display()}",
            text=decision.rationale,
            target=Target(TargetKind.DISCUSSION, decision.discussion_id),
        )
        for decision in decisions
    ]
    entries += [
        TimelineEntry(
            at=action.created_at,
            title=f"Action: {action.description}",
            text=f"{action.owner_name or action.owner or 'Not named'}, by "
            f"{format_when(action.due_at)}: {action.get_status_display().lower()}",
            target=Target(TargetKind.DISCUSSION, action.discussion_id),
        )
        for action in actions
    ]
    return sorted(entries, key=lambda entry: entry.at, reverse=True)


def child_detail(*, user: User, pk: int) -> ChildDetail:
    """One child the user may see (404 otherwise) with their household and case history."""
    with transaction.atomic():
        child = get_object_or_404(
            visible_children(user).select_related(
                "household", "allocated_worker", "allocated_team"
            ),
            pk=pk,
        )
        household = (
            list(
                visible_children(user)
                .filter(household_id=child.household_id)
                .exclude(pk=child.pk)
                .order_by("date_of_birth", "pk")
            )
            if child.household_id
            else []
        )
        requests = list(
            visible_requests(user)
            .filter(children=child)
            .select_related("raised_by")
            .order_by("-raised_at")
        )
        discussions = list(
            visible_discussions(user)
            .filter(request__children=child)
            .select_related("chair")
            .order_by("-scheduled_for")
        )
        seen = [discussion.pk for discussion in discussions]
        people = child_people(user=user, child=child)
        detail = ChildDetail(
            child=child,
            household=household,
            whole_household=sees_whole_authority(user),
            requests=requests,
            discussions=discussions,
            timeline=_timeline(
                requests,
                discussions,
                list(
                    ChildDecision.objects.filter(child=child, discussion__in=seen).select_related(
                        "discussion"
                    )
                ),
                # Only this child's actions, and those for the whole family (no child named).
                list(
                    Action.objects.filter(discussion__in=seen)
                    .filter(Q(children=child) | Q(children__isnull=True))
                    .select_related("owner")
                    .distinct()
                ),
            ),
            people=people,
        )
        audit_record(
            user=user,
            action="view",
            obj=child,
            children=[
                child.pk,
                *(sibling.pk for sibling in household),
                *(sibling.pk for sibling in people.siblings),
            ],
        )
    return detail


def children_for_request(
    *, user: User, pks: Iterable[int], family_of: int | None = None
) -> list[Child]:
    """The children a request form offers: those chosen so far (that the user may see)
    and, from a child's page, that child (404 if not visible) and their household."""
    wanted = list(dict.fromkeys(pks))
    children = visible_children(user)
    with transaction.atomic():
        found = {
            child.pk: child for child in children.filter(pk__in=wanted).select_related("household")
        }
        offered = [found[pk] for pk in wanted if pk in found]
        if family_of is not None:
            child = get_object_or_404(children.select_related("household"), pk=family_of)
            family = [child]
            if child.household_id:
                family += list(
                    children.select_related("household")
                    .filter(household_id=child.household_id)
                    .exclude(pk=child.pk)
                    .order_by("date_of_birth", "pk")
                )
            offered += [member for member in family if member.pk not in found]
        if offered:
            audit_record(
                user=user,
                action="view",
                object_type="cases.Child",
                children=[child.pk for child in offered],
                detail={"for": "request form"},
            )
    return offered
