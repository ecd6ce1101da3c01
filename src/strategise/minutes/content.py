"""The minutes as a document: every part of the record, in the order Bristol §5.2 lists.

Who was invited and attended (with the chair and the minute-taker), the children, the
reason, each agency's contribution, the analysis of risk, the notes on the procedure's
agenda, the decisions with their rationale, the actions (who does what by when), any
agency's dissent and each correction of the concluded record with its reason. Everything
recorded is printed (tests/minutes/test_complete.py walks the models to keep it so); what
was not recorded is left out rather than guessed.

The passages written at the discussion (the reason, background, contributions, answers
and agenda notes) carry an ``id``: the minute-taker may reword them, as a summary rather
than a transcript (``minutes.wording``). Decisions, actions, dissent and attendance are
printed as recorded (``minutes.decided``). Sharing markers on a contribution travel with
it, each citing the clause of the discussion's own procedure that states it; citations
are in words.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import ForeignKey, Prefetch, Q

from strategise.actions.models import Action
from strategise.cases.models import Adult, Child, ChildAdultLink, SiblingLink
from strategise.cases.names import listed
from strategise.discussions.language import RecordFlag, record_flags
from strategise.discussions.models import (
    ChildDecision,
    Contribution,
    ContributionUpdate,
    Correction,
    Discussion,
    DiscussionRecord,
    Dissent,
    Invitation,
    LanguageAcceptance,
)
from strategise.minutes.decided import actions_section, decisions_section, dissent_section
from strategise.minutes.text import Block, agency, invitee, joined, passage
from strategise.network.models import PEER_LINKS, Entity, Link
from strategise.policy import Profile, get_profile, vocabulary
from strategise.policy.citations import cite
from strategise.policy.wording import format_when

MARKING = (
    "OFFICIAL-SENSITIVE: personal information about children and families. "
    "Share only with those who need it to safeguard the child."
)
# The markers' words, as the contribution form labels them.
NOT_FOR_FAMILY = vocabulary.SHARING_MARKERS["not_for_family"]
CONSENT_NEEDED = vocabulary.SHARING_MARKERS["consent_needed"]


@dataclass(frozen=True)
class Record:
    """Everything the minutes are made from, read by the service."""

    discussion: Discussion
    record: DiscussionRecord | None
    invitations: list[Invitation]
    children: list[Child]
    decisions: list[ChildDecision]
    dissents: list[Dissent]
    actions: list[Action]
    corrections: list[Correction]
    # The family and household (Gloucestershire §Agenda: "State and check details of
    # family/household members; Names, Aliases; DoB; Addresses"): each adult linked to
    # the children, then anyone else recorded in their households.
    adult_links: list[ChildAdultLink] = field(default_factory=list)
    household_adults: list[Adult] = field(default_factory=list)
    household_children: list[Child] = field(default_factory=list)
    # Brothers and sisters recorded as siblings of the children who live elsewhere (the
    # agendas' "family" members; Gloucestershire's guidance asks the discussion to consider
    # "siblings and other children" who may be affected).
    siblings: list[tuple[Child, list[str]]] = field(default_factory=list)
    # The mapping (Birmingham §6, Bristol's complex strategy guidance): the people, places,
    # vehicles and online accounts recorded around the children on the request.
    network_links: list[Link] = field(default_factory=list)
    # Flagged words of the record the chair kept, with the reasons.
    language_acceptances: list[LanguageAcceptance] = field(default_factory=list)


def _siblings_elsewhere(
    children: list[Child], households: set[int]
) -> list[tuple[Child, list[str]]]:
    """The brothers and sisters of ``children`` recorded as siblings, not among them nor in
    their households: each, with whose sibling they are (first names)."""
    ours = {child.pk: child for child in children}
    pairs = SiblingLink.objects.filter(Q(child__in=ours) | Q(sibling__in=ours)).values_list(
        "child_id", "sibling_id"
    )
    whose: dict[int, list[str]] = {}
    for low, high in pairs:
        for one, other in ((low, high), (high, low)):
            if one in ours and other not in ours:
                whose.setdefault(other, []).append(ours[one].first_name)
    found = (
        Child.objects.filter(pk__in=whose)
        .exclude(household_id__in=households)
        .order_by("date_of_birth", "pk")
    )
    return [(child, whose[child.pk]) for child in found]


# Who and what the minutes name from the discussion itself (``_meta``, the attendance).
_NAMED = ("local_authority", "request", "chair", "minute_taker", "convened_by", "cancelled_by")


def _read_named(discussion: Discussion) -> None:
    """Read, in one query, whichever of the people and places the minutes name that
    ``discussion`` has not read yet (each only if it still names the same one)."""
    read = Discussion.objects.select_related(
        "local_authority",
        "request__allocated_worker",
        "chair__agency",
        "minute_taker__agency",
        "convened_by",
        "cancelled_by",
    ).get(pk=discussion.pk)
    for name in _NAMED:
        field = Discussion._meta.get_field(name)
        if not isinstance(field, ForeignKey):
            continue
        same = getattr(discussion, field.attname) == getattr(read, field.attname)
        if same and not field.is_cached(discussion):
            field.set_cached_value(discussion, getattr(read, name))


def read_record(discussion: Discussion) -> Record:
    """Everything recorded about ``discussion`` that its minutes print."""
    _read_named(discussion)
    children = list(discussion.request.children.order_by("pk"))
    households = {child.household_id for child in children if child.household_id}
    adult_links = list(
        ChildAdultLink.objects.filter(child__in=children)
        .select_related("adult", "child")
        .order_by("adult__last_name", "adult__first_name", "adult_id", "child_id", "pk")
    )
    linked = {link.adult_id for link in adult_links}
    return Record(
        discussion=discussion,
        record=DiscussionRecord.objects.filter(discussion=discussion).first(),
        invitations=list(
            discussion.invitations.select_related(
                "contribution", "user", "agency", "deputy_for", "written_report__sent_by"
            )
            .defer("written_report__content")
            .prefetch_related(
                Prefetch(
                    "contribution__updates",
                    queryset=ContributionUpdate.objects.select_related("added_by"),
                )
            )
            .order_by("-required", "pk")
        ),
        children=children,
        adult_links=adult_links,
        household_adults=list(
            Adult.objects.filter(household_id__in=households)
            .exclude(pk__in=linked)
            .order_by("last_name", "first_name", "pk")
        ),
        household_children=list(
            Child.objects.filter(household_id__in=households)
            .exclude(pk__in=[child.pk for child in children])
            .order_by("date_of_birth", "pk")
        ),
        siblings=_siblings_elsewhere(children, households),
        network_links=list(
            Link.objects.filter(request_id=discussion.request_id)
            .select_related("child", "entity", "entity__adult", "entity__child", "entity__used_by")
            .order_by("since", "pk")
        ),
        decisions=list(discussion.decisions.select_related("child", "nfa_confirmed_by")),
        dissents=list(discussion.dissents.select_related("invitation__user", "recorded_by")),
        actions=list(discussion.actions.select_related("owner").prefetch_related("children")),
        corrections=list(discussion.corrections.select_related("opened_by", "closed_by")),
        language_acceptances=list(discussion.language_acceptances.select_related("accepted_by")),
    )


def contribution_text(contribution: Contribution) -> str:
    """A contribution as shared at the discussion, then each dated update added after it."""
    updates = [
        f"Update added {format_when(update.added_at)} by {update.added_by}: {update.text}"
        for update in contribution.updates.all()
    ]
    return "\n\n".join([contribution.text, *updates])


def contribution_markings(contribution: Contribution, profile: Profile) -> list[str]:
    """The sharing markers a contribution carries, in the words printed beside it, each
    with the clause of ``profile`` that states it. A marker the procedure does not state
    is still printed (the agency asked for it), without a clause."""
    carried = {
        "not_for_family": contribution.not_for_family,
        "consent_needed": contribution.consent_needed,
    }
    markings = []
    for code, label in vocabulary.SHARING_MARKERS.items():
        if carried[code]:
            marker = profile.sharing_marker(code)
            markings.append(f"{label} ({cite(marker.source)})" if marker else label)
    return markings


# --- about the discussion -------------------------------------------------------------


def _meta(discussion: Discussion, profile: Profile) -> list[list[str]]:
    request = discussion.request
    meta = [
        ["Local authority", str(discussion.local_authority)],
        ["Procedure", profile.title],
        ["Scheduled for", format_when(discussion.scheduled_for)],
    ]
    if discussion.started_at:
        meta.append(["Started", format_when(discussion.started_at)])
    if discussion.held_at:
        meta.append(["Held", format_when(discussion.held_at)])
    if discussion.concluded_at:
        meta.append(["Concluded", format_when(discussion.concluded_at)])
    meta.append(["Format", discussion.get_format_display()])
    if discussion.format_reason:
        meta.append(["Why this format", discussion.format_reason])
    if discussion.location:
        meta.append(["Where", discussion.location])
    meta.append(["Chair", str(discussion.chair)])
    if discussion.chair_exception:
        meta.append(["Why this chair", discussion.chair_exception])
    meta.append(
        ["Minute-taker", str(discussion.minute_taker) if discussion.minute_taker else "None"]
    )
    meta.append(["Convened by", str(discussion.convened_by)])
    meta.append(["Type", "Complex" if request.discussion_type == "complex" else "Standard"])
    if request.allocated_worker_id:
        meta.append(["Allocated social worker", str(request.allocated_worker)])
    if discussion.recorded_afterwards:
        meta.append(["Recorded afterwards", "Recorded after it was held: no invitations were sent"])
    if discussion.reschedule_reason:
        meta.append(["Why it was moved", discussion.reschedule_reason])
    if discussion.cancelled_at:
        by = f" by {discussion.cancelled_by}" if discussion.cancelled_by_id else ""
        meta.append(["Cancelled", f"{format_when(discussion.cancelled_at)}{by}"])
    if discussion.cancel_reason:
        meta.append(["Why it was cancelled", discussion.cancel_reason])
    if discussion.delay_rationale:
        meta.append(["Why it was held after its deadline", discussion.delay_rationale])
    if discussion.previous_id:
        meta.append(["Reconvenes", f"Strategy discussion {discussion.previous_id}"])
    if discussion.reconvene_reason:
        meta.append(["Why it reconvened", discussion.reconvene_reason])
    return meta


def _invited_because(invitation: Invitation) -> str:
    source = f"({cite(invitation.source)})" if invitation.source else ""
    return joined("Yes" if invitation.required else "No", invitation.reason, source)


def _reply(invitation: Invitation) -> str:
    sent = f"Invited {format_when(invitation.sent_at)}" if invitation.sent_at else ""
    because = f"Why not: {invitation.apologies_reason}" if invitation.apologies_reason else ""
    deputy = f"Deputy for {invitee(invitation.deputy_for)}" if invitation.deputy_for else ""
    report = getattr(invitation, "written_report", None)
    written = (
        joined(
            f"Written report sent {format_when(report.sent_at)}",
            f"version {report.version}, replacing an earlier one" if report.version > 1 else "",
            f"attached: {report.file_name}" if report.file_name else "",
        )
        if report is not None
        else ""
    )
    return joined(invitation.get_response_display(), sent, because, deputy, written)


def _attendance(invitation: Invitation) -> str:
    text = invitation.get_attendance_display() if invitation.attendance else "Not recorded"
    if invitation.absence_reason:
        text += f". Went ahead without them because: {invitation.absence_reason}"
    if invitation.report_suffices_source:
        text += (
            ". The chair agreed that their written report would suffice in their absence, so "
            f"it is not escalated ({cite(invitation.report_suffices_source)})"
        )
    return text


def _attendance_section(discussion: Discussion, invitations: list[Invitation]) -> Block:
    rows = [[str(discussion.chair), str(discussion.chair.agency), "Chair", "", "Chaired it"]]
    if discussion.minute_taker:
        taker = discussion.minute_taker
        rows.append([str(taker), str(taker.agency), "Minute-taker", "", "Took the minutes"])
    rows += [
        [
            invitee(invitation),
            joined(
                agency(invitation.agency_code),
                str(invitation.agency) if invitation.agency else "",
            ),
            _invited_because(invitation),
            _reply(invitation),
            _attendance(invitation),
        ]
        for invitation in invitations
    ]
    blocks: list[Block] = [
        {
            "type": "table",
            "caption": "Invitees and attendance",
            "columns": ["Invitee", "Agency", "Required", "Reply", "Attendance"],
            "rows": rows,
        }
    ]
    if discussion.not_involved:
        blocks.append(
            {
                "type": "table",
                "caption": "Agencies the procedure asks for that are not involved",
                "columns": ["Agency", "Why not involved", "Source"],
                "rows": [
                    [
                        agency(item.get("code", "")),
                        item.get("reason", ""),
                        cite(item["source"]) if item.get("source") else "",
                    ]
                    for item in discussion.not_involved
                ],
            }
        )
    return {"heading": "Who was invited and who attended", "blocks": blocks}


def _other_names(person: Child | Adult) -> str:
    former = f"Formerly: {person.former_names}" if person.former_names else ""
    return joined(person.aliases, former) or "None"


def _child_line(child: Child) -> list[str]:
    born = (
        f"Unborn, expected {child.expected_date:%-d %B %Y}"
        if child.unborn and child.expected_date
        else f"{child.date_of_birth:%-d %B %Y}"
        if child.date_of_birth
        else "Not known"
    )
    return [child.full_name, _other_names(child), born, child.address or "Not recorded"]


def _adult_line(adult: Adult, how: list[str]) -> list[str]:
    born = f"{adult.date_of_birth:%-d %B %Y}" if adult.date_of_birth else "Not known"
    trust = (
        f"Works or volunteers with children: {adult.occupation}"
        if adult.works_with_children
        else ""
    )
    return [
        adult.full_name or "Name not known",
        joined("; ".join(how), trust) or "In the household",
        _other_names(adult),
        born,
        adult.address or "Not recorded",
    ]


def _how_related(link: ChildAdultLink) -> str:
    responsibility = " (parental responsibility)" if link.parental_responsibility else ""
    return f"{link.get_relationship_display()} of {link.child.first_name}{responsibility}"


def _family_table(made_from: Record) -> Block | None:
    how: dict[int, tuple[Adult, list[str]]] = {}
    for link in made_from.adult_links:
        how.setdefault(link.adult_id, (link.adult, []))[1].append(_how_related(link))
    rows = [_adult_line(adult, related) for adult, related in how.values()]
    rows += [_adult_line(adult, ["In the household"]) for adult in made_from.household_adults]
    rows += [
        [child.full_name, "A child in the household", *_child_line(child)[1:]]
        for child in made_from.household_children
    ]
    rows += [
        [
            child.full_name,
            f"Brother or sister of {listed(whose)}, living elsewhere",
            *_child_line(child)[1:],
        ]
        for child, whose in made_from.siblings
    ]
    if not rows:
        return None
    return {
        "type": "table",
        "caption": "Family and household members",
        "columns": ["Name", "Relationship", "Other names", "Date of birth", "Address"],
        "rows": rows,
    }


def _children_section(made_from: Record) -> Block:
    children, record = made_from.children, made_from.record
    blocks: list[Block] = [
        {
            "type": "table",
            "caption": "Children this discussion is about",
            "columns": ["Name", "Other names", "Date of birth", "Address"],
            "rows": [_child_line(child) for child in children],
        }
    ]
    family = _family_table(made_from)
    if family is not None:
        blocks.append(family)
    if record is not None:
        checked = (
            "These details were checked at the discussion."
            if record.family_details_checked
            else "These details were not recorded as checked at the discussion."
        )
        blocks.append({"type": "paragraph", "text": checked})
    return {"heading": "The children, family and household", "blocks": blocks}


def _entity_words(entity: Entity) -> str:
    """Everything recorded of a person, place, vehicle or online account, in words."""
    kind = entity.get_kind_display()
    parts = [
        "a child recorded here (a peer)" if entity.child_id is not None else "",
        "a child or young person (a peer)" if entity.young_person else "",
        entity.adult.full_name if entity.adult is not None else "",
        entity.child.full_name if entity.child is not None else "",
        entity.name,
        entity.get_place_kind_display() if entity.place_kind else "",
        entity.get_safety_display() if entity.safety else "",
        entity.address,
        entity.registration,
        entity.description,
        entity.get_platform_display() if entity.platform else "",
        entity.handle,
        f"used by {entity.used_by.label}" if entity.used_by is not None else "",
    ]
    return f"{kind}: " + ", ".join(dict.fromkeys(part for part in parts if part))


def _network_section(made_from: Record) -> Block | None:
    """The mapping exercise's summary: counts, then each link as recorded."""
    links = made_from.network_links
    if not links:
        return None
    entities = {link.entity_id: link.entity for link in links}
    risks = sorted(e.label for e in entities.values() if e.safety == "risk")
    safe = sorted(e.label for e in entities.values() if e.safety == "safe")
    summary = (
        f"The mapping recorded {len(entities)} people, places, vehicles and online accounts "
        f"around {len({link.child_id for link in links})} of the children, in {len(links)} links."
    )
    blocks: list[Block] = [{"type": "paragraph", "text": summary}]
    if risks:
        blocks.append({"type": "paragraph", "text": "Places of risk: " + "; ".join(risks) + "."})
    if safe:
        blocks.append({"type": "paragraph", "text": "Safe spaces: " + "; ".join(safe) + "."})
    peers = sorted(
        {
            f"{link.entity.label} ({link.get_kind_display().lower()}, to {link.child.full_name})"
            for link in links
            if link.kind in PEER_LINKS
        }
    )
    if peers:
        blocks.append({"type": "paragraph", "text": "Peers: " + "; ".join(peers) + "."})
    blocks.append(
        {
            "type": "table",
            "caption": "The network around the children",
            "columns": ["Child", "Who or what", "Link", "Since", "Until", "Said by", "Notes"],
            "rows": [
                [
                    link.child.full_name,
                    _entity_words(link.entity),
                    link.get_kind_display(),
                    f"{link.since:%-d %B %Y}" if link.since else "Not known",
                    f"{link.until:%-d %B %Y}" if link.until else "Still current",
                    f"{link.agency} ({link.get_confidence_display()})",
                    link.note,
                ]
                for link in links
            ],
        }
    )
    return {"heading": "The network (mapping)", "blocks": blocks}


def _reason_section(discussion: Discussion, record: DiscussionRecord | None) -> Block:
    request = discussion.request
    concerns = ", ".join(vocabulary.CONCERNS[c].lower() for c in request.concerns)
    blocks: list[Block] = [
        {"type": "paragraph", "text": f"Concerns: {concerns}."},
    ]
    if request.narrative:
        blocks.append(passage("What happened, as raised", request.narrative))
    if record is not None:
        for key, heading, text in (
            ("reason", "Reason for and purpose of this discussion", record.reason),
            ("background", "Relevant background", record.background),
            ("other-children", "Other children who may be affected", record.other_children),
        ):
            if text:
                blocks.append(passage(heading, text, key))
    return {"heading": "Reason for the discussion", "blocks": blocks}


# --- what was shared --------------------------------------------------------------------


def _contributions_section(invitations: list[Invitation], profile: Profile) -> Block:
    blocks: list[Block] = []
    for invitation in invitations:
        if not hasattr(invitation, "contribution"):
            continue
        block = passage(
            f"{agency(invitation.agency_code)}: {invitee(invitation).splitlines()[0]}",
            contribution_text(invitation.contribution),
            f"contribution-{invitation.pk}",
        )
        block["markings"] = contribution_markings(invitation.contribution, profile)
        blocks.append(block)
    blocks += [
        _written_report(invitation, profile) for invitation in invitations if _sent(invitation)
    ]
    return {
        "heading": "What each agency shared",
        "blocks": blocks or [{"type": "paragraph", "text": "No contributions were recorded."}],
    }


def _sent(invitation: Invitation) -> bool:
    return hasattr(invitation, "written_report")


def _written_report(invitation: Invitation, profile: Profile) -> Block:
    """A written report as the agency sent it (the latest version): who sent it and when,
    the file attached, and its text, with the sharing markers of the agency's contribution."""
    report = invitation.written_report
    by = str(report.sent_by) if report.sent_by else "the invitee, through their private link"
    block = passage(
        f"Written report from {agency(invitation.agency_code)}: "
        f"{invitee(invitation).splitlines()[0]}",
        joined(
            f"Sent {format_when(report.sent_at)} by {by}"
            + (
                f" (version {report.version}, replacing an earlier one)"
                if report.version > 1
                else ""
            )
            + ".",
            f"Attached: {report.file_name}" if report.file_name else "",
            report.text,
        ),
    )
    if hasattr(invitation, "contribution"):
        block["markings"] = contribution_markings(invitation.contribution, profile)
    return block


def _analysis_section(
    discussion: Discussion, record: DiscussionRecord | None, profile: Profile
) -> Block:
    answers = dict(record.risk_answers) if record else {}
    asked = profile.risk_questions(reconvened=discussion.previous_id is not None)
    blocks: list[Block] = [
        {"type": "paragraph", "text": f"The procedure's questions ({cite(asked.source)})."}
    ]
    for number, question in enumerate(asked.questions, start=1):
        answer = answers.pop(str(number), "")
        blocks.append(
            passage(f"{number}. {question}", answer, f"risk-{number}")
            if answer
            else passage(f"{number}. {question}", "Not recorded")
        )
    # Answers to questions the procedure no longer asks are still what was recorded.
    for number, answer in sorted(answers.items()):
        if answer:
            blocks.append(passage(f"Question {number}", answer, f"risk-{number}"))
    return {"heading": "Analysis of risk", "blocks": blocks}


def _agenda_section(record: DiscussionRecord | None, profile: Profile) -> Block | None:
    notes = dict(record.agenda_notes) if record else {}
    blocks = [
        passage(item.title, notes.pop(item.id), f"agenda-{item.id}")
        for item in profile.agenda
        if notes.get(item.id)
    ]
    # A note on an item the procedure's agenda no longer has is kept under its id.
    blocks += [
        passage(f"Agenda item {item_id}", note, f"agenda-{item_id}")
        for item_id, note in sorted(notes.items())
        if note
    ]
    if not blocks:
        return None
    return {"heading": "Notes on the agenda", "blocks": blocks}


def _correction_line(correction: Correction) -> str:
    line = (
        f"Opened {format_when(correction.opened_at)} by {correction.opened_by}. "
        f"Reason: {correction.reason}."
    )
    if correction.closed_at:  # the minutes are drafted once it is closed
        line += f" Closed {format_when(correction.closed_at)} by {correction.closed_by}."
    return line


def _corrections_section(corrections: list[Correction]) -> Block | None:
    """Each correction of the concluded record: who opened it, when and why, and when it
    was closed. None if the record was never corrected."""
    if not corrections:
        return None
    return {
        "heading": "Corrections of the record",
        "blocks": [{"type": "list", "items": [_correction_line(c) for c in corrections]}],
    }


#: The heading of the annex on language (the last section, when there is one).
ANNEX = "Annex: the language of the record"


def record_updates(made_from: Record) -> list[ContributionUpdate]:
    """Each dated update to a contribution the minutes print, in the order they print."""
    return [
        update
        for invitation in made_from.invitations
        if hasattr(invitation, "contribution")
        for update in invitation.contribution.updates.all()
    ]


def flags_of_record(made_from: Record) -> list[RecordFlag]:
    """Every flag of the record the minutes are made from, with the chair's acceptances."""
    return record_flags(
        discussion=made_from.discussion,
        record=made_from.record,
        invitations=made_from.invitations,
        decisions=made_from.decisions,
        actions=made_from.actions,
        dissents=made_from.dissents,
        accepted=made_from.language_acceptances,
    )


def _language_section(made_from: Record) -> Block | None:
    """The annex on language of the record alone (the minutes' own words are added to it
    once worded: ``language_annex``, ``with_annex``). None if the chair kept no words."""
    if not made_from.language_acceptances:
        return None
    return language_annex(flags_of_record(made_from))


def language_annex(flags: Iterable[RecordFlag]) -> Block | None:
    """The annex on language: each flag the chair accepted, with the words, where they
    are, why the check flags them and the chair's reason. No other flag is printed; an
    acceptance whose words have since been changed no longer matches a flag. None if the
    chair kept no flagged words."""
    items = [
        f"\u201c{kept.flag.text}\u201d in {kept.where.label}: {kept.flag.why} "
        f"Kept by {kept.acceptance.accepted_by}, {format_when(kept.acceptance.accepted_at)}, "
        f"because: {kept.acceptance.reason}"
        for kept in flags
        if kept.acceptance is not None
    ]
    if not items:
        return None
    return {
        "heading": ANNEX,
        "blocks": [
            {
                "type": "paragraph",
                "text": "Words of the record and of the minutes that the language check "
                "flagged and the chair kept, each with the chair’s reason.",
            },
            {"type": "list", "items": items},
        ],
    }


def with_annex(document: dict[str, Any], annex: Block | None) -> dict[str, Any]:
    """``document`` with ``annex`` as its annex on language (the last section), in place
    of the one it had (none if ``annex`` is None)."""
    sections = [section for section in document["sections"] if section["heading"] != ANNEX]
    return {**document, "sections": [*sections, *([annex] if annex else [])]}


def minutes_document(made_from: Record, *, status: str, draft: bool) -> dict[str, Any]:
    """The minutes' document structure, from which the page, PDF and DOCX are made."""
    discussion, record = made_from.discussion, made_from.record
    profile = get_profile(discussion.request.profile)
    sections = [
        _attendance_section(discussion, made_from.invitations),
        _children_section(made_from),
        _network_section(made_from),
        _reason_section(discussion, record),
        _contributions_section(made_from.invitations, profile),
        _analysis_section(discussion, record, profile),
        _agenda_section(record, profile),
        decisions_section(made_from.children, made_from.decisions, record),
        actions_section(made_from.actions),
        dissent_section(made_from.dissents),
        _corrections_section(made_from.corrections),
        _language_section(made_from),
    ]
    return {
        "title": "Strategy discussion minutes",
        "subtitle": f"{discussion.local_authority}: strategy discussion {discussion.pk}",
        "language": "en-GB",
        "marking": MARKING,
        "status": status,
        "draft": draft,
        "meta": _meta(discussion, profile),
        "sections": [section for section in sections if section is not None],
    }
