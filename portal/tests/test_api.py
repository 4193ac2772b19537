"""REST API: token flow, pagination, problem+json, schema and offline docs, scoped filters."""

import uuid

import pytest

from portal.demo import DEMO_PASSWORD
from portal.models import District, Level, OrganizationKind

pytestmark = pytest.mark.django_db

ORGS = "/api/v1/organizations/"
TOKEN = "/api/v1/auth/token/"


def token_for(client, username):
    response = client.post(TOKEN, {"username": username, "password": DEMO_PASSWORD}, content_type="application/json")
    assert response.status_code == 200
    return response.json()["token"]


def test_it_exchanges_a_password_for_a_token_and_accepts_it(client, clerk, orgs):
    token = token_for(client, "clerk")
    assert token_for(client, "clerk") == token  # same token on the next call
    response = client.get(ORGS, HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200
    assert {row["name"] for row in response.json()["results"]} == {"北京市交通委员会", "北京市交通委员会信息中心"}


def test_it_refuses_a_wrong_password_for_a_token(client, clerk):
    response = client.post(TOKEN, {"username": "clerk", "password": "nope"}, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "token" not in response.json()


def test_it_refuses_a_bad_token_with_401(client, orgs):
    response = client.get(ORGS, HTTP_AUTHORIZATION="Token not-a-token")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_it_refuses_the_public_with_401_problem(client, orgs):
    response = client.get(ORGS)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 401
    assert set(body) == {"type", "title", "status", "detail"}


def test_it_reports_invalid_params_per_field_on_400(client):
    response = client.post(TOKEN, {"username": ""}, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "about:blank"
    assert body["status"] == 400
    assert body["title"] and body["detail"]
    names = {param["name"] for param in body["invalid_params"]}
    assert names == {"username", "password"}
    assert all(param["reason"] for param in body["invalid_params"])


def test_it_returns_404_problem_for_an_unknown_organization(client, official):
    client.force_login(official)
    for ident in (uuid.uuid4(), "not-a-uuid"):
        response = client.get(f"{ORGS}{ident}/")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["status"] == 404


def test_it_returns_an_organization_by_uuid(client, official, orgs):
    client.force_login(official)
    response = client.get(f"{ORGS}{orgs['agency_unit'].uuid}/")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(orgs["agency_unit"].uuid)
    assert body["parent"] == str(orgs["agency"].uuid)
    assert "pk" not in body


def test_it_paginates_with_count_next_previous_results(client, official, orgs):
    client.force_login(official)
    body = client.get(ORGS, {"page_size": 3}).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 7
    assert len(body["results"]) == 3
    assert body["previous"] is None
    assert "page=2" in body["next"]
    last = client.get(ORGS, {"page_size": 3, "page": 3}).json()
    assert len(last["results"]) == 1
    assert last["next"] is None


def test_it_filters_by_kind(client, official, orgs):
    client.force_login(official)
    body = client.get(ORGS, {"kind": OrganizationKind.AUTHORITY}).json()
    assert {row["name"] for row in body["results"]} == {"北京市经济和信息化局", "海淀区经济和信息化局"}


def test_it_filters_by_district(client, official, orgs):
    client.force_login(official)
    body = client.get(ORGS, {"district": District.CHAOYANG}).json()
    assert [row["name"] for row in body["results"]] == ["朝阳区卫生健康委员会"]


def test_it_suggests_organizations_by_part_of_their_name_within_the_scope(client, official, district_official, orgs):
    client.force_login(official)
    body = client.get(ORGS, {"q": "经济和信息化", "ordering": "name", "page_size": 10}).json()
    assert [row["name"] for row in body["results"]] == ["北京市经济和信息化局", "海淀区经济和信息化局"]
    client.force_login(district_official)
    assert [row["name"] for row in client.get(ORGS, {"q": "北京市"}).json()["results"]] == []


def test_it_filters_within_the_scope_only(client, district_official, orgs):
    client.force_login(district_official)
    assert client.get(ORGS, {"district": District.CHAOYANG}).json()["count"] == 0
    assert client.get(ORGS, {"level": Level.DISTRICT}).json()["count"] == 2


def test_it_rejects_an_unknown_filter_value_as_a_400_problem(client, official, orgs):
    client.force_login(official)
    response = client.get(ORGS, {"kind": "spaceship"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["invalid_params"][0]["name"] == "kind"


def test_it_is_read_only(client, official, orgs):
    client.force_login(official)
    response = client.post(ORGS, {"name": "x"}, content_type="application/json")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("n", [3, 30])
def test_it_lists_with_a_token_in_a_fixed_number_of_queries(client, clerk, make_org, django_assert_num_queries, n):
    for index in range(n):
        make_org(f"交通下级{index}", parent=clerk.memberships.get().organization)
    token = token_for(client, "clerk")
    # token + user, scope (memberships), count, page (with parents)
    with django_assert_num_queries(4):
        response = client.get(ORGS, HTTP_AUTHORIZATION=f"Token {token}")
    assert response.json()["count"] == n + 2


def test_it_publishes_the_openapi_schema_with_the_organizations_path(client):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert "/api/v1/organizations/" in schema["paths"]
    assert "/api/v1/organizations/{id}/" in schema["paths"]
    assert "/api/v1/auth/token/" in schema["paths"]


def test_it_serves_the_docs_ui_offline_from_static(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in page
    for cdn in ("cdn.jsdelivr.net", "unpkg.com", "cdnjs.cloudflare.com"):
        assert cdn not in page
