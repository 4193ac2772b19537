"""The filings API: scoped lists, drafts, transitions with 403/409, constant queries."""

import pytest
from rest_framework.test import APIClient

from projects import services

from .conftest import COMPLETE, checklist_all

pytestmark = pytest.mark.django_db
BASE = "/api/v1/projects/filings/"


@pytest.fixture
def api():
    return APIClient()


def test_it_lets_an_agency_create_and_edit_a_draft(api, clerk):
    api.force_authenticate(clerk)
    created = api.post(BASE, {"title": "接口创建的项目", "kind": "new"}, format="json")
    assert created.status_code == 201
    filing_id = created.json()["id"]
    assert created.json()["status"] == "draft"
    patched = api.patch(f"{BASE}{filing_id}/", {"needs": "需要接口"}, format="json")
    assert patched.status_code == 200
    assert patched.json()["needs"] == "需要接口"


def test_it_refuses_classified_projects(api, clerk):
    api.force_authenticate(clerk)
    response = api.post(BASE, {"title": "涉密", "kind": "new", "is_classified": True}, format="json")
    assert response.status_code == 400
    assert "保密" in response.json()["detail"]


def test_it_refuses_creation_by_officials(api, official):
    api.force_authenticate(official)
    assert api.post(BASE, {"title": "x", "kind": "new"}, format="json").status_code == 403


def test_it_hides_filings_from_another_agency(api, make_filing, clerk, other_clerk):
    filing = make_filing(clerk, "submitted")
    api.force_authenticate(other_clerk)
    assert api.get(f"{BASE}{filing.uuid}/").status_code == 404
    assert api.post(f"{BASE}{filing.uuid}/submit/").status_code == 404
    assert api.get(BASE).json()["count"] == 0


def test_it_answers_409_for_a_transition_not_allowed_now(api, make_filing, clerk, official):
    filing = make_filing(clerk, "submitted")
    api.force_authenticate(official)
    response = api.post(f"{BASE}{filing.uuid}/approve/", {}, format="json")
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"


def test_it_answers_403_when_the_user_may_not_act(api, make_filing, clerk):
    filing = make_filing(clerk, "in_review")
    api.force_authenticate(clerk)
    assert api.post(f"{BASE}{filing.uuid}/approve/", {}, format="json").status_code == 403


def test_it_runs_the_whole_review_through_the_api(api, make_filing, clerk, official):
    filing = make_filing(clerk, "draft")
    api.force_authenticate(clerk)
    assert api.post(f"{BASE}{filing.uuid}/submit/").json()["status"] == "submitted"
    api.force_authenticate(official)
    detail = api.get(f"{BASE}{filing.uuid}/").json()
    assert detail["available_actions"] == ["start_review", "return"]
    # Accepting without a reviewer is an explicit choice, not what an empty body means.
    refused = api.post(f"{BASE}{filing.uuid}/start_review/", {}, format="json")
    assert refused.status_code == 400
    started = api.post(f"{BASE}{filing.uuid}/start_review/", {"self_review": True}, format="json")
    assert started.json()["status"] == "in_review"
    checklist_all(filing, official)
    approved = api.post(f"{BASE}{filing.uuid}/approve_with_conditions/", {"conditions": "接入市政务云"}, format="json")
    assert approved.status_code == 200
    assert approved.json()["opinion_number"].startswith("京经信审")


def test_it_refuses_operation_before_acceptance(api, make_filing, clerk):
    filing = make_filing(clerk, "under_construction")
    api.force_authenticate(clerk)
    assert api.post(f"{BASE}{filing.uuid}/start_operation/", {}, format="json").status_code == 409


def test_it_refuses_a_short_warranty(api, make_filing, clerk):
    from datetime import date, timedelta

    filing = make_filing(clerk, "acceptance_requested")
    api.force_authenticate(clerk)
    response = api.post(
        f"{BASE}{filing.uuid}/record_acceptance/",
        {
            "passed": True,
            "held_on": date.today().isoformat(),
            "participants": "各方",
            "authority_invited": True,
            "warranty_end": (date.today() + timedelta(days=365)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 400
    assert any(p["name"] == "warranty_end" for p in response.json()["invalid_params"])


def test_it_filters_by_status_and_district(api, make_filing, clerk, haidian_clerk, official):
    make_filing(clerk, "submitted")
    make_filing(haidian_clerk, "submitted")
    api.force_authenticate(official)
    assert api.get(BASE, {"district": "110108"}).json()["count"] == 1
    assert api.get(BASE, {"status": "in_review"}).json()["count"] == 0


def test_it_keeps_the_liaison_out_of_the_api(api, make_filing, clerk, drc_liaison):
    filing = make_filing(clerk, "approved")
    api.force_authenticate(drc_liaison)
    assert api.get(f"{BASE}{filing.uuid}/").status_code == 404


@pytest.mark.parametrize("count", [3, 20])
def test_it_lists_in_constant_queries(api, make_filing, clerk, count, django_assert_num_queries):
    for _ in range(count):
        make_filing(clerk, "submitted")
    clerk.__dict__.pop("_portal_scope", None)  # as in a fresh request
    api.force_authenticate(clerk)
    # scope (memberships), count, rows.
    with django_assert_num_queries(3):
        response = api.get(BASE)
    assert response.json()["count"] == count


def test_it_creates_and_decides_network_applications(api, clerk, official):
    api.force_authenticate(clerk)
    created = api.post(
        "/api/v1/projects/network-applications/",
        {
            "system_name": "交通执法业务系统",
            "purpose": "执法办案",
            "internet_unsuitable_reason": "涉及执法敏感数据",
            "security_level": 3,
        },
        format="json",
    )
    assert created.status_code == 201
    app_id = created.json()["id"]
    assert api.post(f"/api/v1/projects/network-applications/{app_id}/submit/").status_code == 200
    assert api.post(f"/api/v1/projects/network-applications/{app_id}/approve/").status_code == 403
    api.force_authenticate(official)
    assert api.post(f"/api/v1/projects/network-applications/{app_id}/approve/").json()["status"] == "approved"
    assert api.post(f"/api/v1/projects/network-applications/{app_id}/refuse/", {"reason": "x"}).status_code == 409
    assert api.get("/api/v1/projects/connected-systems/").json()["count"] == 1


def test_it_keeps_compliance_findings_for_officials(api, make_filing, clerk, official, contractor):
    from datetime import date

    filing = make_filing(clerk, "under_construction")
    # A contract taken on without the qualification (Art. 43); a mere refused pick records nothing.
    services.filing_contract_record(
        filing=filing, actor=clerk, contractor=contractor, role="construction", signed_on=date.today()
    )
    api.force_authenticate(clerk)
    assert api.get("/api/v1/projects/findings/").json()["count"] == 0
    api.force_authenticate(official)
    assert api.get("/api/v1/projects/findings/").json()["results"][0]["sanction_article"] == 43


def test_it_has_complete_fixture_data():
    assert COMPLETE["kind"] == "new"


def _submitted_network_application(api, clerk):
    api.force_authenticate(clerk)
    created = api.post(
        "/api/v1/projects/network-applications/",
        {"system_name": "执法系统", "purpose": "执法", "internet_unsuitable_reason": "敏感", "security_level": 3},
        format="json",
    )
    app_id = created.json()["id"]
    assert api.post(f"/api/v1/projects/network-applications/{app_id}/submit/").status_code == 200
    return app_id


@pytest.mark.parametrize("body", [[], 0, False, "x"])
@pytest.mark.parametrize("action", ["approve", "refuse"])
def test_a_body_that_is_not_an_object_is_a_400_never_a_500(api, clerk, other_clerk, official, body, action):
    # Issue 8, defect 2: the body was read before the lookup and the permission check.
    app_id = _submitted_network_application(api, clerk)
    url = f"/api/v1/projects/network-applications/{app_id}/{action}/"
    api.force_authenticate(other_clerk)
    assert api.post(url, body, format="json").status_code == 404  # not visible: nothing read first
    api.force_authenticate(official)
    response = api.post(url, body, format="json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")


def test_a_reference_longer_than_the_column_is_a_field_error(api, make_filing, clerk):
    # Issue 8, defect 3: the model's limit (60) is the API's limit, with the field named.
    filing = make_filing(clerk, "approved")
    api.force_authenticate(clerk)
    response = api.post(
        f"{BASE}{filing.uuid}/record_approval/",
        {"reference": "京发改" * 30, "approval_date": "2026-11-02"},
        format="json",
    )
    assert response.status_code == 400
    assert [p["name"] for p in response.json()["invalid_params"]] == ["reference"]
    filing.refresh_from_db()
    assert filing.approval_reference == ""


def test_a_drafts_title_never_reaches_a_finding(api, make_filing, clerk, official, contractor):
    # Issue 8, defect 7: a finding names its project to city staff, so it may only arise on a filing they see.
    from datetime import date

    from portal.workflow import Refused

    draft = make_filing(clerk, "draft", title="尚未报送的草稿项目")
    with pytest.raises(Refused):
        services.filing_contract_record(
            filing=draft, actor=clerk, contractor=contractor, role="construction", signed_on=date.today()
        )
    api.force_authenticate(official)
    findings = api.get("/api/v1/projects/findings/")
    assert findings.json()["count"] == 0
    assert "尚未报送的草稿项目" not in findings.content.decode()


def test_a_plan_item_is_never_tied_to_a_draft(client, make_filing, make_city_plan, clerk, other_clerk, official, orgs):
    # Issue 8, defect 7: annual plans are read by every signed-in user; a draft stays the agency's own.
    from django.core.exceptions import ValidationError

    plan = make_city_plan()
    item = services.annual_plan_item_add(
        plan=plan, actor=official, title="交通调度平台", agency=orgs["agency"], kind="new", budget=100
    )
    draft = make_filing(clerk, "draft", title="尚未报送的草稿项目")
    with pytest.raises(ValidationError) as error:
        services.annual_plan_item_link(item=item, actor=official, filing=draft)
    assert "filing" in error.value.message_dict
    submitted = make_filing(clerk, "submitted", title="已报送的调度项目")
    services.annual_plan_item_link(item=item, actor=official, filing=submitted)
    client.force_login(other_clerk)
    page = client.get(f"/projects/plans/{plan.uuid}/").content.decode()
    assert "交通调度平台" in page
    assert "尚未报送的草稿项目" not in page and "已报送的调度项目" not in page
