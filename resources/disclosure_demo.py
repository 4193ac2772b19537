"""Demo data of disclosure (Arts. 19-20): guides, catalogs, enterprises, reports and applications in every state.

Called from ``resources.demo.seed_demo``; idempotent (skipped when the transport commission's guide exists).
"""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from portal.demo import demo_uscc
from portal.models import Level, Organization, OrganizationKind, Sector, User
from portal.services import organization_create
from portal.services.calendar import calendar_years_ensure_provisional
from resources.models import DisclosureGuide, EnterpriseDisclosure
from resources.services import disclosure as services

GUIDE = {
    "categories": "机构职能；政策文件；规划计划；行政许可；行政处罚；财政预决算；重点领域信息",
    "arrangement": "按主题分类，分类内按生成日期倒序排列；每条信息标注索引号、名称、内容概述和生成日期。",
    "how_to_obtain": "主动公开的信息通过本机关门户网站、政府公报和政务新媒体公开；依申请公开可通过本平台网上提交、"
    "信函或当面提交。",
    "office_hours": "工作日 9:00—12:00，13:30—17:00",
}
ENTERPRISES = [
    ("gas", "北京市燃气集团有限责任公司", Sector.GAS, 910001),
    ("heating", "北京市热力集团有限责任公司", Sector.HEATING, 910002),
    ("bus", "北京公共交通控股（集团）有限公司", Sector.TRANSPORT, 910003),
]


def _enterprises(organizations: dict[str, Organization]) -> dict[str, Organization]:
    found = dict(organizations)
    for key, name, sector, serial in ENTERPRISES:
        existing = Organization.objects.filter(name=name).first()
        found[key] = existing or organization_create(
            actor=None,
            name=name,
            kind=OrganizationKind.PUBLIC_ENTERPRISE,
            level=Level.CITY,
            district="",
            sector=sector,
            uscc=demo_uscc("91", serial),
            responsible_leader="分管副总经理",
            responsible_unit="信息化部",
        )
    return found


@transaction.atomic
def seed_demo(organizations: dict[str, Organization]) -> None:
    transport = organizations["transport"]
    if DisclosureGuide.objects.filter(agency=transport).exists():
        return
    today = timezone.localdate()
    calendar_years_ensure_provisional(through=today + timedelta(days=120))
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=["agency_clerk", "agency_manager", "other_clerk", "haidian_clerk", "water_clerk"]
        )
    }
    clerk, manager = users["agency_clerk"], users["agency_manager"]

    # Guides: transport (two versions), education, Haidian education; the health commission has none.
    for key, user, office, phone in [
        ("transport", clerk, "北京市交通委员会政务公开办公室", "010-57079800"),
        ("education", users["other_clerk"], "北京市教育委员会政务公开办公室", "010-51992000"),
        ("haidian_education", users["haidian_clerk"], "海淀区教育委员会政务公开办公室", "010-88491000"),
    ]:
        agency = organizations[key]
        fields = {
            **GUIDE,
            "office_name": office,
            "office_address": f"{agency.name}政务服务大厅",
            "phone": phone,
            "fax": phone[:-1] + "1",
            "online_contact": "https://www.beijing.gov.cn/",
        }
        services.guide_publish(actor=user, agency=agency, **fields)
    services.guide_publish(
        actor=clerk, agency=transport, **{**fields_for(transport), "office_hours": "工作日 9:00—17:00"}
    )

    # Catalogs: transport current, education stale (nothing in the configured period).
    for i, (name, category, days_ago) in enumerate(
        [
            ("2026年北京市交通综合治理行动计划", "规划计划", 20),
            ("关于调整部分公交线路的通告", "通知公告", 35),
            ("北京市交通委员会2025年部门决算", "财政预决算", 120),
            ("网络预约出租汽车经营服务管理实施细则", "政策文件", 200),
        ],
        start=1,
    ):
        services.catalog_entry_create(
            actor=clerk,
            agency=transport,
            index_number=f"11000000X00-{today.year}-{i:05d}",
            name=name,
            summary=f"{name}全文。",
            generated_on=today - timedelta(days=days_ago),
            category=category,
            content=f"{name}（正文略）。",
        )
    services.catalog_entry_create(
        actor=users["other_clerk"],
        agency=organizations["education"],
        index_number="11000000Y00-2025-00001",
        name="2025年义务教育入学工作意见",
        summary="入学政策。",
        generated_on=today - timedelta(days=400),
        category="政策文件",
        content="正文略。",
    )

    _applications(transport, clerk, today)
    _reports(organizations, clerk, manager, users["other_clerk"], today)
    _enterprise_items(_enterprises(organizations), users["water_clerk"], clerk, today)


def fields_for(agency: Organization) -> dict:
    return {
        **GUIDE,
        "office_name": f"{agency.name}政务公开办公室",
        "office_address": f"{agency.name}政务服务大厅",
        "phone": "010-57079800",
        "fax": "010-57079801",
        "online_contact": "https://jtw.beijing.gov.cn/",
    }


def _person(i: int, **extra) -> dict:
    names = ["王小明", "李华", "赵敏", "北京某律师事务所", "陈静", "刘洋", "杨帆", "黄磊", "周涛", "吴芳", "徐亮"]
    return {
        "applicant_kind": "organization" if "事务所" in names[i % len(names)] else "citizen",
        "applicant_name": names[i % len(names)],
        "id_type": "id_card",
        "id_number": f"11010119900101{i:04d}",
        "contact": f"1380000{i:04d}",
        "email": "",
        "description": [
            "2025年公交线路调整的批复文件",
            "地铁票价听证会记录",
            "出租车运价调整成本监审报告",
            "2026年道路养护计划及预算",
            "共享单车投放总量调控依据",
        ][i % 5],
        **extra,
    }


def _record(agency, clerk, i: int, received_on: date):
    application, _ = services.application_record(
        actor=clerk,
        agency=agency,
        channel=["in_person", "mail_registered", "fax"][i % 3],
        received_on=received_on,
        **_person(i),
    )
    return application


def _applications(agency: Organization, clerk: User, today: date) -> None:
    services.application_submit_public(agency=agency, **_person(0, email="demo@example.invalid"))  # 待确认收到
    _record(agency, clerk, 1, today - timedelta(days=2))  # 办理中
    c = _record(agency, clerk, 2, today - timedelta(days=5))  # 待补正
    services.application_correction_notice(
        application=c, actor=clerk, request="请写明文件的名称或文号。", on=today - timedelta(days=4)
    )
    d = _record(agency, clerk, 3, today - timedelta(days=30))  # 补正后重新计算
    d = services.application_correction_notice(
        application=d, actor=clerk, request="请说明所需年份。", on=today - timedelta(days=28)
    )
    services.application_correction_received(application=d, actor=clerk, received_on=today - timedelta(days=24))
    e = _record(agency, clerk, 4, today - timedelta(days=20))  # 征求第三方意见
    services.application_consult(application=e, actor=clerk, party="北京某出租汽车公司", on=today - timedelta(days=17))
    f = _record(agency, clerk, 5, today - timedelta(days=40))  # 已延期
    services.application_extend(
        application=f,
        actor=clerk,
        reason="涉及档案调取，需延长答复期限。",
        approved_by="孙主任",
        on=today - timedelta(days=20),
    )
    _record(agency, clerk, 6, today - timedelta(days=60))  # 逾期未答复
    for i, (response, reason, days, replied_after, fee) in enumerate(
        [
            ("disclosed", "", 50, 10, None),
            ("withheld", "state_secret", 70, 15, None),
            ("unavailable", "not_held", 90, 12, None),
            ("partial", "third_party", 100, 18, ("by_volume", 150)),
            ("disclosed", "", 110, 45, None),  # late
        ],
        start=7,
    ):
        application = _record(agency, clerk, i, today - timedelta(days=days))
        services.application_reply(
            application=application,
            actor=clerk,
            response_type=response,
            reason=reason,
            text="答复内容详见附件。",
            on=today - timedelta(days=days - replied_after),
            fee_method=fee[0] if fee else "",
            fee_quantity=fee[1] if fee else None,
        )


def _reports(organizations, clerk, manager, education_clerk, today: date) -> None:
    report = services.annual_report_generate(actor=clerk, agency=organizations["transport"], year=today.year - 1)
    services.annual_report_review(
        report=report, actor=manager, commentary="申请办理总体及时，个别申请逾期答复，已整改。"
    )
    services.annual_report_publish(report=report, actor=clerk)
    services.annual_report_generate(actor=clerk, agency=organizations["transport"], year=today.year)  # draft
    services.annual_report_generate(actor=education_clerk, agency=organizations["education"], year=today.year - 1)


def _enterprise_items(enterprises, water_clerk, official_like, today: date) -> None:
    from portal.models import Role, User

    official = User.objects.filter(memberships__role=Role.AUTHORITY_OFFICIAL).first()
    items = [
        ("water", water_clerk, "commitment", "供水服务承诺", "接到报修后 2 小时内到达现场，24 小时内恢复供水。"),
        ("water", water_clerk, "fees", "居民用水价格", "第一阶梯 5 元/立方米（含水资源税、污水处理费）。"),
        ("water", water_clerk, "procedure", "用水报装流程", "申请—现场勘查—签订合同—施工—通水，全程网上办理。"),
        ("gas", official, "commitment", "燃气服务承诺", "燃气泄漏报警 30 分钟内到达现场。"),
        ("gas", official, "fees", "居民燃气价格", "第一档 2.63 元/立方米。"),
        ("heating", official, "procedure", "供热报修流程", "拨打热线报修，24 小时内上门。"),
    ]
    for key, actor, kind, title, content in items:
        services.enterprise_item_update(
            actor=actor, enterprise=enterprises[key], kind=kind, title=title, content=content
        )
    # Demo only: age two items so the stale marking and the reminder have something to show.
    EnterpriseDisclosure.objects.filter(enterprise=enterprises["gas"], kind="fees").update(
        updated_on=today - timedelta(days=500)
    )
    EnterpriseDisclosure.objects.filter(enterprise=enterprises["heating"]).update(
        updated_on=today - timedelta(days=400)
    )
