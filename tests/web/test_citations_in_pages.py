"""A discussion's pages and minutes cite its own procedure, in words, and no other area's.

For every profile: a discussion raised, convened, started, recorded and concluded under
that procedure, its minutes drafted and then approved; every page of it (the draft's
wording and the approved minutes among them), and the approved minutes as a PDF and a
Word document, must name no other local procedure (by its title, its short title or its
source file: the rule "a procedure's rules live only in its profile"), and say each
citation in words ("Sandwell procedure §9.0"): a source file appears only in a citation's
title, for whoever maintains the profile. tests/policy/test_citations.py holds the same
rule for the profiles' data.
"""

from __future__ import annotations

import io
import json
import re

import docx
import pytest
from django.test import Client
from pypdf import PdfReader

from strategise.discussions.concluding import discussion_conclude
from strategise.discussions.recording import contribution_save
from strategise.minutes.documents import minutes_docx, minutes_pdf
from strategise.minutes.services import minutes_approve, minutes_draft, recipients_build
from strategise.organisations.models import LocalAuthority, User
from strategise.policy import Profile, get_profile, list_profiles
from strategise.web.jinja2 import cited
from tests.web.pages import page, text
from tests.web.recording.support import LATER, complete, started

pytestmark = pytest.mark.django_db

NAMES = [profile.name for profile in list_profiles()]
# A citation as a profile writes it, not in words: a seed file, or Working Together's "ch.3".
SOURCE = re.compile(r"\S+\.txt\b|2023 ch\.")

PAGES = (
    "/requests/{request}/",
    "/discussions/{discussion}/",
    "/discussions/{discussion}/record/",
    "/discussions/{discussion}/contributions/{police}/",
    "/discussions/{discussion}/decisions/",
    "/discussions/{discussion}/decisions/{child}/",
    "/discussions/{discussion}/dissent/",
    "/discussions/{discussion}/actions/",
    "/discussions/{discussion}/conclude/",
    "/discussions/{discussion}/clocks/",
    "/discussions/{discussion}/minutes/",
    "/discussions/{discussion}/minutes/1/",
    "/discussions/{discussion}/minutes/1/wording/",
    "/discussions/{discussion}/distribution/",
    "/discussions/{discussion}/distribution/{recipient}/",
    "/discussions/{discussion}/reconvene/",
    "/discussions/{discussion}/disagreements/new/",
)


def _others(name: str) -> list[Profile]:
    """The local procedures a discussion under ``name`` must never cite."""
    return [p for p in list_profiles() if p.extends is not None and p.name != name]


def _foreign(printed: str, name: str) -> list[str]:
    return [
        f"{other.name}: {words!r}"
        for other in _others(name)
        for words in (other.title, other.short_title, other.source_file)
        if words in printed
    ]


@pytest.mark.parametrize("name", NAMES)
def test_a_discussions_pages_and_minutes_cite_only_its_own_procedure_in_words(
    client: Client,
    authority: LocalAuthority,
    social_worker: User,
    team_manager: User,
    police_officer: User,
    name: str,
) -> None:
    LocalAuthority.objects.filter(pk=authority.pk).update(profile=name)
    # The same people, read again so that they carry their authority's new procedure.
    worker, chair, police_user = (
        User.objects.select_related("agency__local_authority").get(pk=user.pk)
        for user in (social_worker, team_manager, police_officer)
    )
    discussion = started(worker, chair, police_user)
    assert discussion.request.profile == name
    police = discussion.invitations.get(agency_code="police")
    # Shared before the chair concludes: afterwards the record is read-only.
    contribution_save(
        user=police_user,
        invitation=police,
        text="Intelligence about the household",
        not_for_family=True,
        consent_needed=True,
        expected_version=0,
        now=LATER,
    )
    discussion = discussion_conclude(user=chair, discussion=complete(discussion, chair), now=LATER)
    minutes = minutes_draft(user=chair, discussion=discussion, now=LATER)
    recipient = recipients_build(user=chair, discussion=discussion)[0]
    keys = {
        "request": discussion.request_id,
        "discussion": discussion.pk,
        "police": police.pk,
        "child": discussion.request.children.get().pk,
        "recipient": recipient.pk,
    }
    client.force_login(chair)
    found: dict[str, list[str]] = {}

    def check(path: str, label: str = "") -> None:
        html = page(client, path)
        problems = _foreign(html, name)
        # In words: no source file in what the page says (its titles may name one).
        problems += [f"says {source!r}" for source in re.findall(SOURCE, text(html))]
        if problems:
            found[path + label] = problems

    for template in PAGES:
        check(template.format(**keys))
    # Approved, the minutes are a page of their own (no wording to change), and what is sent.
    minutes = minutes_approve(user=chair, minutes=minutes, revision=minutes.revision, now=LATER)
    check(f"/discussions/{discussion.pk}/minutes/{minutes.number}/", " (approved)")
    pdf = " ".join(
        p.extract_text() for p in PdfReader(io.BytesIO(minutes_pdf(minutes.document))).pages
    )
    word = docx.Document(io.BytesIO(minutes_docx(minutes.document)))
    docx_text = " ".join(
        [p.text for p in word.paragraphs]
        + [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    )
    for kind, printed in (("PDF", " ".join(pdf.split())), ("Word", docx_text)):
        problems = _foreign(printed, name) + re.findall(SOURCE, printed)
        if problems:
            found[f"minutes as {kind}"] = problems
    # As stored, the approved minutes keep each citation as the profile wrote it: still
    # only its own procedure's file (or Working Together).
    problems = _foreign(json.dumps(minutes.document, ensure_ascii=False), name)
    if problems:
        found["minutes as stored"] = problems
    assert found == {}
    # The minutes do cite the procedure, in words: a local procedure by its own short title.
    own = get_profile(name)
    cites = f"({own.short_title} §" if own.extends else "(Working Together 2023, chapter"
    assert cites in docx_text


def test_a_cited_source_is_in_words_with_its_file_as_the_title() -> None:
    assert cited("002_3bebd37290b13db4.txt §9.0") == (
        '<span class="app-citation" title="Profile source: 002_3bebd37290b13db4.txt §9.0">'
        "Sandwell procedure §9.0</span>"
    )


def test_a_source_naming_no_procedure_is_printed_as_it_is_and_escaped() -> None:
    assert cited("Agreed at the <strategy> discussion") == (
        "Agreed at the &lt;strategy&gt; discussion"
    )
