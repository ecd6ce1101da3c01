"""Factories for every case model, with British (en_GB) made-up data.

They write rows directly, for arranging a test; the behaviour under test goes through
the services. A request's triage is still real: ``StrategyRequestFactory`` asks the
policy engine, with the facts ``request_facts`` builds from the request's children.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import factory
from django.utils import timezone
from django.utils.text import slugify
from factory.django import DjangoModelFactory, Password

from strategise.actions.models import Action
from strategise.cases.models import Adult, Child, ChildAdultLink, Household
from strategise.discussions.models import Discussion, Format, Invitation
from strategise.organisations.models import Agency, LocalAuthority, Role, Team, User
from strategise.policy import triage, vocabulary
from strategise.requests.models import (
    AllegedPerpetrator,
    RequestChild,
    RequestStatus,
    StrategyRequest,
)
from strategise.requests.services import Perpetrator, household_label, request_facts

PASSWORD = "correct horse battery staple"


def fake(provider: str, **kwargs: Any) -> factory.Faker:
    """A Faker value from the British locale."""
    return factory.Faker(provider, locale="en_GB", **kwargs)


class LocalAuthorityFactory(DjangoModelFactory[LocalAuthority]):
    class Meta:
        model = LocalAuthority

    class Params:
        town = fake("city")

    name = factory.LazyAttributeSequence(lambda o, n: f"{o.town} Council {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    profile = "sandwell"
    # The made-up staff (UserFactory) have addresses at example.org: the authority's own.
    email_domains = "example.org"


class AgencyFactory(DjangoModelFactory[Agency]):
    class Meta:
        model = Agency

    local_authority = factory.SubFactory(LocalAuthorityFactory)
    kind = "childrens_social_care"
    name = factory.LazyAttributeSequence(
        lambda o, n: f"{o.local_authority.name} {vocabulary.ATTENDEES[o.kind].lower()} {n}"
    )
    email = fake("safe_email")


class TeamFactory(DjangoModelFactory[Team]):
    class Meta:
        model = Team

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Assessment team {n}")


class UserFactory(DjangoModelFactory[User]):
    """A user who signs in with ``PASSWORD``; a social worker unless told otherwise."""

    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    # Password is make_password, which is what set_password does, without a second save.
    password = Password(PASSWORD)
    first_name = fake("first_name")
    last_name = fake("last_name")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    agency = factory.SubFactory(AgencyFactory)
    team = None
    role = Role.SOCIAL_WORKER
    job_title = factory.LazyAttribute(lambda o: Role(o.role).label)


class HouseholdFactory(DjangoModelFactory[Household]):
    class Meta:
        model = Household

    local_authority = factory.SubFactory(LocalAuthorityFactory)
    address = fake("address")


class ChildFactory(DjangoModelFactory[Child]):
    """A child at school in a household of their own; traits for an unborn baby and a
    looked-after child."""

    class Meta:
        model = Child

    class Params:
        unborn_baby = factory.Trait(
            unborn=True,
            first_name="Unborn baby",
            date_of_birth=None,
            expected_date=factory.LazyFunction(lambda: timezone.localdate() + timedelta(weeks=10)),
            education="none",
        )
        looked_after_child = factory.Trait(
            looked_after=True, date_of_birth=fake("date_of_birth", minimum_age=13, maximum_age=16)
        )

    local_authority = factory.SubFactory(LocalAuthorityFactory)
    first_name = fake("first_name")
    last_name = fake("last_name")
    date_of_birth = fake("date_of_birth", minimum_age=5, maximum_age=15)
    address = fake("address")
    household = factory.SubFactory(
        HouseholdFactory,
        local_authority=factory.SelfAttribute("..local_authority"),
        address=factory.SelfAttribute("..address"),
    )
    education = "school"
    local_reference = factory.Sequence(lambda n: f"C{100000 + n}")


class AdultFactory(DjangoModelFactory[Adult]):
    class Meta:
        model = Adult

    local_authority = factory.SubFactory(LocalAuthorityFactory)
    first_name = fake("first_name")
    last_name = fake("last_name")
    date_of_birth = fake("date_of_birth", minimum_age=19, maximum_age=70)
    address = fake("address")
    household = factory.SubFactory(
        HouseholdFactory,
        local_authority=factory.SelfAttribute("..local_authority"),
        address=factory.SelfAttribute("..address"),
    )


class ChildAdultLinkFactory(DjangoModelFactory[ChildAdultLink]):
    class Meta:
        model = ChildAdultLink

    child = factory.SubFactory(ChildFactory)
    adult = factory.SubFactory(
        AdultFactory,
        local_authority=factory.SelfAttribute("..child.local_authority"),
        household=factory.SelfAttribute("..child.household"),
        last_name=factory.SelfAttribute("..child.last_name"),
    )
    relationship = "parent"
    parental_responsibility = True


class StrategyRequestFactory(DjangoModelFactory[StrategyRequest]):
    """A request triaged for real by its authority's profile.

    ``children`` defaults to one new child in the request's authority; ``perpetrators``
    (``Perpetrator`` values) to none. Build it with ``create``: the children must exist.
    """

    class Meta:
        model = StrategyRequest

    local_authority = factory.SubFactory(LocalAuthorityFactory)
    raised_by = factory.SubFactory(
        UserFactory, agency__local_authority=factory.SelfAttribute("...local_authority")
    )
    identified_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=2))
    concerns = factory.LazyFunction(lambda: ["physical_abuse"])
    flags = factory.LazyFunction(list)
    referrer = ""
    narrative = fake("paragraph", nb_sentences=4)

    @classmethod
    def _create(cls, model_class: type[StrategyRequest], *args: Any, **kwargs: Any) -> Any:
        local_authority: LocalAuthority = kwargs["local_authority"]
        children: list[Child] = kwargs.pop("children", None) or [
            ChildFactory.create(local_authority=local_authority)
        ]
        perpetrators: list[Perpetrator] = kwargs.pop("perpetrators", [])
        facts = request_facts(
            profile=local_authority.profile,
            identified_at=kwargs["identified_at"],
            children=children,
            concerns=kwargs["concerns"],
            flags=kwargs["flags"],
            referrer=kwargs["referrer"],
            perpetrators=perpetrators,
        )
        answer = triage(facts)
        data = answer.to_dict()
        request = model_class.objects.create(
            **kwargs,
            facts=facts,
            triage=data,
            profile=data["profile"],
            profile_version=data["profile_version"],
            discussion_type=data["discussion_type"],
            hold_by=answer.hold_by,
        )
        RequestChild.objects.bulk_create(
            RequestChild(request=request, child=child, household=household_label(child))
            for child in children
        )
        AllegedPerpetrator.objects.bulk_create(
            AllegedPerpetrator(
                request=request, name=p.name, position_of_trust=p.position_of_trust, role=p.role
            )
            for p in perpetrators
        )
        return request


class AllegedPerpetratorFactory(DjangoModelFactory[AllegedPerpetrator]):
    class Meta:
        model = AllegedPerpetrator

    request = factory.SubFactory(StrategyRequestFactory)
    name = fake("name")
    position_of_trust = False


class DiscussionFactory(DjangoModelFactory[Discussion]):
    """A virtual discussion in two hours, chaired by a team manager; its request is
    marked convened, as convening does."""

    class Meta:
        model = Discussion

    request = factory.SubFactory(StrategyRequestFactory)
    local_authority = factory.SelfAttribute("request.local_authority")
    format = Format.VIRTUAL
    scheduled_for = factory.LazyFunction(
        lambda: (timezone.now() + timedelta(hours=2)).replace(minute=0, second=0, microsecond=0)
    )
    chair = factory.SubFactory(
        UserFactory,
        role=Role.TEAM_MANAGER,
        agency__local_authority=factory.SelfAttribute("...local_authority"),
    )
    convened_by = factory.SelfAttribute("request.raised_by")

    @classmethod
    def _create(cls, model_class: type[Discussion], *args: Any, **kwargs: Any) -> Any:
        discussion = super()._create(model_class, *args, **kwargs)
        StrategyRequest.objects.filter(
            pk=discussion.request_id, status=RequestStatus.AWAITING_CONVENING
        ).update(status=RequestStatus.CONVENED)
        return discussion


class InvitationFactory(DjangoModelFactory[Invitation]):
    """A required police officer who uses Strategise; ``by_email`` for a named person who
    does not (a foster carer)."""

    class Meta:
        model = Invitation

    class Params:
        by_email = factory.Trait(
            user=None,
            agency=None,
            agency_code="carer",
            name=fake("name"),
            email=fake("safe_email"),
        )

    discussion = factory.SubFactory(DiscussionFactory)
    user = factory.SubFactory(
        UserFactory,
        role=Role.POLICE,
        agency__kind="police",
        agency__local_authority=factory.SelfAttribute("...discussion.local_authority"),
    )
    agency = factory.LazyAttribute(lambda o: o.user.agency if o.user else None)
    agency_code = factory.LazyAttribute(lambda o: o.agency.kind if o.agency else "police")
    name = factory.LazyAttribute(lambda o: str(o.user) if o.user else "")
    email = factory.LazyAttribute(lambda o: o.user.email if o.user else "")
    required = True
    sent_at = factory.LazyFunction(timezone.now)


class ActionFactory(DjangoModelFactory[Action]):
    """An open action for the discussion's chair, due in two days."""

    class Meta:
        model = Action

    discussion = factory.SubFactory(DiscussionFactory)
    description = factory.Iterator(
        [
            "Visit the child at home and see them alone",
            "Arrange a child protection medical with the paediatrician",
            "Share the school's attendance and welfare records",
            "Complete police checks on the adults in the household",
        ]
    )
    owner = factory.SelfAttribute("discussion.chair")
    owner_name = factory.LazyAttribute(lambda o: str(o.owner) if o.owner else "")
    agency_code = "childrens_social_care"
    due_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=2))
