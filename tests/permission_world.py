"""The small city the permission matrix runs in: the personas and one object of every kind, built through the
services (as each chapter's own tests build them) once per test module.

A new chapter adds its objects with ``@thing("name")``: a function taking the world (``w.users``,
``w.orgs`` and the things built before it, in declaration order) and returning the object. Rows of
``tests/permission_table.py`` name the thing they act on.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from portal.demo import DEMO_PASSWORD
from portal.models import DepartmentType, District, Level, OrganizationKind, Role, Sector
from portal.services import membership_create, organization_create, user_create
from portal.uscc import uscc_check_character

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# The personas of issue 8, in the column order of the table. ``None``: not signed in.
PERSONAS = {
    "official": "city authority official (whole city)",
    "district": "district official of another district (Chaoyang)",
    "reviewer": "city authority reviewer, not assigned to anything",
    "owner": "clerk of the owning agency (transport commission)",
    "other": "clerk of another agency (education commission)",
    "liaison": "department liaison of the development and reform commission (发改)",
    "contractor": "clerk of the contractor building the project",
    "enterprise": "clerk of a public enterprise (water)",
    "anonymous": "not signed in",
}


def pdf(name="文件.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


_serial = iter(range(9_000_000, 9_900_000))


def _org(name, kind=OrganizationKind.AGENCY, level=Level.CITY, district="", **extra):
    first17 = f"11110000{next(_serial):09d}"
    return organization_create(
        actor=None,
        name=name,
        kind=kind,
        level=level,
        district=district,
        uscc=first17 + uscc_check_character(first17),
        responsible_leader="分管领导",
        responsible_unit="信息中心",
        **extra,
    )


def _user(username, organization, role):
    user = user_create(
        username=username, password=DEMO_PASSWORD, full_name=username, email=f"{username}@example.invalid"
    )
    membership_create(user=user, organization=organization, role=role)
    return user


def _organizations():
    K, D = OrganizationKind, Level.DISTRICT
    return SimpleNamespace(
        authority=_org("北京市经济和信息化局", K.AUTHORITY, document_code="京经信"),
        haidian_authority=_org("海淀区经济和信息化局", K.AUTHORITY, D, District.HAIDIAN, document_code="海经信"),
        chaoyang_authority=_org("朝阳区经济和信息化局", K.AUTHORITY, D, District.CHAOYANG, document_code="朝经信"),
        drc=_org("北京市发展和改革委员会", K.DEPARTMENT, department_type=DepartmentType.DEVELOPMENT_REFORM),
        finance=_org("北京市财政局", K.DEPARTMENT, department_type=DepartmentType.FINANCE),
        agency=_org("北京市交通委员会"),
        other_agency=_org("北京市教育委员会"),
        third_agency=_org("北京市卫生健康委员会"),
        contractor=_org("北京华信系统集成有限公司", K.CONTRACTOR),
        water=_org("北京市自来水集团有限责任公司", K.PUBLIC_ENTERPRISE, sector=Sector.WATER),
        evaluator=_org("北京信息安全测评中心", K.EVALUATOR),
    )


def _users(orgs):
    users = {
        "official": _user("m_official", orgs.authority, Role.AUTHORITY_OFFICIAL),
        "district": _user("m_chaoyang", orgs.chaoyang_authority, Role.DISTRICT_OFFICIAL),
        "reviewer": _user("m_reviewer", orgs.authority, Role.AUTHORITY_REVIEWER),
        "owner": _user("m_clerk", orgs.agency, Role.AGENCY_CLERK),
        "other": _user("m_other", orgs.other_agency, Role.AGENCY_CLERK),
        "liaison": _user("m_drc", orgs.drc, Role.DEPARTMENT_LIAISON),
        "contractor": _user("m_contractor", orgs.contractor, Role.CONTRACTOR_CLERK),
        "enterprise": _user("m_water", orgs.water, Role.PUBLIC_ENTERPRISE_CLERK),
        "anonymous": None,
    }
    # Not personas: the people who put the objects where the rows need them.
    extras = {
        "haidian_official": _user("m_haidian", orgs.haidian_authority, Role.DISTRICT_OFFICIAL),
        "third_clerk": _user("m_health", orgs.third_agency, Role.AGENCY_CLERK),
        "officer": _user("m_officer", orgs.authority, Role.ENFORCEMENT_OFFICER),
    }
    return users, extras


THINGS: dict[str, Callable] = {}


def thing(name: str):
    def register(build):
        THINGS[name] = build
        return build

    return register


def build_world():
    from portal.services.calendar import calendar_years_ensure_provisional

    calendar_years_ensure_provisional(through=timezone.localdate() + timedelta(days=800))
    orgs = _organizations()
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        users, extras = _users(orgs)  # nobody types these passwords: the clients are signed in directly
    w = SimpleNamespace(orgs=orgs, users=users, **extras)
    for name, build in THINGS.items():
        setattr(w, name, build(w))
    return w


# --- Chapter 2: projects ---------------------------------------------------------------------------------

FILING = {
    "title": "北京市交通运行监测调度平台升级",
    "kind": "new",
    "government_investment": Decimal("1200.00"),
    "other_funding": Decimal("0"),
    "description": "建设全市交通运行监测调度平台。",
    "needs": "整合路网监测数据，提升调度效率。",
    "expected_benefits": "拥堵预警时间缩短 30%。",
    "planned_security_level": 3,
    "standards": "GB/T 22239-2019",
    "tender_method": "public",
    "domain": "system_integration",
    "required_qualification_level": 2,
}


def _filing(w, state):
    from projects import services
    from projects.rules import ReviewDimension

    clerk, official = w.users["owner"], w.users["official"]
    filing = services.filing_create(
        actor=clerk, agency=w.orgs.agency, **{**FILING, "title": f"{FILING['title']}（{state}）"}
    )
    if state == "draft":
        return filing
    filing = services.filing_submit(filing=filing, actor=clerk)
    if state == "submitted":
        return filing
    filing = services.filing_start_review(filing=filing, actor=official, self_review=True)
    services.filing_checklist_save(
        filing=filing, actor=official, findings=dict.fromkeys(ReviewDimension.values, ("pass", ""))
    )
    return services.filing_approve(filing=filing, actor=official, opinion="同意建设。")


@thing("qualification")
def _qualification(w):
    from projects import services

    return services.qualification_create(
        actor=w.users["official"],
        contractor=w.orgs.contractor,
        domain="system_integration",
        level=2,
        number="XZ1110020240001",
        issuer="中国电子信息行业联合会",
        valid_from=date.today() - timedelta(days=365),
        valid_to=date.today() + timedelta(days=365),
    )


@thing("filing_draft")
def _filing_draft(w):
    return _filing(w, "draft")


@thing("filing_submitted")
def _filing_submitted(w):
    return _filing(w, "submitted")


@thing("filing")
def _filing_approved(w):
    """Approved (so it has an opinion the approving department reads) and with the contractor assigned."""
    from projects import services

    filing = _filing(w, "approved")
    services.filing_contractor_assign(
        filing=filing, actor=w.users["owner"], contractor=w.orgs.contractor, role="construction"
    )
    return filing


@thing("network_application")
def _network_application(w):
    from projects import services

    clerk = w.users["owner"]
    application = services.network_application_create(
        actor=clerk,
        agency=w.orgs.agency,
        system_name="交通执法业务系统",
        purpose="执法办案",
        internet_unsuitable_reason="涉及执法敏感数据",
        security_level=3,
    )
    return services.application_submit(application=application, actor=clerk)


@thing("domain_application")
def _domain_application(w):
    from projects import services

    clerk = w.users["owner"]
    application = services.domain_application_create(
        actor=clerk, agency=w.orgs.agency, domain_name="jtw.beijing.gov.cn", website_name="交通委", purpose="门户网站"
    )
    return services.application_submit(application=application, actor=clerk)


@thing("annual_plan")
def _annual_plan(w):
    from projects import services

    plan = services.annual_plan_create(
        actor=w.users["official"],
        year=date.today().year + 1,
        level=Level.CITY,
        district="",
        title="年度信息化项目计划",
        authority=w.orgs.authority,
        development_reform=w.orgs.drc,
        finance=w.orgs.finance,
    )
    w.plan_item = services.annual_plan_item_add(
        plan=plan, actor=w.users["official"], title="交通调度平台", agency=w.orgs.agency, kind="new", budget=100
    )
    return plan


@thing("compliance_finding")
def _compliance_finding(w):
    """Art. 11: the contractor took on the transport commission's project without the qualification."""
    from projects import services

    return services.compliance_finding_record_unqualified(
        filing=w.filing, contractor=w.orgs.contractor, actor=w.users["official"], detail="资质已过期。"
    )


# --- Chapter 3: resources, sharing, disclosure -------------------------------------------------------------


def _published_resource(w, name, open_attribute):
    from resources import services
    from resources.models import Classification

    clerk = w.users["owner"]
    items = [
        {
            "name": n,
            "data_type": t,
            "length": None,
            "description": "",
            "share_type": "unconditional",
            "open_attribute": open_attribute,
        }
        for n, t in (("车牌号码", "C"), ("运营里程", "N"))
    ]
    resource = services.resource_create(
        actor=clerk,
        provider=w.orgs.agency,
        fields={
            "classification": Classification.objects.get(code="201"),
            "name": name,
            "summary": "全市巡游出租汽车每日运营里程和载客情况。",
            "format": "database",
            "collection_basis": "《北京市出租汽车管理条例》",
            "share_type": "unconditional",
            "share_condition": "",
            "share_basis": "",
            "share_method": "interface",
            "open_attribute": open_attribute,
            "update_cycle": "daily",
            "last_updated_on": None,
            "base_database": None,
        },
        items=items,
        duplicate_justification="",
    )
    resource = services.resource_submit(resource=resource, actor=clerk)
    return services.resource_publish(resource=resource, actor=w.users["official"])


@thing("resource")
def _resource(w):
    """Published and open to the public: every signed-in user reads it."""
    return _published_resource(w, "出租汽车运营数据", "open")


@thing("resource_closed")
def _resource_closed(w):
    """Published, not open to the public (不予开放): government users only (Art. 21)."""
    return _published_resource(w, "出租汽车驾驶员信息", "closed")


@thing("sharing_request")
def _sharing_request(w):
    """The health commission (not a persona) asks the transport commission for its resource."""
    from resources import services

    return services.sharing_request_create(
        actor=w.third_clerk,
        requester=w.orgs.third_agency,
        resource=w.resource,
        items=list(w.resource.items.all()[:1]),
        scope="卫生应急车辆调度",
        purpose="核验",
        method="interface",
        period_end=timezone.localdate() + timedelta(days=30),
    )


@thing("disclosure_application")
def _disclosure_application(w):
    from resources.services import disclosure

    application, _code = disclosure.application_record(
        actor=w.users["owner"],
        agency=w.orgs.agency,
        channel="in_person",
        received_on=timezone.localdate(),
        applicant_kind="citizen",
        applicant_name="张三",
        id_type="id_card",
        id_number="110101199001011234",
        contact="13800000000",
        email="zhangsan@example.invalid",
        description="2025年本市公交线路调整的批复文件",
    )
    return application


@thing("disclosure_entry")
def _disclosure_entry(w):
    from resources.services import disclosure

    return disclosure.catalog_entry_create(
        actor=w.users["owner"],
        agency=w.orgs.agency,
        index_number="000014349-2026-00001",
        name="2026年公交线路调整方案",
        summary="全市公交线路调整",
        generated_on=date(2026, 3, 1),
        category="规划计划",
        link="https://example.org/a",
    )


# --- Chapter 5: security --------------------------------------------------------------------------------

GRADE_3 = {
    "business_harm_object": "public",
    "business_harm_degree": "serious",
    "service_harm_object": "public",
    "service_harm_degree": "serious",
}


def _system(w, name):
    from security import services

    return services.system_create(
        actor=w.users["owner"],
        operator=w.orgs.agency,
        name=name,
        builder="北京华信系统集成有限公司",
        purpose="业务办理",
        users_served="市民",
        network="egov",
    )


@thing("grading")
def _grading(w):
    """A level-3 grading filed and waiting for the authority."""
    from security import services

    system = _system(w, "交通执法业务系统")
    grading = services.grading_create(
        actor=w.users["owner"],
        system=system,
        **GRADE_3,
        expert_reviewed_on=timezone.localdate(),
        expert_opinion="同意定级。",
    )
    return services.grading_submit(grading=grading, actor=w.users["owner"])


@thing("system")
def _graded_system(w):
    """A system graded to level 3 and approved, so it can be evaluated."""
    from security import services

    system = _system(w, "交通运行监测系统")
    grading = services.grading_create(
        actor=w.users["owner"],
        system=system,
        **GRADE_3,
        expert_reviewed_on=timezone.localdate(),
        expert_opinion="同意定级。",
    )
    grading = services.grading_submit(grading=grading, actor=w.users["owner"])
    services.grading_approve(grading=grading, actor=w.users["official"])
    system.refresh_from_db()
    return system


@thing("evaluation")
def _evaluation(w):
    from security import services

    return services.evaluation_record(
        actor=w.users["owner"],
        system=w.system,
        evaluator=w.orgs.evaluator,
        evaluated_on=timezone.localdate() - timedelta(days=30),
        report_version="2025",
        score=80,
    )


@thing("incident")
def _incident(w):
    from security import services

    now = timezone.now()
    return services.incident_report(
        actor=w.users["owner"],
        organization=w.orgs.agency,
        title="门户网站页面被篡改",
        level="general",
        occurred_at=now - timedelta(hours=6),
        discovered_at=now - timedelta(hours=5),
        description="首页被植入外链。",
        measures="已恢复页面。",
    )


# --- Chapters 6-7: enforcement --------------------------------------------------------------------------


@thing("finding")
def _finding(w):
    """The Art. 11 violation above, found by the detector, open in the inbox."""
    from enforcement import services
    from enforcement.models import Finding

    services.findings_detect(["art11-unqualified-contracting"])
    return Finding.objects.get(rule="art11-unqualified-contracting")


@thing("case")
def _case(w):
    from enforcement import services

    return services.case_register(
        actor=w.users["official"],
        party_organization=w.orgs.contractor,
        article_breached="11",
        sanctioning_article=43,
        facts="超越资质等级承揽信息化工程。",
        officers=[w.users["official"], w.officer],
    )


# --- Chapters 1 and 4: plans and standards ------------------------------------------------------------------


@thing("city_plan")
def _city_plan(w):
    from planning import services

    official = w.users["official"]
    plan = services.plan_create(
        actor=official,
        kind="city",
        organization=w.orgs.authority,
        title="北京市“十四五”信息化发展规划",
        period_start=2021,
        period_end=2025,
    )
    services.plan_version_add(plan=plan, actor=official, note="报批稿", document=pdf("市规划.pdf"))
    services.plan_record_approval(
        plan=plan, actor=official, approval_reference="京政发〔2021〕25号", approval_date=date(2021, 8, 20)
    )
    return services.plan_publish(plan=plan, actor=official, published_on=date(2021, 9, 1))


@thing("plan")
def _district_plan(w):
    """A Haidian plan waiting for the city authority's conformity review: Chaoyang's official is an outsider."""
    from planning import services

    haidian = w.haidian_official
    plan = services.plan_create(
        actor=haidian,
        kind="district",
        organization=w.orgs.haidian_authority,
        title="海淀区信息化发展规划",
        period_start=2026,
        period_end=2030,
        conforms_to=w.city_plan,
    )
    services.plan_version_add(plan=plan, actor=haidian, note="送审稿", document=pdf())
    return services.plan_submit_for_review(plan=plan, actor=haidian)


@thing("standard")
def _standard(w):
    from planning import services

    return services.standard_create(
        actor=w.users["official"],
        code="GB/T 22239-2019",
        title="信息安全技术 网络安全等级保护基本要求",
        effective_on=date(2019, 12, 1),
    )
