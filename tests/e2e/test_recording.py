"""Recording a discussion in a real browser: two children with different decisions, the
police's contribution and dissent, three actions, the chair's confirmation and
conclusion, the minutes drafted, approved and downloaded, and their distribution
against its deadline. axe checks every page (and its error states) against WCAG 2.2 AA.

The discussion is convened and started through the services (the journey test drives
those pages); everything after that is done in the browser, by the people who do it.
"""

from __future__ import annotations

import io
import re
import time
from datetime import timedelta
from pathlib import Path

import docx
import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader
from pytest_django.live_server_helper import LiveServer

from strategise.cases.services import child_create
from strategise.discussions.decisions import decision_confirm_no_further_action, decision_save
from strategise.discussions.models import Discussion
from strategise.discussions.recording import record_save
from strategise.discussions.services import InvitationSpec, discussion_convene, discussion_start
from strategise.organisations.models import LocalAuthority, Role, User
from strategise.requests.services import request_create
from tests.discussions.test_recording import COMPLETE_RECORD
from tests.e2e.test_journey import SCREENSHOTS, Journey, browser  # noqa: F401 - a fixture
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _started(worker: User, people: dict[str, User]) -> Discussion:
    """Amara and her brother Kofi: concerns this morning, the discussion under way now."""
    today = timezone.localdate()
    amara = child_create(
        user=worker,
        values={
            "first_name": "Amara",
            "last_name": "Okafor",
            "date_of_birth": today.replace(year=today.year - 7),
            "address": "14 Elm Grove, West Bromwich",
            "local_reference": "SCT7001",
        },
        today=today,
    )
    kofi = child_create(
        user=worker,
        values={
            "first_name": "Kofi",
            "last_name": "Okafor",
            "date_of_birth": today.replace(year=today.year - 10),
            "local_reference": "SCT7002",
        },
        same_household_as=amara,
        today=today,
    )
    now = timezone.now()
    request = request_create(
        user=worker,
        identified_at=now - timedelta(hours=2),
        children=[amara, kofi],
        concerns=["physical_abuse"],
        flags=[],
        referrer="Oak Primary School",
        narrative="Amara has bruising to her face; she says her uncle hit her.",
        perpetrators=[],
        now=now,
    )
    invitations = [
        InvitationSpec(
            agency_code=item["code"],
            required=True,
            reason=item["reason"],
            source=item["source"],
            user=people.get(item["code"]),
            name="" if item["code"] in people else "Amir Khan",
            email="" if item["code"] in people else "dsl@oak-primary.example.org",
        )
        for item in request.triage["attendees"]["required"]
    ]
    discussion = discussion_convene(
        user=worker,
        request=request,
        format="virtual",
        scheduled_for=now,
        chair=people["chair"],
        minute_taker=people["minute_taker"],
        invitations=invitations,
        respond_url=lambda invitation: f"https://strategise.test/{invitation.token}/",
        now=now,
    )
    return discussion_start(
        user=people["chair"],
        discussion=discussion,
        attendance={i.pk: "attended" for i in discussion.invitations.all()},
        absence_reasons={},
        now=now,
    )


def _summary(page: Page) -> str:
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    return summary.inner_text()


def _download(page: Page, link: str) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("link", name=link, exact=True).first.click()
    path = info.value.path()
    return Path(path).read_bytes()


def test_a_discussion_is_recorded_concluded_minuted_and_distributed(
    browser: Browser,  # noqa: F811 - the journey test's fixture
    live_server: LiveServer,
    authority: LocalAuthority,
    social_worker: User,
    police_officer: User,
    health_practitioner: User,
    tmp_path: Path,
) -> None:
    started_at = time.monotonic()
    shots = Path(SCREENSHOTS) if SCREENSHOTS else tmp_path
    social_care = authority.agencies.get(kind="childrens_social_care")
    chair = UserFactory.create(
        agency=social_care, role=Role.TEAM_MANAGER, first_name="Nadia", last_name="Iqbal"
    )
    minute_taker = UserFactory.create(
        agency=social_care, role=Role.BUSINESS_SUPPORT, first_name="Beth", last_name="Cole"
    )
    discussion = _started(
        social_worker,
        {
            "childrens_social_care": social_worker,
            "police": police_officer,
            "health": health_practitioner,
            "chair": chair,
            "minute_taker": minute_taker,
        },
    )
    base = f"{live_server.url}/discussions/{discussion.pk}"
    checked: list[str] = []

    def person(user: User) -> Journey:
        journey = Journey(browser.new_context().new_page(), live_server.url, checked)
        journey.sign_in(user)
        return journey

    # The police officer records the police's contribution, with both sharing markers.
    police = person(police_officer)
    police.page.goto(f"{base}/")
    police.page.get_by_role("link", name="Record your agency’s contribution").click()
    police.check("contribution")
    police.page.get_by_role("button", name="Save the contribution").click()
    assert "Enter what the agency shared" in _summary(police.page)
    police.check("contribution, with errors")
    police.page.get_by_label("What did the agency share?").fill(
        "A call-out to the address in 2025 for a domestic incident; the uncle was arrested."
    )
    police.page.get_by_label("Not to be shared with the family").check()
    police.page.get_by_label("Not to be shared outside this meeting").check()
    police.page.get_by_role("button", name="Save the contribution").click()
    expect(police.page.get_by_text("Contribution of Police")).to_be_visible()

    # The minute-taker records the discussion, following Sandwell's §10.0 agenda.
    minutes = person(minute_taker)
    page = minutes.page
    page.goto(f"{base}/")
    page.get_by_role("button", name="Record the discussion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record the discussion")
    expect(page.get_by_text("Source: Sandwell procedure §10.0")).to_be_visible()
    expect(page.get_by_text("A call-out to the address in 2025")).to_be_visible()
    minutes.check("record")
    page.get_by_label("Yes, the details are checked").check()
    page.get_by_label("Other children who may be affected", exact=True).fill("None known.")
    page.get_by_label("Reason for and purpose of this discussion", exact=True).fill(
        "To decide whether to start a section 47 enquiry for Amara and Kofi."
    )
    page.get_by_label("Relevant background", exact=True).fill("Known to early help in 2024.")
    page.get_by_label("1. What is known about the child's welfare and safety?", exact=True).fill(
        "Further physical harm to Amara from her uncle."
    )
    page.get_by_label("2. What level of risk does the child face?", exact=True).fill(
        "High, until the enquiry says otherwise."
    )
    page.get_by_label("Whether legal advice is needed", exact=True).fill("Not at this stage.")
    page.get_by_role("button", name="Save as a draft").first.click()
    expect(page.get_by_text("Record saved as a draft")).to_be_visible()
    expect(page.get_by_label("Relevant background", exact=True)).to_have_value(
        "Known to early help in 2024."
    )
    minutes.check("record, saved")
    page.screenshot(path=str(shots / "strategise-record.png"), full_page=True)

    # Two children, two decisions; the first try has mistakes in it.
    page.get_by_role("link", name="Decisions", exact=True).click()
    minutes.check("decisions")
    page.get_by_role("link", name="Record the decision for Amara Okafor").click()
    page.get_by_role("button", name="Save the decision").click()
    summary = _summary(page)
    assert "Choose the decision for Amara Okafor" in summary
    assert "Give the rationale for the decision for Amara Okafor" in summary
    minutes.check("decision, with errors")
    page.get_by_label("Section 47 enquiry, joint with the police").check()
    page.get_by_label("Recommend an initial child protection conference").check()
    page.get_by_label("Rationale for the decision").fill(
        "Amara's account and the bruising are consistent with being hit."
    )
    page.get_by_label("Who will see the child?").fill("Sam Patel, social worker")
    tomorrow = timezone.localdate() + timedelta(days=1)
    minutes.fill_date("seen_by_when_date", tomorrow.day, tomorrow.month, tomorrow.year)
    page.locator("#seen_alone").check()
    page.locator("#medical_decision").check()
    minutes.check("decision")
    page.screenshot(path=str(shots / "strategise-decision.png"), full_page=True)
    page.get_by_role("button", name="Save the decision").click()
    expect(page.get_by_text("Decision for Amara Okafor saved")).to_be_visible()
    page.get_by_role("link", name="Record the decision for Kofi Okafor").click()
    page.get_by_label("No further action").check()
    page.get_by_label("Rationale for the decision").fill(
        "Kofi was at his father's; no concerns for him."
    )
    # Sandwell §8.0: a sibling's medical is considered too, and not holding one recorded.
    expect(page.get_by_text("Kofi has a sibling in this discussion (Amara Okafor)")).to_be_visible()
    page.locator("#medical_decision-3").check()
    page.get_by_label("If there will be no medical, why not?").fill(
        "No injuries seen or disclosed; the paediatrician agreed."
    )
    page.get_by_label("If there will be no medical, was medical advice given?").fill(
        "The duty paediatrician advised that no examination is needed."
    )
    minutes.check("decision for a sibling")
    page.get_by_role("button", name="Save the decision").click()
    page.locator("#family_informed").check()
    page.get_by_label("If yes, who will tell them?").fill("Sam Patel, social worker")
    page.get_by_label("If yes, when?").fill("Today after school")
    page.locator("#legal_advice-2").check()
    page.locator("#further_discussion_needed-2").check()
    page.get_by_role("button", name="Save as a draft").click()
    expect(page.get_by_text("Decisions saved as a draft")).to_be_visible()
    expect(page.get_by_text("Not yet confirmed by a team manager")).to_be_visible()
    minutes.check("decisions, recorded")
    page.screenshot(path=str(shots / "strategise-decisions.png"), full_page=True)

    # Three actions: a social worker, a police officer, and a teacher who has no account.
    page.get_by_role("link", name="Actions", exact=True).click()
    page.get_by_role("button", name="Add the action").click()
    assert "Enter what will be done" in _summary(page)
    minutes.check("actions, with errors")
    soon = timezone.localdate() + timedelta(days=2)
    for what, agency, who, name in [
        ("Visit Amara at home and see her alone", "", social_worker, ""),
        ("Complete police checks on the uncle", "", police_officer, ""),
        ("Share the school's attendance and welfare records", "education", None, "Amir Khan"),
    ]:
        page.get_by_label("What will be done?").fill(what)
        if what.startswith("Visit Amara"):
            page.get_by_role("checkbox", name="Amara Okafor").check()
        if agency:
            page.get_by_label("Agency", exact=True).select_option(agency)
        if who is not None:
            page.get_by_label("Someone who uses Strategise").select_option(str(who.pk))
        else:
            page.get_by_label("Or the name of someone who does not").fill(name)
        minutes.fill_date("due_date", soon.day, soon.month, soon.year)
        page.get_by_role("button", name="Add the action").click()
        expect(page.get_by_text("Action added")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Amir Khan")).to_have_count(1)
    expect(
        page.get_by_role("row").filter(has_text="Visit Amara at home").get_by_text("Amara Okafor")
    ).to_be_visible()
    minutes.check("actions")

    # The chair confirms Kofi's "no further action" (Sandwell §10.0).
    chair_tab = person(chair)
    chair_page = chair_tab.page
    chair_page.goto(f"{base}/decisions/")
    chair_page.get_by_role("link", name="Confirm no further action for Kofi Okafor").click()
    chair_tab.check("confirm no further action")
    chair_page.get_by_label("Your reasons for confirming no further action").fill(
        "Agreed: Kofi was not at home and has made no disclosure."
    )
    chair_page.get_by_role("button", name="Confirm no further action").click()
    expect(chair_page.get_by_text("No further action confirmed for Kofi Okafor")).to_be_visible()

    # The police disagree with the decision for Kofi.
    police.page.goto(f"{base}/")
    police.page.get_by_role("link", name="record your agency’s dissent from a decision").click()
    police.check("dissent")
    police.page.get_by_label("Which decision does it disagree with?").fill(
        "No further action for Kofi"
    )
    police.page.get_by_label("The agency’s reasons").fill(
        "Kofi may have seen the assault: he should be spoken to."
    )
    police.page.get_by_role("button", name="Record the dissent").click()
    expect(police.page.get_by_text("Kofi may have seen the assault")).to_be_visible()
    police.check("dissent, recorded")

    # The chair concludes it; the clocks start.
    chair_page.goto(f"{base}/conclude/")
    expect(chair_page.get_by_text("Everything the procedure needs is recorded.")).to_be_visible()
    chair_tab.check("conclude")
    chair_page.get_by_role("button", name="Conclude the discussion").click()
    clocks = chair_page.locator("#clocks").inner_text()
    assert "Decisions and action points circulated" in clocks
    assert "Sandwell procedure §11.0" in clocks
    assert "Initial child protection conference held" in clocks
    chair_tab.check("concluded, with its clocks")
    chair_page.screenshot(path=str(shots / "strategise-concluded.png"), full_page=True)

    # The minute-taker drafts the minutes; the chair approves them.
    page.goto(f"{base}/minutes/")
    page.get_by_role("button", name="Draft the minutes").click()
    expect(page.get_by_text("Minutes drafted: version 1")).to_be_visible()
    minutes.check("minutes, draft")
    # A summary, not a transcript: the minute-taker rewords what the police shared.
    page.get_by_role("link", name="change the wording of version 1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change the wording of version 1")
    minutes.check("minutes, wording")
    shared = page.get_by_label("Police: ", exact=False)
    expect(shared).to_have_value(
        "A call-out to the address in 2025 for a domestic incident; the uncle was arrested."
    )
    shared.fill("A call-out in 2025 for a domestic incident; the uncle was arrested.")
    page.get_by_role("button", name="Save the wording").click()
    expect(page.get_by_text("Wording of version 1 saved")).to_be_visible()
    # The chair reads what was changed from the record, then approves that.
    chair_page.goto(f"{base}/minutes/")
    expect(chair_page.get_by_text("1 passage was reworded.")).to_be_visible()
    removed = chair_page.locator("#changes ~ p del")
    expect(removed).to_contain_text("removed: to the address")
    chair_tab.check("minutes, reworded")
    chair_page.get_by_role("button", name="Approve version 1").click()
    expect(chair_page.get_by_text("Minutes version 1 approved")).to_be_visible()
    chair_tab.check("minutes, approved")
    chair_page.screenshot(path=str(shots / "strategise-minutes.png"), full_page=True)

    # Both documents carry the decisions, the actions and the marking.
    pdf_bytes = _download(chair_page, "PDF of version 1")
    pdf = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf_bytes)).pages
    )
    word = docx.Document(io.BytesIO(_download(chair_page, "Word document of version 1")))
    words = " ".join(
        [p.text for p in word.paragraphs]
        + [c.text for t in word.tables for row in t.rows for c in row.cells]
        + [p.text for s in word.sections for p in s.header.paragraphs]
    )
    for document in (pdf, " ".join(words.split())):
        assert "OFFICIAL-SENSITIVE" in document
        assert "Section 47 enquiry, joint with the police" in document
        assert "No further action" in document
        assert "Visit Amara at home and see her alone" in document
        assert "Complete police checks on the uncle" in document
        assert "Share the school's attendance and welfare records" in document
        assert "Not to be shared with the family" in document
        assert "A call-out in 2025 for a domestic incident" in document
        assert "Kofi may have seen the assault" in document

    # Distribution: everyone invited, sent, and recorded against the deadline.
    page.goto(f"{base}/distribution/")
    minutes.check("distribution, empty")
    page.get_by_role("button", name="Add everyone invited to the list").click()
    expect(page.get_by_text("Distribution list updated from the invitations")).to_be_visible()
    page.get_by_role("button", name="Send version 1 to everyone not yet sent it").click()
    expect(page.get_by_text("Minutes version 1 sent to 4 recipients")).to_be_visible()
    sent = page.locator("#recipients + .app-scrolling table").inner_text()
    assert sent.count("On time") == 4, sent
    assert "for decisions and action points circulated (due" in sent
    expect(page.get_by_text("Met on time").first).to_be_visible()
    minutes.check("distribution, sent")
    page.screenshot(path=str(shots / "strategise-distribution.png"), full_page=True)
    sent_minutes = [m for m in mail.outbox if m.subject.startswith("Minutes of strategy")]
    assert len(sent_minutes) == 4
    assert all(m.attachments[0][2] == "application/pdf" for m in sent_minutes)

    # Amara's page tells the story, newest first.
    page.goto(
        f"{live_server.url}/children/{discussion.request.children.get(first_name='Amara').pk}/"
    )
    timeline = page.locator(".app-timeline").inner_text()
    assert timeline.index("Action: Share the school's attendance") < timeline.index(
        "Decision: Section 47 enquiry, joint with the police"
    )
    assert "Decision: No further action" not in timeline  # that is Kofi's
    minutes.check("child, with the timeline")
    page.screenshot(path=str(shots / "strategise-child-timeline.png"), full_page=True)

    print(
        f"axe: {len(checked)} page states checked, no violations; "
        f"{time.monotonic() - started_at:.1f}s"
    )


def test_a_concluded_record_is_locked_then_corrected_and_its_minutes_and_clocks_follow(
    browser: Browser,  # noqa: F811 - the journey test's fixture
    live_server: LiveServer,
    authority: LocalAuthority,
    social_worker: User,
    police_officer: User,
    health_practitioner: User,
) -> None:
    """No further action for both children, concluded; then Amara's disclosure: a
    correction to a section 47 enquiry, which starts the conference's clock (Sandwell §2.0)
    and a second version of the minutes that supersedes the first."""
    social_care = authority.agencies.get(kind="childrens_social_care")
    chair = UserFactory.create(
        agency=social_care, role=Role.TEAM_MANAGER, first_name="Nadia", last_name="Iqbal"
    )
    discussion = _started(
        social_worker,
        {
            "childrens_social_care": social_worker,
            "police": police_officer,
            "health": health_practitioner,
            "chair": chair,
            "minute_taker": social_worker,
        },
    )
    now = timezone.now()
    record_save(
        user=chair, discussion=discussion, values=COMPLETE_RECORD, expected_version=0, now=now
    )
    for child in discussion.request.children.order_by("pk"):
        decision = decision_save(
            user=chair,
            discussion=discussion,
            child=child,
            values={
                "outcome": "nfa",
                "also": [],
                "rationale": "An accident, well explained",
                "medical_decision": "arrange",
            },
            expected_version=0,
            now=now,
        )
        decision_confirm_no_further_action(user=chair, decision=decision, reasons="Agreed")
    base = f"{live_server.url}/discussions/{discussion.pk}"
    checked: list[str] = []
    chair_tab = Journey(browser.new_context().new_page(), live_server.url, checked)
    chair_tab.sign_in(chair)
    page = chair_tab.page

    # Concluded: no clock for a conference, and the record is read-only.
    page.goto(f"{base}/conclude/")
    page.get_by_role("button", name="Conclude the discussion").click()
    assert "Initial child protection conference held" not in page.locator("#clocks").inner_text()
    page.goto(f"{base}/minutes/")
    page.get_by_role("button", name="Draft the minutes").click()
    page.get_by_role("button", name="Approve version 1").click()
    expect(page.get_by_text("Minutes version 1 approved")).to_be_visible()
    page.goto(f"{base}/record/")
    expect(page.locator("#locked")).to_contain_text("This discussion was concluded on")
    expect(page.get_by_role("button", name="Save as a draft")).to_have_count(0)
    chair_tab.check("record, locked")
    page.goto(f"{base}/decisions/")
    expect(page.get_by_role("link", name="Change the decision for Amara Okafor")).to_have_count(0)

    # The chair opens a correction, with its reason, and corrects Amara's decision.
    page.goto(f"{base}/record/")
    page.get_by_role("link", name="Open a correction of the record").click()
    chair_tab.check("correction")
    page.get_by_role("button", name="Open a correction").click()
    assert "Give the reason for the correction" in _summary(page)
    chair_tab.check("correction, with errors")
    page.get_by_label("Why does the record need correcting?").fill(
        "Amara disclosed at school the next day that her uncle hit her."
    )
    page.get_by_role("button", name="Open a correction").click()
    expect(page.get_by_text("Correction opened: the record can be changed")).to_be_visible()
    page.goto(f"{base}/decisions/")
    expect(page.locator("#correcting")).to_contain_text("Amara disclosed at school")
    page.get_by_role("link", name="Change the decision for Amara Okafor").click()
    page.get_by_label("Section 47 enquiry, joint with the police").check()
    page.get_by_label("Recommend an initial child protection conference").check()
    page.get_by_label("Rationale for the decision").fill("Amara's disclosure and the bruising.")
    page.get_by_role("button", name="Save the decision").click()
    expect(page.get_by_text("Decision for Amara Okafor saved")).to_be_visible()

    # Closing it: the second version of the minutes is drafted, then approved.
    page.goto(f"{base}/correction/")
    page.get_by_role("button", name="Close the correction").click()
    expect(page.get_by_text("Correction closed: the minutes are drafted again")).to_be_visible()
    chair_tab.check("minutes, corrected")
    page.get_by_role("button", name="Approve version 2").click()
    expect(page.get_by_text("Minutes version 2 approved")).to_be_visible()
    versions = page.get_by_role("table", name="Versions")
    expect(versions.get_by_role("row", name=re.compile(r"^1 Superseded"))).to_have_count(1)
    expect(versions.get_by_role("row", name=re.compile(r"^2 Approved"))).to_contain_text(
        "Correction: Amara disclosed at school"
    )

    # The conference's clock started (15 working days from the discussion, §2.0).
    page.goto(f"{base}/conclude/")
    clocks = page.locator("#clocks").inner_text()
    assert "Initial child protection conference held" in clocks
    assert "Sandwell procedure §2.0" in clocks
    chair_tab.check("concluded, corrected clocks")
