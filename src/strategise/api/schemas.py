"""What the API shows of each record, and what it takes. Each ``*_out`` function turns a
record a selector returned into its schema: the API shows nothing a selector did not read."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import AfterValidator, AwareDatetime, model_validator

from strategise.actions.models import Action, ActionStatus
from strategise.api.paging import page_schema
from strategise.cases.models import Adult, Child
from strategise.clocks.models import Clock, ClockState
from strategise.discussions.models import Discussion, DiscussionStatus, Format
from strategise.policy.vocabulary import CONCERNS, FLAGS
from strategise.requests.models import RequestStatus, StrategyRequest


def _one_of(choices: dict[str, str], what: str) -> Any:
    def check(value: str) -> str:
        if value not in choices:
            raise ValueError(f"Choose {what} from the list: {', '.join(choices)}")
        return value

    return Annotated[str, AfterValidator(check), Field(json_schema_extra={"enum": list(choices)})]


Concern = _one_of(CONCERNS, "a concern")
Flag = _one_of(FLAGS, "a circumstance")


class ChildOut(Schema):
    id: int
    first_name: str
    last_name: str
    aliases: str
    date_of_birth: date | None
    unborn: bool
    expected_date: date | None
    local_reference: str
    household: int | None
    version: int


def child_out(child: Child) -> ChildOut:
    return ChildOut(
        id=child.pk,
        first_name=child.first_name,
        last_name=child.last_name,
        aliases=child.aliases,
        date_of_birth=child.date_of_birth,
        unborn=child.unborn,
        expected_date=child.expected_date,
        local_reference=child.local_reference,
        household=child.household_id,
        version=child.version,
    )


ChildPage = page_schema("ChildPage", ChildOut)


class RequestOut(Schema):
    id: int
    status: RequestStatus
    raised_at: datetime
    identified_at: datetime
    children: list[int]
    concerns: list[str]
    flags: list[str]
    referrer: str
    narrative: str
    profile: str
    profile_version: str
    discussion_type: str
    hold_by: datetime | None
    triage: dict[str, Any]
    version: int


def request_out(request: StrategyRequest, children: list[int] | None = None) -> RequestOut:
    return RequestOut(
        id=request.pk,
        status=RequestStatus(request.status),
        raised_at=request.raised_at,
        identified_at=request.identified_at,
        children=children if children is not None else [c.pk for c in request.children.all()],
        concerns=list(request.concerns),
        flags=list(request.flags),
        referrer=request.referrer,
        narrative=request.narrative,
        profile=request.profile,
        profile_version=request.profile_version,
        discussion_type=request.discussion_type,
        hold_by=request.hold_by,
        triage=request.triage,
        version=request.version,
    )


RequestPage = page_schema("RequestPage", RequestOut)


class NewPerpetrator(Schema):
    """An alleged perpetrator not yet recorded: recorded as an adult with the request."""

    first_name: str = Field("", max_length=100)
    last_name: str = Field("", max_length=100)
    role: str = Field("", max_length=200)
    position_of_trust: bool

    @model_validator(mode="after")
    def named(self) -> NewPerpetrator:
        if not (self.first_name.strip() or self.last_name.strip()):
            raise ValueError("Enter their first name or last name, or the name they are known by")
        return self


class RequestIn(Schema):
    """A strategy discussion request, as the form takes it."""

    children: list[int] = Field(min_length=1, max_length=50)
    identified_at: AwareDatetime
    concerns: list[Concern] = Field(min_length=1)  # type: ignore[valid-type]
    flags: list[Flag] = []  # type: ignore[valid-type]
    referrer: str = Field("", max_length=200)
    narrative: str = Field(min_length=1, max_length=20000)
    # Adults already recorded around the children (their ids).
    alleged_perpetrators: list[int] = Field([], max_length=20)
    new_alleged_perpetrators: list[NewPerpetrator] = Field([], max_length=20)
    allocated_worker: int | None = None


class InvitationOut(Schema):
    id: int
    agency: str
    name: str
    required: bool
    reply: str


class DiscussionOut(Schema):
    id: int
    request: int
    status: DiscussionStatus
    format: Format
    scheduled_for: datetime
    location: str
    chair: str
    started_at: datetime | None
    held_at: datetime | None
    concluded_at: datetime | None
    previous: int | None


class DiscussionDetailOut(DiscussionOut):
    children: list[int]
    invitations: list[InvitationOut]
    actions: list[int]


def discussion_out(discussion: Discussion) -> DiscussionOut:
    return DiscussionOut(**_discussion(discussion))


def _discussion(discussion: Discussion) -> dict[str, Any]:
    return {
        "id": discussion.pk,
        "request": discussion.request_id,
        "status": DiscussionStatus(discussion.status),
        "format": Format(discussion.format),
        "scheduled_for": discussion.scheduled_for,
        "location": discussion.location,
        "chair": str(discussion.chair),
        "started_at": discussion.started_at,
        "held_at": discussion.held_at,
        "concluded_at": discussion.concluded_at,
        "previous": discussion.previous_id,
    }


DiscussionPage = page_schema("DiscussionPage", DiscussionOut)


class ActionOut(Schema):
    id: int
    discussion: int
    description: str
    owner: str
    due_at: datetime
    status: ActionStatus
    completion_note: str
    completed_at: datetime | None
    source: str
    version: int


def action_out(action: Action) -> ActionOut:
    return ActionOut(
        id=action.pk,
        discussion=action.discussion_id,
        description=action.description,
        owner=action.owner_name or (str(action.owner) if action.owner else ""),
        due_at=action.due_at,
        status=ActionStatus(action.status),
        completion_note=action.completion_note,
        completed_at=action.completed_at,
        source=action.source,
        version=action.version,
    )


ActionPage = page_schema("ActionPage", ActionOut)


class ActionProgressIn(Schema):
    """An action's progress: open, done or cancelled, and what was done."""

    status: ActionStatus
    completion_note: str = Field("", max_length=20000)


class TokenIn(Schema):
    """An OAuth 2 client credentials grant (RFC 6749 §4.4), as a form or JSON."""

    grant_type: str
    client_id: str = Field("", max_length=100)
    client_secret: str = Field("", max_length=200)
    scope: str = Field("", max_length=100)


class TokenOut(Schema):
    access_token: str
    token_type: str
    expires_in: int
    scope: str


class AdultOut(Schema):
    id: int
    first_name: str
    last_name: str
    aliases: str
    former_names: str
    date_of_birth: date | None
    household: int | None
    works_with_children: bool
    occupation: str
    version: int


def adult_out(adult: Adult) -> AdultOut:
    return AdultOut(
        id=adult.pk,
        first_name=adult.first_name,
        last_name=adult.last_name,
        aliases=adult.aliases,
        former_names=adult.former_names,
        date_of_birth=adult.date_of_birth,
        household=adult.household_id,
        works_with_children=adult.works_with_children,
        occupation=adult.occupation,
        version=adult.version,
    )


AdultPage = page_schema("AdultPage", AdultOut)


class ClockOut(Schema):
    id: int
    request: int
    discussion: int | None
    child: int | None
    code: str
    label: str
    started_at: datetime
    due_at: datetime
    state: ClockState
    met_at: datetime | None
    breached_at: datetime | None
    stopped_at: datetime | None
    source: str


def clock_out(clock: Clock) -> ClockOut:
    return ClockOut(
        id=clock.pk,
        request=clock.request_id,
        discussion=clock.discussion_id,
        child=clock.child_id,
        code=clock.code,
        label=clock.get_code_display(),
        started_at=clock.started_at,
        due_at=clock.due_at,
        state=ClockState(clock.state),
        met_at=clock.met_at,
        breached_at=clock.breached_at,
        stopped_at=clock.stopped_at,
        source=clock.source,
    )


ClockPage = page_schema("ClockPage", ClockOut)
