"""The Chapter 5 API: gradings computing the level, transitions 403/404/409, bulk all-or-nothing, outsiders."""

import pytest
from rest_framework.test import APIClient

from security.models import GradingFiling, InformationSystem

from .conftest import answers

pytestmark = pytest.mark.django_db
API = "/api/v1/security/"


@pytest.fixture
def api():
    return APIClient()


def test_it_computes_the_level_on_post(api, clerk, make_system):
    system = make_system(clerk)
    api.force_authenticate(clerk)
    body = {"system": str(system.uuid), **answers(2, 3)}
    response = api.post(f"{API}gradings/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["level"] == 3
    assert response.json()["business_level"] == 2


def test_a_contradicting_level_is_a_400_naming_the_field(api, clerk, make_system):
    system = make_system(clerk)
    api.force_authenticate(clerk)
    response = api.post(f"{API}gradings/", {"system": str(system.uuid), **answers(3), "level": 2}, format="json")
    assert response.status_code == 400
    params = response.json()["invalid_params"]
    assert params[0]["name"] == "level"
    assert params[0]["code"] == "level-contradicts-matrix"
    assert not GradingFiling.objects.exists()


def test_an_unsupported_level_is_refused(api, clerk, make_system):
    system = make_system(clerk)
    api.force_authenticate(clerk)
    response = api.post(f"{API}gradings/", {"system": str(system.uuid), **answers(3), "level": 7}, format="json")
    assert response.status_code == 400
    assert response.json()["invalid_params"][0]["name"] == "level"


def test_transitions_answer_200_403_409(api, clerk, official, make_grading):
    grading = make_grading(clerk, level=3)
    api.force_authenticate(clerk)
    assert api.post(f"{API}gradings/{grading.uuid}/submit/", {}, format="json").status_code == 200
    assert api.post(f"{API}gradings/{grading.uuid}/approve/", {}, format="json").status_code == 403
    api.force_authenticate(official)
    returned = api.post(f"{API}gradings/{grading.uuid}/return/", {}, format="json")
    assert returned.status_code == 400
    assert returned.json()["invalid_params"][0]["name"] == "comment"
    approved = api.post(f"{API}gradings/{grading.uuid}/approve/", {"comment": "同意"}, format="json")
    assert approved.status_code == 200
    assert approved.json()["filing_number"]
    again = api.post(f"{API}gradings/{grading.uuid}/approve/", {}, format="json")
    assert again.status_code == 409
    assert again.json()["code"] == "state-not-allowed"


def test_outsiders_get_404(api, clerk, other_clerk, make_grading):
    grading = make_grading(clerk, level=3, state="submitted")
    api.force_authenticate(other_clerk)
    assert api.get(f"{API}systems/{grading.system.uuid}/").status_code == 404
    assert api.get(f"{API}gradings/{grading.uuid}/").status_code == 404
    assert api.post(f"{API}gradings/{grading.uuid}/submit/", {}, format="json").status_code == 404
    assert api.get(f"{API}systems/").json()["count"] == 0
    body = {"system": str(grading.system.uuid), **answers(3)}
    assert api.post(f"{API}gradings/", body, format="json").status_code == 404


def test_drafts_stay_with_the_operator(api, clerk, official, make_grading):
    grading = make_grading(clerk, level=3)
    api.force_authenticate(official)
    assert api.get(f"{API}gradings/{grading.uuid}/").status_code == 404
    assert api.get(f"{API}systems/{grading.system.uuid}/").status_code == 200


def _row(name, level=3, **extra):
    return {
        "name": name,
        "builder": "北京华信",
        "purpose": "办公",
        "users_served": "本单位",
        "network": "egov",
        **answers(level),
        **({"expert_reviewed_on": "2026-01-05", "expert_opinion": "同意"} if level >= 2 else {}),
        **extra,
    }


def test_bulk_saves_every_row(api, clerk):
    api.force_authenticate(clerk)
    response = api.post(f"{API}systems/bulk/", {"rows": [_row("系统甲"), _row("系统乙", 1)]}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["created"] == 2
    assert sorted(InformationSystem.objects.values_list("level", flat=True)) == [1, 3]


def test_bulk_with_a_bad_row_saves_nothing_and_reports_every_bad_row(api, clerk):
    api.force_authenticate(clerk)
    rows = [_row("系统甲"), _row("系统乙", level=3, business_harm_degree="catastrophic"), _row("系统丙", level=3)]
    rows[2]["level"] = 2  # contradicts the answers (a service check)
    response = api.post(f"{API}systems/bulk/", {"rows": rows}, format="json")
    assert response.status_code == 400
    assert [r["row"] for r in response.json()["rows"]] == [2]  # shape errors first, nothing reaches the services
    assert not InformationSystem.objects.exists()
    rows[1] = _row("系统乙")
    response = api.post(f"{API}systems/bulk/", {"rows": rows}, format="json")
    assert response.status_code == 400
    assert response.json()["rows"] == [
        {"row": 3, "errors": {"level": [response.json()["rows"][0]["errors"]["level"][0]]}}
    ]
    assert "第3级" in response.json()["rows"][0]["errors"]["level"][0]
    assert not InformationSystem.objects.exists()
    assert not GradingFiling.objects.exists()


def test_bulk_accepts_csv(api, clerk):
    api.force_authenticate(clerk)
    header = (
        "name,builder,purpose,users_served,network,"
        "business_harm_object,business_harm_degree,service_harm_object,service_harm_degree"
    )
    body = (
        f"{header}\n系统甲,华信,办公,本单位,egov,citizen,general,citizen,general\n"
        "系统乙,华信,办公,本单位,moon,citizen,general,citizen,general\n"
    )
    response = api.post(f"{API}systems/bulk/", body.encode(), content_type="text/csv")
    assert response.status_code == 400
    assert response.json()["rows"][0]["row"] == 2
    assert not InformationSystem.objects.exists()
    ok = body.replace("moon", "internet")
    assert api.post(f"{API}systems/bulk/", ok.encode(), content_type="text/csv").status_code == 201
    assert InformationSystem.objects.count() == 2


def test_incidents_and_bulletins_over_the_api(api, clerk, official, orgs):
    api.force_authenticate(clerk)
    response = api.post(
        f"{API}incidents/",
        {
            "title": "DDoS",
            "level": "major",
            "occurred_at": "2026-01-01T08:00:00+08:00",
            "discovered_at": "2026-01-01T08:10:00+08:00",
            "description": "流量攻击",
            "measures": "清洗",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["is_late"] is True
    api.force_authenticate(official)
    assert api.get(f"{API}incidents/?late=true").json()["count"] == 1
    bulletin = api.post(
        f"{API}bulletins/", {"kind": "notice", "title": "通报", "body": "内容", "to_all": True}, format="json"
    )
    assert bulletin.status_code == 201, bulletin.json()
    api.force_authenticate(clerk)
    ack = api.post(f"{API}bulletins/{bulletin.json()['id']}/acknowledge/", {}, format="json")
    assert ack.status_code == 200


def test_a_bulletin_answers_with_its_counts_wherever_it_is_returned(api, clerk, official, orgs):
    # The schema requires recipient_count and pending_count (read-only) on every bulletin; the list
    # annotated them, the detail, the issue and the acknowledgement answered without them (issue 8).
    api.force_authenticate(official)
    issued = api.post(
        f"{API}bulletins/", {"kind": "notice", "title": "通报", "body": "内容", "to_all": True}, format="json"
    )
    assert issued.status_code == 201, issued.json()
    recipients = issued.json()["recipient_count"]
    assert recipients >= 1
    assert issued.json()["pending_count"] == recipients
    detail = api.get(f"{API}bulletins/{issued.json()['id']}/").json()
    assert (detail["recipient_count"], detail["pending_count"]) == (recipients, recipients)
    api.force_authenticate(clerk)
    ack = api.post(f"{API}bulletins/{issued.json()['id']}/acknowledge/", {}, format="json")
    assert ack.status_code == 200, ack.json()
    assert (ack.json()["recipient_count"], ack.json()["pending_count"]) == (recipients, recipients - 1)
