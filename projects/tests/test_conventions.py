"""Issue 7, "the code the other chapters will copy": the mechanisms themselves, each with a test that fails
when the mechanism is bypassed."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from portal.selectors import timeline_for
from projects import services
from projects.models import ProjectFiling

pytestmark = pytest.mark.django_db


def test_an_edit_records_each_changed_field_with_its_old_and_new_value(make_filing, clerk):
    filing = make_filing(clerk, "draft")
    services.filing_update(filing=filing, actor=clerk, needs="新的需求", title=filing.title)
    event = timeline_for(filing).filter(action="filing_updated").get()
    assert event.data == {"changed": {"needs": ["整合路网监测数据，提升调度效率。", "新的需求"]}}


def test_no_template_decides_lateness_by_comparing_dates():
    """Lateness comes from the deadline rule (``is_past_due`` / ``review_overdue_q``), never a template.
    (Chapter 2's templates; the other chapters' follow when they adopt the rule.)"""
    compare = re.compile(r"\{%[^%]*\b\w*(due|deadline)\w*\s*[<>]=?\s*today\b")
    offenders = [
        str(path.relative_to(settings.BASE_DIR))
        for path in Path(settings.BASE_DIR, "templates", "projects").rglob("*.html")
        if compare.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_queue_marks_late_reviews_from_the_selector(client, make_filing, clerk, official):
    late = make_filing(clerk, "in_review", title="已逾期的审查")
    make_filing(clerk, "in_review", title="按期的审查")
    ProjectFiling.objects.filter(pk=late.pk).update(review_due_date=timezone.localdate() - timedelta(days=1))
    client.force_login(official)
    page = client.get(reverse("projects:filing-list")).content.decode()
    badge = 'badge text-bg-danger">已超期'
    assert page.count(badge) == 1
    assert badge in client.get(reverse("projects:filing-detail", args=[late.uuid])).content.decode()
    overdue = client.get(reverse("projects:filing-list"), {"due": "overdue"}).content.decode()
    assert "已逾期的审查" in overdue and "按期的审查" not in overdue
    api = APIClient()
    api.force_authenticate(official)
    rows = api.get("/api/v1/projects/filings/").json()["results"]
    assert {row["title"]: row["review_overdue"] for row in rows} == {"已逾期的审查": True, "按期的审查": False}


@pytest.mark.parametrize("n", [1, 6])
def test_a_reviewer_reads_each_rows_actions_without_a_query_per_row(
    make_filing, clerk, official, reviewer, n, django_assert_num_queries
):
    for _ in range(n):
        filing = make_filing(clerk, "submitted")
        services.filing_start_review(filing=filing, actor=official, reviewers=[reviewer])
    reviewer.__dict__.pop("_portal_scope", None)  # as in a fresh request
    api = APIClient()
    api.force_authenticate(reviewer)
    # scope (memberships), count, rows with the reviewer flag: nothing per row.
    with django_assert_num_queries(3):
        rows = api.get("/api/v1/projects/filings/").json()["results"]
    assert len(rows) == n
    assert {tuple(row["available_actions"]) for row in rows} == {("return",)}


def test_every_timeline_action_of_chapter_2_comes_from_one_enumeration():
    from portal.templatetags.portal_tags import TIMELINE_ACTION_LABELS
    from projects.events import EVENT_ENUMS

    codes = [code for events in EVENT_ENUMS for code in events.values]
    assert len(codes) == len(set(codes))
    assert all(TIMELINE_ACTION_LABELS[code] != code for code in codes)  # each shown in words
    typed = re.compile(r"""(action=|_record\(\s*\w+,\s*\w+,\s*)["'][a-z_]+["']""")
    services = Path(settings.BASE_DIR, "projects", "services")
    assert [p.name for p in services.glob("*.py") if typed.search(p.read_text(encoding="utf-8"))] == []


def test_clients_branch_on_the_codes_the_services_raise(make_filing, clerk, official):
    in_review = make_filing(clerk, "in_review")
    building = make_filing(clerk, "under_construction")
    api = APIClient()
    api.force_authenticate(official)
    response = api.post(f"/api/v1/projects/filings/{in_review.uuid}/approve/", {}, format="json")
    assert response.status_code == 400
    assert [p["code"] for p in response.json()["invalid_params"]] == ["checklist-incomplete"]
    api.force_authenticate(clerk)
    response = api.post(f"/api/v1/projects/filings/{building.uuid}/start_operation/", {}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "not-accepted"
    response = api.post(f"/api/v1/projects/filings/{building.uuid}/request_acceptance/", {}, format="json")
    assert {(p["name"], p["code"]) for p in response.json()["invalid_params"]} == {
        ("planned_on", "required"),
        ("place", "required"),
    }
