"""Demo data in every state; exact query counts on every list page and list endpoint (two sizes)."""

import pytest
from django.urls import reverse

from enforcement import services
from enforcement.demo import seed_demo
from enforcement.models import Case, CaseStatus, Finding
from portal.demo import seed_demo as seed_core

SIZES = [2, 12]


def test_it_seeds_cases_in_every_state_idempotently(db):
    organizations = seed_core()
    seed_demo(organizations)
    count = Case.objects.count()
    seed_demo(organizations)
    assert Case.objects.count() == count
    assert set(Case.objects.values_list("status", flat=True)) == set(CaseStatus.values)
    assert Finding.objects.filter(status="open").exists()
    assert Case.objects.filter(published_at__isnull=False, withdrawn_at__isnull=True).exists()


@pytest.fixture
def many(make_violation, make_case, make_org):
    def build(n):
        for i in range(n):
            make_violation(f"违规承揽{i}", organization=make_org(f"承建单位{i}"))
        services.findings_detect(["art11-unqualified-contracting"])
        for _ in range(n):
            make_case("published")

    return build


EXPECTED = {
    "finding-list": 7,
    "case-list": 6,
    "dashboard": 8,
    "inspection-list": 6,  # with the form's choice of organizations
    "public-penalties": 3,
    "public-evaluations": 3,
    "api-findings": 5,
    "api-cases": 5,
    "api-decisions": 3,
}


@pytest.mark.parametrize("n", SIZES)
def test_pages_list_in_constant_queries(client, official, many, n, django_assert_num_queries):
    many(n)
    client.force_login(official)
    client.get(reverse("organization-list"))  # the first request renews the session (then at most once a minute)
    with django_assert_num_queries(EXPECTED["finding-list"]):
        response = client.get(reverse("enforcement:finding-list"))
    assert len(response.context["page"].object_list) == n
    with django_assert_num_queries(EXPECTED["case-list"]):
        response = client.get(reverse("enforcement:case-list"))
    assert len(response.context["page"].object_list) == n
    with django_assert_num_queries(EXPECTED["dashboard"]):
        assert client.get(reverse("enforcement:dashboard")).status_code == 200
    # Within the minute the area's figures (cases by state, fines, open findings) come from the cache.
    with django_assert_num_queries(EXPECTED["dashboard"] - 3):
        response = client.get(reverse("enforcement:dashboard"))
    assert 'data-testid="figures-taken-at"' in response.content.decode()
    with django_assert_num_queries(EXPECTED["inspection-list"]):
        assert client.get(reverse("enforcement:inspection-list")).status_code == 200
    client.logout()
    with django_assert_num_queries(EXPECTED["public-evaluations"]):
        assert client.get(reverse("public-evaluations")).status_code == 200
    with django_assert_num_queries(EXPECTED["public-penalties"]):
        response = client.get(reverse("public-penalties"))
    assert len(response.context["page"].object_list) == n


@pytest.mark.parametrize("n", SIZES)
def test_endpoints_list_in_constant_queries(client, official, many, n, django_assert_num_queries):
    many(n)
    client.force_login(official)
    client.get(reverse("enforcement:dashboard"))  # the first request renews the session (then at most once a minute)
    with django_assert_num_queries(EXPECTED["api-findings"]):
        assert len(client.get("/api/v1/enforcement/findings/").json()["results"]) == n
    with django_assert_num_queries(EXPECTED["api-cases"]):
        assert len(client.get("/api/v1/enforcement/cases/").json()["results"]) == n
    client.logout()
    with django_assert_num_queries(EXPECTED["api-decisions"]):
        assert len(client.get("/api/v1/enforcement/decisions/").json()["results"]) == n
