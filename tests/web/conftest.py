from __future__ import annotations

from typing import Any

import pytest

from strategise.cases.models import Child
from strategise.discussions.models import Discussion, Invitation
from strategise.organisations.models import LocalAuthority, Role, User
from strategise.requests.models import StrategyRequest
from tests.factories import (
    ChildFactory,
    DiscussionFactory,
    InvitationFactory,
    StrategyRequestFactory,
    UserFactory,
)
from tests.web.submissions import VALID_TRIAGE


@pytest.fixture
def valid_triage() -> dict[str, Any]:
    """A complete, valid triage form submission, safe to change in a test."""
    return dict(VALID_TRIAGE)


@pytest.fixture
def child(authority: LocalAuthority) -> Child:
    """A child in Sandwell, at school, in a household of their own."""
    return ChildFactory.create(
        local_authority=authority, first_name="Lily", last_name="Price", local_reference="C900001"
    )


@pytest.fixture
def strategy_request(
    authority: LocalAuthority, social_worker: User, child: Child
) -> StrategyRequest:
    """A request about ``child``, raised by ``social_worker``, waiting to be convened."""
    return StrategyRequestFactory.create(
        local_authority=authority, raised_by=social_worker, children=[child]
    )


@pytest.fixture
def discussion(
    strategy_request: StrategyRequest, team_manager: User, police_officer: User
) -> Discussion:
    """The request's discussion, chaired by ``team_manager``, with ``police_officer`` invited."""
    discussion = DiscussionFactory.create(request=strategy_request, chair=team_manager)
    InvitationFactory.create(discussion=discussion, user=police_officer)
    return discussion


@pytest.fixture
def police_invitation(discussion: Discussion, police_officer: User) -> Invitation:
    return discussion.invitations.get(user=police_officer)


@pytest.fixture
def other_police_officer(authority: LocalAuthority) -> User:
    """A police officer in the same authority who is not invited to anything."""
    return UserFactory.create(
        agency=authority.agencies.get(kind="police"),
        role=Role.POLICE,
        first_name="Uninvited",
        last_name="Constable",
    )
