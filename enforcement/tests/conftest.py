"""Fixtures of Chapters 6-7: enforcement officers, a contractor with an Art. 11 violation, cases in any state."""

from datetime import timedelta

import pytest
from django.utils import timezone

from enforcement import services
from enforcement.models import Case, Finding
from portal.models import Level, OrganizationKind, Role
from portal.services.calendar import calendar_years_ensure_provisional
from projects.models import ComplianceFinding, FindingKind

FINE_43 = [
    {"kind": "warning", "amount": None, "serious_reasons": ""},
    {"kind": "fine", "amount": "50000", "serious_reasons": "多次超越资质等级承揽，涉及金额较大"},
]


@pytest.fixture(autouse=True)
def calendar_ahead(db):
    # Clocks run 90 days and more from today: a weekend-only calendar for a year not loaded yet.
    calendar_years_ensure_provisional(through=timezone.localdate() + timedelta(days=200))


@pytest.fixture
def officer(make_user, orgs):
    return make_user("officer", orgs["authority"], Role.ENFORCEMENT_OFFICER)


@pytest.fixture
def contractor(make_org):
    return make_org("北京华信系统集成有限公司", kind=OrganizationKind.CONTRACTOR)


@pytest.fixture
def contractor_clerk(make_user, contractor):
    return make_user("contractor_clerk", contractor, Role.CONTRACTOR_CLERK)


@pytest.fixture
def make_violation(contractor):
    def make(description="拟承揽“交通一卡通升级”，未持有有效的系统集成资质。", organization=None):
        org = organization or contractor
        return ComplianceFinding.objects.create(
            kind=FindingKind.UNQUALIFIED_CONTRACTOR,
            article=11,
            sanction_article=43,
            organization=org,
            level=org.level or Level.CITY,
            district=org.district,
            description=description,
        )

    return make


@pytest.fixture
def finding(make_violation):
    make_violation()
    services.findings_detect(["art11-unqualified-contracting"])
    return Finding.objects.get(rule="art11-unqualified-contracting")


@pytest.fixture
def make_case(official, officer, contractor):
    """A case registered by the official and brought to ``state`` through the services."""

    def make(state="registered", *, party=None, sanctions=None):
        case = services.case_register(
            actor=official,
            party_organization=party or contractor,
            article_breached="11",
            sanctioning_article=43,
            facts="超越资质等级承揽信息化工程。",
            officers=[official, officer],
        )
        if state == "registered":
            return case
        case = services.case_investigate(case=case, actor=official)
        if state == "investigating":
            return case
        case = services.case_notify(case=case, actor=official, sanctions=sanctions or FINE_43)
        if state == "notified":
            return case
        backdate_notice(case)
        case = services.case_decide(case=Case.objects.get(pk=case.pk), actor=official, sanctions=sanctions or FINE_43)
        if state == "decided":
            return case
        case = services.case_serve(case=case, actor=official)
        if state == "served":
            return case
        return services.case_publish(case=case, actor=official)

    return make


def backdate_notice(case, days=14):
    """The defence/hearing period has run: the notice went out ``days`` calendar days ago."""
    Case.objects.filter(pk=case.pk).update(notified_on=timezone.localdate() - timedelta(days=days))
