"""Demo data of Chapter 2, built through the services: filings in every state, qualifications,
a plan, network and domain applications, a private network. Idempotent (matched by title)."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from portal.models import Organization, User
from projects import services
from projects.models import (
    AnnualPlan,
    DomainApplication,
    FilingStatus,
    NetworkAccessApplication,
    PrivateNetwork,
    ProjectFiling,
    Qualification,
)
from projects.rules import QualificationDomain, ReviewDimension

# title, kind, state, agency key, clerk, decider
FILINGS = [
    ("市级财政预算一体化系统运维", "operation", "draft", "transport", "agency_clerk", "city_official"),
    ("北京市交通运行监测调度平台升级", "new", "submitted", "transport", "agency_clerk", "city_official"),
    ("交通执法移动办案系统", "new", "in_review", "transport", "agency_clerk", "city_official"),
    ("公交线网优化分析平台", "renovation", "returned", "transport", "agency_clerk", "city_official"),
    ("交通一卡通数据共享平台", "expansion", "approved", "transport", "agency_clerk", "city_official"),
    ("道路停车电子收费系统扩容", "expansion", "approved_with_conditions", "transport", "agency_clerk", "city_official"),
    ("重复建设的出租车监管平台", "new", "rejected", "transport", "agency_clerk", "city_official"),
    ("轨道交通客流监测系统", "new", "under_construction", "transport", "agency_clerk", "city_official"),
    ("交通委协同办公平台改造", "renovation", "acceptance_requested", "transport", "agency_clerk", "city_official"),
    ("货运车辆动态监管系统", "new", "rectifying", "transport", "agency_clerk", "city_official"),
    ("交通信用信息平台", "new", "accepted", "transport", "agency_clerk", "city_official"),
    ("交通行业视频联网平台", "new", "in_operation", "transport", "agency_clerk", "city_official"),
    ("海淀智慧教育云平台", "new", "in_review", "haidian_education", "haidian_clerk", "haidian_official"),
]
ORDER = [
    "draft",
    "submitted",
    "in_review",
    "approved",
    "under_construction",
    "acceptance_requested",
    "accepted",
    "in_operation",
]
COMPLETE = {
    "government_investment": Decimal("860.00"),
    "other_funding": Decimal("40.00"),
    "description": "面向全市交通运行管理的信息化工程。",
    "needs": "整合现有分散系统，统一数据标准。",
    "expected_benefits": "缩短业务办理时间，减少重复建设。",
    "replaces_systems": "旧版监测系统",
    "shared_resources": "路网运行数据（共享至市大数据平台）",
    "planned_security_level": 3,
    "standards": "GB/T 22239-2019\nGB/T 25070-2019",
    "tender_method": "public",
    "supervision_arrangement": "公开招标选定监理单位。",
    "domain": QualificationDomain.SYSTEM_INTEGRATION,
    "required_qualification_level": 2,
    "licensed_software": "麒麟操作系统 / 麒麟软件 / 正版授权",
}


def _checklist(filing, actor, result="pass"):
    text = "" if result == "pass" else "不符合全市信息化发展规划，与已建平台重复。"
    services.filing_checklist_save(
        filing=filing, actor=actor, findings=dict.fromkeys(ReviewDimension.values, (result, text))
    )


def _build(title, kind, target, agency, clerk, decider, contractor):
    extra = {}
    if kind != "new":  # Art. 13: what is renovated, expanded or maintained, and for which budget year
        extra = {"existing_system": f"{title.removesuffix('运维')}（已建系统）", "budget_year": date.today().year + 1}
    filing = services.filing_create(actor=clerk, agency=agency, title=title, kind=kind, **COMPLETE, **extra)
    if contractor is not None:
        services.filing_contractor_assign(filing=filing, actor=clerk, contractor=contractor, role="construction")
    if target == "draft":
        return
    filing = services.filing_submit(filing=filing, actor=clerk)
    if target == "submitted":
        return
    if target == "returned":
        services.filing_return(filing=filing, actor=decider, comment="请补充与现有公交调度系统的整合方案。")
        return
    filing = services.filing_start_review(filing=filing, actor=decider, self_review=True)
    if target == "in_review":
        return
    if target == "rejected":
        _checklist(filing, decider, "fail")
        services.filing_reject(filing=filing, actor=decider, opinion="与已建平台功能重复，不予通过。")
        return
    _checklist(filing, decider)
    if target == "approved_with_conditions":
        services.filing_approve_with_conditions(
            filing=filing, actor=decider, conditions="须部署在市政务云，并接入全市共享交换平台。"
        )
        return
    filing = services.filing_approve(filing=filing, actor=decider, opinion="同意。")
    if target == "approved":
        return
    filing = services.filing_record_approval(
        filing=filing, actor=clerk, reference="京发改〔2026〕101号", approval_date=date.today()
    )
    if target == "under_construction":
        return
    filing = services.filing_request_acceptance(
        filing=filing, actor=clerk, planned_on=date.today(), place="北京市交通委员会第一会议室"
    )
    if target == "acceptance_requested":
        return
    passed = target != "rectifying"
    filing = services.filing_record_acceptance(
        filing=filing,
        actor=clerk,
        passed=passed,
        held_on=date.today(),
        participants="建设单位、承建单位、监理单位、市经济和信息化局",
        authority_invited=True,
        notes="" if passed else "接口联调未完成，整改后再次验收。",
        warranty_end=date.today().replace(year=date.today().year + 3) if passed else None,
    )
    if target in ("accepted", "rectifying"):
        return
    services.filing_start_operation(filing=filing, actor=clerk)


@transaction.atomic
def seed_demo(organizations: dict[str, Organization]) -> None:
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=["agency_clerk", "haidian_clerk", "city_official", "haidian_official", "contractor_clerk"]
        )
    }
    official = users["city_official"]
    contractor = organizations["contractor_a"]
    if not Qualification.objects.filter(contractor=contractor).exists():
        services.qualification_create(
            actor=official,
            contractor=contractor,
            domain=QualificationDomain.SYSTEM_INTEGRATION,
            level=1,
            number="XZ1110020250088",
            issuer="中国电子信息行业联合会",
            valid_from=date.today() - timedelta(days=300),
            valid_to=date.today() + timedelta(days=800),
        )
        services.qualification_create(
            actor=official,
            contractor=organizations["contractor_b"],
            domain=QualificationDomain.SOFTWARE,
            level=3,
            number="RJ1110030240017",
            issuer="北京软件和信息服务业协会",
            valid_from=date.today() - timedelta(days=600),
            valid_to=date.today() + timedelta(days=45),
        )
    for title, kind, target, agency_key, clerk_name, decider_name in FILINGS:
        if ProjectFiling.objects.filter(title=title).exists():
            continue
        contractor_for = contractor if agency_key == "transport" else None
        _build(title, kind, target, organizations[agency_key], users[clerk_name], users[decider_name], contractor_for)
    # A contract taken on by a contractor without the required qualification (Art. 43), so enforcement has a
    # finding to show. (A mere pick of an unqualified contractor is refused and is not a violation.)
    building = ProjectFiling.objects.filter(title="轨道交通客流监测系统").first()
    if building is not None and not building.compliance_findings.exists():
        services.filing_contract_record(
            filing=building,
            actor=users["agency_clerk"],
            contractor=organizations["contractor_b"],
            role="construction",
            signed_on=date.today(),
        )
    if not AnnualPlan.objects.filter(year=date.today().year, level="city").exists():
        plan = services.annual_plan_create(
            actor=official,
            year=date.today().year,
            level="city",
            district="",
            title=f"{date.today().year}年北京市政府投资信息化工程年度计划",
            authority=organizations["authority"],
            development_reform=organizations["drc"],
            finance=organizations["finance"],
            adopted_on=date.today().replace(month=1, day=15),
        )
        # Only filed projects: a draft is the agency's own and never tied to a plan item.
        filed = ProjectFiling.objects.filter(agency=organizations["transport"]).exclude(status=FilingStatus.DRAFT)
        for filing in filed.order_by("id")[:4]:
            services.annual_plan_item_add(
                plan=plan,
                actor=official,
                title=filing.title,
                agency=filing.agency,
                kind=filing.kind,
                budget=filing.government_investment,
                filing=filing,
            )
        services.annual_plan_item_add(
            plan=plan,
            actor=official,
            title="市级电子证照库扩容",
            agency=organizations["planning"],
            kind="expansion",
            budget=Decimal("520.00"),
        )
    clerk = users["agency_clerk"]
    if not NetworkAccessApplication.objects.exists():
        pending = services.network_application_create(
            actor=clerk,
            agency=organizations["transport"],
            system_name="交通执法业务系统",
            purpose="执法办案协同",
            internet_unsuitable_reason="涉及执法敏感数据，不宜通过互联网办理。",
            security_level=3,
        )
        services.application_submit(application=pending, actor=clerk)
        done = services.network_application_create(
            actor=clerk,
            agency=organizations["transport"],
            system_name="交通应急指挥系统",
            purpose="应急指挥",
            internet_unsuitable_reason="指挥调度须依托政务外网。",
            security_level=3,
        )
        done = services.application_submit(application=done, actor=clerk)
        done = services.application_approve(application=done, actor=official, comment="同意接入。")
        # Approval is not connection (Art. 29): the agency records the day it actually connected.
        services.connected_system_connect(system=done.connected_system, actor=clerk, connected_on=date.today())
    if not DomainApplication.objects.exists():
        app = services.domain_application_create(
            actor=clerk,
            agency=organizations["transport"],
            domain_name="jtw.beijing.gov.cn",
            website_name="北京市交通委员会",
            purpose="机关门户网站",
            links_to_city_portal=True,
        )
        app = services.application_submit(application=app, actor=clerk)
        services.application_approve(application=app, actor=official, comment="同意注册。")
        pending = services.domain_application_create(
            actor=clerk,
            agency=organizations["transport"],
            domain_name="bus.jtw.beijing.gov.cn",
            website_name="公交出行服务",
            purpose="公交出行信息服务",
            links_to_city_portal=True,
        )
        services.application_submit(application=pending, actor=clerk)
    if not PrivateNetwork.objects.exists():
        services.private_network_register(
            actor=official,
            agency=organizations["transport"],
            name="交通视频专网",
            migration_plan="分三期迁入全市电子政务网络。",
            migration_deadline=date.today() + timedelta(days=365),
            built_year=2012,
        )
