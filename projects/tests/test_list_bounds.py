"""Lists stay bounded: API sorting only on indexed columns with a unique tie-breaker, the registers paged,
the queue export without the queries of the screen it does not render."""

import csv
import io

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient
from rest_framework.viewsets import GenericViewSet

from projects import services
from projects.models import ProjectFiling
from projects.views.filings import PAGE_SIZE

from .test_query_counts import approve_all, domain_applications, network_applications

pytestmark = pytest.mark.django_db
API = "/api/v1/projects/"


@pytest.fixture
def api():
    return APIClient()


def _api_viewsets(patterns=None):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from _api_viewsets(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            cls = getattr(pattern.callback, "cls", None)
            if cls and issubclass(cls, GenericViewSet):
                yield cls


OURS = sorted(
    {cls for cls in _api_viewsets() if cls.__module__.startswith(("projects.api", "portal.api.deadlines"))},
    key=lambda cls: cls.__name__,
)


# Lists always filtered on a column by equality: an index (that column, field) serves the sort.
EQUALITY_SCOPED = {"notification": ["recipient"]}  # the caller's own notifications only


def _index_led_by(model, name: str) -> bool:
    field = model._meta.get_field(name)
    if field.unique or field.db_index:
        return True
    leads = [[name], [*EQUALITY_SCOPED.get(model._meta.model_name, []), name]]
    return any(
        [f.lstrip("-") for f in index.fields[: len(lead)]] == lead and not index.condition
        for index in model._meta.indexes
        for lead in leads
    )


def test_it_finds_the_viewsets_it_checks():
    names = {cls.__name__ for cls in OURS}
    assert {"FilingViewSet", "WebsiteViewSet", "DeadlineViewSet", "NotificationViewSet"} <= names
    assert len(names) >= 10


@pytest.mark.parametrize("viewset", OURS, ids=lambda cls: cls.__name__)
def test_it_lets_the_api_sort_only_by_indexed_columns_with_a_unique_last_default_key(viewset):
    model = viewset.serializer_class.Meta.model if viewset.serializer_class else None
    model = model or ProjectFiling
    assert isinstance(viewset.ordering_fields, list) and viewset.ordering_fields, viewset
    for name in viewset.ordering_fields:
        assert _index_led_by(model, name), f"{viewset.__name__}: ?ordering={name} has no index"
    assert viewset.ordering[-1].lstrip("-") == "id"


@pytest.mark.parametrize("ordering", ["title", "-government_investment", "description", "agency__name"])
def test_it_ignores_an_unlisted_filing_ordering_and_keeps_the_default_order(
    api, make_filing, clerk, official, ordering
):
    # Titles and amounts sort the opposite way from creation, so an honoured ordering would show.
    for i, title in enumerate(["甲项目", "乙项目", "丙项目"]):
        make_filing(clerk, "submitted", title=title, government_investment=100 * (i + 1))
    api.force_authenticate(official)
    default = [row["id"] for row in api.get(f"{API}filings/").json()["results"]]
    expected = [str(u) for u in ProjectFiling.objects.order_by("-created_at", "-id").values_list("uuid", flat=True)]
    assert default == expected
    response = api.get(f"{API}filings/", {"ordering": ordering})
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == default


def test_it_breaks_ties_of_an_allowed_ordering_by_id(api, make_filing, clerk, official):
    filings = [make_filing(clerk, "submitted", title=f"同日到期{i}") for i in range(4)]
    assert len({f.review_due_date for f in filings}) == 1  # all due the same day: only the id decides
    api.force_authenticate(official)
    for ordering, ids in (("review_due_date", "id"), ("-review_due_date", "-id")):
        got = [row["id"] for row in api.get(f"{API}filings/", {"ordering": ordering}).json()["results"]]
        assert got == [str(u) for u in ProjectFiling.objects.order_by(ordering, ids).values_list("uuid", flat=True)]


def test_it_uses_only_the_first_allowed_ordering_field(api, make_filing, clerk, official):
    for i in range(3):
        make_filing(clerk, "submitted", title=f"项目{i}")
    api.force_authenticate(official)
    two = api.get(f"{API}filings/", {"ordering": "created_at,review_due_date"}).json()["results"]
    one = api.get(f"{API}filings/", {"ordering": "created_at"}).json()["results"]
    assert [r["id"] for r in two] == [r["id"] for r in one]
    assert [r["id"] for r in one] == [
        str(u) for u in ProjectFiling.objects.order_by("created_at", "id").values_list("uuid", flat=True)
    ]


def test_it_ignores_an_unlisted_website_ordering(api, clerk, official, orgs):
    approve_all(domain_applications(clerk, orgs["agency"], 3), official)
    api.force_authenticate(official)
    names = [row["domain_name"] for row in api.get(f"{API}websites/", {"ordering": "-name"}).json()["results"]]
    assert names == sorted(names)
    desc = [row["domain_name"] for row in api.get(f"{API}websites/", {"ordering": "-domain_name"}).json()["results"]]
    assert desc == sorted(names, reverse=True)


# --- registers page ---------------------------------------------------------------------------


def test_it_pages_the_connected_systems_register(client, clerk, official, orgs):
    approve_all(network_applications(clerk, orgs["agency"], PAGE_SIZE + 2), official)
    client.force_login(official)
    first = client.get(reverse("projects:register-list"))
    assert first.status_code == 200
    assert len(first.context["page"].object_list) == PAGE_SIZE
    body = first.content.decode()
    assert 'data-testid="system-table"' in body and 'data-testid="website-table"' not in body
    assert "page=2" in body
    second = client.get(reverse("projects:register-list"), {"page": 2})
    assert second.status_code == 200
    assert len(second.context["page"].object_list) == 2
    shown = {s.pk for s in first.context["page"].object_list} | {s.pk for s in second.context["page"].object_list}
    assert len(shown) == PAGE_SIZE + 2


def test_it_pages_the_websites_register_and_keeps_the_tab_in_the_page_links(client, clerk, official, orgs):
    approve_all(domain_applications(clerk, orgs["agency"], PAGE_SIZE + 1), official)
    client.force_login(official)
    first = client.get(reverse("projects:register-list"), {"register": "websites"})
    body = first.content.decode()
    assert 'data-testid="website-table"' in body
    assert "?register=websites&page=2" in body
    second = client.get(reverse("projects:register-list"), {"register": "websites", "page": 2})
    assert [w.domain_name for w in second.context["page"].object_list] == [f"site{PAGE_SIZE:02d}.jtw.beijing.gov.cn"]


def test_it_shows_an_outsider_an_empty_register(client, clerk, official, orgs, chaoyang_clerk):
    approve_all(network_applications(clerk, orgs["agency"], 2), official)
    client.force_login(chaoyang_clerk)
    response = client.get(reverse("projects:register-list"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 0
    assert "暂无。" in response.content.decode()


def test_it_falls_back_to_the_systems_register_for_an_unknown_tab(client, official):
    client.force_login(official)
    assert client.get(reverse("projects:register-list"), {"register": "x"}).context["register"] == "systems"


# --- queue export ------------------------------------------------------------------------------


def test_it_exports_only_the_filings_of_the_chosen_reviewer(client, make_filing, clerk, official, reviewer):
    assigned = make_filing(clerk, "submitted", title="已分配项目")
    services.filing_start_review(filing=assigned, actor=official, reviewers=[reviewer])
    make_filing(clerk, "submitted", title="未分配项目")
    client.force_login(official)
    response = client.get(reverse("projects:filing-list"), {"export": "csv", "reviewer": str(reviewer.uuid)})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == ["已分配项目"]
    everything = client.get(reverse("projects:filing-list"), {"export": "csv"})
    assert len(list(csv.reader(io.StringIO(b"".join(everything.streaming_content).decode("utf-8-sig"))))) == 3


def test_a_clerks_filings_are_read_unit_by_unit_newest_first(api, make_filing, make_user, clerk, other_clerk, orgs):
    """An agency with a unit: ``agency_id = ANY(…)`` has no order, so PostgreSQL read and sorted all of the
    agency's filings for a page. Each unit's newest now come from filing_agency_created_idx, merged."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portal.models import Role
    from projects.selectors import filings_visible_to

    unit_clerk = make_user("unit_clerk", orgs["agency_unit"], Role.AGENCY_CLERK)
    own = [make_filing(clerk, title="委本级项目1"), make_filing(unit_clerk, title="信息中心项目1")]
    make_filing(other_clerk, title="教委项目")
    own += [make_filing(clerk, title="委本级项目2"), make_filing(unit_clerk, title="信息中心项目2")]
    clerk.__dict__.pop("_portal_scope", None)
    api.force_authenticate(clerk)

    with CaptureQueriesContext(connection) as captured:
        listed = api.get(f"{API}filings/").json()["results"]

    assert [row["title"] for row in listed] == [f.title for f in reversed(own)]
    assert any("CROSS JOIN LATERAL" in q["sql"] for q in captured.captured_queries)
    assert filings_visible_to(clerk).scope_ids == tuple(sorted((orgs["agency"].pk, orgs["agency_unit"].pk)))
