"""Patterns across cases on a synthetic authority with planted groups: how many of the
alerts are right (precision), how many planted groups are found (recall), and how long
checking one new link takes.

Two authorities of 400 children each. Each child is linked to two to four people,
places, vehicles and accounts from a large pool (each shared by at most two children:
background, which must raise nothing). Planted in the first authority are 12 groups of
three to six children sharing one adult, vehicle, online account or place, each typed a
little differently each time (registration spacing and case, "@" and the site's address
before a handle, case and punctuation of a name, "St" for "Street"), as workers type
them. Two kinds of trouble are planted too: one group of three whose third link is
mistyped beyond what normalising mends ("Vicky Park" for "Victoria Park": it is missed),
and a takeaway that many unrelated children go to (it is raised: a person dismisses it).
The second authority holds two children of each planted group's entity: together with
the first's they would pass three, but authorities are not mixed unless each names the
other in its network setting; measured both ways (with the setting, each planted group is
the first authority's children and the second's together).

``make bench`` prints the figures; the test asserts only what the data guarantees (every
group whose links normalise alike is found, the authorities are not mixed).
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from strategise.cases.models import Child
from strategise.network.models import Entity, Link, NetworkSetting
from strategise.network.services import EntityValues, LinkValues, network_link_add
from strategise.organisations.models import Role, User
from strategise.policy import network as rules
from strategise.requests.models import RequestChild, StrategyRequest
from tests.factories import AgencyFactory, LocalAuthorityFactory, UserFactory

SEED = 2026
CHILDREN = 400
GROUPS = 12


def _planted(rng: random.Random) -> list[tuple[list[rules.Details], str]]:
    """Each planted entity, typed once per child of its group, and its kind."""
    groups: list[tuple[list[rules.Details], str]] = []
    for n in range(GROUPS):
        size = rng.randint(3, 6)
        kind = ("vehicle", "account", "person", "place")[n % 4]
        typed: list[rules.Details] = []
        for i in range(size):
            if kind == "vehicle":
                plate = f"AB{10 + n}CD{chr(65 + n)}"
                variant = (plate, f"{plate[:4]} {plate[4:]}", plate.lower())[i % 3]
                typed.append(rules.Details(kind="vehicle", registration=variant))
            elif kind == "account":
                handle = f"jay_{n}"
                handles = (handle, f"@{handle}", f"https://www.snapchat.com/add/@{handle.upper()}")
                typed.append(
                    rules.Details(kind="account", platform="snapchat", handle=handles[i % 3])
                )
            elif kind == "person":
                name = (f"Dean O'Neill{n}", f"dean o neill{n}", f"DEAN O-NEILL{n}")[i % 3]
                typed.append(
                    rules.Details(kind="person", name=name, date_of_birth=date(1980, 1, 1 + n))
                )
            else:
                street = (f"{n} High Street, B{n} 1AA", f"{n} high st b{n}1aa")[i % 2]
                typed.append(rules.Details(kind="place", name="Flat", address=street))
        groups.append((typed, kind))
    return groups


def synthetic_facts() -> tuple[
    list[rules.LinkFact], list[frozenset[int]], dict[str, Any], list[frozenset[int]]
]:
    """The facts of both authorities, the groups planted in the first, the counts, and the
    planted groups as two authorities sharing patterns would see them."""
    rng = random.Random(SEED)  # noqa: S311 - repeatable made-up data, not a secret
    facts: list[rules.LinkFact] = []
    link = 0

    def add(authority: int, child: int, details: rules.Details, entity: int) -> None:
        nonlocal link
        link += 1
        key = rules.match_key(details)
        facts.append(
            rules.LinkFact(
                link=link,
                authority=authority,
                child=child,
                request=child,
                key=key.value,
                sureness=key.sureness,
                entity=entity,
                since=date(2026, 1, 1),
            )
        )

    # Background: a pool of things each shared by at most two children.
    entity = 0
    for authority in (1, 2):
        base = authority * 10_000
        for child in range(base, base + CHILDREN):
            for _ in range(rng.randint(2, 4)):
                entity += 1
                pick = rng.randrange(3)
                details = (
                    rules.Details(kind="vehicle", registration=f"ZX{entity:05d}"),
                    rules.Details(kind="account", platform="instagram", handle=f"user{entity}"),
                    rules.Details(
                        kind="person", name=f"Person {entity}", date_of_birth=date(1990, 1, 1)
                    ),
                )[pick]
                add(authority, child, details, entity)
                if rng.random() < 0.3:
                    add(
                        authority,
                        child + 1 if child + 1 < base + CHILDREN else base,
                        details,
                        entity,
                    )
    planted: list[frozenset[int]] = []
    shared: list[frozenset[int]] = []
    children = list(range(10_000, 10_000 + CHILDREN))
    rng.shuffle(children)
    for typed, _ in _planted(rng):
        entity += 1
        group = [children.pop() for _ in typed]
        for child, details in zip(group, typed, strict=True):
            add(1, child, details, entity + group.index(child) * 100_000)
        others = (20_000 + rng.randrange(CHILDREN), 20_000 + rng.randrange(CHILDREN))
        for child in others:
            add(2, child, typed[0], entity)
        planted.append(frozenset(group))
        shared.append(frozenset(group) | frozenset(others))
    # Mistyped beyond mending: the third child's park is "Vicky Park".
    park = [children.pop() for _ in range(3)]
    for child, name in zip(park, ("Victoria Park", "victoria park", "Vicky Park"), strict=True):
        add(1, child, rules.Details(kind="place", name=name), 900_000 + child)
    planted.append(frozenset(park))
    shared.append(frozenset(park))
    # A popular takeaway many unrelated children go to.
    for child in [children.pop() for _ in range(8)]:
        add(1, child, rules.Details(kind="place", name="Chicken Palace"), 900_001)
    counts = {"links": len(facts), "planted_groups": len(planted)}
    return facts, planted, counts, shared


def test_precision_and_recall_of_the_alerts(benchmark: Any) -> None:
    facts, planted, counts, _ = synthetic_facts()
    found = benchmark(lambda: rules.shared_patterns(facts))
    assert {pattern.authority for pattern in found} == {1}
    groups = [frozenset(pattern.children) for pattern in found]
    result = rules.scores(groups, planted)
    benchmark.extra_info.update(
        counts,
        alerts=len(found),
        precision=round(result.precision, 3),
        recall=round(result.recall, 3),
        false_positives=result.false_positives,
        false_negatives=result.false_negatives,
    )
    print(
        f"\npatterns: {counts['links']} links, {len(found)} alerts, precision "
        f"{result.precision:.3f}, recall {result.recall:.3f} ({result.true_positives} right, "
        f"{result.false_positives} wrong, {result.false_negatives} planted groups missed)"
    )
    # Every planted group typed within what normalising mends is found; the "Vicky Park"
    # group is missed and the takeaway raised, as the module's note says.
    assert result.true_positives == GROUPS
    assert result.false_negatives == 1
    assert result.false_positives == 1


def test_precision_and_recall_when_two_authorities_share_patterns(benchmark: Any) -> None:
    """Each authority names the other: the pattern check sees both authorities' links as
    its own (``network.patterns.link_facts`` with a pool), as here."""
    facts, _, _, shared = synthetic_facts()
    pooled = [replace(fact, authority=1) for fact in facts]
    found = benchmark(lambda: rules.shared_patterns(pooled))
    result = rules.scores([frozenset(pattern.children) for pattern in found], shared)
    benchmark.extra_info.update(
        alerts=len(found),
        precision=round(result.precision, 3),
        recall=round(result.recall, 3),
    )
    print(
        f"\npatterns, two authorities sharing: {len(found)} alerts, precision "
        f"{result.precision:.3f}, recall {result.recall:.3f} ({result.true_positives} right, "
        f"{result.false_positives} wrong, {result.false_negatives} planted groups missed)"
    )
    # Each planted group is found with the second authority's two children in it.
    assert result.true_positives == GROUPS
    across = [p for p in found if any(child >= 20_000 for child in p.children)]
    assert len(across) == GROUPS


@pytest.fixture
def synthetic_authority(db: None) -> tuple[User, list[StrategyRequest]]:
    """An authority of 400 children, each with a request and three links, in the database."""
    authority = LocalAuthorityFactory.create(profile="sandwell")
    worker = UserFactory.create(
        agency=AgencyFactory.create(local_authority=authority), role=Role.SOCIAL_WORKER
    )
    children = Child.objects.bulk_create(
        Child(local_authority=authority, first_name=f"Child{n}", last_name="Synthetic")
        for n in range(CHILDREN)
    )
    identified = timezone.now() - timedelta(days=1)
    requests = StrategyRequest.objects.bulk_create(
        StrategyRequest(
            local_authority=authority,
            raised_by=worker,
            identified_at=identified,
            narrative="Synthetic",
            facts={},
            triage={},
            profile="sandwell",
            profile_version="1",
            discussion_type="standard",
        )
        for _ in children
    )
    RequestChild.objects.bulk_create(
        RequestChild(request=request, child=child, household="h1")
        for request, child in zip(requests, children, strict=True)
    )
    now = timezone.now()
    entities = Entity.objects.bulk_create(
        Entity(
            local_authority=authority,
            kind="vehicle",
            name="",
            registration=f"ZX{n:05d}",
            match_key=f"vehicle:ZX{n:05d}",
            sureness="certain",
            created_by=worker,
            created_at=now,
        )
        for n in range(CHILDREN * 3)
    )
    Link.objects.bulk_create(
        Link(
            local_authority=authority,
            request=requests[n // 3],
            child=children[n // 3],
            entity=entity,
            kind="driven_in",
            agency="Police",
            confidence="reported",
            match_key=entity.match_key,
            created_by=worker,
            created_at=now,
        )
        for n, entity in enumerate(entities)
    )
    return worker, requests


@pytest.mark.parametrize("sharing", [False, True], ids=["alone", "sharing"])
def test_time_to_check_a_new_link(
    benchmark: Any, synthetic_authority: tuple[User, list[StrategyRequest]], sharing: bool
) -> None:
    """Record and check one link; ``sharing``: with a second authority (with no links of
    its own) that the first shares patterns with, both ways, so each check reads both."""
    worker, requests = synthetic_authority
    if sharing:
        partner = LocalAuthorityFactory.create(profile="sandwell")
        first, _ = NetworkSetting.objects.get_or_create(
            local_authority_id=requests[0].local_authority_id
        )
        first.shares_with.add(partner)
        NetworkSetting.objects.create(local_authority=partner).shares_with.add(
            requests[0].local_authority_id
        )
    counter = iter(range(1_000_000))

    def record() -> Link:
        n = next(counter)
        request = requests[n % len(requests)]
        return network_link_add(
            user=worker,
            request=request,
            entity=EntityValues(kind="vehicle", registration="AB12 CDE"),
            link=LinkValues(
                child=request.children.get(),
                kind="driven_in",
                since=None,
                until=None,
                agency="Police",
                confidence="reported",
            ),
            now=timezone.now(),
        )

    benchmark.pedantic(record, rounds=30, iterations=1)
    # The shared car reached three children, so the check raised its alert along the way.
    assert Link.objects.filter(match_key="vehicle:AB12CDE").count() == 30
    from strategise.network.models import PatternAlert

    assert PatternAlert.objects.get().evidence["children"].__len__() == 30
