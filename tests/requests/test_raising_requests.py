"""Raising a request: triaged against the authority's procedure, stored frozen, audited."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from django.http import Http404

from strategise.audit.models import AuditEvent
from strategise.cases.models import Child
from strategise.cases.services import child_create
from strategise.organisations.models import User
from strategise.policy import LONDON
from strategise.problems import Problem
from strategise.requests.models import RequestStatus, StrategyRequest
from strategise.requests.selectors import request_get
from strategise.requests.services import Perpetrator, request_create

IDENTIFIED = datetime(2026, 3, 4, 10, 0, tzinfo=LONDON)  # a Wednesday
NOW = datetime(2026, 3, 4, 11, 0, tzinfo=LONDON)


def _child(user: User, first_name: str, sibling: Child | None = None) -> Child:
    return child_create(
        user=user,
        values={"first_name": first_name, "last_name": "Okafor", "date_of_birth": date(2019, 6, 1)},
        same_household_as=sibling,
        today=NOW.date(),
    )


def _raise(user: User, children: list[Child], **changes: Any) -> StrategyRequest:
    arguments: dict[str, Any] = {
        "user": user,
        "identified_at": IDENTIFIED,
        "children": children,
        "concerns": ["physical_abuse"],
        "flags": [],
        "referrer": "school",
        "narrative": "Bruising to the face seen by the class teacher.",
        "perpetrators": [],
        "now": NOW,
    }
    arguments.update(changes)
    return request_create(**arguments)


def test_sandwell_9_0_standard_request_is_due_in_three_working_days(social_worker: User) -> None:
    request = _raise(social_worker, [_child(social_worker, "Amara")])
    assert request.discussion_type == "standard"
    assert request.hold_by == datetime(2026, 3, 9, 23, 59, 59, tzinfo=LONDON)
    assert request.triage["timescales"][0]["source"] == "002_3bebd37290b13db4.txt §9.0"
    assert request.profile == "sandwell"
    assert request.profile_version.startswith("2026.1 (")
    assert request.status == RequestStatus.AWAITING_CONVENING


def test_sandwell_4_1_children_in_different_families_make_it_complex(social_worker: User) -> None:
    request = _raise(social_worker, [_child(social_worker, "Amara"), _child(social_worker, "Bola")])
    assert request.discussion_type == "complex"
    assert "sandwell-4-1-children-in-different-families" in {
        reason["rule"] for reason in request.triage["complex_reasons"]
    }
    assert request.facts["children"][0]["household"] != request.facts["children"][1]["household"]


def test_siblings_in_one_household_are_one_family(social_worker: User) -> None:
    amara = _child(social_worker, "Amara")
    request = _raise(social_worker, [amara, _child(social_worker, "Chidi", sibling=amara)])
    assert request.discussion_type == "standard"


def test_a_position_of_trust_allegation_is_stored_and_triaged(social_worker: User) -> None:
    request = _raise(
        social_worker,
        [_child(social_worker, "Amara")],
        perpetrators=[Perpetrator(name="J. Smith", position_of_trust=True, role="Teacher")],
    )
    assert request.alleged_perpetrators.get().role == "Teacher"
    assert "lado_referral" in {step["code"] for step in request.triage["steps"]}


def test_the_stored_answer_does_not_change_when_read_back(social_worker: User) -> None:
    request = _raise(social_worker, [_child(social_worker, "Amara")])
    stored = StrategyRequest.objects.get(pk=request.pk)
    assert stored.triage == request.triage
    assert stored.facts["identified_at"] == "2026-03-04T10:00:00+00:00"


def test_bad_input_names_each_field(social_worker: User) -> None:
    with pytest.raises(Problem) as caught:
        _raise(
            social_worker,
            [],
            concerns=[],
            narrative="  ",
            identified_at=datetime(2026, 3, 5, 10, 0, tzinfo=LONDON),
        )
    assert [field for field, _ in caught.value.errors] == [
        "identified_at",
        "children",
        "concerns",
        "narrative",
    ]
    assert not StrategyRequest.objects.exists()


def test_an_unknown_concern_code_is_refused_with_the_engines_message(social_worker: User) -> None:
    with pytest.raises(Problem) as caught:
        _raise(social_worker, [_child(social_worker, "Amara")], concerns=["bullying"])
    assert caught.value.errors[0][1].startswith("concerns[0]: Input should be 'physical_abuse'")


def test_a_child_of_another_authority_cannot_be_added(
    social_worker: User, other_authority_social_worker: User
) -> None:
    elsewhere = _child(other_authority_social_worker, "Dami")
    with pytest.raises(Problem, match="not in your local authority"):
        _raise(social_worker, [elsewhere])


def test_only_social_care_raises_requests(social_worker: User, police_officer: User) -> None:
    amara = _child(social_worker, "Amara")
    with pytest.raises(Problem, match="Only children's social care can raise"):
        _raise(police_officer, [amara])


def test_raising_and_reading_are_audited_with_the_children(social_worker: User) -> None:
    amara = _child(social_worker, "Amara")
    request = _raise(social_worker, [amara])
    detail = request_get(user=social_worker, pk=request.pk)
    assert detail.children == [amara]
    actions = list(
        AuditEvent.objects.filter(object_type="requests.StrategyRequest").values_list(
            "action", "child_ids"
        )
    )
    assert actions == [("create", [amara.pk]), ("view", [amara.pk])]


def test_a_request_outside_the_users_scope_is_not_found(
    social_worker: User, other_authority_social_worker: User, police_officer: User, analyst: User
) -> None:
    request = _raise(social_worker, [_child(social_worker, "Amara")])
    for outsider in (other_authority_social_worker, police_officer, analyst):
        with pytest.raises(Http404):
            request_get(user=outsider, pk=request.pk)
