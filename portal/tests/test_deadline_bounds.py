"""The month calendar shows at most a few deadlines a day (the rest behind a link to the filtered list) in
a fixed number of queries; the deadlines API sorts only by indexed columns."""

from datetime import date

import pytest
from django.urls import reverse
from freezegun import freeze_time
from rest_framework.test import APIClient

from portal.models import District, Level
from portal.services import deadline_open, notification_create
from portal.views.deadlines import CALENDAR_DAY_LIMIT

pytestmark = pytest.mark.django_db
FROZEN = "2026-03-02 10:00:00+08:00"  # a Monday
BUSY = date(2026, 3, 16)


def on_day(make_org, n, *, day=BUSY, district=District.HAIDIAN, prefix="海淀机关"):
    """n open deadlines due the same day, one per agency (a subject has one open deadline per kind)."""
    with freeze_time(FROZEN):
        return [
            deadline_open(subject=org, kind="demo", due_date=day, organization=org, legal_basis="Art. 13")
            for org in (make_org(f"{prefix}{i:02d}", level=Level.DISTRICT, district=district) for i in range(n))
        ]


def cell(response, day):
    for week in response.context["weeks"]:
        for d, _info, items, more, more_url in week:
            if d == day:
                return items, more, more_url
    raise AssertionError(f"{day} is not on the page")


@freeze_time(FROZEN)
def test_it_shows_at_most_the_day_limit_and_links_the_rest_to_the_day_list(client, official, make_org):
    deadlines = on_day(make_org, CALENDAR_DAY_LIMIT + 3)
    client.force_login(official)
    response = client.get(reverse("deadline-calendar"), {"month": "2026-03"})
    items, more, more_url = cell(response, BUSY)
    assert [d.pk for d in items] == sorted(d.pk for d in deadlines)[:CALENDAR_DAY_LIMIT]
    assert more == 3
    assert more_url == f"{reverse('deadline-list')}?due_from=2026-03-16&due_to=2026-03-16"
    body = response.content.decode()
    assert body.count('data-testid="day-more"') == 1
    assert "另有 3 项" in body
    assert body.count("演示期限：") == CALENDAR_DAY_LIMIT
    listed = client.get(more_url)
    rows = list(listed.context["page"].object_list)
    assert len(rows) == CALENDAR_DAY_LIMIT + 3
    assert [d.pk for d in rows[:CALENDAR_DAY_LIMIT]] == [d.pk for d in items]  # the list starts with those shown


@freeze_time(FROZEN)
def test_it_shows_no_link_when_a_day_holds_no_more_than_the_limit(client, official, make_org):
    on_day(make_org, CALENDAR_DAY_LIMIT)
    client.force_login(official)
    response = client.get(reverse("deadline-calendar"), {"month": "2026-03"})
    items, more, _ = cell(response, BUSY)
    assert (len(items), more) == (CALENDAR_DAY_LIMIT, 0)
    assert 'data-testid="day-more"' not in response.content.decode()


@freeze_time(FROZEN)
@pytest.mark.parametrize("n", [CALENDAR_DAY_LIMIT + 1, 40])
def test_it_renders_a_busy_month_in_fixed_queries(client, official, make_org, n, django_assert_num_queries):
    on_day(make_org, n)
    on_day(make_org, n, day=date(2026, 3, 20), prefix="另一批机关")
    client.force_login(official)
    # common (7), counts per day, first few per day, calendar days, loaded years.
    with django_assert_num_queries(11):
        response = client.get(reverse("deadline-calendar"), {"month": "2026-03"})
    shown = sum(len(items) for week in response.context["weeks"] for _, _, items, _, _ in week)
    assert shown == 2 * CALENDAR_DAY_LIMIT
    assert cell(response, date(2026, 3, 20))[1] == n - CALENDAR_DAY_LIMIT


@freeze_time(FROZEN)
def test_it_applies_the_list_filters_and_carries_them_to_the_day_link(client, official, make_org):
    on_day(make_org, CALENDAR_DAY_LIMIT + 2)
    on_day(make_org, 4, district=District.CHAOYANG, prefix="朝阳机关")
    client.force_login(official)
    everything = client.get(reverse("deadline-calendar"), {"month": "2026-03"})
    assert cell(everything, BUSY)[1] == 6
    response = client.get(reverse("deadline-calendar"), {"month": "2026-03", "district": District.HAIDIAN})
    items, more, more_url = cell(response, BUSY)
    assert all(d.organization.district == District.HAIDIAN for d in items)
    assert more == 2
    assert more_url.endswith(f"?due_from=2026-03-16&due_to=2026-03-16&district={District.HAIDIAN}")
    assert len(client.get(more_url).context["page"].object_list) == CALENDAR_DAY_LIMIT + 2
    body = response.content.decode()
    assert f"?month=2026-04&district={District.HAIDIAN}" in body
    assert 'data-testid="calendar-filtered"' in body
    met = client.get(reverse("deadline-calendar"), {"month": "2026-03", "state": "met"})
    assert cell(met, BUSY)[:2] == ([], 0)


@freeze_time(FROZEN)
def test_it_shows_an_empty_month_for_an_invalid_filter(client, official, make_org):
    on_day(make_org, 2)
    client.force_login(official)
    response = client.get(reverse("deadline-calendar"), {"month": "2026-03", "organization": "not-a-uuid"})
    assert response.status_code == 200
    assert cell(response, BUSY)[:2] == ([], 0)


@freeze_time(FROZEN)
def test_it_shows_an_outsider_none_of_the_deadlines(client, other_clerk, make_org):
    on_day(make_org, CALENDAR_DAY_LIMIT + 2)
    client.force_login(other_clerk)
    response = client.get(reverse("deadline-calendar"), {"month": "2026-03"})
    assert response.status_code == 200
    assert cell(response, BUSY)[:2] == ([], 0)


# --- API ordering --------------------------------------------------------------------------------


@pytest.mark.parametrize("ordering", ["opened_at", "-opened_at", "title", "organization__name"])
def test_it_ignores_an_unindexed_deadline_ordering(make_org, official, ordering):
    org_a = make_org("甲单位")
    org_b = make_org("乙单位")
    with freeze_time("2026-03-02 09:00:00+08:00"):
        late = deadline_open(subject=org_a, kind="demo", due_date=date(2026, 3, 20), organization=org_a)
    with freeze_time("2026-03-02 11:00:00+08:00"):
        early = deadline_open(subject=org_b, kind="demo", due_date=date(2026, 3, 10), organization=org_b)
    api = APIClient()
    api.force_authenticate(official)
    default = [str(early.uuid), str(late.uuid)]  # due_date, id
    assert [r["id"] for r in api.get("/api/v1/deadlines/").json()["results"]] == default
    response = api.get("/api/v1/deadlines/", {"ordering": ordering})
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == default
    reverse_due = api.get("/api/v1/deadlines/", {"ordering": "-due_date"}).json()["results"]
    assert [r["id"] for r in reverse_due] == [str(late.uuid), str(early.uuid)]


def test_it_ignores_an_unindexed_notification_ordering(official):
    for title in ("乙通知", "甲通知", "丙通知"):
        notification_create(recipients=[official], kind="deadline_reminder", title=title, link="/deadlines/")
    api = APIClient()
    api.force_authenticate(official)
    newest_first = [r["title"] for r in api.get("/api/v1/notifications/").json()["results"]]
    assert newest_first == ["丙通知", "甲通知", "乙通知"]
    assert [r["title"] for r in api.get("/api/v1/notifications/", {"ordering": "title"}).json()["results"]] == (
        newest_first
    )
    oldest = api.get("/api/v1/notifications/", {"ordering": "created_at"}).json()["results"]
    assert [r["title"] for r in oldest] == newest_first[::-1]
