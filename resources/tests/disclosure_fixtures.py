"""Fixtures of the disclosure tests (imported by each test_disclosure_* module; the catalog owns conftest.py)."""

from datetime import date, timedelta

import pytest
from django.core.cache import cache

from portal.models import OrganizationKind, Role, Sector
from resources.services import disclosure as services

# 2026 National Day and Mid-Autumn: rest Sep 25-27 and Oct 1-7; make-up working days Sun Sep 20 and Sat Oct 10.
RECEIVED = date(2026, 9, 22)


@pytest.fixture(autouse=True)
def calendar_and_limits(db):
    """Periods opened today may run into next year (provisional weekend-only calendar, as in the demo);
    rate-limit counters live in the cache and must not leak from one test into the next."""
    from django.utils import timezone

    from portal.services.calendar import calendar_years_ensure_provisional

    calendar_years_ensure_provisional(through=timezone.localdate() + timedelta(days=120))
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def captcha_passes(monkeypatch):
    """django-simple-captcha's test mode: the answer "PASSED" is accepted (any other answer is not)."""
    from captcha.conf import settings as captcha_settings

    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)


@pytest.fixture
def enterprise(make_org):
    return make_org("北京自来水集团有限责任公司", kind=OrganizationKind.PUBLIC_ENTERPRISE, sector=Sector.WATER)


@pytest.fixture
def enterprise_clerk(make_user, enterprise):
    return make_user("water_clerk", enterprise, Role.PUBLIC_ENTERPRISE_CLERK)


APPLICANT = {
    "applicant_kind": "citizen",
    "applicant_name": "张三",
    "id_type": "id_card",
    "id_number": "110101199001011234",
    "contact": "13800000000",
    "email": "zhangsan@example.invalid",
    "description": "2025年本市公交线路调整的批复文件",
}


@pytest.fixture
def record(clerk, orgs):
    """Record an application received in person on ``received_on`` (default 2026-09-22)."""

    def make(received_on=RECEIVED, agency=None, **extra):
        application, code = services.application_record(
            actor=clerk,
            agency=agency or orgs["agency"],
            channel="in_person",
            received_on=received_on,
            **{**APPLICANT, **extra},
        )
        application.access_code = code
        return application

    return make


@pytest.fixture
def guide_fields():
    return {
        "categories": "机构职能、政策文件、规划计划、行政执法",
        "arrangement": "按主题分类、按发布日期排列",
        "how_to_obtain": "主动公开信息通过门户网站公开；依申请公开可网上、信函或当面提交。",
        "office_name": "北京市交通委员会政务公开办公室",
        "office_address": "北京市丰台区六里桥南里甲9号",
        "office_hours": "工作日 9:00-12:00，13:30-17:00",
        "phone": "010-57079800",
        "fax": "010-57079801",
        "online_contact": "https://jtw.beijing.gov.cn/",
    }
