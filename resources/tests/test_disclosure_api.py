"""The disclosure API: names fixed by the issue, scope (404), permission (403), state (409), public reads."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from resources.services import disclosure as services
from resources.tests.disclosure_fixtures import *  # noqa: F403
from resources.tests.disclosure_fixtures import APPLICANT

API = "/api/v1/disclosure/"


@pytest.fixture
def api():
    return APIClient()


def post_application(api, orgs, **extra):
    body = {
        "agency": str(orgs["agency"].uuid),
        "applicant_kind": "citizen",
        "applicant_name": "张三",
        "contact": "13800000000",
        "description": "2025年公交线路调整批复",
        "channel": "in_person",
        "received_on": "2026-09-22",
        **extra,
    }
    return api.post(f"{API}applications/", body, format="json")


def test_it_records_an_application_with_its_due_date(api, clerk, orgs):
    api.force_authenticate(clerk)
    response = post_application(api, orgs)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["reply_due_date"] == "2026-10-27"
    assert body["status"] == "handling"
    assert body["tracking_number"].startswith("GK")
    assert len(body["access_code"]) == 10
    detail = api.get(f"{API}applications/{body['id']}/").json()
    assert "access_code" not in detail


def test_it_reports_bad_fields(api, clerk, orgs):
    api.force_authenticate(clerk)
    response = post_application(api, orgs, channel="pigeon", received_on="2099-01-01")
    assert response.status_code == 400
    names = {p["name"] for p in response.json()["invalid_params"]}
    assert "channel" in names


def test_it_refuses_recording_for_another_agency(api, other_clerk, orgs):
    api.force_authenticate(other_clerk)
    assert post_application(api, orgs).status_code == 403


def test_the_whole_flow_through_the_api(api, clerk, orgs):
    api.force_authenticate(clerk)
    app_id = post_application(api, orgs).json()["id"]
    url = f"{API}applications/{app_id}/"
    r = api.post(url + "correction_notice/", {"on": "2026-09-24"}, format="json")
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "correction"
    r = api.post(url + "correction_received/", {"received_on": "2026-09-30"}, format="json")
    assert r.json()["reply_due_date"] == "2026-11-03"
    r = api.post(url + "extend/", {"reason": "需调取档案", "on": "2026-10-20"}, format="json")
    assert r.json()["reply_due_date"] == "2026-12-01"
    r = api.post(url + "extend/", {"reason": "again"}, format="json")
    assert r.status_code == 409
    assert r.json()["code"] == "already-extended"
    r = api.post(url + "consult/", {"party": "某公司", "on": "2026-10-21"}, format="json")
    assert r.json()["status"] == "consulting"
    r = api.post(url + "consultation_answered/", {"answered_on": "2026-10-21"}, format="json")
    assert r.json()["reply_due_date"] == "2026-12-01"
    r = api.post(url + "reply/", {"response_type": "partial"}, format="json")
    assert r.status_code == 400
    assert r.json()["invalid_params"][0]["name"] == "reason"
    # Replied on a fixed day within the extended deadline: the test must not depend on the day it runs.
    r = api.post(
        url + "reply/", {"response_type": "partial", "reason": "third_party", "on": "2026-11-30"}, format="json"
    )
    assert r.status_code == 200
    assert r.json()["status"] == "replied"
    assert r.json()["replied_late"] is False


def test_correction_received_requires_its_date(api, clerk, record):
    api.force_authenticate(clerk)
    application = record()
    r = api.post(f"{API}applications/{application.uuid}/correction_received/", {}, format="json")
    assert r.status_code == 400


def test_a_transition_the_state_forbids_is_409(api, clerk, record):
    api.force_authenticate(clerk)
    application = record()
    r = api.post(f"{API}applications/{application.uuid}/consultation_answered/", {}, format="json")
    assert r.status_code == 409
    assert r.json()["code"] == "state-not-allowed"


def test_outsiders_get_404_and_officials_403(api, record, other_clerk, official):
    application = record()
    api.force_authenticate(other_clerk)
    assert api.get(f"{API}applications/{application.uuid}/").status_code == 404
    r = api.post(f"{API}applications/{application.uuid}/reply/", {"response_type": "disclosed"}, format="json")
    assert r.status_code == 404
    assert api.get(f"{API}applications/").json()["count"] == 0
    api.force_authenticate(official)
    assert api.get(f"{API}applications/{application.uuid}/").status_code == 200
    r = api.post(f"{API}applications/{application.uuid}/reply/", {"response_type": "disclosed"}, format="json")
    assert r.status_code == 403


def test_anonymous_callers_cannot_list_applications(api, record):
    record()
    assert api.get(f"{API}applications/").status_code == 401


def test_track_answers_the_same_404_for_a_wrong_code_or_number(api, record):
    application = record()
    ok = api.get(f"{API}track/", {"number": application.tracking_number, "code": application.access_code})
    assert ok.status_code == 200
    assert ok.json()["reply_due_date"] == "2026-10-27"
    assert "applicant_name" not in ok.json()
    wrong_code = api.get(f"{API}track/", {"number": application.tracking_number, "code": "AAAAAAAAAA"})
    wrong_number = api.get(f"{API}track/", {"number": "GK2026XXXXXXXX", "code": application.access_code})
    assert wrong_code.status_code == wrong_number.status_code == 404
    assert wrong_code.content == wrong_number.content


def test_track_is_rate_limited(api, record, settings):
    settings.DISCLOSURE_TRACK_RATE = "3/m"
    application = record()
    codes = [
        api.get(f"{API}track/", {"number": application.tracking_number, "code": "WRONG"}).status_code for _ in range(4)
    ]
    assert codes == [404, 404, 404, 429]
    right = api.get(f"{API}track/", {"number": application.tracking_number, "code": application.access_code})
    assert right.status_code == 429


def test_guides_and_catalog_are_public(api, clerk, orgs, guide_fields):
    services.guide_publish(actor=clerk, agency=orgs["agency"], **guide_fields)
    services.catalog_entry_create(
        actor=clerk,
        agency=orgs["agency"],
        index_number="000014349/2026-00001",
        name="2026年公交线路调整方案",
        summary="全市公交线路调整",
        generated_on=date(2026, 3, 1),
        category="规划计划",
        link="https://example.org/a",
    )
    guides = api.get(f"{API}guides/").json()
    assert guides["results"][0]["office_name"] == guide_fields["office_name"]
    catalog = api.get(f"{API}catalog/", {"q": "公交"}).json()
    assert catalog["count"] == 1
    assert api.get(f"{API}catalog/", {"q": "地铁"}).json()["count"] == 0
    assert api.get(f"{API}catalog/", {"agency": str(orgs["other_agency"].uuid)}).json()["count"] == 0


def test_public_submission_is_listed_for_the_agency(api, clerk, orgs):
    services.application_submit_public(agency=orgs["agency"], **APPLICANT)
    api.force_authenticate(clerk)
    rows = api.get(f"{API}applications/", {"status": "submitted"}).json()
    assert rows["count"] == 1
    assert rows["results"][0]["reply_due_date"] is None


def test_the_schema_names_every_disclosure_path(api):
    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    paths = schema["paths"]
    for path in ["guides/", "catalog/", "applications/", "applications/{id}/", "track/"]:
        assert f"{API}{path}" in paths, path
    for action in ["correction_notice", "correction_received", "extend", "consult", "consultation_answered", "reply"]:
        assert f"{API}applications/{{id}}/{action}/" in paths, action
    reply = paths[f"{API}applications/{{id}}/reply/"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert reply["$ref"].endswith("/ReplyInput")
