"""Raising a strategy discussion request: triaged by the policy engine, stored frozen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction

from strategise.access import (
    authority_of,
    can_raise_requests,
    may_close_request,
    may_withdraw_request,
    visible_adults,
    visible_children,
)
from strategise.audit.idempotency import form_claim, form_keep, form_replayed
from strategise.audit.services import audit_record
from strategise.cases.models import ALLEGED_PERPETRATOR, Adult, Child, ChildAdultLink
from strategise.clocks.services import clock_request_start, clock_stop_request
from strategise.integrations.models import Event
from strategise.integrations.services import webhook_emit
from strategise.network.patterns import patterns_check_trust
from strategise.organisations.models import User
from strategise.policy import FactsError, get_profile, to_london, triage
from strategise.problems import Problem
from strategise.requests.models import (
    AllegedPerpetrator,
    RequestChild,
    RequestStatus,
    StrategyRequest,
)

# A clock a little fast on the user's computer must not make "now" look like the future.
FUTURE_TOLERANCE = timedelta(minutes=5)


@dataclass(frozen=True)
class Perpetrator:
    """An alleged perpetrator: an adult already recorded (``adult``), someone to record
    (``first_name`` and ``last_name``), or only described (``name``, as before adults
    were recorded)."""

    name: str
    position_of_trust: bool
    role: str = ""
    adult: Adult | None = None
    first_name: str = ""
    last_name: str = ""

    @property
    def recorded(self) -> bool:
        """Whether the request records them as an adult (chosen, or added now)."""
        return self.adult is not None or bool(self.first_name or self.last_name)


def _perpetrator_adult(
    *, perpetrator: Perpetrator, user: User, children: list[Child]
) -> Adult | None:
    """The adult an alleged perpetrator is (recorded now if new), linked to each child as
    their alleged perpetrator. Inside the request's transaction."""
    if not perpetrator.recorded:
        return None
    adult = perpetrator.adult
    if adult is None:
        adult = Adult.objects.create(
            local_authority=authority_of(user),
            first_name=perpetrator.first_name,
            last_name=perpetrator.last_name,
            works_with_children=perpetrator.position_of_trust,
            occupation=perpetrator.role if perpetrator.position_of_trust else "",
        )
        audit_record(user=user, action="create", obj=adult, children=[c.pk for c in children])
    for child in children:
        ChildAdultLink.objects.get_or_create(
            child=child, adult=adult, relationship=ALLEGED_PERPETRATOR
        )
    return adult


def _perpetrator_name(perpetrator: Perpetrator) -> str:
    if perpetrator.adult is not None:
        return perpetrator.adult.full_name
    if perpetrator.first_name or perpetrator.last_name:
        return f"{perpetrator.first_name} {perpetrator.last_name}".strip()
    return perpetrator.name


def household_label(child: Child) -> str:
    """The triage's household code: children with the same one live in the same family."""
    return f"h{child.household_id}" if child.household_id else f"child-{child.pk}"


def request_facts(
    *,
    profile: str,
    identified_at: datetime,
    children: list[Child],
    concerns: list[str],
    flags: list[str],
    referrer: str,
    perpetrators: list[Perpetrator],
) -> dict[str, Any]:
    """The contract's triage facts for a request, from the children's records."""
    return {
        "profile": profile,
        "identified_at": to_london(identified_at).isoformat(),
        "concerns": concerns,
        "children": [
            {
                "id": str(child.pk),
                "date_of_birth": child.date_of_birth.isoformat() if child.date_of_birth else None,
                "unborn": child.unborn,
                "household": household_label(child),
                "looked_after": child.looked_after,
                "cp_plan": child.cp_plan,
                "in_hospital": child.in_hospital,
                "education": child.education,
                "may_be_charged": False,
                "care_and_support_needs": child.care_and_support_needs,
                "home_authority": child.home_authority or None,
            }
            for child in children
        ],
        "alleged_perpetrators": [{"position_of_trust": p.position_of_trust} for p in perpetrators],
        "referrer": referrer or None,
        "flags": {flag: True for flag in flags},
    }


def request_create(
    *,
    user: User,
    identified_at: datetime,
    children: list[Child],
    concerns: list[str],
    flags: list[str],
    referrer: str,
    narrative: str,
    perpetrators: list[Perpetrator],
    may_be_charged: set[int] | None = None,
    allocated_worker: User | None = None,
    now: datetime,
    token: str = "",
) -> StrategyRequest:
    """Raise a request, triage it against the local procedure and store the answer; a
    repeated post of the same form (``token``) answers with the request it raised."""
    first = form_replayed(user=user, token=token, model=StrategyRequest)
    if first is not None:
        return first
    if not can_raise_requests(user):
        raise Problem("Only children's social care can raise a strategy discussion request")
    errors: list[tuple[str | None, str]] = []
    if identified_at > now + FUTURE_TOLERANCE:
        errors.append(("identified_at", "The time concerns were identified must be in the past"))
    if not children:
        errors.append(("children", "Choose at least one child the concerns are about"))
    if not concerns:
        errors.append(("concerns", "Choose at least one concern"))
    if not narrative.strip():
        errors.append(("narrative", "Describe the concerns and what has happened"))
    if allocated_worker is not None and (
        authority_of(user).pk != allocated_worker.local_authority_id
        or not can_raise_requests(allocated_worker)
    ):
        errors.append(
            (
                "allocated_worker",
                "The allocated social worker must work in this authority's children's social care",
            )
        )
    chosen = [p.adult.pk for p in perpetrators if p.adult is not None]
    if len(set(visible_adults(user).filter(pk__in=chosen).values_list("pk", flat=True))) != len(
        set(chosen)
    ):
        errors.append(("perpetrators", "Choose alleged perpetrators recorded in your authority"))
    if errors:
        raise Problem.many(errors)
    local_authority = authority_of(user)
    visible = set(
        visible_children(user).filter(pk__in=[c.pk for c in children]).values_list("pk", flat=True)
    )
    if len(visible) != len({c.pk for c in children}):
        raise Problem("One of the children chosen is not in your local authority", "children")
    facts = request_facts(
        profile=local_authority.profile,
        identified_at=identified_at,
        children=children,
        concerns=concerns,
        flags=flags,
        referrer=referrer,
        perpetrators=perpetrators,
    )
    for child_facts in facts["children"]:
        child_facts["may_be_charged"] = int(child_facts["id"]) in (may_be_charged or set())
    try:
        answer = triage(facts)
    except FactsError as error:
        raise Problem.many([(None, problem) for problem in error.problems]) from None
    data = answer.to_dict()
    with transaction.atomic(durable=True):
        first = form_claim(user=user, token=token, model=StrategyRequest)
        if first is not None:
            return first
        request = StrategyRequest.objects.create(
            local_authority=local_authority,
            raised_by=user,
            identified_at=identified_at,
            concerns=concerns,
            flags=flags,
            referrer=referrer,
            narrative=narrative,
            facts=facts,
            triage=data,
            profile=data["profile"],
            profile_version=data["profile_version"],
            discussion_type=data["discussion_type"],
            hold_by=answer.hold_by,
            allocated_worker=allocated_worker,
        )
        form_keep(user=user, token=token, obj=request)
        RequestChild.objects.bulk_create(
            RequestChild(request=request, child=child, household=household_label(child))
            for child in children
        )
        AllegedPerpetrator.objects.bulk_create(
            AllegedPerpetrator(
                request=request,
                adult=_perpetrator_adult(perpetrator=p, user=user, children=children),
                name=_perpetrator_name(p),
                position_of_trust=p.position_of_trust,
                role=p.role,
            )
            for p in perpetrators
        )
        audit_record(
            user=user,
            action="create",
            obj=request,
            children=[child.pk for child in children],
            detail={"hold_by": data["hold_by"], "discussion_type": data["discussion_type"]},
        )
        clock_request_start(request=request)
        if any(p.position_of_trust for p in perpetrators):
            # The same person in a position of trust in another request is a pattern.
            patterns_check_trust(authority_id=local_authority.pk, by=user, now=now)
        webhook_emit(event=Event.REQUEST_CREATED, subject=request, now=now)
    return request


def _end(
    *, user: User, request: StrategyRequest, status: str, reason: str, now: datetime
) -> StrategyRequest:
    with transaction.atomic(durable=True):
        locked = StrategyRequest.objects.select_for_update().get(pk=request.pk)
        if locked.version != request.version:
            raise Problem("Someone else changed this request while you were ending it: reload it")
        if locked.status != RequestStatus.AWAITING_CONVENING:
            raise Problem(_cannot_end(locked))
        locked.status = status
        locked.ended_by = user
        locked.ended_at = now
        locked.ended_reason = reason.strip()
        locked.version += 1
        locked.save(update_fields=["status", "ended_by", "ended_at", "ended_reason", "version"])
        label = RequestStatus(status).label
        clock_stop_request(
            request=locked, reason=f"{label}: {locked.ended_reason}", user=user, now=now
        )
        audit_record(
            user=user,
            action="close" if status == RequestStatus.CLOSED else "withdraw",
            obj=locked,
            children=list(locked.children.values_list("pk", flat=True)),
            detail={"reason": locked.ended_reason},
        )
    return locked


def _cannot_end(request: StrategyRequest) -> str:
    if request.status == RequestStatus.CONVENED:
        return "This request has a discussion convened: cancel the discussion first"
    return f"This request cannot be ended: it is {request.get_status_display().lower()}"


def request_close(
    *, user: User, request: StrategyRequest, reason: str, now: datetime
) -> StrategyRequest:
    """A team manager or above closes a request without a discussion, with the reason
    (where the procedure says so, citing it: Bristol §6, a manager's view); its hold-by
    clock stops with that reason."""
    note = get_profile(request.profile).notes.get("close_without_discussion")
    cited = f" ({note['source']})" if note else ""
    if not may_close_request(user, request):
        raise Problem(
            f"Only a team manager or above in this authority's social care can close a "
            f"request without a discussion{cited}"
        )
    if request.status != RequestStatus.AWAITING_CONVENING:
        raise Problem(_cannot_end(request))
    if not reason.strip():
        raise Problem(f"Give the reason no strategy discussion is needed{cited}", "reason")
    return _end(user=user, request=request, status=RequestStatus.CLOSED, reason=reason, now=now)


def request_withdraw(
    *, user: User, request: StrategyRequest, reason: str, now: datetime
) -> StrategyRequest:
    """Whoever raised the request (or a manager) withdraws it, with the reason; its hold-by
    clock stops with that reason."""
    if not may_withdraw_request(user, request):
        raise Problem(
            "Only whoever raised the request, or a team manager or above, can withdraw it"
        )
    if request.status != RequestStatus.AWAITING_CONVENING:
        raise Problem(_cannot_end(request))
    if not reason.strip():
        raise Problem("Give the reason the request is being withdrawn", "reason")
    return _end(user=user, request=request, status=RequestStatus.WITHDRAWN, reason=reason, now=now)
