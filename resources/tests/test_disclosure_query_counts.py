"""Every disclosure list page and list endpoint issues the same number of queries for 3 rows as for 20.

Each test also checks the rows are really there, so it can fail.
"""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from portal.models import OrganizationKind, Sector
from resources.services import disclosure as services
from resources.tests.disclosure_fixtures import *  # noqa: F403
from resources.tests.disclosure_fixtures import APPLICANT

SIZES = [3, 20]
EXPECTED = {
    "index": 2,
    "catalog": 2,
    "agency": 4,
    "enterprises": 2,
    "reports": 2,
    "application-list": 7,
    "application-csv": 5,  # with the audit row of the download
    "supervision": 12,
    "api-guides": 2,
    "api-catalog": 2,
    "api-applications": 3,
}


def fresh(user):
    user.__dict__.pop("_portal_scope", None)
    return user


def agencies_with_guides(make_org, make_user, guide_fields, n):
    from portal.models import Role

    for i in range(n):
        agency = make_org(f"测试机关{i:02d}")
        clerk = make_user(f"guide_clerk{i:02d}", agency, Role.AGENCY_CLERK)
        services.guide_publish(actor=clerk, agency=agency, **guide_fields)


def catalog(clerk, agency, n):
    for i in range(n):
        services.catalog_entry_create(
            actor=clerk,
            agency=agency,
            index_number=f"IDX-{i:03d}",
            name=f"公交文件{i}",
            summary="s",
            generated_on=date(2026, 1, 1) + timedelta(days=i),
            category="政策文件",
            content="x",
        )


def applications(clerk, agency, n):
    for _ in range(n):
        services.application_record(
            actor=clerk, agency=agency, channel="in_person", received_on=date(2026, 9, 22), **APPLICANT
        )


@pytest.mark.parametrize("n", SIZES)
def test_public_lists(client, make_org, make_user, clerk, orgs, guide_fields, n, django_assert_num_queries):
    agencies_with_guides(make_org, make_user, guide_fields, n)
    catalog(clerk, orgs["agency"], n)
    for i in range(n):
        make_org(f"公共企业{i:02d}", kind=OrganizationKind.PUBLIC_ENTERPRISE, sector=Sector.GAS)
    with django_assert_num_queries(EXPECTED["index"]):
        response = client.get(reverse("disclosure:index"))
    assert len(response.context["page"].object_list) == n
    with django_assert_num_queries(EXPECTED["catalog"]):
        response = client.get(reverse("disclosure:catalog"), {"q": "公交"})
    assert len(response.context["page"].object_list) == n
    with django_assert_num_queries(EXPECTED["agency"]):
        response = client.get(reverse("disclosure:agency", args=[orgs["agency"].uuid]))
    assert len(response.context["page"].object_list) == n
    with django_assert_num_queries(EXPECTED["enterprises"]):
        response = client.get(reverse("disclosure:enterprises"))
    assert len(response.context["page"].object_list) == n


@pytest.mark.parametrize("n", SIZES)
def test_published_reports(client, make_org, make_user, n, django_assert_num_queries):
    from portal.models import Role

    for i in range(n):
        agency = make_org(f"报告机关{i:02d}")
        clerk = make_user(f"report_clerk{i:02d}", agency, Role.AGENCY_CLERK)
        manager = make_user(f"report_head{i:02d}", agency, Role.AGENCY_MANAGER)
        report = services.annual_report_generate(actor=clerk, agency=agency, year=2025)
        services.annual_report_review(report=report, actor=manager)
        services.annual_report_publish(report=report, actor=clerk)
    with django_assert_num_queries(EXPECTED["reports"]):
        response = client.get(reverse("disclosure:reports"))
    assert len(response.context["page"].object_list) == n


@pytest.mark.parametrize("n", SIZES)
def test_staff_application_list_and_export(client, clerk, orgs, n, django_assert_num_queries):
    applications(clerk, orgs["agency"], n)
    client.force_login(clerk)
    client.get(
        reverse("disclosure:application-list")
    )  # the first request renews the session (then at most once a minute)
    with django_assert_num_queries(EXPECTED["application-list"]):
        response = client.get(reverse("disclosure:application-list"))
    assert len(response.context["page"].object_list) == n
    with django_assert_num_queries(EXPECTED["application-csv"]):
        response = client.get(reverse("disclosure:application-list"), {"format": "csv"})
        text = b"".join(response.streaming_content).decode()
    assert text.count("\n") == n + 1


@pytest.mark.parametrize("n", SIZES)
def test_supervision(client, official, clerk, orgs, make_org, n, django_assert_num_queries):
    applications(clerk, orgs["agency"], n)
    for i in range(n):
        make_org(f"公共企业{i:02d}", kind=OrganizationKind.PUBLIC_ENTERPRISE, sector=Sector.GAS)
    client.force_login(official)
    with django_assert_num_queries(EXPECTED["supervision"]):
        response = client.get(reverse("disclosure:supervision"))
    assert len(response.context["late"]) == n
    assert len(response.context["enterprises"]) == n


@pytest.mark.parametrize("n", SIZES)
def test_api_lists(make_org, make_user, clerk, orgs, guide_fields, n, django_assert_num_queries):
    agencies_with_guides(make_org, make_user, guide_fields, n)
    catalog(clerk, orgs["agency"], n)
    applications(clerk, orgs["agency"], n)
    api = APIClient()
    with django_assert_num_queries(EXPECTED["api-guides"]):
        assert len(api.get("/api/v1/disclosure/guides/").json()["results"]) == n
    with django_assert_num_queries(EXPECTED["api-catalog"]):
        assert len(api.get("/api/v1/disclosure/catalog/").json()["results"]) == n
    api.force_authenticate(fresh(clerk))
    with django_assert_num_queries(EXPECTED["api-applications"]):
        assert len(api.get("/api/v1/disclosure/applications/").json()["results"]) == n
