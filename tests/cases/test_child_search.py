"""Finding a child forgives case, accents and a typo ("lilly price" finds Lily Price), the
same way on SQLite and on PostgreSQL, and only among the children the user may see.

The suite runs on SQLite and (with DATABASE_URL) on PostgreSQL: every test here runs on
both, and asserts the same children in the same order on each.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext

from strategise.cases.models import Child
from strategise.cases.names import fold, similarity, trigrams
from strategise.cases.selectors import child_search
from strategise.discussions.models import Discussion
from strategise.organisations.models import LocalAuthority, User
from tests.factories import (
    ChildFactory,
    DiscussionFactory,
    InvitationFactory,
    StrategyRequestFactory,
)

pytestmark = pytest.mark.django_db


def _child(authority: LocalAuthority, first: str, last: str, **extra: object) -> Child:
    return ChildFactory.create(
        local_authority=authority, first_name=first, last_name=last, aliases="", **extra
    )


def _names(children: list[Child]) -> list[str]:
    return [child.full_name for child in children]


def test_folding_drops_case_accents_and_punctuation() -> None:
    assert fold("  Zoë  Ó'BRIEN-Smith ") == "zoe o brien smith"
    assert fold("Łukasz Müller") == "lukasz muller"
    assert fold("") == ""


def test_similarity_counts_pg_trgms_pieces() -> None:
    # lilly: "  l", " li", "lil", "ill", "lly", "ly "; lily: "  l", " li", "lil", "ily",
    # "ly "; price: "  p", " pr", "pri", "ric", "ice", "ce " in both. Shared: 4 + 6 = 10,
    # in all: 12 + 11 - 10 = 13.
    assert trigrams("lily") == {"  l", " li", "lil", "ily", "ly "}
    assert similarity(trigrams("lilly price"), trigrams("lily price")) == pytest.approx(10 / 13)
    assert similarity(trigrams(""), trigrams("lily")) == 0.0


def test_the_name_kept_for_searching_follows_a_change_of_name(authority: LocalAuthority) -> None:
    child = _child(authority, "Zoë", "Price")
    assert Child.objects.get(pk=child.pk).search_name == "zoe price"
    child.last_name = "Ó'Neill"
    child.save(update_fields=["last_name"])
    assert Child.objects.get(pk=child.pk).search_name == "zoe o neill"


def test_a_typo_in_the_first_name_finds_the_child(
    authority: LocalAuthority, social_worker: User
) -> None:
    lily = _child(authority, "Lily", "Price")
    _child(authority, "Tom", "Jones")
    assert child_search(user=social_worker, text="lilly price") == [lily]
    assert child_search(user=social_worker, text="LILY PRISE") == [lily]


def test_accents_and_case_are_forgiven_both_ways(
    authority: LocalAuthority, social_worker: User
) -> None:
    zoe = _child(authority, "Zoë", "Müller")
    chloe = _child(authority, "Chloe", "Smith")
    assert child_search(user=social_worker, text="zoe muller") == [zoe]
    assert child_search(user=social_worker, text="ZOË") == [zoe]
    assert child_search(user=social_worker, text="chloë smith") == [chloe]


def test_the_closest_name_comes_first(authority: LocalAuthority, social_worker: User) -> None:
    _child(authority, "Lilly", "Pryce")
    _child(authority, "Lily", "Price")
    _child(authority, "Millie", "Price")
    _child(authority, "Amara", "Okafor")
    # lily price: 11 pieces, all shared; lilly pryce: "  l", " li", "lil", "ly ", "  p",
    # " pr" shared of 6 + 6 (6/11 + 12 - 6); millie price: the six of "price" and "ie "?
    # no: "ly " is not in millie, so "price" alone (6 of 11 + 13 - 6).
    assert _names(child_search(user=social_worker, text="lily price")) == [
        "Lily Price",
        "Lilly Pryce",
        "Millie Price",
    ]


def test_words_still_find_part_of_a_name_an_alias_or_the_reference(
    authority: LocalAuthority, social_worker: User
) -> None:
    amara = ChildFactory.create(
        local_authority=authority,
        first_name="Amara",
        last_name="Okafor",
        aliases="Mara",
        local_reference="SCT1001",
    )
    assert child_search(user=social_worker, text="oka") == [amara]
    assert child_search(user=social_worker, text="mara") == [amara]
    assert child_search(user=social_worker, text="sct1001") == [amara]


def test_a_date_of_birth_narrows_a_fuzzy_search(
    authority: LocalAuthority, social_worker: User
) -> None:
    older = _child(authority, "Lily", "Price", date_of_birth=date(2012, 1, 5))
    _child(authority, "Lily", "Price", date_of_birth=date(2019, 6, 1))
    assert child_search(user=social_worker, text="lilly price", born=date(2012, 1, 5)) == [older]


def test_the_search_stays_within_the_authority_and_need_to_know(
    authority: LocalAuthority,
    social_worker: User,
    other_authority_social_worker: User,
    police_officer: User,
    team_manager: User,
) -> None:
    lily = _child(authority, "Lily", "Price")
    hidden = _child(authority, "Lily", "Pryce")
    assert other_authority_social_worker.agency is not None
    elsewhere = _child(other_authority_social_worker.agency.local_authority, "Lily", "Price")
    request = StrategyRequestFactory.create(local_authority=authority, children=[lily])
    discussion: Discussion = DiscussionFactory.create(request=request, chair=team_manager)
    assert child_search(user=police_officer, text="lilly price") == []
    InvitationFactory.create(discussion=discussion, user=police_officer)
    # The police see the child of the discussion they are invited to, not her neighbour.
    assert child_search(user=police_officer, text="lilly price") == [lily]
    assert child_search(user=other_authority_social_worker, text="lilly price") == [elsewhere]
    assert child_search(user=social_worker, text="lilly price") == [lily, hidden]


def test_a_search_costs_the_same_however_many_children_it_finds(
    authority: LocalAuthority, social_worker: User
) -> None:
    _child(authority, "Lily", "Price")
    child_search(user=social_worker, text="lily")  # what is read once (the audit's chain)
    with CaptureQueriesContext(connection) as one:
        assert len(child_search(user=social_worker, text="lilly price")) == 1
    for number in range(10):
        _child(authority, "Lily", "Price", date_of_birth=date(2010, 1, number + 1))
    with CaptureQueriesContext(connection) as eleven:
        assert len(child_search(user=social_worker, text="lilly price")) == 11
    assert len(eleven) <= len(one)


def test_on_postgresql_the_database_measures_names_as_python_does(
    authority: LocalAuthority,
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: run the suite with DATABASE_URL to check pg_trgm")
    pairs = [
        ("lilly price", "lily price"),
        ("zoe", "zoe muller"),
        ("a", "ab abc"),
        ("o neill", "oneill"),
        ("x1", "x 1"),
    ]
    with connection.cursor() as cursor:
        for first, second in pairs:
            cursor.execute("SELECT similarity(%s, %s), %s %% %s", [first, second, first, second])
            measured, similar = cursor.fetchone()
            ours = similarity(trigrams(first), trigrams(second))
            assert measured == pytest.approx(ours, abs=1e-6), (first, second)
            assert similar == (ours >= 0.3), (first, second)
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'child_search_name_trgm'")
        assert "gin_trgm_ops" in cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_in_the_names_of_children_already_recorded(
    authority: LocalAuthority,
) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([("cases", "0003_child_census_codes")])
    try:
        executor.loader.build_graph()
        old = executor.loader.project_state([("cases", "0003_child_census_codes")]).apps
        before = old.get_model("cases", "Child").objects.create(
            local_authority_id=authority.pk, first_name="Zoë", last_name="O'Brien"
        )
        after = [("cases", "0005_child_search_name")]
        executor.migrate(after)
        executor.loader.build_graph()
        # Read as the model stood then: later migrations may add columns.
        new = executor.loader.project_state(after).apps.get_model("cases", "Child")
        assert new.objects.get(pk=before.pk).search_name == "zoe o brien"
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
