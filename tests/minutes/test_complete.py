"""Every field recorded appears in the minutes: on the page, in the PDF and in the Word document.

The test walks the editable fields of every model a discussion is recorded in, gives each
a value of its own (a marker), drafts the minutes and fails naming each field whose value
one of the three formats leaves out. A field added later fails here until the minutes
print it, or until it joins ``INTERNAL`` with the reason it is not for the minutes.
Yes-or-no fields and choices print in words, so each of their values must change the
minutes.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import docx
import pytest
from django.db import models
from django.test import Client
from pypdf import PdfReader

from strategise.actions.models import Action
from strategise.cases.models import Adult, Child, ChildAdultLink, Household
from strategise.discussions.models import (
    AlsoDecided,
    ChildDecision,
    Contribution,
    ContributionUpdate,
    Correction,
    Discussion,
    DiscussionRecord,
    Dissent,
    Invitation,
    WrittenReport,
)
from strategise.minutes.content import minutes_document, read_record
from strategise.minutes.documents import minutes_docx, minutes_pdf
from strategise.minutes.services import minutes_draft
from strategise.network.models import Entity, Link
from strategise.organisations.models import Agency, LocalAuthority, User
from strategise.policy import get_profile
from strategise.policy.citations import cite
from strategise.policy.wording import format_when
from tests.factories import AgencyFactory, UserFactory
from tests.web.pages import page, text
from tests.web.recording.support import LATER, held

pytestmark = pytest.mark.django_db

RECORDED_IN = (
    Discussion,
    Invitation,
    DiscussionRecord,
    Contribution,
    ContributionUpdate,
    # What an agency sent in writing (Sandwell §4.2, Birmingham §5.1): the latest version.
    WrittenReport,
    ChildDecision,
    Dissent,
    Action,
    Correction,
    # The family and household, as the agendas ask (Gloucestershire §Agenda).
    Adult,
    ChildAdultLink,
    # The mapping of the network around the children (Birmingham §6).
    Entity,
    Link,
)

OF_THIS_DISCUSSION = "the minutes are this discussion's"
SAVES = (
    "counts or stamps saves, so that an edit based on an old one is refused; the audit log "
    "keeps who saved what and when"
)
INTERNAL = {
    "Discussion.request": "its concerns, narrative and children are printed from the request",
    "Discussion.status": "minutes are drafted only once the discussion has been held",
    "Discussion.version": SAVES,
    "Discussion.calendar_sequence": (
        "the number calendar programs order its invitations' updates by (RFC 5545 §3.8.7.4), "
        "not something the discussion recorded; the minutes print when it was held"
    ),
    "Invitation.discussion": OF_THIS_DISCUSSION,
    "Invitation.token": "the secret in the invitation's reply link",
    "Invitation.identity_code": "the digest of a one-off code confirming who holds the link",
    "Invitation.identity_code_sent_at": "when that code was sent, so it expires",
    "Invitation.identity_attempts": "how often that code was tried, to limit guessing",
    "DiscussionRecord.discussion": OF_THIS_DISCUSSION,
    "DiscussionRecord.version": SAVES,
    "DiscussionRecord.updated_by": SAVES,
    "DiscussionRecord.updated_at": SAVES,
    "Contribution.version": SAVES,
    "Contribution.updated_by": SAVES,
    "Contribution.updated_at": SAVES,
    "ContributionUpdate.contribution": "printed after the contribution it is added to",
    "WrittenReport.file_kind": "checked from the file's content; the file's name, printed, says it",
    "WrittenReport.file_size": "the size of the file, checked when it was sent",
    "WrittenReport.file_sha256": "a digest of the file, so the audit log shows which file was sent",
    "WrittenReport.content": "the file itself, served to those who may read it; its name prints",
    "ChildDecision.discussion": OF_THIS_DISCUSSION,
    "ChildDecision.version": SAVES,
    "ChildDecision.updated_by": SAVES,
    "ChildDecision.updated_at": SAVES,
    "ChildDecision.local_authority": (
        "a copy of the discussion's authority, which is printed, to scope reports by it"
    ),
    "Dissent.discussion": OF_THIS_DISCUSSION,
    "Action.discussion": OF_THIS_DISCUSSION,
    "Action.version": SAVES,
    "Action.updated_by": SAVES,
    "Action.updated_at": SAVES,
    "Action.local_authority": (
        "a copy of the discussion's authority, which is printed, to scope reports by it"
    ),
    "Correction.discussion": OF_THIS_DISCUSSION,
    "Adult.local_authority": "the discussion's authority is printed; an adult is of the same",
    "Adult.household": "the household is who is listed in it, each with their own address",
    "Adult.version": SAVES,
    "Adult.gender": "not asked for by the agendas (names, aliases, dates of birth, addresses)",
    "Adult.notes": "social care's notes on the adult's record, not what the discussion recorded",
    "Adult.nhs_number": (
        "an identifier on the adult's record, for those who may see it: the minutes name each "
        "person as the agendas ask, by names, aliases, date of birth and address"
    ),
    "Adult.police_reference": (
        "an identifier on the adult's record, for those who may see it: the minutes name each "
        "person as the agendas ask, by names, aliases, date of birth and address"
    ),
    "ChildAdultLink.child": "printed as whose relative they are, by the child's first name",
    "Entity.local_authority": "the discussion's authority is printed; the network is of the same",
    "Entity.match_key": "worked out from the details printed, to match across cases",
    "Entity.sureness": "how sure a match by that key is: for patterns across cases, not the record",
    "Entity.created_by": SAVES,
    "Entity.created_at": SAVES,
    "Entity.version": SAVES,
    "Link.local_authority": "the discussion's authority is printed; the network is of the same",
    "Link.request": "the minutes print the links of this discussion's request",
    "Link.discussion": OF_THIS_DISCUSSION,
    "Link.match_key": "copied from the entity, to check new links quickly",
    "Link.created_by": SAVES,
    "Link.created_at": SAVES,
}


def _label(field: models.Field[Any, Any]) -> str:
    return f"{field.model.__name__}.{field.name}"


def _walked(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    """The fields someone records (or a service fills in), as the minutes must print them."""
    return [
        field
        for field in model._meta.concrete_fields
        if field.editable and not field.primary_key and _label(field) not in INTERNAL
    ]


WALKED = [field for model in RECORDED_IN for field in _walked(model)]


def test_each_internal_field_is_a_field_and_has_its_reason() -> None:
    every = {_label(field) for model in RECORDED_IN for field in model._meta.concrete_fields}
    assert set(INTERNAL) <= every
    assert all(reason.strip() for reason in INTERNAL.values())


# --- the markers ------------------------------------------------------------------------


class Markers:
    """A value of its own for each field, and the words each must be printed as."""

    def __init__(self, discussion: Discussion, invitation: Invitation) -> None:
        self.discussion = discussion
        self.invitation = invitation
        self.expected: dict[str, list[str]] = {}
        self.count = 100

    def word(self) -> str:
        self.count += 1
        return f"mk{self.count}z"

    def value(self, field: models.Field[Any, Any]) -> Any:
        """A value for ``field``, remembering what the minutes must say for it."""
        label = _label(field)
        special = SPECIAL.get(label)
        if special is not None:
            value, words = special(self)
        elif field.choices:
            value, name = list(field.flatchoices)[-1]
            words = [str(name)]
        elif isinstance(field, models.BooleanField):
            value, words = True, []  # in words: test_every_yes_no_and_choice_changes_them
        elif isinstance(field, models.EmailField):
            value = f"{self.word()}@example.org"
            words = [value]
        elif isinstance(field, models.CharField | models.TextField):
            value = self.word()
            words = [value]
        elif isinstance(field, models.DateTimeField):
            self.count += 1
            value = (self.discussion.scheduled_for + timedelta(days=self.count)).replace(
                hour=13, minute=self.count % 60
            )
            words = [format_when(value)]
        elif isinstance(field, models.DateField):
            self.count += 1
            value = date(1970, 1, 1) + timedelta(days=self.count)
            words = [f"{value:%-d %B %Y}"]
        elif isinstance(field, models.ForeignKey):
            value = self.related(field)
            words = [self.named(value)]
        else:
            pytest.fail(f"{label}: no marker for a {type(field).__name__}; add one to SPECIAL")
        self.expected[label] = words
        return value

    def related(self, field: models.ForeignKey[Any, Any]) -> models.Model:
        model = field.related_model
        local_authority = self.discussion.local_authority
        if model is User:
            return UserFactory.create(
                first_name=self.word(),
                last_name="Person",
                agency=AgencyFactory.create(local_authority=local_authority, name=self.word()),
            )
        if model is Agency:
            return AgencyFactory.create(
                local_authority=local_authority, kind="police", name=self.word()
            )
        if model is LocalAuthority:
            LocalAuthority.objects.filter(pk=local_authority.pk).update(name=self.word())
            return LocalAuthority.objects.get(pk=local_authority.pk)
        if model is Discussion:  # the discussion this one reconvenes
            return Discussion.objects.create(
                request=self.discussion.request,
                local_authority=local_authority,
                format="virtual",
                scheduled_for=self.discussion.scheduled_for - timedelta(days=20),
                chair=self.discussion.chair,
                convened_by=self.discussion.convened_by,
            )
        if model is Invitation:
            return Invitation.objects.get(pk=self.invitation.pk)
        if model is Child:
            return self.discussion.request.children.get()
        if model is Adult:
            return Adult.objects.get(local_authority=local_authority)
        if model is Household:
            return Household.objects.create(local_authority=local_authority)
        if model is Entity and field.name == "entity":  # the one the walk filled in
            return Entity.objects.order_by("pk").first()  # type: ignore[return-value]
        if model is Entity:  # whose the thing is
            return _entity(self.discussion, name=self.word())
        pytest.fail(f"{_label(field)}: no marker for a link to {model.__name__}")

    def named(self, related: models.Model) -> str:
        if isinstance(related, Entity):
            return related.handle or related.name
        if isinstance(related, Discussion):
            return f"Strategy discussion {related.pk}"
        if isinstance(related, Invitation):
            return related.name
        return str(related)


def _entity(discussion: Discussion, name: str = "") -> Entity:
    return Entity.objects.create(
        local_authority=discussion.local_authority,
        kind="person",
        name=name,
        match_key=f"person:{name}",
        sureness="possible",
        created_by=discussion.chair,
        created_at=discussion.scheduled_for,
    )


def _agenda_notes(markers: Markers) -> tuple[dict[str, str], list[str]]:
    agenda = get_profile(markers.discussion.request.profile).agenda
    notes = {item.id: markers.word() for item in agenda}
    return notes, [*notes.values(), *(item.title for item in agenda)]


def _risk_answers(markers: Markers) -> tuple[dict[str, str], list[str]]:
    profile = get_profile(markers.discussion.request.profile)
    asked = profile.risk_questions(reconvened=True)  # it reconvenes: Discussion.previous
    answers = {str(n): markers.word() for n, _ in enumerate(asked.questions, start=1)}
    return answers, list(answers.values())


def _also(markers: Markers) -> tuple[list[str], list[str]]:
    return list(AlsoDecided.values), [str(label) for label in AlsoDecided.labels]


def _not_involved(markers: Markers) -> tuple[list[dict[str, str]], list[str]]:
    reason = markers.word()
    source = get_profile("sandwell").rule("sandwell-4-2-domestic-abuse-service").citation
    item = {"code": "domestic_abuse_service", "reason": reason, "source": source}
    return [item], [reason, "Domestic abuse service", "Sandwell procedure §4.2"]


def _deputy_for(markers: Markers) -> tuple[Invitation, list[str]]:
    """The invitee who named this one their deputy (another invitation of the discussion)."""
    named_by = Invitation.objects.create(
        discussion=markers.discussion, agency_code="police", name=markers.word()
    )
    return named_by, [f"Deputy for {named_by.name}"]


def _report_suffices(markers: Markers) -> tuple[str, list[str]]:
    """The chair agreed that the agency's written report would suffice (Birmingham §5.1)."""
    source = get_profile("birmingham").notes["written_report_suffices"]["source"]
    return source, ["written report would suffice in their absence", cite(source)]


def _report_version(markers: Markers) -> tuple[int, list[str]]:
    return 3, ["version 3, replacing an earlier one"]


SPECIAL: dict[str, Callable[[Markers], tuple[Any, list[str]]]] = {
    "Invitation.report_suffices_source": _report_suffices,
    "WrittenReport.version": _report_version,
    "Invitation.deputy_for": _deputy_for,
    "Discussion.not_involved": _not_involved,
    "DiscussionRecord.agenda_notes": _agenda_notes,
    "DiscussionRecord.risk_answers": _risk_answers,
    "ChildDecision.also": _also,
}


def _objects(discussion: Discussion, invitation: Invitation, chair: User) -> list[models.Model]:
    """One of each model the discussion is recorded in, as the walk fills them in."""
    contribution = Contribution.objects.create(invitation=invitation, text="Shared")
    return [
        discussion,
        invitation,
        DiscussionRecord.objects.get(discussion=discussion),
        contribution,
        ContributionUpdate(contribution=contribution),
        WrittenReport.objects.create(
            invitation=invitation, text="Sent", sent_at=discussion.scheduled_for
        ),
        discussion.decisions.get(),
        Dissent.objects.create(
            discussion=discussion, invitation=invitation, about="A", reasons="B", recorded_by=chair
        ),
        Action.objects.create(
            discussion=discussion, description="Visit", due_at=discussion.scheduled_for
        ),
        Correction(discussion=discussion),
        (adult := Adult.objects.create(local_authority=discussion.local_authority)),
        ChildAdultLink.objects.create(
            child=discussion.request.children.get(), adult=adult, relationship="parent"
        ),
        (entity := _entity(discussion)),
        Link.objects.create(
            local_authority=discussion.local_authority,
            request=discussion.request,
            child=discussion.request.children.get(),
            entity=entity,
            kind="other",
            agency="Police",
            confidence="reported",
            match_key=entity.match_key,
            created_by=chair,
            created_at=discussion.scheduled_for,
        ),
    ]


@pytest.fixture
def filled(
    social_worker: User, team_manager: User, police_officer: User
) -> tuple[Discussion, dict[str, list[str]]]:
    """A held discussion with every walked field given its marker, and the words each
    must be printed as."""
    discussion = held(social_worker, team_manager, police_officer)
    invitation = discussion.invitations.get(agency_code="police")
    markers = Markers(discussion, invitation)
    for instance in _objects(discussion, invitation, team_manager):
        for field in _walked(type(instance)):
            setattr(instance, field.name, markers.value(field))
        instance.save()
    discussion.refresh_from_db()
    return discussion, markers.expected


def _squeezed(words: str) -> str:
    # A PDF breaks long words across lines, and text extraction keeps the breaks.
    return re.sub(r"\s+", "", words)


def _missing(expected: dict[str, list[str]], printed: str) -> list[str]:
    squeezed = _squeezed(printed)
    return [
        f"{label}: {word!r}"
        for label, words in expected.items()
        for word in words
        if _squeezed(word) not in squeezed
    ]


def _pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _docx_text(content: bytes) -> str:
    word = docx.Document(io.BytesIO(content))
    parts = [p.text for p in word.paragraphs]
    parts += [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    for section in word.sections:
        parts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    return " ".join(parts)


def test_every_field_recorded_is_in_the_minutes_page_pdf_and_word(
    client: Client, social_worker: User, filled: tuple[Discussion, dict[str, list[str]]]
) -> None:
    discussion, expected = filled
    assert set(expected) == {_label(field) for field in WALKED}
    minutes = minutes_draft(user=social_worker, discussion=discussion, now=LATER)
    html = page(client, f"/discussions/{discussion.pk}/minutes/1/", social_worker)
    formats = {
        "page": text(html),
        "PDF": _pdf_text(minutes_pdf(minutes.document)),
        "Word": _docx_text(minutes_docx(minutes.document)),
    }
    missing = {name: _missing(expected, printed) for name, printed in formats.items()}
    assert missing == {"page": [], "PDF": [], "Word": []}


def _printed(discussion: Discussion) -> str:
    document = minutes_document(read_record(discussion), status="Draft", draft=True)
    return json.dumps(document, sort_keys=True)


def _values(field: models.Field[Any, Any]) -> list[Any]:
    """Every value a yes-or-no field or a choice can hold."""
    if isinstance(field, models.BooleanField):
        values: list[Any] = [True, False]
    else:
        values = [value for value, _ in field.flatchoices]
        values += [""] if field.blank else []
    return values + ([None] if field.null else [])


SAID_IN_WORDS = [
    field for field in WALKED if isinstance(field, models.BooleanField) or field.choices
]


@pytest.mark.parametrize("field", SAID_IN_WORDS, ids=_label)
def test_every_yes_no_and_choice_changes_the_minutes(
    filled: tuple[Discussion, dict[str, list[str]]], field: models.Field[Any, Any]
) -> None:
    discussion, _ = filled
    instance = next(o for o in _objects_of(discussion) if isinstance(o, field.model))
    printed = set()
    for value in _values(field):
        type(instance)._default_manager.filter(pk=instance.pk).update(**{field.name: value})
        printed.add(_printed(Discussion.objects.get(pk=discussion.pk)))
    assert len(printed) == len(_values(field)), f"{_label(field)}: some values print the same"


def _objects_of(discussion: Discussion) -> list[models.Model]:
    """The objects the walk filled in, read again."""
    invitation = discussion.dissents.get().invitation
    return [
        discussion,
        invitation,
        discussion.record,
        invitation.contribution,
        invitation.contribution.updates.get(),
        invitation.written_report,
        discussion.decisions.get(),
        discussion.dissents.get(),
        discussion.actions.get(),
        discussion.corrections.get(),
        Adult.objects.get(local_authority=discussion.local_authority),
        ChildAdultLink.objects.get(child__in=discussion.request.children.all()),
        (link := Link.objects.get(request=discussion.request)).entity,
        link,
    ]
