"""Every list page, list endpoint and export of the core issues the same number of queries for 3 rows as
for 20 (DESIGN.md "Scale it must hold"). Each test also checks the rows are really there, so it can fail.

The organization list page and endpoint are covered in test_organizations.py (3 and 30 rows).
Queries common to every page ("common", 7): session, user, scope (memberships), the navbar's unread count, and the
session renewal (savepoint, update, release). API calls with force_authenticate skip the session ones.
"""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from freezegun import freeze_time
from openpyxl import load_workbook
from rest_framework.test import APIClient

from portal.models import District, Level
from portal.services import deadline_open, notification_create

pytestmark = pytest.mark.django_db
SIZES = [3, 20]
FROZEN = "2026-03-02 10:00:00+08:00"  # a Monday; every due date below falls in March 2026


@pytest.fixture
def api():
    return APIClient()


def fresh(user):
    """Forget the scope cached on the user object, as a new request would."""
    user.__dict__.pop("_portal_scope", None)
    return user


def deadlines(make_org, n):
    """One open deadline on each of n agencies (one per subject and kind), spread over March 2026."""
    with freeze_time(FROZEN):
        return [
            deadline_open(
                subject=org,
                kind="demo",
                due_date=date(2026, 3, 3 + i),
                organization=org,
                legal_basis="Art. 13",
            )
            for i, org in enumerate(
                make_org(f"测试机关{i:02d}", level=Level.DISTRICT, district=District.HAIDIAN) for i in range(n)
            )
        ]


def notifications(user, n):
    for i in range(n):
        notification_create(recipients=[user], kind="deadline_reminder", title=f"提醒{i:02d}", link="/deadlines/")


@freeze_time(FROZEN)
@pytest.mark.parametrize("n", SIZES)
def test_it_lists_deadlines_to_an_official_in_constant_queries(
    client, official, make_org, n, django_assert_num_queries
):
    deadlines(make_org, n)
    client.force_login(official)
    # common (7), loaded years, count, kinds (filter form), rows: the organization filter is a text box, not
    # a select of every visible organization.
    with django_assert_num_queries(EXPECTED["deadline-list"]):
        response = client.get(reverse("deadline-list"))
    assert len(response.context["page"].object_list) == n


@freeze_time(FROZEN)
@pytest.mark.parametrize("n", SIZES)
def test_it_shows_the_month_calendar_in_constant_queries(client, official, make_org, n, django_assert_num_queries):
    deadlines(make_org, n)
    client.force_login(official)
    # common (7), deadlines per day (GROUP BY), the first few of each day (ROW_NUMBER window), the month's
    # calendar days, loaded years.
    with django_assert_num_queries(EXPECTED["deadline-calendar"]):
        response = client.get(reverse("deadline-calendar"), {"month": "2026-03"})
    shown = sum(len(items) for week in response.context["weeks"] for _, _, items, _, _ in week)
    assert shown == n


@freeze_time(FROZEN)
@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("export", ["csv", "xlsx"])
def test_it_exports_deadlines_in_constant_queries(client, official, make_org, n, export, django_assert_num_queries):
    deadlines(make_org, n)
    client.force_login(official)
    # session, user, scope, rows, session renewal (savepoint, update, release).
    with django_assert_num_queries(EXPECTED["deadline-export"]):
        response = client.get(reverse("deadline-list"), {"export": export})
        if export == "csv":
            body = b"".join(response.streaming_content).decode("utf-8-sig")
            rows = list(csv.reader(io.StringIO(body)))
        else:
            rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert len(rows) == n + 1


@freeze_time(FROZEN)
@pytest.mark.parametrize("n", SIZES)
def test_a_district_officials_api_deadlines_take_constant_queries_however_many_organizations(
    api, district_official, make_org, n, django_assert_num_queries
):
    """Scoped to the district's organizations (n of them here), the page is read organization by
    organization (portal.paginators.scope_to_organizations) in the same one statement."""
    deadlines(make_org, n)
    api.force_authenticate(fresh(district_official))
    # scope, count, rows (kind and organization joined).
    with django_assert_num_queries(EXPECTED["api-deadlines"]):
        response = api.get("/api/v1/deadlines/")
    assert response.json()["count"] == n


@pytest.mark.parametrize("n", SIZES)
def test_it_shows_the_inbox_in_constant_queries(client, official, n, django_assert_num_queries):
    notifications(official, n)
    client.force_login(official)
    # session, user, count, unread count, scope (navbar), rows, session renewal (savepoint, update, release).
    with django_assert_num_queries(EXPECTED["notification-inbox"]):
        response = client.get(reverse("notification-inbox"))
    assert len(response.context["page"].object_list) == n


@freeze_time(FROZEN)
@pytest.mark.parametrize("n", SIZES)
def test_it_lists_deadlines_over_the_api_in_constant_queries(api, official, make_org, n, django_assert_num_queries):
    deadlines(make_org, n)
    api.force_authenticate(fresh(official))
    # scope, count, rows (kind and organization joined).
    with django_assert_num_queries(EXPECTED["api-deadlines"]):
        response = api.get("/api/v1/deadlines/")
    assert response.json()["count"] == n


@pytest.mark.parametrize("n", SIZES)
def test_it_lists_notifications_over_the_api_in_constant_queries(api, official, n, django_assert_num_queries):
    notifications(official, n)
    api.force_authenticate(fresh(official))
    # count, rows (the recipient is the caller: no scope needed).
    with django_assert_num_queries(EXPECTED["api-notifications"]):
        response = api.get("/api/v1/notifications/")
    assert response.json()["count"] == n


EXPECTED = {
    "deadline-list": 11,
    "deadline-calendar": 11,
    "deadline-export": 8,  # + the security audit row of the export (issue 8)
    "notification-inbox": 9,
    "api-deadlines": 3,
    "api-notifications": 2,
}
