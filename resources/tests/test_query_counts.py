"""Every list page, list endpoint, search, export and the DCAT feed of the catalog issue the same number of
queries for 2 rows as for 6 (DESIGN.md "Scale it must hold"); each test also checks the rows are there."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from resources import services
from resources.tests.conftest import TAXI_ITEMS, item

pytestmark = pytest.mark.django_db
SIZES = [2, 6]
EXPECTED = {
    "api-catalog": 3,
    # + the planner's estimate (EXPLAIN), which picks the search's plan and is its count, and the table's id
    # span (where the newest search bucket is)
    "api-search": 5,
    "api-facets": 5,
    "api-open": 4,  # a search: with the EXPLAIN and the id span
    "api-sharing": 3,
    "api-grants": 4,
    "page-catalog": 10,  # the facets' count is the page's total (no count of its own)
    "page-search": 13,  # the EXPLAIN, the id span and the ranked window instead of a count
    "page-export": 6,  # with the audit row of the download
    "page-open": 5,
    "page-dcat": 2,
    "page-sharing": 8,
    "page-stale": 6,
    "page-duplicates": 6,
}


def fresh(user):
    user.__dict__.pop("_portal_scope", None)
    return user


def catalog(make_resource, clerk, n):
    return [make_resource(clerk, name=f"出租汽车运营数据{i}", items=[*TAXI_ITEMS, item(f"专项{i}")]) for i in range(n)]


def sharing(resources, requester, agency):
    return [
        services.sharing_request_create(
            actor=requester,
            requester=agency,
            resource=r,
            items=list(r.items.order_by("position")[:2]),
            scope="校车",
            purpose="核验",
            method="interface",
            period_end=timezone.localdate() + timedelta(days=100),
        )
        for r in resources
    ]


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize(
    ("name", "url", "params"),
    [
        ("api-catalog", "/api/v1/resources/catalog/", {}),
        ("api-search", "/api/v1/resources/catalog/", {"q": "出租"}),
        ("api-facets", "/api/v1/resources/catalog/facets/", {"q": "出租"}),
    ],
)
def test_the_catalog_api_answers_in_constant_queries(
    make_resource, clerk, other_clerk, n, name, url, params, django_assert_num_queries
):
    catalog(make_resource, clerk, n)
    api = APIClient()
    api.force_authenticate(fresh(other_clerk))
    with django_assert_num_queries(EXPECTED[name]):
        response = api.get(url, params)
    body = response.json()
    if name == "api-facets":
        assert body["facets"]["share_type"][0]["count"] == n
    else:
        assert body["count"] == n


@pytest.mark.parametrize("n", SIZES)
def test_the_open_catalog_api_answers_in_constant_queries(make_resource, clerk, n, django_assert_num_queries):
    catalog(make_resource, clerk, n)
    with django_assert_num_queries(EXPECTED["api-open"]):
        response = APIClient().get("/api/v1/resources/open-catalog/", {"q": "出租"})
    assert response.json()["count"] == n


@pytest.mark.parametrize("n", SIZES)
def test_sharing_and_grants_lists_answer_in_constant_queries(
    make_resource, clerk, other_clerk, orgs, n, django_assert_num_queries
):
    requests = sharing(catalog(make_resource, clerk, n), other_clerk, orgs["other_agency"])
    for request in requests:
        services.sharing_agree(request=request, actor=clerk)
    api = APIClient()
    api.force_authenticate(fresh(other_clerk))
    with django_assert_num_queries(EXPECTED["api-sharing"]):
        assert api.get("/api/v1/resources/sharing-requests/").json()["count"] == n
    api.force_authenticate(fresh(other_clerk))
    with django_assert_num_queries(EXPECTED["api-grants"]):
        body = api.get("/api/v1/resources/grants/").json()
    assert body["count"] == n
    assert len(body["results"][0]["items"]) == 2


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize(
    ("name", "params"),
    [("page-catalog", {}), ("page-search", {"q": "出租"}), ("page-export", {"q": "出租", "export": "csv"})],
)
def test_the_catalog_pages_answer_in_constant_queries(
    client, make_resource, clerk, other_clerk, n, name, params, django_assert_num_queries
):
    catalog(make_resource, clerk, n)
    client.force_login(other_clerk)
    client.get("/resources/catalog/")  # settle the session
    with django_assert_num_queries(EXPECTED[name]):
        response = client.get("/resources/catalog/", params)
    if name == "page-export":
        assert response.content.decode("utf-8-sig").count("出租汽车运营数据") == n
    else:
        assert len(response.context["page"].object_list) == n


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize(
    ("name", "url"), [("page-open", "/resources/open/"), ("page-dcat", "/resources/open/catalog.jsonld")]
)
def test_the_public_pages_answer_in_constant_queries(
    client, make_resource, clerk, n, name, url, django_assert_num_queries
):
    catalog(make_resource, clerk, n)
    with django_assert_num_queries(EXPECTED[name]):
        response = client.get(url)
    assert response.content.decode().count("出租汽车运营数据") >= n


@pytest.mark.parametrize("n", SIZES)
def test_the_sharing_page_answers_in_constant_queries(
    client, make_resource, clerk, other_clerk, orgs, n, django_assert_num_queries
):
    for request in sharing(catalog(make_resource, clerk, n), other_clerk, orgs["other_agency"]):
        services.sharing_agree(request=request, actor=clerk)
    client.force_login(other_clerk)
    client.get("/resources/sharing/")
    with django_assert_num_queries(EXPECTED["page-sharing"]):
        response = client.get("/resources/sharing/")
    assert len(response.context["page"].object_list) == n
    assert len(response.context["grants"]) == n


@pytest.mark.parametrize("n", SIZES)
def test_the_stale_and_duplicate_lists_answer_in_constant_queries(
    client, make_resource, clerk, other_clerk, official, orgs, n, django_assert_num_queries
):
    from resources.models import CatalogResource

    resources = catalog(make_resource, clerk, n)
    CatalogResource.objects.filter(pk__in=[r.pk for r in resources]).update(
        stale_after=timezone.localdate() - timedelta(days=1)
    )
    for i in range(n):
        services.resource_create(
            actor=other_clerk,
            provider=orgs["other_agency"],
            fields=__import__("resources.tests.conftest", fromlist=["fields"]).fields(name=f"校车台账{i}"),
            items=TAXI_ITEMS,
            duplicate_justification="校车数据须独立核验，口径不同。",
        )
    CatalogResource.objects.filter(provider=orgs["other_agency"]).update(status="submitted")
    client.force_login(official)
    client.get("/resources/catalog/stale/")
    with django_assert_num_queries(EXPECTED["page-stale"]):
        assert len(client.get("/resources/catalog/stale/").context["page"].object_list) == n
    with django_assert_num_queries(EXPECTED["page-duplicates"]):
        assert len(client.get("/resources/catalog/duplicates/").context["page"].object_list) == n


def test_an_officials_catalog_overview_counts_its_facets_once_a_minute(client, make_resource, clerk, official):
    """Browsing a whole area: the facets are an overview, counted at most once a minute (``portal.figures``)
    and dated on the page; chosen facets and searches are counted live."""
    catalog(make_resource, clerk, 3)
    client.force_login(official)
    with CaptureQueriesContext(connection) as first:
        client.get("/resources/catalog/")  # settles the session and counts the facets
    with CaptureQueriesContext(connection) as again:
        response = client.get("/resources/catalog/")
    facet_queries = [q for q in first.captured_queries if "GROUPING SETS" in q["sql"]]
    assert len(facet_queries) == 1 and not [q for q in again.captured_queries if "GROUPING SETS" in q["sql"]]
    assert 'data-testid="facets-taken-at"' in response.content.decode()
    assert {v.count for v in response.context["facets"].groups["share_type"]} == {3}
    for params in ({"share_type": "unconditional"}, {"q": "出租"}):
        with CaptureQueriesContext(connection) as live:
            response = client.get("/resources/catalog/", params)
        assert [q for q in live.captured_queries if "GROUPING SETS" in q["sql"]], params
        assert 'data-testid="facets-taken-at"' not in response.content.decode()


@pytest.mark.parametrize(("sample", "kept"), [(2, True), (3, False)])
def test_a_clerks_catalog_facets_are_kept_for_a_minute_only_past_their_sample(
    monkeypatch, client, make_resource, clerk, other_clerk, sample, kept
):
    """Past the sample a clerk's facets are the city's newest published resources, an overview like an
    official's; below it the page's total is their count, and a new draft must be in it at once."""
    from resources.selectors import search

    monkeypatch.setattr(search, "FACET_SAMPLE", sample)
    catalog(make_resource, clerk, 3)
    client.force_login(other_clerk)
    client.get("/resources/catalog/")  # settles the session and counts the facets
    with CaptureQueriesContext(connection) as again:
        response = client.get("/resources/catalog/")

    counted_again = [q for q in again.captured_queries if "GROUPING SETS" in q["sql"]]
    assert (not counted_again) is kept
    assert ('data-testid="facets-taken-at"' in response.content.decode()) is kept
