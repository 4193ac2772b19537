"""Issue 7: the whole Chapter 2 workflow runs through the API alone, as an agency system and an official's
tool would drive it: no service call and no page in between, each caller with its own token."""

from datetime import date, timedelta

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from projects.rules import ReviewDimension

from .conftest import COMPLETE, PDF_BYTES, pdf_upload

pytestmark = pytest.mark.django_db
BASE = "/api/v1/projects/filings/"


def client_for(user) -> APIClient:
    """An API client with the user's token, as an agency system holds it."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def ok(response, status=200):
    assert response.status_code == status, response.content.decode()
    return response.json() if response["Content-Type"].endswith("json") else response


def test_the_whole_workflow_runs_through_the_api_alone(
    clerk, official, reviewer, drc_liaison, contractor, qualified, departments
):
    agency, authority, rev = client_for(clerk), client_for(official), client_for(reviewer)

    # The agency files, documents and contracts the project, and submits it.
    body = {**COMPLETE, "government_investment": "1200.00", "other_funding": "0"}
    filing = ok(agency.post(BASE, body, format="json"), 201)
    url = f"{BASE}{filing['id']}/"
    assert filing["status"] == "draft"
    assert filing["available_actions"] == ["submit"]
    uploaded = ok(agency.post(f"{url}attachments/", {"file": pdf_upload(), "description": "可研报告"}), 201)
    assert ok(agency.get(uploaded["download"])).getvalue() == PDF_BYTES
    assigned = ok(
        agency.post(f"{url}contractors/", {"contractor": str(contractor.uuid), "role": "construction"}, format="json"),
        201,
    )
    assert assigned["qualification"] == str(qualified.uuid)
    assert ok(agency.post(f"{url}submit/"))["status"] == "submitted"

    # The authority sees it in its queue with what it may do, accepts it and assigns a reviewer.
    row = ok(authority.get(BASE, {"status": "submitted"}))["results"][0]
    assert row["id"] == filing["id"]
    assert row["available_actions"] == ["start_review", "return"]
    started = ok(authority.post(f"{url}start_review/", {"reviewers": [str(reviewer.uuid)]}, format="json"))
    assert started["status"] == "in_review"
    assert [r["id"] for r in started["reviewers"]] == [str(reviewer.uuid)]
    assert started["review_due_date"] is not None

    # The reviewer records the six Art. 13 dimensions and comments.
    assert [item["result"] for item in ok(rev.get(f"{url}checklist/"))] == [None] * 6
    findings = [{"dimension": d, "result": "pass"} for d in ReviewDimension.values]
    checklist = ok(rev.post(f"{url}checklist/", {"findings": findings}, format="json"))
    assert {item["result"] for item in checklist} == {"pass"}
    comment = ok(rev.post(f"{url}comments/", {"comment": "六项审查要点均符合。"}, format="json"), 201)
    assert comment["action"] == "comment"

    # The official signs the opinion; the agency and the approving department read the letter.
    approved = ok(authority.post(f"{url}approve/", {"opinion": "同意建设。"}, format="json"))
    assert approved["status"] == "approved"
    assert approved["opinion_number"].startswith("京经信审")
    for reader in (agency, client_for(drc_liaison)):
        letter = ok(reader.get(f"{url}opinion/", HTTP_ACCEPT="application/pdf"))
        assert letter["Content-Type"] == "application/pdf"
        assert letter.content.startswith(b"%PDF")

    # The agency records the approval, asks for acceptance, records it and puts the system into use.
    today = date.today()
    approval = {"reference": "京发改〔2026〕88号", "approval_date": today.isoformat()}
    assert ok(agency.post(f"{url}record_approval/", approval, format="json"))["status"] == "under_construction"
    announce = {"planned_on": today.isoformat(), "place": "市交通委会议室"}
    assert ok(agency.post(f"{url}request_acceptance/", announce, format="json"))["status"] == "acceptance_requested"
    acceptance = {
        "held_on": today.isoformat(),
        "participants": "建设单位、承建单位、市经信局",
        "authority_invited": True,
        "warranty_end": (today + timedelta(days=3 * 366)).isoformat(),
    }
    missing = agency.post(f"{url}record_acceptance/", acceptance, format="json")
    assert missing.status_code == 400  # no default result: leaving `passed` out records nothing
    assert {"name": "passed", "code": "required"}.items() <= missing.json()["invalid_params"][0].items()
    accepted = ok(agency.post(f"{url}record_acceptance/", {**acceptance, "passed": True}, format="json"))
    assert accepted["status"] == "accepted"
    record = ok(agency.get(f"{url}acceptance-records/"))["results"][0]
    assert (record["result"], record["authority_attended"]) == ("passed", False)
    # Art. 14: the authority, not the agency, says whether it attended.
    attendance = {"record": record["id"], "attended": True}
    assert agency.post(f"{url}confirm_attendance/", attendance, format="json").status_code == 403
    assert ok(authority.post(f"{url}confirm_attendance/", attendance, format="json"))["authority_attended"] is True
    assert ok(agency.post(f"{url}start_operation/", {}, format="json"))["status"] == "in_operation"

    # The timeline tells the whole story, each step with its actor.
    events = ok(agency.get(f"{url}timeline/", {"page_size": 50}))["results"]
    assert [e["action"] for e in events] == [
        "filing_created",
        "attachment_added",
        "contractor_assigned",
        "filing_submitted",
        "deadline_opened",  # the Art. 13 review period
        "review_started",
        "checklist_saved",
        "comment",
        "deadline_met",
        "filing_approved",
        "approval_recorded",
        "acceptance_requested",
        "acceptance_passed",
        "deadline_opened",  # the Art. 15 warranty
        "acceptance_attendance_confirmed",
        "operation_started",
    ]
    assert events[5]["actor"]["id"] == str(official.uuid)
    assert (events[5]["from_state"], events[5]["to_state"]) == ("submitted", "in_review")
