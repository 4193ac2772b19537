"""The catalog and sharing API: registration with duplicate check, transitions, bulk, 404/403/409."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from resources.models import CatalogResource, SharingRequest
from resources.tests.conftest import TAXI_ITEMS

pytestmark = pytest.mark.django_db
CATALOG = "/api/v1/resources/catalog/"
SHARING = "/api/v1/resources/sharing-requests/"


@pytest.fixture
def api():
    return APIClient()


def payload(**overrides):
    return {
        "classification": "201",
        "name": "出租汽车运营数据",
        "summary": "全市巡游出租汽车每日运营情况。",
        "format": "database",
        "collection_basis": "《北京市出租汽车管理条例》",
        "share_type": "unconditional",
        "share_method": "interface",
        "open_attribute": "open",
        "update_cycle": "daily",
        "items": [{"name": i["name"], "data_type": i["data_type"]} for i in TAXI_ITEMS],
        **overrides,
    }


def test_it_registers_a_resource_and_inherits_item_share_types(api, clerk):
    api.force_authenticate(clerk)

    response = api.post(CATALOG, payload(), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft"
    assert [i["share_type"] for i in body["items"]] == ["unconditional"] * 5
    assert body["available_actions"] == ["submit", "retire"]


def test_it_answers_field_errors_in_chinese(api, clerk):
    api.force_authenticate(clerk)

    response = api.post(CATALOG, payload(share_type="conditional", classification="999", items=[]), format="json")

    assert response.status_code == 400
    names = {p["name"] for p in response.json()["invalid_params"]}
    assert {"classification", "items"} <= names


def test_it_answers_400_with_the_duplicates_without_a_justification(api, make_resource, clerk, other_clerk, orgs):
    original = make_resource(clerk)
    api.force_authenticate(other_clerk)

    response = api.post(CATALOG, payload(name="出租车台账"), format="json")

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "duplicate-collection"
    assert body["duplicates"][0]["resource"] == str(original.uuid)
    assert body["duplicates"][0]["provider"] == orgs["agency"].name
    assert "车牌号码" in body["duplicates"][0]["overlapping_items"]
    justified = api.post(
        CATALOG,
        payload(name="出租车台账", duplicate_justification="教育委需核验校车驾驶员，数据口径不同。"),
        format="json",
    )
    assert justified.status_code == 201


def test_it_runs_the_lifecycle_through_transitions(api, clerk, official):
    api.force_authenticate(clerk)
    resource_id = api.post(CATALOG, payload(), format="json").json()["id"]
    assert api.post(f"{CATALOG}{resource_id}/submit/").status_code == 200
    assert api.post(f"{CATALOG}{resource_id}/publish/", {}, format="json").status_code == 403

    api.force_authenticate(official)
    assert api.post(f"{CATALOG}{resource_id}/return/", {}, format="json").status_code == 400
    published = api.post(f"{CATALOG}{resource_id}/publish/", {"comment": "符合编制指南"}, format="json")

    assert published.status_code == 200
    assert published.json()["status"] == "published"
    assert published.json()["code"]
    again = api.post(f"{CATALOG}{resource_id}/publish/", {}, format="json")
    assert again.status_code == 409
    assert again.json()["code"] == "state-not-allowed"


def test_outsiders_get_404_for_drafts(api, make_resource, clerk, other_clerk):
    draft = make_resource(clerk, "draft")
    api.force_authenticate(other_clerk)

    assert api.get(f"{CATALOG}{draft.uuid}/").status_code == 404
    assert api.post(f"{CATALOG}{draft.uuid}/submit/").status_code == 404
    assert api.patch(f"{CATALOG}{draft.uuid}/", {"name": "x"}, format="json").status_code == 404


def test_search_finds_a_term_inside_a_longer_name(api, make_resource, clerk, other_clerk):
    make_resource(clerk)
    api.force_authenticate(other_clerk)

    body = api.get(CATALOG, {"q": "出租"}).json()

    assert [r["name"] for r in body["results"]] == ["出租汽车运营数据"]
    facets = api.get(f"{CATALOG}facets/", {"q": "出租"}).json()
    assert facets["facets"]["share_type"] == [{"key": "unconditional", "label": "无条件共享", "count": 1}]


def test_the_open_catalog_needs_no_login(api, make_resource, clerk):
    make_resource(clerk)

    response = api.get("/api/v1/resources/open-catalog/", {"q": "出租"})

    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_bulk_with_bad_rows_saves_nothing_and_lists_every_error(api, clerk):
    api.force_authenticate(clerk)
    rows = [payload(name=f"资源{i}") for i in range(3)]
    rows[1]["format"] = "papyrus"
    rows[2]["items"][0]["data_type"] = "Z"

    response = api.post(f"{CATALOG}bulk/", {"resources": rows}, format="json")

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {(e["row"], e["field"]) for e in errors} == {(2, "format"), (3, "items.0.data_type")}
    assert CatalogResource.objects.count() == 0


def test_bulk_refuses_a_nul_character_by_field_and_saves_nothing(api, clerk):
    """PostgreSQL keeps no NUL in text: each one is a field's error (the portal's rule for every text field,
    ``portal.validators``), not a failed COPY (a server error)."""
    from portal.validators import NoControlCharactersValidator

    api.force_authenticate(clerk)
    rows = [payload(name=f"资源{i}") for i in range(3)]
    rows[0]["summary"] = "摘要\x00"
    rows[1]["items"][0]["name"] = "姓\x00名"
    rows[2]["items"][0]["description"] = "\x00"
    rows[2]["duplicate_justification"] = "理由\x00"

    response = api.post(f"{CATALOG}bulk/", {"resources": rows}, format="json")

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {(e["row"], e["field"]) for e in errors} == {
        (1, "summary"),
        (2, "items.0.name"),
        (3, "items.0.description"),
        (3, "duplicate_justification"),
    }
    assert {e["message"] for e in errors} == {str(NoControlCharactersValidator.message)}
    assert CatalogResource.objects.count() == 0


def test_bulk_imports_json_and_csv(api, clerk):
    api.force_authenticate(clerk)
    response = api.post(f"{CATALOG}bulk/", {"resources": [payload(name=f"资源{i}") for i in range(3)]}, format="json")
    assert response.status_code == 201
    assert response.json()["created"] == 3

    header = (
        "ref,classification,name,summary,format,collection_basis,share_type,share_method,open_attribute,update_cycle\n"
    )
    resources = header + "r1,202,学校名录,全市中小学名录,database,教育法,unconditional,file,open,yearly\n"
    items = "resource_ref,name,data_type\nr1,学校名称,C\nr1,学校地址,C\n"
    response = api.post(
        f"{CATALOG}bulk/",
        {
            "resources": SimpleUploadedFile("r.csv", resources.encode("utf-8-sig"), content_type="text/csv"),
            "items": SimpleUploadedFile("i.csv", items.encode(), content_type="text/csv"),
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    school = CatalogResource.objects.get(name="学校名录")
    assert list(school.items.values_list("name", flat=True)) == ["学校名称", "学校地址"]


def _request(api, resource, requester):
    api.force_authenticate(requester)
    items = [str(i.uuid) for i in resource.items.order_by("position")[:2]]
    return api.post(
        SHARING,
        {
            "resource": str(resource.uuid),
            "items": items,
            "scope": "本委校车管理",
            "purpose": "核验校车驾驶员",
            "method": "interface",
            "period_end": (timezone.localdate() + timedelta(days=365)).isoformat(),
        },
        format="json",
    )


def test_an_unconditional_resource_cannot_be_refused(api, make_resource, clerk, other_clerk):
    resource = make_resource(clerk)
    created = _request(api, resource, other_clerk)
    assert created.status_code == 201, created.json()

    api.force_authenticate(clerk)
    response = api.post(f"{SHARING}{created.json()['id']}/refuse/", {"reason": "不想共享"}, format="json")

    assert response.status_code == 400
    assert response.json()["invalid_params"][0]["code"] == "unconditional-cannot-refuse"
    assert "无条件共享" in response.json()["invalid_params"][0]["reason"]


def test_sharing_negotiation_escalation_and_decision(api, make_resource, clerk, other_clerk, official):
    resource = make_resource(clerk, share_type="conditional", share_condition="仅用于行政管理", share_basis="条例")
    request_id = _request(api, resource, other_clerk).json()["id"]
    assert api.post(f"{SHARING}{request_id}/escalate/", {"reason": "急需"}, format="json").status_code == 409

    api.force_authenticate(clerk)
    first_item = str(resource.items.order_by("position").first().uuid)
    counter = api.post(
        f"{SHARING}{request_id}/counter/",
        {
            "items": [first_item],
            "method": "query",
            "period_end": str(timezone.localdate() + timedelta(days=90)),
            "reason": "仅提供车牌查询",
        },
        format="json",
    )
    assert counter.status_code == 200, counter.json()
    assert counter.json()["status"] == "countered"

    api.force_authenticate(other_clerk)
    escalated = api.post(f"{SHARING}{request_id}/escalate/", {"reason": "查询方式不能满足批量核验"}, format="json")
    assert escalated.status_code == 200
    assert api.post(f"{SHARING}{request_id}/decide/", {"grant": True, "reason": "x"}, format="json").status_code == 403

    api.force_authenticate(official)
    decided = api.post(f"{SHARING}{request_id}/decide/", {"grant": True, "reason": "按申请共享"}, format="json")
    assert decided.status_code == 200
    body = decided.json()
    assert body["status"] == "granted"
    assert [r["action"] for r in body["rounds"]] == ["request", "counter", "escalate", "decide_grant"]
    assert SharingRequest.objects.get(uuid=request_id).grant.by_decision


def test_outsiders_get_404_for_sharing_requests(api, make_resource, clerk, other_clerk, haidian_clerk):
    resource = make_resource(clerk)
    request_id = _request(api, resource, other_clerk).json()["id"]
    api.force_authenticate(haidian_clerk)

    assert api.get(f"{SHARING}{request_id}/").status_code == 404
    assert api.post(f"{SHARING}{request_id}/agree/", {}, format="json").status_code == 404


def test_bulk_reports_a_duplicate_row_without_justification(api, make_resource, clerk, other_clerk):
    original = make_resource(clerk)
    api.force_authenticate(other_clerk)
    rows = [payload(name="学校名录", items=[{"name": "学校名称", "data_type": "C"}]), payload(name="出租车台账")]

    response = api.post(f"{CATALOG}bulk/", {"resources": rows}, format="json")

    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert (error["row"], error["field"]) == (2, "duplicate_justification")
    assert error["duplicates"][0]["resource"] == str(original.uuid)
    assert CatalogResource.objects.count() == 1
