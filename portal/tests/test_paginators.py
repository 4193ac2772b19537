"""Lists cost what a page shows: capped counts on pages and API lists, keyset pages in the API."""

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.models import Organization
from portal.paginators import CappedPaginator, filter_any

pytestmark = pytest.mark.django_db

ORGS = "/api/v1/organizations/"


@pytest.fixture
def capped(monkeypatch):
    monkeypatch.setattr(CappedPaginator, "count_cap", 5)


def test_it_counts_at_most_the_cap_and_says_so(orgs, capped, django_assert_num_queries):
    paginator = CappedPaginator(Organization.objects.order_by("id"), 2)
    with django_assert_num_queries(1):
        assert paginator.count == 6  # 7 rows, counted up to cap + 1
    assert paginator.capped
    assert paginator.count_display == "5+"
    assert [o.pk for o in paginator.page(2)] == list(Organization.objects.order_by("id").values_list("pk", flat=True))[
        2:4
    ]


def test_a_page_past_the_cap_on_which_the_list_ends_counts_exactly(orgs, capped):
    paginator = CappedPaginator(Organization.objects.order_by("id"), 2)
    page = paginator.page(4)  # rows 7-8: past the 5 counted
    assert paginator.count == 7
    assert not paginator.capped
    assert len(page) == 1
    assert not page.has_next()


def test_a_page_past_the_cap_counts_to_its_own_end_and_one_row_more(orgs, capped):
    """Not the rest of the list: page 6 of one row each counts 7 rows, which says a 7th page follows."""
    ids = list(Organization.objects.order_by("id").values_list("pk", flat=True))
    assert len(ids) == 7
    paginator = CappedPaginator(Organization.objects.order_by("id"), 1)
    with CaptureQueriesContext(connection) as captured:
        page = paginator.page(6)  # row 6: past the 5 counted
    counts = [query["sql"] for query in captured.captured_queries if "COUNT(*)" in query["sql"].upper()]
    # one count, to the page's end and one row more: not first to the cap, not on to the list's end
    assert [sql.split("LIMIT")[-1].split(")")[0].strip() for sql in counts] == ["7"]
    assert [o.pk for o in page] == ids[5:6]
    assert page.has_next()
    assert paginator.capped and paginator.count_display == "5+" and paginator.num_pages_display == "6+"


def test_it_shows_an_exact_total_under_the_cap(orgs):
    paginator = CappedPaginator(Organization.objects.all(), 2)
    assert paginator.count == 7
    assert not paginator.capped
    assert paginator.count_display == "7"


def test_the_organization_page_uses_the_capped_count(client, official, make_org, monkeypatch):
    # Two pages of 50 counted: the first page's link to the second needs no count past them.
    monkeypatch.setattr(CappedPaginator, "count_cap", 100)
    for n in range(100):
        make_org(f"测试单位{n:03d}")
    client.force_login(official)
    response = client.get(reverse("organization-list"))
    assert response.status_code == 200
    paginator = response.context["page"].paginator
    assert paginator.count == 101 and paginator.capped  # 107 organizations
    assert paginator.count_display == "100+"
    assert "共 100+ 条" in response.content.decode()


def test_the_api_count_is_capped_and_numbered_pages_stop_at_their_depth(client, official, monkeypatch):
    import portal.api.pagination

    monkeypatch.setattr(CappedPaginator, "count_cap", 3)
    monkeypatch.setattr(portal.api.pagination, "COUNT_CAP", 3)
    monkeypatch.setattr(portal.api.pagination, "NUMBERED_ROWS", 5)
    client.force_login(official)
    first = client.get(ORGS, {"page_size": 2}).json()
    assert first["count"] == 4  # more than 3
    assert first["next"]
    second = client.get(ORGS, {"page_size": 2, "page": 2}).json()  # rows 3-4: past the 3 counted
    assert len(second["results"]) == 2 and second["next"]
    assert second["count"] == 4  # still "more than 3", though the page counted on to its end
    third = client.get(ORGS, {"page_size": 2, "page": 3}).json()  # rows 5-6: starts inside the first 5
    assert len(third["results"]) == 2
    assert third["next"] is None  # the last numbered page: its next would be the 400 below
    deep = client.get(ORGS, {"page_size": 2, "page": 4})  # starts past the first 5 rows
    assert deep.status_code == 400
    (error,) = deep.json()["invalid_params"]
    assert error["name"] == "page" and error["code"] == "too-deep"
    assert "cursor" in error["reason"] and "第 3 页" in error["reason"]


def test_the_api_walks_a_list_by_cursor(client, official, orgs):
    client.force_login(official)
    seen, url, pages = [], ORGS + "?cursor=&page_size=3", 0
    while url:
        body = client.get(url).json()
        assert "count" not in body
        seen += [row["name"] for row in body["results"]]  # names are distinct in the small city
        url, pages = body["next"], pages + 1
    assert pages == 3
    assert len(seen) == len(set(seen)) == Organization.objects.count()


def test_a_keyword_search_may_count_to_a_lower_cap(orgs, django_assert_num_queries):
    paginator = CappedPaginator(Organization.objects.order_by("id"), 2, count_cap=3)
    with django_assert_num_queries(1):
        assert paginator.count == 4  # 7 rows, counted up to this list's cap + 1
    assert paginator.count_display == "3+"
    assert CappedPaginator(Organization.objects.all(), 2).count_cap == 1_000  # the others keep theirs


def test_rows_scoped_by_branches_are_counted_branch_by_branch_up_to_the_cap(orgs, capped):
    """``filter_any``: overlapping branches count each row once; the count still stops at the cap."""
    branches = [Q(level="city"), Q(kind="authority"), Q(district="110108")]  # the authorities are in two
    rows = filter_any(Organization.objects.all(), branches)
    assert Organization.objects.filter(branches[0] | branches[1] | branches[2]).count() == 6  # 8 in the branches
    with CaptureQueriesContext(connection) as counted:
        assert CappedPaginator(rows.order_by("name"), 2, count_cap=10).count == 6
    assert counted.captured_queries[0]["sql"].count("UNION ALL") == 2
    assert CappedPaginator(rows, 2).count == 6  # the cap of 5, plus one: "5+"
    assert CappedPaginator(rows.filter(level="city"), 2, count_cap=3).count == 4
    assert CappedPaginator(rows.none(), 2).count == 0  # an invalid filter form empties the list
    assert CappedPaginator(rows.filter(kind="authority"), 2).count == 2  # a filter applies to every branch
    # ``|`` widens the rows beyond the branches: the result forgets them and counts the plain way.
    widened = rows.filter(kind="authority") | Organization.objects.filter(district="110105")
    assert widened.branches == ()
    assert CappedPaginator(widened, 2).count == 3


@pytest.mark.parametrize("ordering", [("id",), ("-name", "id"), ("kind", "-id")])
def test_a_deep_page_finds_its_rows_by_key_first_and_they_are_the_same_rows(orgs, monkeypatch, ordering):
    """Past ``deferred_from`` rows a page is ``pk IN (the page's keys in order)``, then those rows ordered again."""
    rows = Organization.objects.select_related("parent").order_by(*ordering)
    expected = [o.pk for o in rows]
    monkeypatch.setattr(CappedPaginator, "deferred_from", 2)
    paginator = CappedPaginator(rows, 2)
    read = []
    for number in paginator.page_range:
        with CaptureQueriesContext(connection) as captured:
            read.append([o.pk for o in paginator.page(number)])
        by_key = any("IN (SELECT" in query["sql"] for query in captured.captured_queries)
        assert by_key == (number > 1)  # from row 3 on (deferred_from = 2): the page's keys first
    assert [pk for page in read for pk in page] == expected


@pytest.fixture
def units(make_org):
    """Four parents with five units each, names interleaved across parents (the order spreads them)."""
    parents = [make_org(f"上级单位{p}") for p in range(4)]
    for n in range(5):
        for p, parent in enumerate(parents):
            make_org(f"单位{(n * 7 + p * 3) % 20:02d}号{p}", parent=parent)
    return parents


@pytest.mark.parametrize("ordering", [("name", "id"), ("-name", "-id"), ("-created_at", "id")])
def test_a_list_scoped_by_organization_pages_per_organization_and_shows_the_same_rows(units, ordering):
    """Each page reads every organization's first rows (a LATERAL join) and shows exactly the list's rows."""
    from portal.paginators import scope_to_organizations

    in_scope = [parent.pk for parent in units[:3]]
    plain = Organization.objects.filter(parent_id__in=in_scope).order_by(*ordering)
    scoped = scope_to_organizations(Organization.objects.order_by(*ordering), "parent_id", in_scope)
    paginator = CappedPaginator(scoped, 4)
    read = []
    for number in paginator.page_range:
        with CaptureQueriesContext(connection) as captured:
            read.append([o.pk for o in paginator.page(number)])
        [keyed] = [query["sql"] for query in captured.captured_queries if "CROSS JOIN LATERAL" in query["sql"]]
        # each organization's rows by its own condition: the scope's IN list is left out of the LATERAL part
        assert '"parent_id" IN' not in keyed.split("CROSS JOIN LATERAL")[1].split(") x ORDER BY")[0]
    assert paginator.count == 15
    assert [pk for page in read for pk in page] == [o.pk for o in plain]


def test_first_rows_of_a_scoped_list_are_its_first_rows_and_a_wide_or_costly_scope_walks_as_before(units, monkeypatch):
    from portal import paginators
    from portal.paginators import first_rows, scope_to_organizations

    scoped = scope_to_organizations(Organization.objects.order_by("name", "id"), "parent_id", [p.pk for p in units])
    expected = [o.pk for o in Organization.objects.filter(parent__in=units).order_by("name", "id")]
    with CaptureQueriesContext(connection) as captured:
        assert [o.pk for o in first_rows(scoped, 6)] == expected[:6]
    assert "CROSS JOIN LATERAL" in captured.captured_queries[0]["sql"]

    monkeypatch.setattr(paginators, "ORGANIZATION_KEYS_MAX", 4 * 5)  # four organizations x six rows is more
    with CaptureQueriesContext(connection) as captured:
        assert [o.pk for o in first_rows(scoped, 6)] == expected[:6]
    assert "LATERAL" not in captured.captured_queries[0]["sql"]
    monkeypatch.undo()
    from django.db.models.functions import Lower

    by_expression = scoped.order_by(Lower("name"), "id")  # an expression: walked, not keyed
    assert [o.pk for o in first_rows(by_expression, 6)] == expected[:6]
    assert first_rows(by_expression, 6).query.high_mark == 6
    nothing = scoped.filter(kind__in=[])  # known to match nothing before it reaches PostgreSQL
    assert list(first_rows(nothing, 6)) == [] and list(CappedPaginator(nothing, 4).page(1)) == []
    widened = scoped | Organization.objects.filter(pk=units[0].pk)
    assert widened.scope_ids == () and first_rows(widened, 3).query.high_mark == 3  # sliced, not keyed
