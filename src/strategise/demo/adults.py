"""The demo's people around the children: parents, a stepfather who is the alleged
perpetrator, a grandmother who cares for a child, a family friend, and identifiers.

Added through the services, as a social worker of each demo authority would, to the
children the demo has already recorded there (whatever cases it holds): the first few
households get a family each. Every name is made up.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from strategise.cases.adults import adult_create, adult_link, child_identifiers_update
from strategise.cases.models import Child
from strategise.organisations.models import LocalAuthority, Role, User
from strategise.policy.identifiers import nhs_number_check_digit, upn_check_letter

# How many households of each authority get a family.
FAMILIES = 3
# Made-up first names: (mother, stepfather, grandmother, family friend).
NAMES = [
    ("Kelly", "Dean", "Margaret", "Tony"),
    ("Sarah", "Ryan", "Pauline", "Gary"),
    ("Leanne", "Craig", "Brenda", "Steve"),
]


def _social_worker(authority: LocalAuthority) -> User | None:
    return (
        User.objects.filter(
            agency__local_authority=authority,
            agency__kind="childrens_social_care",
            role=Role.SOCIAL_WORKER,
            is_active=True,
        )
        .order_by("pk")
        .first()
    )


def demo_nhs_number(seed: int) -> str:
    """A well-formed NHS number (its check digit right), made up from ``seed``."""
    while True:
        first_nine = f"{999000000 + seed % 1000000:09d}"
        check = nhs_number_check_digit(first_nine)
        if check is not None:
            return f"{first_nine}{check}"
        seed += 1


def demo_upn(authority: LocalAuthority, seed: int) -> str:
    """A well-formed unique pupil number (its check letter right), made up from ``seed``."""
    last_twelve = f"{800 + authority.pk % 100:03d}2000{seed % 100:02d}{seed % 1000:03d}"
    return f"{upn_check_letter(last_twelve)}{last_twelve}"


def _born(today: date, years: int) -> date:
    return today - timedelta(days=round(years * 365.25))


def demo_adults(*, authority: LocalAuthority, now: datetime) -> int:
    """Add the demo's adults to the first households of ``authority``; how many added."""
    worker = _social_worker(authority)
    if worker is None:
        return 0
    today = timezone.localdate(now)
    households = list(
        Child.objects.filter(local_authority=authority, household__isnull=False)
        .order_by("household_id")
        .values_list("household_id", flat=True)
        .distinct()[:FAMILIES]
    )
    added = 0
    for number, household in enumerate(households):
        children = list(Child.objects.filter(household_id=household).order_by("pk"))
        added += _family(worker, children, NAMES[number % len(NAMES)], today, number)
    return added


def _family(
    worker: User, children: list[Child], names: tuple[str, str, str, str], today: date, number: int
) -> int:
    mother, stepfather, grandmother, friend = names
    eldest = children[0]
    family = eldest.last_name
    at_home = {"address": eldest.address}

    def add(values: dict[str, Any], relationship: str, *, responsibility: bool, home: bool) -> Any:
        return adult_create(
            user=worker,
            values=values,
            today=today,
            child=eldest,
            relationship=relationship,
            parental_responsibility=responsibility,
            same_household=home,
        )

    parent = add(
        {
            "first_name": mother,
            "last_name": family,
            "former_names": f"{mother} Hughes",
            "date_of_birth": _born(today, 31 + number),
            "nhs_number": demo_nhs_number(eldest.pk * 10 + 1),
            **at_home,
        },
        "parent",
        responsibility=True,
        home=True,
    )
    partner = add(
        {
            "first_name": stepfather,
            "last_name": "Walsh",
            "aliases": f"{stepfather[0]}W",
            "date_of_birth": _born(today, 36 + number),
            "police_reference": f"CR/{today:%Y}/{4100 + eldest.pk}",
            **at_home,
        },
        "step_parent",
        responsibility=False,
        home=True,
    )
    adult_link(user=worker, adult=partner, child=eldest, relationship="alleged_perpetrator")
    carer = add(
        {
            "first_name": grandmother,
            "last_name": "Hughes",
            "date_of_birth": _born(today, 62 + number),
            "address": f"{3 + number} Orchard Close\n{eldest.address.splitlines()[-1]}",
        },
        "grandparent",
        responsibility=False,
        home=False,
    )
    for child in children[1:]:
        adult_link(
            user=worker,
            adult=parent,
            child=child,
            relationship="parent",
            parental_responsibility=True,
        )
        adult_link(user=worker, adult=partner, child=child, relationship="step_parent")
        adult_link(user=worker, adult=carer, child=child, relationship="grandparent")
    add(
        {
            "first_name": friend,
            "last_name": "Price",
            "works_with_children": True,
            "occupation": "Youth football coach",
        },
        "other",
        responsibility=False,
        home=False,
    )
    for index, child in enumerate(children):
        child_identifiers_update(
            user=worker,
            child=child,
            values={
                "nhs_number": demo_nhs_number(child.pk * 10 + 5),
                "upn": demo_upn(child.local_authority, child.pk + index)
                if not child.unborn
                else "",
                "police_reference": "",
                "former_names": "",
                "allocated_worker": worker,
                "allocated_team": worker.team,
            },
            version=Child.objects.get(pk=child.pk).version,
        )
    return 4
