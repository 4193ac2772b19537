"""Every list page, list endpoint and export of planning issues the same number of queries for 3 rows as for 20
(DESIGN.md "Scale it must hold"). Each test also checks the rows are really there, so it can fail.

Logged-in pages add the session, the user, the scope (memberships) and the navbar's unread count; anonymous
pages and endpoints have none of these.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from planning import services
from planning.rules import AchievementCategory, AwardeeKind, DevelopmentKind, PlanKind

pytestmark = pytest.mark.django_db
SIZES = [3, 20]
YEAR = timezone.localdate().year


def fresh(user):
    """Forget the scope cached on the user object, as a new request would."""
    user.__dict__.pop("_portal_scope", None)
    return user


def published_city_plans(official, orgs, n):
    plans = []
    for i in range(n):
        plan = services.plan_create(
            actor=official,
            kind=PlanKind.CITY,
            organization=orgs["authority"],
            title=f"市规划{i:02d}",
            period_start=2000 + i,
            period_end=2005 + i,
        )
        services.plan_version_add(plan=plan, actor=official, note="稿")
        services.plan_record_approval(
            plan=plan, actor=official, approval_reference=f"京政发〔{i}〕1号", approval_date=date(2021, 1, 1)
        )
        plans.append(services.plan_publish(plan=plan, actor=official, published_on=date(2021, 2, 1)))
    return plans


def make_standards(official, n):
    replacement = services.standard_create(
        actor=official, code="GB/T 1-2020", title="代替标准", effective_on=date(2020, 1, 1)
    )
    rows = []
    for i in range(n):
        standard = services.standard_create(
            actor=official, code=f"GB/T {100 + i}-2019", title=f"标准{i:02d}", effective_on=date(2019, 1, 1)
        )
        if i % 2:
            standard = services.standard_withdraw(
                standard=standard, actor=official, withdrawn_on=date(2020, 1, 1), replaced_by=replacement
            )
        rows.append(standard)
    return rows


@pytest.mark.parametrize("n", SIZES)
def test_public_plan_list(client, official, orgs, n, django_assert_num_queries):
    published_city_plans(official, orgs, n)

    with django_assert_num_queries(2):
        response = client.get(reverse("public-plans"))

    assert len(response.context["page"].object_list) == n


@pytest.mark.parametrize("n", SIZES)
def test_staff_plan_list(client, official, orgs, n, django_assert_num_queries):
    published_city_plans(official, orgs, n)
    client.force_login(official)
    fresh(official)

    with django_assert_num_queries(14):
        response = client.get(reverse("planning:plan-list"))

    assert len(response.context["page"].object_list) == n


@pytest.mark.parametrize("n", SIZES)
def test_api_plan_list(official, orgs, n, django_assert_num_queries):
    published_city_plans(official, orgs, n)

    with django_assert_num_queries(2):
        response = APIClient().get("/api/v1/portal/plans/")

    assert response.json()["count"] == n


@pytest.mark.parametrize("n", SIZES)
def test_public_standard_list_and_csv(client, official, n, django_assert_num_queries):
    make_standards(official, n)

    with django_assert_num_queries(2):
        response = client.get(reverse("public-standards"))
    with django_assert_num_queries(1):
        exported = client.get(reverse("public-standards"), {"format": "csv"})

    assert len(response.context["page"].object_list) == n + 1
    assert len(exported.content.decode("utf-8-sig").splitlines()) == n + 2


@pytest.mark.parametrize("n", SIZES)
def test_api_standard_list(official, n, django_assert_num_queries):
    make_standards(official, n)

    with django_assert_num_queries(2):
        response = APIClient().get("/api/v1/portal/standards/")

    assert response.json()["count"] == n + 1


@pytest.mark.parametrize("n", SIZES)
def test_staff_standard_page(client, official, n, django_assert_num_queries):
    make_standards(official, n)
    client.force_login(official)
    fresh(official)

    with django_assert_num_queries(9):
        response = client.get(reverse("planning:standard-manage"))

    assert len(response.context["page"].object_list) == n + 1


def records(clerk, orgs, n):
    for i in range(n):
        services.development_record_create(
            actor=clerk,
            organization=orgs["agency"],
            kind=DevelopmentKind.TRAINING,
            held_on=date(YEAR, 1, 1),
            title=f"培训{i:02d}",
            participants=10,
            hours=Decimal("2"),
        )


@pytest.mark.parametrize("n", SIZES)
def test_development_list(client, clerk, orgs, n, django_assert_num_queries):
    records(clerk, orgs, n)
    client.force_login(clerk)
    fresh(clerk)

    with django_assert_num_queries(14):
        response = client.get(reverse("planning:development-list"))

    assert len(response.context["page"].object_list) == n


@pytest.mark.parametrize("n", SIZES)
def test_development_compliance_and_csv(client, official, make_org, n, django_assert_num_queries):
    for i in range(n):
        make_org(f"机关{i:02d}")
    client.force_login(official)
    client.get(
        reverse("planning:development-compliance"), {"year": YEAR}
    )  # the first request renews the session (then at most once a minute)
    fresh(official)

    with django_assert_num_queries(7):
        response = client.get(reverse("planning:development-compliance"), {"year": YEAR})
    fresh(official)
    with django_assert_num_queries(5):  # with the audit row of the download
        exported = client.get(reverse("planning:development-compliance"), {"year": YEAR, "format": "csv"})

    assert response.context["page"].paginator.count >= n
    assert len(exported.content.decode("utf-8-sig").splitlines()) == response.context["page"].paginator.count + 1


@pytest.mark.parametrize("n", SIZES)
def test_recognition_pages(client, official, orgs, n, django_assert_num_queries):
    for i in range(n):
        c = services.commendation_create(
            actor=official,
            year=2025,
            title=f"表彰{i:02d}",
            awardee_kind=AwardeeKind.ORGANIZATION,
            organization=orgs["agency"],
            citation="事迹",
            conferred_by="北京市人民政府",
            conferred_on=date(2025, 1, 1),
        )
        services.recognition_publish(obj=c, actor=official)
        a = services.achievement_create(
            actor=official,
            title=f"成果{i:02d}",
            organization=orgs["agency"],
            category=AchievementCategory.APPLICATION,
            summary="简介",
            showcased_on=date(2025, 1, 1),
        )
        services.recognition_publish(obj=a, actor=official)

    with django_assert_num_queries(2):
        commendations = client.get(reverse("public-commendations"))
    with django_assert_num_queries(2):
        achievements = client.get(reverse("public-achievements"))
    client.force_login(official)
    fresh(official)
    with django_assert_num_queries(12):
        manage = client.get(reverse("planning:recognition-manage"))

    assert len(commendations.context["page"].object_list) == n
    assert len(achievements.context["page"].object_list) == n
    assert len(manage.context["achievements"]) == n
