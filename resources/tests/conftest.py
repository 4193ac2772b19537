"""Fixtures of Chapter 3: resources built through the services, in any state."""

from datetime import timedelta

import pytest

from portal.models import Role
from resources import services
from resources.models import BaseDatabase, Classification
from resources.rules import OpenAttribute, ShareMethod, ShareType, UpdateCycle


@pytest.fixture(autouse=True)
def calendar_through_reply_periods(db):
    """Reply periods run 10 working days from today; years not yet published get a weekend-only calendar."""
    from django.utils import timezone

    from portal.services.calendar import calendar_years_ensure_provisional

    calendar_years_ensure_provisional(through=timezone.localdate() + timedelta(days=400))


@pytest.fixture
def haidian_clerk(make_user, orgs):
    return make_user("haidian_clerk", orgs["haidian_agency"], Role.AGENCY_CLERK)


@pytest.fixture
def chaoyang_clerk(make_user, orgs):
    return make_user("chaoyang_clerk", orgs["chaoyang_agency"], Role.AGENCY_CLERK)


def item(name, data_type="C", share_type=ShareType.UNCONDITIONAL, open_attribute=OpenAttribute.OPEN, **extra):
    return {
        "name": name,
        "data_type": data_type,
        "length": extra.get("length"),
        "description": extra.get("description", ""),
        "share_type": share_type,
        "open_attribute": open_attribute,
    }


TAXI_ITEMS = [item("车牌号码"), item("运营里程", "N"), item("营运日期", "D"), item("驾驶员姓名"), item("载客次数", "N")]


def fields(**overrides):
    base = {
        "classification": Classification.objects.get(code="201"),
        "name": "出租汽车运营数据",
        "summary": "全市巡游出租汽车每日运营里程和载客情况。",
        "format": "database",
        "collection_basis": "《北京市出租汽车管理条例》",
        "share_type": ShareType.UNCONDITIONAL,
        "share_condition": "",
        "share_basis": "",
        "share_method": ShareMethod.INTERFACE,
        "open_attribute": OpenAttribute.OPEN,
        "update_cycle": UpdateCycle.DAILY,
        "last_updated_on": None,
        "base_database": None,
    }
    return {**base, **overrides}


@pytest.fixture
def make_resource(official):
    """Build a resource through the services up to the wanted state (draft, submitted, published)."""

    def make(clerk, state="published", *, items=None, justification="", provider=None, **overrides):
        provider = provider or clerk.memberships.first().organization
        resource = services.resource_create(
            actor=clerk,
            provider=provider,
            fields=fields(**overrides),
            items=items or TAXI_ITEMS,
            duplicate_justification=justification,
        )
        if state == "draft":
            return resource
        resource = services.resource_submit(resource=resource, actor=clerk)
        if state == "submitted":
            return resource
        return services.resource_publish(resource=resource, actor=official)

    return make


@pytest.fixture
def population_db(orgs):
    base = BaseDatabase.objects.get(code="population")
    base.builder = orgs["other_agency"]
    base.save()
    return base
