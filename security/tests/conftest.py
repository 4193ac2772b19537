"""Fixtures of Chapter 5: an evaluator, systems graded to any level and state, built through the services."""

from datetime import timedelta

import pytest
from django.utils import timezone

from portal.models import OrganizationKind, Role
from security import services

# Answers giving each level on both assessments (business, service) of the GB/T 22240-2020 matrix.
ANSWERS = {
    1: ("citizen", "general"),
    2: ("citizen", "serious"),
    3: ("public", "serious"),
    4: ("national", "serious"),
    5: ("national", "especially_serious"),
}


def answers(level: int, service_level: int | None = None) -> dict:
    b = ANSWERS[level]
    s = ANSWERS[service_level or level]
    return {
        "business_harm_object": b[0],
        "business_harm_degree": b[1],
        "service_harm_object": s[0],
        "service_harm_degree": s[1],
    }


@pytest.fixture(autouse=True)
def calendar_through_periods(db):
    """Filing periods run 30 days, drills and evaluations a year: provisional calendars where needed."""
    from portal.services.calendar import calendar_years_ensure_provisional

    calendar_years_ensure_provisional(through=timezone.localdate() + timedelta(days=800))


@pytest.fixture
def evaluator(make_org):
    return make_org("北京信息安全测评中心", kind=OrganizationKind.EVALUATOR)


@pytest.fixture
def unit_clerk(make_user, orgs):
    """A clerk of the transport commission's IT centre, whose parent (the commission) supervises it."""
    return make_user("unit_clerk", orgs["agency_unit"], Role.AGENCY_CLERK)


@pytest.fixture
def make_system():
    counter = iter(range(1, 100_000))

    def make(clerk, *, operator=None, name=None, **fields):
        operator = operator or clerk.memberships.first().organization
        defaults = {
            "name": name or f"业务系统{next(counter):03d}",
            "builder": "北京华信系统集成有限公司",
            "purpose": "业务办理",
            "users_served": "市民",
            "network": "egov",
        }
        return services.system_create(actor=clerk, operator=operator, **{**defaults, **fields})

    return make


@pytest.fixture
def make_grading(make_system, official):
    """A system graded to ``level`` and taken to ``state`` (draft, submitted, returned, approved)."""

    def make(clerk, level=3, state="draft", *, system=None, decider=None, **extra):
        system = system or make_system(clerk)
        expert = {}
        if level >= 2:
            expert = {"expert_reviewed_on": timezone.localdate(), "expert_opinion": "同意定级。"}
        grading = services.grading_create(actor=clerk, system=system, **answers(level), **{**expert, **extra})
        if state == "draft":
            return grading
        grading = services.grading_submit(grading=grading, actor=clerk)
        if state == "submitted":
            return grading
        if state == "returned":
            return services.grading_return(grading=grading, actor=decider or official, comment="请补充拓扑图。")
        return services.grading_approve(grading=grading, actor=decider or official)

    return make
