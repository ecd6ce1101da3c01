"""An invitee's reply through the API, and reading a discussion's record, decisions,
minutes and disagreements: each through the service or selector the pages use, audited as
the page's is. (Who may do each is tests/api/test_access.py.)"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from strategise.audit.models import AuditEvent
from strategise.disagreements.models import Disagreement
from strategise.discussions.models import Invitation, Response, WrittenReport
from tests.api.conftest import Bearer
from tests.factories import InvitationFactory
from tests.web.recording.support import LATER
from tests.web.test_access import Case, Disputed, Recorded

pytestmark = pytest.mark.django_db


def _put(client: Client, path: str, body: dict[str, Any], headers: dict[str, str]) -> Any:
    return client.put(path, json.dumps(body), content_type="application/json", headers=headers)


def _invited(case: Case) -> Invitation:
    return case.discussion.invitations.get(user=case.users["police_invited"])


# --- replying ----------------------------------------------------------------------------


def test_an_invitee_accepts_through_the_api_as_on_the_page(
    client: Client, case: Case, bearer: Bearer
) -> None:
    officer = case.users["police_invited"]
    path = f"/api/v1/discussions/{case.discussion.pk}/reply"
    answer = _put(client, path, {"response": "accepted"}, bearer(officer))
    assert answer.status_code == 200, answer.content
    assert answer.json()["reply"] == "accepted"
    assert answer.json()["yours"] is True
    assert _invited(case).response == Response.ACCEPTED
    event = AuditEvent.objects.filter(action="respond").get()
    assert event.user == officer
    assert event.detail == {"response": "accepted"}


def test_apologies_without_the_reason_are_named_by_the_api_field(
    client: Client, case: Case, bearer: Bearer
) -> None:
    path = f"/api/v1/discussions/{case.discussion.pk}/reply"
    answer = _put(client, path, {"response": "declined"}, bearer(case.users["police_invited"]))
    assert answer.status_code == 422
    assert answer.json()["errors"] == [
        {
            "field": "apologies_reason",
            "detail": "Enter why you cannot attend, so the chair can plan without you",
        }
    ]
    assert _invited(case).response == Response.AWAITING


def test_apologies_with_the_reason_are_kept_and_listed(
    client: Client, case: Case, bearer: Bearer
) -> None:
    officer = case.users["police_invited"]
    base = f"/api/v1/discussions/{case.discussion.pk}"
    body = {"response": "declined", "apologies_reason": "In court all day"}
    assert _put(client, f"{base}/reply", body, bearer(officer)).status_code == 200
    listed = client.get(f"{base}/invitations", headers=bearer(case.users["social_care"])).json()
    [police] = [i for i in listed["items"] if i["id"] == _invited(case).pk]
    assert (police["reply"], police["apologies_reason"]) == ("declined", "In court all day")
    assert police["yours"] is False


def test_a_deputy_is_named_once_for_the_same_address(
    client: Client, case: Case, bearer: Bearer
) -> None:
    officer = case.users["police_invited"]
    path = f"/api/v1/discussions/{case.discussion.pk}/deputy"
    body = {"name": "DC Amara Osei", "email": f"amara.osei@{officer.email.rpartition('@')[2]}"}
    first = client.post(path, json.dumps(body), "application/json", headers=bearer(officer))
    again = client.post(path, json.dumps(body), "application/json", headers=bearer(officer))
    assert first.status_code == again.status_code == 201, first.content
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["deputy_for"] == _invited(case).pk
    assert Invitation.objects.filter(deputy_for=_invited(case)).count() == 1


def test_a_deputy_outside_the_agency_is_named_as_the_form_names_it(
    client: Client, case: Case, bearer: Bearer
) -> None:
    officer = case.users["police_invited"]
    path = f"/api/v1/discussions/{case.discussion.pk}/deputy"
    body = {"name": "Someone Else", "email": "someone@elsewhere.example"}
    answer = client.post(path, json.dumps(body), "application/json", headers=bearer(officer))
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == ["email"]
    assert not Invitation.objects.filter(deputy_for=_invited(case)).exists()


# --- a written report: sent, then replaced against its ETag -----------------------------


def test_a_written_report_is_sent_then_replaced_only_against_the_etag_read(
    client: Client, case: Case, bearer: Bearer
) -> None:
    officer = case.users["police_invited"]
    headers = bearer(officer)
    path = f"/api/v1/discussions/{case.discussion.pk}/written-report"
    sent = _put(client, path, {"text": "Two call-outs this year."}, headers)
    assert sent.status_code == 201, sent.content
    assert sent["ETag"] == '"1"'
    # Sent again as it was (a lost answer): the same report, nothing new.
    again = _put(client, path, {"text": "Two call-outs this year."}, headers)
    assert (again.status_code, again.json()["version"]) == (200, 1)
    # Something new without If-Match: say which version it changes.
    unnamed = _put(client, path, {"text": "Three call-outs."}, headers)
    assert unnamed.status_code == 428
    assert unnamed.json()["errors"][0]["field"] == "If-Match"
    replaced = _put(client, path, {"text": "Three call-outs."}, {**headers, "If-Match": '"1"'})
    assert (replaced.status_code, replaced["ETag"]) == (200, '"2"')
    # A second client still holding version 1: nothing saved, both versions given.
    stale = _put(client, path, {"text": "Four call-outs."}, {**headers, "If-Match": '"1"'})
    assert stale.status_code == 412
    problem = stale.json()
    assert problem["current"]["text"] == "Three call-outs."
    assert problem["yours"] == {"text": "Four call-outs."}
    assert problem["current_etag"] == '"2"'
    assert [e["field"] for e in problem["errors"]] == ["text"]
    report = WrittenReport.objects.get(invitation=_invited(case))
    assert (report.text, report.version) == ("Three call-outs.", 2)


def test_an_empty_written_report_is_named(client: Client, case: Case, bearer: Bearer) -> None:
    path = f"/api/v1/discussions/{case.discussion.pk}/written-report"
    answer = _put(client, path, {"text": "  "}, bearer(case.users["police_invited"]))
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "text"
    assert not WrittenReport.objects.exists()


def test_a_written_report_is_listed_only_for_those_who_may_read_it(
    client: Client, recorded: Recorded, bearer: Bearer
) -> None:
    # Health's report, beside the police's own (tests/web/test_access.py's fixture): the
    # police officer sees their own, not health's; the chair sees both.
    health = InvitationFactory.create(discussion=recorded.discussion, agency_code="health")
    health_report = WrittenReport.objects.create(
        invitation=health, text="Seen at A&E", sent_at=LATER
    )
    path = f"/api/v1/discussions/{recorded.discussion.pk}/invitations"

    def reports(role: str) -> dict[int, int | None]:
        items = client.get(path, headers=bearer(recorded.users[role])).json()["items"]
        return {i["id"]: (i["written_report"] or {}).get("id") for i in items}

    chair, police = reports("chair"), reports("police_invited")
    assert (chair[recorded.invitation], chair[health.pk]) == (recorded.report, health_report.pk)
    assert (police[recorded.invitation], police[health.pk]) == (recorded.report, None)


# --- the record, decisions and dissent ----------------------------------------------------


def test_the_record_carries_each_agencys_contribution(
    client: Client, recorded: Recorded, bearer: Bearer
) -> None:
    path = f"/api/v1/discussions/{recorded.discussion.pk}/record"
    record = client.get(path, headers=bearer(recorded.users["chair"])).json()
    assert record["family_informed"] == "yes"
    assert record["risk_answers"] == {"1": "Further physical harm", "5": "At the next discussion"}
    assert record["version"] >= 1
    assert all(c["invitation"] for c in record["contributions"])
    event = AuditEvent.objects.filter(action="view", object_id=str(recorded.discussion.pk)).last()
    assert event is not None and event.user == recorded.users["chair"]


def test_each_childs_decision_comes_with_its_rationale(
    client: Client, recorded: Recorded, bearer: Bearer
) -> None:
    path = f"/api/v1/discussions/{recorded.discussion.pk}/decisions"
    found = client.get(path, headers=bearer(recorded.users["social_care"])).json()
    [decision] = found["decisions"]
    assert decision["child"] == recorded.child.pk
    assert decision["outcome"] == "s47_joint"
    assert decision["rationale"] == "Unexplained bruising to the face"
    assert decision["also"] == ["recommend_icpc"]
    assert found["dissents"] == []


# --- minutes ------------------------------------------------------------------------------


def test_an_invited_agency_sees_only_approved_minutes(
    client: Client, recorded: Recorded, bearer: Bearer
) -> None:
    path = f"/api/v1/discussions/{recorded.discussion.pk}/minutes"
    chair = client.get(path, headers=bearer(recorded.users["chair"])).json()["items"]
    police = client.get(path, headers=bearer(recorded.users["police_invited"])).json()["items"]
    assert [(m["number"], m["status"]) for m in chair] == [(2, "draft"), (1, "approved")]
    assert [(m["number"], m["status"]) for m in police] == [(1, "approved")]
    assert police[0]["approved_at"] is not None
    assert police[0]["distributed_at"] is None


def test_minutes_download_as_the_page_serves_them_audited(
    client: Client, recorded: Recorded, bearer: Bearer
) -> None:
    officer = recorded.users["police_invited"]
    base = f"/api/v1/discussions/{recorded.discussion.pk}/minutes/1"
    pdf = client.get(f"{base}/pdf", headers=bearer(officer))
    docx = client.get(f"{base}/docx", headers=bearer(officer))
    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")
    assert pdf.content.startswith(b"%PDF")
    assert docx.content.startswith(b"PK")
    assert 'filename="strategy-discussion-' in docx["Content-Disposition"]
    events = AuditEvent.objects.filter(action="download-minutes", user=officer)
    assert sorted(e.detail["as"] for e in events) == ["docx", "pdf"]


# --- disagreements -----------------------------------------------------------------------


def test_a_disagreement_is_listed_and_read_with_its_history(
    client: Client, disputed: Disputed, bearer: Bearer
) -> None:
    officer = disputed.users["police_invited"]
    listed = client.get("/api/v1/disagreements", headers=bearer(officer)).json()["items"]
    assert [d["id"] for d in listed] == [disputed.disagreement]
    assert listed[0]["subject"] == "outcome"
    one = client.get(f"/api/v1/disagreements/{disputed.disagreement}", headers=bearer(officer))
    assert one.json()["description"] == "A single-agency enquiry would do."
    assert one.json()["may_move"] is True
    assert AuditEvent.objects.filter(action="list-disagreements", user=officer).count() == 1


def test_the_same_idempotency_key_raises_one_disagreement(
    client: Client, recorded: Recorded, bearer: Bearer
) -> None:
    officer = recorded.users["police_invited"]
    path = f"/api/v1/discussions/{recorded.discussion.pk}/disagreements"
    body = json.dumps({"subject": "outcome", "description": "A single-agency enquiry would do."})
    headers = {**bearer(officer), "Idempotency-Key": "5b0c2f0e-raise-once"}
    first = client.post(path, body, "application/json", headers=headers)
    again = client.post(path, body, "application/json", headers=headers)
    assert first.status_code == again.status_code == 201, first.content
    assert first.json()["id"] == again.json()["id"]
    assert first["Location"] == f"/api/v1/disagreements/{first.json()['id']}"
    assert Disagreement.objects.filter(discussion=recorded.discussion).count() == 1
    other = client.post(
        path,
        body,
        "application/json",
        headers={**bearer(officer), "Idempotency-Key": "another-key"},
    )
    assert other.json()["id"] != first.json()["id"]


def test_the_outcome_of_a_discussion_not_held_is_named(
    client: Client, case: Case, bearer: Bearer
) -> None:
    path = f"/api/v1/discussions/{case.discussion.pk}/disagreements"
    body = json.dumps({"subject": "outcome", "description": "Too soon."})
    answer = client.post(
        path, body, "application/json", headers=bearer(case.users["police_invited"])
    )
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == ["subject"]


def test_a_disagreement_is_resolved_only_against_the_etag_read(
    client: Client, disputed: Disputed, bearer: Bearer
) -> None:
    headers = bearer(disputed.users["police_invited"])
    path = f"/api/v1/disagreements/{disputed.disagreement}"
    read = client.get(path, headers=headers)
    assert read["ETag"] == '"1"'
    body = json.dumps({"resolution": "withdrawn", "outcome": "Agreed at a call with the chair."})
    unnamed = client.post(f"{path}/resolve", body, "application/json", headers=headers)
    assert unnamed.status_code == 428
    resolved = client.post(
        f"{path}/resolve", body, "application/json", headers={**headers, "If-Match": '"1"'}
    )
    assert (resolved.status_code, resolved["ETag"]) == (200, '"2"'), resolved.content
    assert resolved.json()["status"] == "resolved"
    stale = client.post(
        f"{path}/resolve", body, "application/json", headers={**headers, "If-Match": '"1"'}
    )
    assert stale.status_code == 412
    assert stale.json()["current"]["status"] == "resolved"
    assert stale.json()["current_etag"] == '"2"'
    assert Disagreement.objects.get(pk=disputed.disagreement).resolution == "withdrawn"


def test_a_disagreement_is_escalated_only_against_the_etag_read_and_errors_name_the_field(
    client: Client, disputed: Disputed, bearer: Bearer
) -> None:
    headers = bearer(disputed.users["police_invited"])
    path = f"/api/v1/disagreements/{disputed.disagreement}"
    before = client.get(path, headers=headers).json()
    body = {
        "note": "Talked it through with the chair; no agreement.",
        "outside_name": "Dr Priya Shah",
        "outside_email": "priya.shah@example.org",
    }
    unnamed = client.post(f"{path}/escalate", json.dumps(body), "application/json", headers=headers)
    assert unnamed.status_code == 428
    empty = client.post(
        f"{path}/escalate",
        json.dumps({**body, "note": " "}),
        "application/json",
        headers={**headers, "If-Match": '"1"'},
    )
    assert empty.status_code == 422, empty.content
    assert [error["field"] for error in empty.json()["errors"]] == ["note"]
    escalated = client.post(
        f"{path}/escalate",
        json.dumps(body),
        "application/json",
        headers={**headers, "If-Match": '"1"'},
    )
    assert (escalated.status_code, escalated["ETag"]) == (200, '"2"'), escalated.content
    assert escalated.json()["stage"] == before["stage"] + 1
    stale = client.post(
        f"{path}/escalate",
        json.dumps(body),
        "application/json",
        headers={**headers, "If-Match": '"1"'},
    )
    assert stale.status_code == 412
    assert stale.json()["current"]["stage"] == before["stage"] + 1
    assert Disagreement.objects.get(pk=disputed.disagreement).stage == before["stage"] + 1
