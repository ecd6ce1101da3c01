"""The demo's people around the children: each demo authority's first households have a
family, recorded through the services, with well-formed identifiers."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from strategise.cases.models import Adult, Child, ChildAdultLink
from strategise.demo.adults import FAMILIES, demo_nhs_number, demo_upn
from strategise.demo.people import AUTHORITIES
from strategise.organisations.models import LocalAuthority
from strategise.policy.identifiers import nhs_number_problem, upn_problem
from tests.factories import LocalAuthorityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> None:
    call_command("demo", "--allow-without-debug", stdout=StringIO())


def test_each_demo_authority_has_families_with_an_alleged_perpetrator_linked(demo: None) -> None:
    for spec in AUTHORITIES:
        authority = LocalAuthority.objects.get(slug=spec.slug)
        adults = Adult.objects.filter(local_authority=authority)
        households = (
            Child.objects.filter(local_authority=authority).values("household").distinct().count()
        )
        assert adults.count() == 4 * min(FAMILIES, households), spec.slug
        perpetrators = ChildAdultLink.objects.filter(
            adult__local_authority=authority, relationship="alleged_perpetrator"
        )
        assert perpetrators.exists(), spec.slug
        # The alleged perpetrator is the child's stepfather, living with them.
        link = perpetrators.first()
        assert link is not None
        assert ChildAdultLink.objects.filter(
            adult=link.adult, child=link.child, relationship="step_parent"
        ).exists()
        assert link.adult.household_id == link.child.household_id


def test_the_demo_identifiers_pass_their_checks(demo: None) -> None:
    numbers = [n for n in Child.objects.values_list("nhs_number", flat=True) if n]
    numbers += [n for n in Adult.objects.values_list("nhs_number", flat=True) if n]
    upns = [u for u in Child.objects.values_list("upn", flat=True) if u]
    assert numbers and upns
    assert [n for n in numbers if nhs_number_problem(n)] == []
    assert [u for u in upns if upn_problem(u)] == []


def test_made_up_identifiers_are_well_formed_for_any_seed() -> None:
    authority = LocalAuthorityFactory.create()
    for seed in range(60):
        assert nhs_number_problem(demo_nhs_number(seed)) is None
        assert upn_problem(demo_upn(authority, seed)) is None
