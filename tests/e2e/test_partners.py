"""A partner agency takes part in a real browser: a police officer, through the private link
in their invitation email, confirms who they are with a code sent to the invited address,
names a deputy from their own force, and sends a written report with a PDF; once the
minutes are approved, signed in, they read them. axe checks every page state against
WCAG 2.2 AA, and the Nu HTML Checker validates each (tests/e2e/conftest.py)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.mail import EmailMessage
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

from strategise.actions.models import Action
from strategise.discussions.concluding import discussion_conclude
from strategise.discussions.models import Invitation, WrittenReport
from strategise.discussions.participation import written_report_replace, written_report_send
from strategise.discussions.services import discussion_convene, discussion_start
from strategise.organisations.models import LocalAuthority, Role, User
from tests.discussions.support import NOW, convened_in, invitations_for, make_request
from tests.e2e.test_journey import Journey, browser  # noqa: F401 - a fixture
from tests.factories import UserFactory
from tests.web.recording.support import LATER, approved_minutes, complete, make_child

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_police_officer_confirms_names_a_deputy_reports_and_reads_the_minutes(
    browser: Browser,  # noqa: F811 - the journey test's fixture
    live_server: LiveServer,
    authority: LocalAuthority,
    social_worker: User,
    police_officer: User,
    sent_emails: list[EmailMessage],
) -> None:
    chair = UserFactory.create(
        agency=authority.agencies.get(kind="childrens_social_care"), role=Role.TEAM_MANAGER
    )
    child = make_child(social_worker, "Amara")
    request = make_request(social_worker, [child])
    discussion = discussion_convene(
        user=social_worker,
        request=request,
        format="virtual",
        scheduled_for=NOW + timedelta(hours=1),
        chair=chair,
        invitations=invitations_for(request, {"police": police_officer}),
        respond_url=lambda invitation: f"{live_server.url}/invitations/{invitation.token}/",
        now=NOW,
    )
    mine = discussion.invitations.get(user=police_officer)
    domain = police_officer.email.rpartition("@")[2]

    context = browser.new_context(base_url=live_server.url)
    journey = Journey(context.new_page(), live_server.url)
    page = journey.page

    # The link shows when and how; who it is about only once the officer confirms.
    page.goto(f"/invitations/{mine.token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Your invitation to a strategy discussion"
    )
    expect(page.locator("main")).not_to_contain_text(child.full_name)
    journey.check("invitation link, not yet confirmed")
    page.get_by_role("button", name="Email me a code").click()
    expect(
        page.get_by_text("We have sent a code to the address you were invited at")
    ).to_be_visible()
    found = re.search(r"Your code is (\d{6})", str(sent_emails[-1].body))
    assert found is not None and sent_emails[-1].to == [police_officer.email]
    code = found.group(1)
    page.get_by_label("Code from the email").fill("000000" if code != "000000" else "111111")
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The code is not right")
    journey.check("invitation link, a wrong code")
    page.get_by_label("Code from the email").fill(code)
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator("main")).to_contain_text(child.full_name)
    journey.check("invitation link, confirmed")

    # A deputy from the officer's own force: refused from elsewhere, then invited.
    page.get_by_role("link", name="Name a deputy from your agency").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Name a deputy")
    page.get_by_role("button", name="Invite my deputy").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your deputy’s full name")
    journey.check("name a deputy, with errors")
    page.get_by_label("Your deputy’s full name").fill("Ali Khan")
    page.get_by_label("Your deputy’s email address").fill(f"ali.khan@{domain}")
    page.get_by_role("button", name="Invite my deputy").click()
    expect(
        page.get_by_text("Ali Khan is invited in your place and has been emailed")
    ).to_be_visible()
    deputy = Invitation.objects.get(deputy_for=mine)
    assert sent_emails[-1].to == [f"ali.khan@{domain}"]

    # A written report with a PDF: a file that is not one is refused, then it is sent.
    page.get_by_role("link", name="Send a written report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Send a written report")
    page.get_by_label("Attach a file (optional)").set_input_files(
        {"name": "report.pdf", "mimeType": "application/pdf", "buffer": b"not a PDF at all"}
    )
    page.get_by_role("button", name="Send the written report").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter your agency’s report")
    expect(summary).to_contain_text("must be a PDF or a Word document")
    journey.check("written report, with errors")
    page.get_by_label("Your agency’s report").fill("Two call-outs to the address last year")
    page.get_by_label("Attach a file (optional)").set_input_files(
        {"name": "police-report.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Send the written report").click()
    expect(page.get_by_text("Your written report has been sent to the chair")).to_be_visible()
    journey.check("invitation link, deputy and report sent")
    assert bytes(WrittenReport.objects.get(invitation=mine).content) == PDF

    # The officer replaces the report before the discussion: the file stays, the first
    # version is kept, and the chair is told.
    page.get_by_role("link", name="Replace your written report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Replace your written report")
    report = page.get_by_label("Your agency’s report")
    expect(report).to_have_value("Two call-outs to the address last year")
    report.fill("")
    page.get_by_role("button", name="Replace the written report").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your agency’s report")
    journey.check("replace a written report, with errors")
    report.fill("Three call-outs to the address, one this week")
    page.get_by_role("button", name="Replace the written report").click()
    expect(
        page.get_by_text("Your written report has been replaced: the chair has been told")
    ).to_be_visible()
    journey.check("invitation link, report replaced")
    replaced = WrittenReport.objects.get(invitation=mine)
    assert (replaced.version, bytes(replaced.content)) == (2, PDF)
    assert replaced.earlier.get().text == "Two call-outs to the address last year"
    assert chair.notifications.filter(kind="invitee").count() == 3  # deputy, sent, replaced

    # The discussion is held with the deputy there, concluded, and its minutes approved.
    discussion_start(
        user=chair,
        discussion=discussion,
        attendance={
            i.pk: "written_report" if i.pk == mine.pk else "attended"
            for i in discussion.invitations.all()
        },
        absence_reasons={},
        now=NOW + timedelta(hours=1),
    )
    discussion_conclude(user=chair, discussion=complete(discussion, chair), now=LATER)
    approved_minutes(discussion, chair)

    # Signed in, the officer reads the approved minutes of the discussion.
    reader = browser.new_context(base_url=live_server.url)
    signed_in = Journey(reader.new_page(), live_server.url, journey.checked)
    signed_in.sign_in(police_officer)
    signed_in.page.goto(f"/discussions/{discussion.pk}/minutes/1/")
    main = signed_in.page.locator("main")
    expect(main).to_contain_text("Three call-outs to the address, one this week")
    expect(main).to_contain_text("version 2, replacing an earlier one")
    expect(main).to_contain_text(f"Deputy for {mine.name}")
    expect(main).to_contain_text("attached: police-report.pdf")
    signed_in.check("approved minutes, read by an invited agency")

    # Once concluded, the report can no longer be replaced, and the page says why.
    signed_in.page.goto(f"/discussions/{discussion.pk}/report/")
    expect(signed_in.page.locator("main")).to_contain_text(
        "The discussion has concluded, so your written report can no longer be replaced"
    )
    signed_in.check("replace a written report, once concluded")
    assert deputy.name == "Ali Khan"
    context.close()
    reader.close()


def test_a_birmingham_chair_agrees_a_replaced_written_report_suffices(
    browser: Browser,  # noqa: F811 - the journey test's fixture
    live_server: LiveServer,
) -> None:
    """Birmingham §5.1: the chair, told of the report and its replacement, records that it
    will suffice in the police's absence; no escalation action is made."""
    discussion, chair = convened_in("birmingham", base=live_server.url)
    police = discussion.invitations.get(agency_code="police")
    sent = written_report_send(
        invitation=police, text="Two call-outs", upload=None, user=None, now=NOW
    )
    written_report_replace(report=sent, text="Three call-outs", upload=None, user=None, now=NOW)

    context = browser.new_context(base_url=live_server.url)
    journey = Journey(context.new_page(), live_server.url)
    page = journey.page
    journey.sign_in(chair)
    page.goto("/notifications/")
    expect(page.locator("main")).to_contain_text("has replaced their written report")
    page.goto(f"/discussions/{discussion.pk}/start/")
    for invitation in discussion.invitations.exclude(pk=police.pk):
        page.locator(f"#attendance-{invitation.pk}").check()
    page.locator(f"#attendance-{police.pk}-3").check()  # sent a written report
    agree = page.get_by_label(
        "The written report will suffice in their absence: do not escalate it"
    )
    expect(agree).to_be_visible()
    journey.check("record attendance, a written report may suffice")
    agree.check()
    page.get_by_role("button", name="Record attendance and start").click()
    expect(page.get_by_text("Attendance recorded: the discussion has started")).to_be_visible()
    expect(page.locator("main")).to_contain_text(
        "The chair agreed that their written report would suffice in their absence"
    )
    journey.check("discussion, a written report sufficed")
    assert not Action.objects.filter(discussion=discussion).exists()
    page.goto(f"/discussions/{discussion.pk}/record/")
    main = page.locator("main")
    expect(main).to_contain_text("This is version 2: the invitee replaced the report")
    expect(main).to_contain_text("Three call-outs")
    journey.check("the record, a replaced written report that sufficed")
    context.close()


def test_convening_marks_an_agency_not_involved_and_offers_only_the_chosen_agencys_people(
    browser: Browser,  # noqa: F811 - the journey test's fixture
    live_server: LiveServer,
    authority: LocalAuthority,
    social_worker: User,
    police_officer: User,
) -> None:
    teacher = UserFactory.create(
        agency=authority.agencies.get(kind="education"), role=Role.EDUCATION
    )
    child = make_child(social_worker, "Ruby")
    request = make_request(social_worker, [child], flags=["parental_domestic_abuse"])
    rows = [a["code"] for a in request.triage["attendees"]["required"]]
    rows += [a["code"] for a in request.triage["attendees"]["recommended"]]
    domestic, other = rows.index("domestic_abuse_service"), len(rows)

    context = browser.new_context(base_url=live_server.url)
    journey = Journey(context.new_page(), live_server.url)
    page = journey.page
    journey.sign_in(social_worker)
    page.goto(f"/requests/{request.pk}/convene/")
    page.locator(f"#invitations-{domestic}-not_involved").check()
    reason = page.get_by_label("Why is domestic abuse service not involved?")
    expect(reason).to_be_visible()
    journey.check("convene, an agency not involved")

    # "Another invitee": choosing the police leaves only police officers to choose from.
    people = page.locator(f"#invitations-{other}-user")
    page.locator(f"#invitations-{other}-agency_code").select_option("police")
    expect(people.locator(f'option[value="{teacher.pk}"]')).to_be_hidden()
    expect(people.locator(f'option[value="{police_officer.pk}"]')).to_be_attached()
    page.get_by_role("button", name="Convene and send invitations").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter why domestic abuse service is not involved")
    journey.check("convene, an agency not involved, with errors")
    context.close()
