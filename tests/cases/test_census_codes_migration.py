"""Children recorded with free-text gender and ethnicity get the census's codes; what matches
no code is kept and listed, and reversing the migration gives the text back."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from strategise.organisations.models import LocalAuthority

BEFORE = [("cases", "0002_initial")]
AFTER = [("cases", "0003_child_census_codes")]

# As typed before the codes -> (sex, sex_unmapped), and the same for ethnicity.
SEXES = {
    "Female": ("F", ""),
    " male ": ("M", ""),
    "GIRL": ("F", ""),
    "Not known": ("U", ""),
    "": ("", ""),
    "Non-binary": ("", "Non-binary"),
}
ETHNICITIES = {
    "White British": ("WBRI", ""),
    "white - british": ("WBRI", ""),
    "wbri": ("WBRI", ""),
    "Gypsy/Roma": ("WROM", ""),
    "Black African": ("BAFR", ""),
    "Mixed: White and Asian": ("MWAS", ""),
    "": ("", ""),
    "Cornish": ("", "Cornish"),
}


def _migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor


@pytest.fixture
def before_codes(transactional_db: None) -> Iterator[MigrationExecutor]:
    """The database as it was before children had census codes; put back afterwards."""
    executor = _migrate(BEFORE)
    try:
        yield executor
    finally:
        _migrate(executor.loader.graph.leaf_nodes())


def test_free_text_becomes_the_census_codes_and_the_rest_is_kept_and_listed(
    before_codes: MigrationExecutor, authority: LocalAuthority, capsys: pytest.CaptureFixture[str]
) -> None:
    old = before_codes.loader.project_state(BEFORE).apps.get_model("cases", "Child")
    for gender in SEXES:
        old.objects.create(local_authority_id=authority.pk, first_name="S", gender=gender)
    for ethnicity in ETHNICITIES:
        old.objects.create(local_authority_id=authority.pk, first_name="E", ethnicity=ethnicity)
    capsys.readouterr()

    # Read as the model stood then: later migrations add columns this one has not made.
    Child = _migrate(AFTER).loader.project_state(AFTER).apps.get_model("cases", "Child")  # noqa: N806

    sexes = Child.objects.filter(first_name="S").order_by("pk")
    assert [(child.sex, child.sex_unmapped) for child in sexes] == list(SEXES.values())
    ethnicities = Child.objects.filter(first_name="E").order_by("pk")
    assert [(c.ethnicity, c.ethnicity_unmapped) for c in ethnicities] == list(ETHNICITIES.values())
    printed = capsys.readouterr().out
    non_binary = sexes.get(sex_unmapped="Non-binary").pk
    cornish = ethnicities.get(ethnicity_unmapped="Cornish").pk
    assert "2 recorded values match no census code" in printed
    assert f"child {non_binary}: sex 'Non-binary'" in printed
    assert f"child {cornish}: ethnicity 'Cornish'" in printed


def test_reversing_it_gives_the_text_back(
    before_codes: MigrationExecutor, authority: LocalAuthority
) -> None:
    old = before_codes.loader.project_state(BEFORE).apps.get_model("cases", "Child")
    old.objects.create(
        local_authority_id=authority.pk, first_name="A", gender="girl", ethnicity="Cornish"
    )
    old.objects.create(
        local_authority_id=authority.pk, first_name="B", gender="Non-binary", ethnicity="wbri"
    )
    _migrate(AFTER)

    executor = _migrate(BEFORE)

    old = executor.loader.project_state(BEFORE).apps.get_model("cases", "Child")
    assert list(old.objects.order_by("pk").values_list("gender", "ethnicity")) == [
        ("Female", "Cornish"),
        ("Non-binary", "WBRI"),
    ]
