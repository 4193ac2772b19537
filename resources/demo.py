"""Demo data of Chapter 3, built through the services: catalogs of several agencies (one overlapping another),
base databases with their builders, a stale resource, and sharing requests in every step. Idempotent."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from portal.demo import DEMO_PASSWORD
from portal.models import Membership, Organization, Role, User
from portal.services import membership_create, user_create
from resources import services
from resources.disclosure_demo import seed_demo as seed_disclosure_demo
from resources.models import BaseDatabase, CatalogResource, Classification, SharingRequest

EXTRA_USERS = [
    ("health_clerk", "何卫健", "health"),
    ("planning_clerk", "林规自", "planning"),
]
BASE_BUILDERS = {"population": "health", "geospatial": "planning", "legal_person": "haidian_market"}


def _item(name, data_type="C", share="unconditional", open_attribute="open", length=None):
    return {
        "name": name,
        "data_type": data_type,
        "length": length,
        "description": "",
        "share_type": share,
        "open_attribute": open_attribute,
    }


TAXI = [
    _item("车牌号码", length=10),
    _item("运营里程", "N"),
    _item("营运日期", "D"),
    _item("驾驶员姓名"),
    _item("载客次数", "N"),
]
PEOPLE = [
    _item("姓名", share="conditional", open_attribute="closed"),
    _item("身份证号", share="conditional", open_attribute="closed", length=18),
    _item("性别", share="conditional", open_attribute="closed"),
    _item("出生日期", "D", share="conditional", open_attribute="closed"),
    _item("户籍地址", share="conditional", open_attribute="closed"),
]
# name, provider key, clerk, classification, share type, open attribute, cycle, items, state, extra
RESOURCES = [
    ("出租汽车运营数据", "transport", "agency_clerk", "201", "unconditional", "open", "daily", TAXI, "published", {}),
    (
        "公交线路站点信息",
        "transport",
        "agency_clerk",
        "201",
        "unconditional",
        "open",
        "monthly",
        [_item("线路名称"), _item("站点名称"), _item("经度", "N"), _item("纬度", "N")],
        "published",
        {},
    ),
    (
        "交通行政执法案件",
        "transport",
        "agency_clerk",
        "201",
        "conditional",
        "closed",
        "weekly",
        [
            _item("案件编号", share="conditional", open_attribute="closed"),
            _item("当事人姓名", share="conditional", open_attribute="closed"),
            _item("违法行为", share="conditional", open_attribute="closed"),
            _item("处罚决定日期", "D", share="conditional", open_attribute="closed"),
        ],
        "published",
        {"share_condition": "仅用于行政管理和执法协作", "share_basis": "《中华人民共和国行政处罚法》第四十八条"},
    ),
    (
        "道路停车泊位",
        "transport",
        "agency_clerk",
        "201",
        "unconditional",
        "open",
        "quarterly",
        [_item("泊位编号"), _item("道路名称"), _item("收费标准", "N")],
        "draft",
        {},
    ),
    (
        "中小学校名录",
        "education",
        "other_clerk",
        "202",
        "unconditional",
        "open",
        "yearly",
        [_item("学校名称"), _item("学校地址"), _item("办学类型"), _item("联系电话")],
        "published",
        {},
    ),
    (
        "人口基本信息",
        "health",
        "health_clerk",
        "101",
        "conditional",
        "closed",
        "daily",
        PEOPLE,
        "published",
        {
            "share_condition": "政务部门履职需要，按需核验",
            "share_basis": "《北京市信息化促进条例》第十八条",
            "base_database": "population",
        },
    ),
    (
        "地理实体（道路）",
        "planning",
        "planning_clerk",
        "103",
        "unconditional",
        "open",
        "quarterly",
        [_item("道路名称"), _item("道路等级"), _item("起点坐标"), _item("终点坐标")],
        "published",
        {"base_database": "geospatial"},
    ),
]
# Overlapping registrations: justified, for the authority's duplicate list.
OVERLAPS = [
    (
        "校车驾驶员营运台账",
        "education",
        "other_clerk",
        "202",
        [
            _item("车牌号码", length=10),
            _item("运营里程", "N"),
            _item("营运日期", "D"),
            _item("驾驶员姓名"),
            _item("校车标识"),
        ],
        "submitted",
        "校车由教育部门核定，交通委的出租汽车数据不含校车标识和随车照管人员，需独立采集。",
    ),
    (
        "海淀区学生体检数据",
        "haidian_education",
        "haidian_clerk",
        "302",
        [
            PEOPLE[0],
            PEOPLE[1],
            PEOPLE[2],
            _item("体检日期", "D", "conditional", "closed"),
            _item("视力", "N", "conditional", "closed"),
        ],
        "submitted",
        "学生体检须当场核对身份，体检记录与人口库分别管理；身份证号仅用于关联学籍。",
    ),
]


def _users(orgs: dict[str, Organization]) -> dict[str, User]:
    for username, full_name, org_key in EXTRA_USERS:
        user = User.objects.filter(username=username).first() or user_create(
            username=username, password=DEMO_PASSWORD, full_name=full_name, email=f"{username}@demo.invalid"
        )
        if not Membership.objects.filter(user=user, organization=orgs[org_key]).exists():
            membership_create(user=user, organization=orgs[org_key], role=Role.AGENCY_CLERK)
    return {u.username: u for u in User.objects.all()}


def _fields(name, classification, share, open_attribute, cycle, extra):
    base = extra.get("base_database")
    return {
        "classification": Classification.objects.get(code=classification),
        "name": name,
        "summary": f"{name}，按{dict(CatalogResource._meta.get_field('update_cycle').choices)[cycle]}更新。",
        "format": "database",
        "collection_basis": "本单位法定职责（三定方案）",
        "share_type": share,
        "share_condition": extra.get("share_condition", ""),
        "share_basis": extra.get("share_basis", ""),
        "share_method": "interface",
        "open_attribute": open_attribute,
        "update_cycle": cycle,
        "last_updated_on": None,
        "base_database": BaseDatabase.objects.get(code=base) if base else None,
    }


@transaction.atomic
def seed_demo(orgs: dict[str, Organization]) -> None:
    _seed_catalog(orgs)
    seed_disclosure_demo(orgs)  # Arts. 19-20, beside the catalog


def _seed_catalog(orgs: dict[str, Organization]) -> None:
    users = _users(orgs)
    official = users["city_official"]
    for code, key in BASE_BUILDERS.items():
        BaseDatabase.objects.filter(code=code, builder__isnull=True).update(builder=orgs[key])
    made = {}
    for name, key, clerk, cls, share, open_attr, cycle, items, state, extra in RESOURCES:
        existing = CatalogResource.objects.filter(name=name, provider=orgs[key]).first()
        if existing is None:
            resource = services.resource_create(
                actor=users[clerk],
                provider=orgs[key],
                fields=_fields(name, cls, share, open_attr, cycle, extra),
                items=items,
            )
            if state != "draft":
                resource = services.resource_submit(resource=resource, actor=users[clerk])
                resource = services.resource_publish(resource=resource, actor=official, comment="符合目录编制指南。")
            existing = resource
        made[name] = existing
    for name, key, clerk, cls, items, _state, justification in OVERLAPS:
        if CatalogResource.objects.filter(name=name, provider=orgs[key]).exists():
            continue
        resource = services.resource_create(
            actor=users[clerk],
            provider=orgs[key],
            fields=_fields(name, cls, "conditional" if key == "haidian_education" else "unconditional",
                           "closed" if key == "haidian_education" else "open", "monthly",
                           {"share_condition": "仅限教育管理", "share_basis": "《中华人民共和国教育法》"}
                           if key == "haidian_education" else {}),
            items=items,
            duplicate_justification=justification,
        )  # fmt: skip
        services.resource_submit(resource=resource, actor=users[clerk])
    # Art. 17: a published resource whose data was last updated long ago (a daily cycle).
    taxi = made["出租汽车运营数据"]
    if taxi.last_updated_on == taxi.published_on:
        services.resource_record_update(
            resource=taxi, actor=users["agency_clerk"], updated_on=timezone.localdate() - timedelta(days=12)
        )
    if SharingRequest.objects.exists():
        return
    period = timezone.localdate() + timedelta(days=365)
    law = made["交通行政执法案件"]
    # Awaiting the provider's answer.
    services.sharing_request_create(
        actor=users["other_clerk"],
        requester=orgs["education"],
        resource=taxi,
        items=list(taxi.items.order_by("position")[:3]),
        scope="全市校车运营监管",
        purpose="核验校车营运车辆",
        method="interface",
        period_end=period,
    )
    # Countered, then escalated: waiting for the authority's decision (Art. 21 para. 2).
    disputed = services.sharing_request_create(
        actor=users["other_clerk"],
        requester=orgs["education"],
        resource=law,
        items=list(law.items.order_by("position")),
        scope="涉校交通违法",
        purpose="校园周边交通安全治理",
        method="interface",
        period_end=period,
    )
    disputed = services.sharing_counter(
        request=disputed,
        actor=users["agency_clerk"],
        items=list(law.items.order_by("position")[:1]) + list(law.items.order_by("position")[2:3]),
        scope="涉校交通违法",
        method="query",
        period_end=timezone.localdate() + timedelta(days=90),
        reason="当事人姓名不宜批量提供，可按案件编号查询。",
    )
    services.sharing_escalate(
        request=disputed, actor=users["other_clerk"], reason="按案件编号逐条查询无法满足批量治理需要。"
    )
    # Agreed: the grantee sees exactly the granted items of the population base database.
    people = made["人口基本信息"]
    agreed = services.sharing_request_create(
        actor=users["haidian_clerk"],
        requester=orgs["haidian_education"],
        resource=people,
        items=list(people.items.order_by("position")[:2]),
        scope="海淀区义务教育入学",
        purpose="核验适龄儿童身份",
        method="query",
        period_end=period,
    )
    services.sharing_agree(request=agreed, actor=users["health_clerk"], comment="同意按查询方式共享。")
