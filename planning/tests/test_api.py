"""API of plans and standards: public reads, staff writes through the services, transitions with their codes."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from planning.models import PlanStatus, Standard

pytestmark = pytest.mark.django_db
PLANS = "/api/v1/portal/plans/"
STANDARDS = "/api/v1/portal/standards/"


@pytest.fixture
def api():
    return APIClient()


def test_anonymous_reads_published_plans_only(api, make_district_plan, city_plan):
    make_district_plan("in_review", title="审核中")
    published = make_district_plan("published", title="已公布")

    body = api.get(PLANS).json()

    assert {row["title"] for row in body["results"]} == {city_plan.title, published.title}
    assert api.get(f"{PLANS}{published.uuid}/").status_code == 200


def test_anonymous_gets_404_for_an_unpublished_plan_and_401_for_writes(api, make_district_plan):
    plan = make_district_plan("in_review")

    assert api.get(f"{PLANS}{plan.uuid}/").status_code == 404
    assert api.post(f"{PLANS}{plan.uuid}/confirm_conformity/", {"opinion": "x"}, format="json").status_code == 401


def test_official_reviews_through_the_api(api, make_district_plan, official):
    plan = make_district_plan("in_review")
    api.force_authenticate(official)

    missing = api.post(f"{PLANS}{plan.uuid}/confirm_conformity/", {}, format="json")
    done = api.post(f"{PLANS}{plan.uuid}/confirm_conformity/", {"opinion": "符合。"}, format="json")
    again = api.post(f"{PLANS}{plan.uuid}/confirm_conformity/", {"opinion": "再次"}, format="json")

    assert missing.status_code == 400 and missing.json()["invalid_params"][0]["name"] == "opinion"
    assert done.status_code == 200 and done.json()["status"] == PlanStatus.REVIEWED
    assert again.status_code == 409 and again.json()["code"] == "state-not-allowed"


def test_district_official_gets_403_reviewing_and_outsider_404(api, make_district_plan, district_official, other_clerk):
    plan = make_district_plan("in_review")

    api.force_authenticate(district_official)
    assert api.post(f"{PLANS}{plan.uuid}/confirm_conformity/", {"opinion": "x"}, format="json").status_code == 403
    api.force_authenticate(other_clerk)
    assert api.post(f"{PLANS}{plan.uuid}/confirm_conformity/", {"opinion": "x"}, format="json").status_code == 404


def test_district_official_creates_and_submits_a_plan(api, district_official, orgs, city_plan):
    api.force_authenticate(district_official)

    created = api.post(
        PLANS,
        {
            "kind": "district",
            "organization": str(orgs["haidian_authority"].uuid),
            "title": "海淀区规划",
            "period_start": 2026,
            "period_end": 2030,
            "conforms_to": str(city_plan.uuid),
        },
        format="json",
    )
    submitted = api.post(f"{PLANS}{created.json()['id']}/submit_for_review/", {}, format="json")

    assert created.status_code == 201
    assert submitted.status_code == 409 and submitted.json()["code"] == "plan-without-version"


def test_anonymous_searches_the_standards(api, standards):
    body = api.get(STANDARDS, {"q": "定级", "status": "current"}).json()

    assert [row["code"] for row in body["results"]] == ["GB/T 22240-2020"]


def test_authority_registers_and_withdraws_a_standard(api, official, clerk, standards):
    api.force_authenticate(clerk)
    assert (
        api.post(STANDARDS, {"code": "GB/T 9704-2012", "title": "x", "effective_on": "2012-07-01"}).status_code == 403
    )

    api.force_authenticate(official)
    created = api.post(STANDARDS, {"code": "gb/t 9704-2012", "title": "党政机关公文格式", "effective_on": "2012-07-01"})
    withdrawn = api.post(
        f"{STANDARDS}{standards['current'].uuid}/withdraw/",
        {"withdrawn_on": "2025-06-01", "replaced_by": "GB/T 9704-2012"},
        format="json",
    )
    unknown = api.post(
        f"{STANDARDS}{standards['local'].uuid}/withdraw/",
        {"withdrawn_on": "2025-06-01", "replaced_by": "GB/T 1-2099"},
        format="json",
    )

    assert created.status_code == 201 and created.json()["code"] == "GB/T 9704-2012"
    assert withdrawn.status_code == 200 and withdrawn.json()["replaced_by"] == "GB/T 9704-2012"
    assert unknown.status_code == 400
    assert Standard.objects.get(code="DB11/T 1918-2021").withdrawn_on is None
    assert date(2025, 6, 1) == Standard.objects.get(code="GB/T 22239-2019").withdrawn_on
