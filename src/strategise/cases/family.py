"""Reading the people around a child: adults, their links to children, siblings and
households, always scoped to the user (``access.visible_*``) and audited.

What a page lists of someone's links is only what the user may see: an adult's page names
the children the user may open, never the others.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.shortcuts import get_object_or_404

from strategise.access import (
    sees_whole_authority,
    visible_adults,
    visible_children,
    visible_households,
)
from strategise.audit.services import audit_record
from strategise.cases.models import (
    POSITION_OF_TRUST,
    Adult,
    Child,
    ChildAdultLink,
    Household,
    SiblingLink,
)
from strategise.organisations.models import Role, Team, User

# Who holds no case: they support, count or administer.
NOT_PRACTITIONERS = (Role.BUSINESS_SUPPORT, Role.PERFORMANCE_ANALYST, Role.ADMINISTRATOR)


def _ordered(adults: QuerySet[Adult]) -> QuerySet[Adult]:
    return adults.order_by(Lower("last_name"), Lower("first_name"), "pk")


def adult_search(*, user: User, text: str = "", born: date | None = None) -> list[Adult]:
    """Adults the user may see whose name, other or former name contains ``text``."""
    adults = visible_adults(user)
    for word in text.split():
        adults = adults.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(aliases__icontains=word)
            | Q(former_names__icontains=word)
        )
    if born is not None:
        adults = adults.filter(date_of_birth=born)
    with transaction.atomic():
        found = list(_ordered(adults)[:50])
        audit_record(
            user=user,
            action="search",
            object_type="cases.Adult",
            children=_children_of(user, found),
            detail={"text": text, "born": born.isoformat() if born else None, "found": len(found)},
        )
    return found


def adult_possible_duplicates(
    *, user: User, first_name: str, last_name: str, date_of_birth: date | None
) -> list[Adult]:
    """Adults already recorded who are probably the same person: the same first and last
    name, or the same date of birth and one of the names."""
    first, last = first_name.strip(), last_name.strip()
    match = Q(first_name__iexact=first, last_name__iexact=last)
    if date_of_birth is not None:
        match |= Q(last_name__iexact=last, date_of_birth=date_of_birth)
        match |= Q(first_name__iexact=first, date_of_birth=date_of_birth)
    with transaction.atomic():
        found = list(_ordered(visible_adults(user).filter(match))[:10])
        if found:
            audit_record(
                user=user,
                action="duplicate-check",
                object_type="cases.Adult",
                children=_children_of(user, found),
            )
    return found


def _children_of(user: User, adults: Iterable[Adult]) -> list[int]:
    """The children the user may see that these adults are linked to (for the audit)."""
    return sorted(
        set(
            ChildAdultLink.objects.filter(
                adult__in=list(adults), child__in=visible_children(user)
            ).values_list("child_id", flat=True)
        )
    )


def adult_get(*, user: User, pk: int) -> Adult:
    """One adult the user may see (404 otherwise), with the read audited."""
    with transaction.atomic():
        adult = get_object_or_404(visible_adults(user).select_related("household"), pk=pk)
        audit_record(user=user, action="view", obj=adult, children=_children_of(user, [adult]))
    return adult


@dataclass(frozen=True)
class AdultDetail:
    """An adult's page: the adult, how they are related to each child the user may see,
    and whether those are all (a partner agency sees only the children shared with it)."""

    adult: Adult
    links: list[ChildAdultLink]
    whole: bool


def adult_detail(*, user: User, pk: int) -> AdultDetail:
    """One adult the user may see (404 otherwise), with their links to children."""
    with transaction.atomic():
        adult = get_object_or_404(visible_adults(user).select_related("household"), pk=pk)
        links = list(
            ChildAdultLink.objects.filter(adult=adult, child__in=visible_children(user))
            .select_related("child")
            .order_by("child__date_of_birth", "child__pk", "relationship")
        )
        audit_record(
            user=user,
            action="view",
            obj=adult,
            children=sorted({link.child_id for link in links}),
        )
    return AdultDetail(adult=adult, links=links, whole=sees_whole_authority(user))


@dataclass(frozen=True)
class ChildPeople:
    """The people around a child that the user may see: adults (each link) and siblings,
    those linked as siblings (living elsewhere too) and those in the same household."""

    adults: list[ChildAdultLink]
    siblings: list[Child]


def child_people(*, user: User, child: Child) -> ChildPeople:
    """The adults and siblings of ``child`` (a child the caller has read, and audited,
    for ``user``) that the user may see. Called inside the caller's audited read."""
    adults = list(
        ChildAdultLink.objects.filter(child=child, adult__in=visible_adults(user))
        .select_related("adult")
        .order_by("relationship", Lower("adult__last_name"), "adult__pk")
    )
    pairs = SiblingLink.objects.filter(Q(child=child) | Q(sibling=child)).values_list(
        "child_id", "sibling_id"
    )
    linked = {pk for pair in pairs for pk in pair} - {child.pk}
    siblings = list(visible_children(user).filter(pk__in=linked).order_by("date_of_birth", "pk"))
    return ChildPeople(adults=adults, siblings=siblings)


@dataclass(frozen=True)
class HouseholdDetail:
    """Everyone in a household the user may see: children, adults, their addresses."""

    household: Household
    children: list[Child]
    adults: list[Adult]
    # Whether these are everyone recorded there (social care sees the whole household).
    whole: bool


def household_detail(*, user: User, pk: int) -> HouseholdDetail:
    """One household the user may see (404 otherwise), with the members they may see."""
    with transaction.atomic():
        household = get_object_or_404(visible_households(user), pk=pk)
        children = list(
            visible_children(user).filter(household=household).order_by("date_of_birth", "pk")
        )
        adults = list(_ordered(visible_adults(user).filter(household=household)))
        audit_record(
            user=user, action="view", obj=household, children=[child.pk for child in children]
        )
    return HouseholdDetail(
        household=household, children=children, adults=adults, whole=sees_whole_authority(user)
    )


@dataclass(frozen=True)
class AdultAround:
    """An adult linked to one of the children a request is about: how, and whether they
    are in a position of trust (they work or volunteer with children, or are linked as a
    professional in a position of trust)."""

    adult: Adult
    how: list[str]
    position_of_trust: bool


def adults_around(*, user: User, children: Iterable[Child]) -> list[AdultAround]:
    """The adults the user may see who are linked to any of ``children``, each with how
    (for the request form: the alleged perpetrators are chosen from them)."""
    links = (
        ChildAdultLink.objects.filter(
            child__in=[child.pk for child in children], adult__in=visible_adults(user)
        )
        .select_related("adult", "child")
        .order_by(Lower("adult__last_name"), Lower("adult__first_name"), "adult__pk", "pk")
    )
    how: dict[int, list[str]] = {}
    adults: dict[int, Adult] = {}
    trusted: set[int] = set()
    for link in links:
        adults[link.adult_id] = link.adult
        how.setdefault(link.adult_id, []).append(
            f"{link.get_relationship_display().lower()} of {link.child.first_name}"
        )
        if link.relationship == POSITION_OF_TRUST or link.adult.works_with_children:
            trusted.add(link.adult_id)
    if adults:
        with transaction.atomic():
            audit_record(
                user=user,
                action="view",
                object_type="cases.Adult",
                children=sorted({link.child_id for link in links}),
                detail={"for": "request form", "adults": sorted(adults)},
            )
    return [
        AdultAround(adult=adult, how=how[pk], position_of_trust=pk in trusted)
        for pk, adult in adults.items()
    ]


@dataclass(frozen=True)
class Allocation:
    """Who may hold a child's case: the authority's social care practitioners and teams."""

    workers: list[User]
    teams: list[Team]


def allocation_choices(*, user: User) -> Allocation:
    """The social workers (and their managers) and social care teams of the user's
    authority, to allocate a child to (nothing for anyone outside social care)."""
    if not sees_whole_authority(user):
        return Allocation(workers=[], teams=[])
    workers = (
        User.objects.filter(
            is_active=True,
            agency__local_authority_id=user.local_authority_id,
            agency__kind="childrens_social_care",
        )
        .exclude(role__in=NOT_PRACTITIONERS)
        .order_by("last_name", "first_name", "pk")
    )
    teams = Team.objects.filter(
        agency__local_authority_id=user.local_authority_id, agency__kind="childrens_social_care"
    ).select_related("agency")
    return Allocation(workers=list(workers), teams=list(teams.order_by("name", "pk")))


def child_adult_links(*, user: User, child: Child, adult_pk: int) -> list[ChildAdultLink]:
    """How one adult the user may see is related to ``child`` (a child the caller has read,
    and audited, for ``user``): each relationship, for removing one."""
    return list(
        ChildAdultLink.objects.filter(
            child=child, adult_id=adult_pk, adult__in=visible_adults(user)
        )
        .select_related("adult", "child")
        .order_by("relationship", "pk")
    )


def child_sibling(*, user: User, child: Child, pk: int) -> Child | None:
    """The child ``pk``, if the user may see them and they are recorded as a brother or
    sister of ``child`` (a child the caller has read, and audited, for ``user``)."""
    low, high = sorted((child.pk, pk))
    if not SiblingLink.objects.filter(child_id=low, sibling_id=high).exists():
        return None
    return visible_children(user).filter(pk=pk).first()
