"""Every list page and list endpoint of Chapter 5 issues the same, exact number of queries for 3 rows as for 20.

Page queries common to all: session, user, scope (memberships), unread notifications and the session
renewal (savepoint, update, release). API calls with force_authenticate skip the session ones.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from security import services

pytestmark = pytest.mark.django_db
SIZES = [3, 20]
API = "/api/v1/security/"


def fresh(user):
    user.__dict__.pop("_portal_scope", None)
    return user


@pytest.fixture
def build(make_grading, clerk, official, orgs, evaluator):
    def make(n):
        now = timezone.now()
        for i in range(n):
            grading = make_grading(clerk, level=3, state="approved" if i % 2 else "submitted")
            if i % 2:
                services.evaluation_record(
                    actor=clerk,
                    system=grading.system,
                    evaluator=evaluator,
                    evaluated_on=timezone.localdate() - timedelta(days=400),
                    report_version="2025",
                    score=80,
                )
            services.incident_report(
                actor=clerk,
                organization=orgs["agency"],
                title=f"事件{i}",
                level="general",
                occurred_at=now - timedelta(hours=6),
                discovered_at=now - timedelta(hours=5),
                description="x",
                measures="y",
            )
            services.bulletin_issue(
                actor=official, issuer=orgs["authority"], kind="notice", title=f"通报{i}", body="z", to_all=True
            )
        services.plan_create(
            actor=clerk, organization=orgs["agency"], version=f"v{n}", approved_on=timezone.localdate(), scope="全部"
        )

    return make


# url name, query string, exact queries, the table that must show rows. The session is renewed at most once
# a minute (issue 15), on the first request after sign-in: the pages, measured after it, write no session.
PAGES = [
    ("security:system-list", "", 6, "system-table"),
    ("security:grading-list", "", 6, "grading-table"),
    ("security:incident-list", "", 6, "incident-table"),
    ("security:evaluation-due", "?due=overdue", 6, "evaluation-due-table"),
    ("security:plan-list", "", 6, "plan-table"),
    # + the annotated count of recipients and of those who have not acknowledged
    ("security:bulletin-list", "", 7, "bulletin-table"),
    ("security:system-overview", "", 5, "overview-table"),
]


@pytest.mark.parametrize("n", SIZES)
def test_list_pages_issue_fixed_queries(client, build, official, n, django_assert_num_queries):
    """One build per size (building through the services is the slow part), every page checked on it."""
    build(n)
    client.force_login(official)
    assert client.get(reverse("dashboard")).status_code == 200  # renews the session (issue 15)
    for name, query, expected, table in PAGES:
        with django_assert_num_queries(expected):
            response = client.get(reverse(name) + query)
        assert response.status_code == 200, name
        content = response.content.decode()
        assert f'data-testid="{table}"' in content, name
        assert 'data-testid="empty"' not in content, name


# path, exact queries (count, rows; scope cached on the forced user is read once), rows expected for n built
ENDPOINTS = [
    ("systems/", 3, lambda n: n),
    ("gradings/", 3, lambda n: n),
    ("evaluations/", 3, lambda n: n // 2),
    ("incidents/", 3, lambda n: n),
    ("bulletins/", 3, lambda n: n),
]


@pytest.mark.parametrize("n", SIZES)
def test_list_endpoints_issue_fixed_queries(build, official, n, django_assert_num_queries):
    build(n)
    api = APIClient()
    for path, expected, rows in ENDPOINTS:
        api.force_authenticate(fresh(official))
        with django_assert_num_queries(expected):
            response = api.get(API + path)
        assert response.status_code == 200, path
        assert response.json()["count"] == rows(n), path
