"""Who holds a professional disagreement at a stage: the procedure's role made people.

A profile names each stage's holder as a role (``held_by``: the professional where the
difference exists, the line managers of the professionals concerned, a senior manager or
the strategy discussion lead of each agency concerned, or someone outside Strategise);
this finds the users in that role for one disagreement. The professionals concerned are
whoever raised it and the professional where the difference exists: the chair of the
discussion whose outcome is disputed, or whoever decided about holding one (who closed
the request, else its allocated social worker, else whoever raised the request).
"""

from __future__ import annotations

from dataclasses import dataclass

from strategise.disagreements.models import Disagreement, Subject
from strategise.organisations.models import Agency, Role, User
from strategise.organisations.selectors import line_managers
from strategise.policy.vocabulary import DISAGREEMENT_HOLDERS


@dataclass(frozen=True)
class Holding:
    """Who holds it at a stage: the users, and in words, with anyone not recorded."""

    users: tuple[User, ...]
    words: str
    missing: tuple[str, ...] = ()


def counterpart(disagreement: Disagreement) -> User | None:
    """The professional where the difference of opinion exists (not whoever raised it)."""
    request = disagreement.request
    if disagreement.subject != Subject.HOLDING and disagreement.discussion is not None:
        candidates = [disagreement.discussion.chair, request.allocated_worker]
    else:
        candidates = [request.ended_by, request.allocated_worker, request.raised_by]
    return next(
        (
            person
            for person in candidates
            if person is not None and person.pk != disagreement.raised_by_id
        ),
        None,
    )


def _concerned(disagreement: Disagreement) -> list[User]:
    other = counterpart(disagreement)
    return [disagreement.raised_by] + ([other] if other is not None else [])


def _agencies(disagreement: Disagreement) -> list[Agency]:
    """The agencies concerned: whoever raised it's, and the counterpart's (social care)."""
    ids = list(
        dict.fromkeys(p.agency_id for p in _concerned(disagreement) if p.agency_id is not None)
    )
    found = Agency.objects.select_related("senior_manager", "strategy_lead").in_bulk(ids)
    return [found[pk] for pk in ids]


def _heads_of_service(agency: Agency) -> list[User]:
    return list(agency.users.filter(role=Role.HEAD_OF_SERVICE, is_active=True).order_by("pk"))


def _named(agency: Agency, attribute: str) -> list[User]:
    """The agency's named senior manager (or strategy lead); for children's social care,
    where none is named, its heads of service."""
    person: User | None = getattr(agency, attribute)
    if person is not None and person.is_active:
        return [person]
    if agency.kind == "childrens_social_care":
        return _heads_of_service(agency)
    return []


def _line_managers(disagreement: Disagreement) -> tuple[list[User], list[str]]:
    found: list[User] = []
    missing: list[str] = []
    for person in _concerned(disagreement):
        # The team's named manager, else its other managers (as overdue work is alerted).
        managers = line_managers(person)
        if managers:
            found += managers
        else:
            missing.append(f"no line manager of {person} is recorded")
    return found, missing


def _agency_people(
    disagreement: Disagreement, attribute: str, title: str
) -> tuple[list[User], list[str]]:
    found: list[User] = []
    missing: list[str] = []
    for agency in _agencies(disagreement):
        people = _named(agency, attribute)
        if people:
            found += people
        else:
            missing.append(f"no {title} of {agency} is recorded")
    return found, missing


def stage_holding(
    disagreement: Disagreement, stage: dict[str, str], *, outside_name: str = ""
) -> Holding:
    """Who holds ``disagreement`` at ``stage`` (one of its profile's escalation stages)."""
    held_by = stage["held_by"]
    missing: list[str] = []
    if held_by == "outside":
        return Holding(users=(), words=f"{outside_name} ({stage['holder']})")
    if held_by == "counterpart":
        other = counterpart(disagreement)
        people = [other] if other is not None else []
        if other is None:
            missing.append("the professional where the difference exists is not recorded")
    elif held_by == "line_managers":
        people, missing = _line_managers(disagreement)
    elif held_by == "senior_managers":
        people, missing = _agency_people(disagreement, "senior_manager", "senior manager")
    else:
        people, missing = _agency_people(disagreement, "strategy_lead", "strategy discussion lead")
    unique = tuple({person.pk: person for person in people}.values())
    names = ", ".join(str(person) for person in unique)
    words = names or DISAGREEMENT_HOLDERS[held_by]
    if missing:
        words += f" ({'; '.join(missing)})"
    return Holding(users=unique, words=words, missing=tuple(missing))
