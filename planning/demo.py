"""Demo plans, standards, training records, commendations and results, for `manage.py seed_demo` (idempotent).

The national standards are real (codes, titles and dates as published by SAMR/SAC). The DB11/T rows stand for
Beijing local standards to show the local category; check codes against the Beijing market-regulation
catalogue before relying on them anywhere but in demo data.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from planning import services
from planning.models import Achievement, Commendation, Plan, StaffDevelopmentRecord, Standard
from planning.rules import AchievementCategory, AwardeeKind, DevelopmentKind, PlanKind
from portal.models import User

# code, title, effective, withdrawn (or None), replaced by, issued by
STANDARDS = [
    (
        "GB/T 22239-2019",
        "信息安全技术 网络安全等级保护基本要求",
        date(2019, 12, 1),
        None,
        "",
        "国家市场监督管理总局 国家标准化管理委员会",
    ),
    (
        "GB/T 22240-2020",
        "信息安全技术 网络安全等级保护定级指南",
        date(2020, 11, 1),
        None,
        "",
        "国家市场监督管理总局 国家标准化管理委员会",
    ),
    (
        "GB/T 28448-2019",
        "信息安全技术 网络安全等级保护测评要求",
        date(2019, 12, 1),
        None,
        "",
        "国家市场监督管理总局 国家标准化管理委员会",
    ),
    (
        "GB/T 25070-2019",
        "信息安全技术 网络安全等级保护安全设计技术要求",
        date(2019, 12, 1),
        None,
        "",
        "国家市场监督管理总局 国家标准化管理委员会",
    ),
    ("GB/T 9704-2012", "党政机关公文格式", date(2012, 7, 1), None, "", "国家质量监督检验检疫总局 国家标准化管理委员会"),
    (
        "GB 32100-2015",
        "法人和其他组织统一社会信用代码编码规则",
        date(2016, 1, 1),
        None,
        "",
        "国家质量监督检验检疫总局 国家标准化管理委员会",
    ),
    (
        "GB/T 22239-2008",
        "信息安全技术 信息系统安全等级保护基本要求",
        date(2009, 2, 1),
        date(2019, 12, 1),
        "GB/T 22239-2019",
        "国家质量监督检验检疫总局 国家标准化管理委员会",
    ),
    (
        "GB/T 22240-2008",
        "信息安全技术 信息系统安全等级保护定级指南",
        date(2008, 11, 1),
        date(2020, 11, 1),
        "GB/T 22240-2020",
        "国家质量监督检验检疫总局 国家标准化管理委员会",
    ),
    ("DB11/T 1918-2021", "政务信息资源共享交换技术规范（演示）", date(2022, 1, 1), None, "", "北京市市场监督管理局"),
    ("DB11/T 1712-2019", "政务网站建设与运行维护规范（演示）", date(2020, 4, 1), None, "", "北京市市场监督管理局"),
]


def _pdf(name: str) -> SimpleUploadedFile:
    # A minimal valid PDF: the attachment check sniffs the content, not the name.
    body = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def _seed_standards(official: User) -> None:
    for code, title, effective, _withdrawn, _by, issuer in STANDARDS:
        if not Standard.objects.filter(code=code).exists():
            services.standard_create(actor=official, code=code, title=title, effective_on=effective, issued_by=issuer)
    for code, _title, _effective, withdrawn, by, _issuer in STANDARDS:
        standard = Standard.objects.get(code=code)
        if withdrawn and not standard.is_withdrawn:
            services.standard_withdraw(
                standard=standard, actor=official, withdrawn_on=withdrawn, replaced_by=Standard.objects.get(code=by)
            )


def _seed_plans(organizations: dict, users: dict) -> None:
    if Plan.objects.exists():
        return
    city, haidian, chaoyang = users["city_official"], users["haidian_official"], users["chaoyang_official"]
    today = timezone.localdate()
    city_plan = services.plan_create(
        actor=city,
        kind=PlanKind.CITY,
        organization=organizations["authority"],
        title="北京市“十四五”时期信息化发展规划",
        period_start=2021,
        period_end=2025,
        summary="统筹推进数字政府、数字经济和智慧城市建设；完善电子政务网络和政务信息资源共享体系；落实网络安全等级保护。",
    )
    services.plan_version_add(plan=city_plan, actor=city, note="报批稿", document=_pdf("北京市信息化发展规划.pdf"))
    services.plan_record_approval(
        plan=city_plan, actor=city, approval_reference="京政发〔2021〕25号", approval_date=date(2021, 8, 20)
    )
    city_plan = services.plan_publish(plan=city_plan, actor=city, published_on=date(2021, 9, 1))

    # Haidian: reviewed by the city authority, approved and published.
    haidian_plan = services.plan_create(
        actor=haidian,
        kind=PlanKind.DISTRICT,
        organization=organizations["haidian_authority"],
        title="海淀区“十四五”时期信息化发展规划",
        period_start=2021,
        period_end=2025,
        conforms_to=city_plan,
        summary="建设城市大脑，推进政务数据共享和一网通办。",
    )
    services.plan_version_add(plan=haidian_plan, actor=haidian, note="征求意见稿", document=_pdf("海淀区规划.pdf"))
    services.plan_submit_for_review(plan=haidian_plan, actor=haidian)
    services.plan_confirm_conformity(
        plan=haidian_plan, actor=city, opinion="符合本市信息化发展规划，同意报区人民政府批准。"
    )
    services.plan_record_approval(
        plan=haidian_plan,
        actor=haidian,
        approval_reference="海政发〔2021〕12号",
        approval_date=today - timedelta(days=30),
    )
    services.plan_publish(plan=haidian_plan, actor=haidian)

    # Chaoyang: waiting for the city authority's review (the reviewer's queue has one).
    chaoyang_plan = services.plan_create(
        actor=chaoyang,
        kind=PlanKind.DISTRICT,
        organization=organizations["chaoyang_authority"],
        title="朝阳区2026—2030年信息化发展规划",
        period_start=2026,
        period_end=2030,
        conforms_to=city_plan,
    )
    services.plan_version_add(plan=chaoyang_plan, actor=chaoyang, note="送审稿", document=_pdf("朝阳区规划送审稿.pdf"))
    services.plan_submit_for_review(plan=chaoyang_plan, actor=chaoyang, comment="请审核。")

    # A department's special plan stating the city plan it conforms to (Art. 6 para. 3), still a draft.
    transport_plan = services.plan_create(
        actor=users["agency_manager"],
        kind=PlanKind.SPECIAL,
        organization=organizations["transport"],
        title="北京市交通行业信息化专项规划（2026—2030年）",
        period_start=2026,
        period_end=2030,
        conforms_to=city_plan,
    )
    services.plan_version_add(plan=transport_plan, actor=users["agency_clerk"], note="初稿")


def _seed_training(organizations: dict, users: dict) -> None:
    if StaffDevelopmentRecord.objects.exists():
        return
    today = timezone.localdate()
    year_start = date(today.year, 1, 15)
    # Transport holds both; education only a training (so the authority sees it missing an assessment).
    services.development_record_create(
        actor=users["agency_clerk"],
        organization=organizations["transport"],
        kind=DevelopmentKind.TRAINING,
        held_on=year_start,
        title="电子政务与数据安全专题培训",
        participants=86,
        hours=Decimal("6"),
    )
    services.development_record_create(
        actor=users["agency_manager"],
        organization=organizations["transport"],
        kind=DevelopmentKind.ASSESSMENT,
        held_on=year_start + timedelta(days=30),
        title="年度信息化知识与技能考核",
        participants=80,
        passed=77,
    )
    services.development_record_create(
        actor=users["other_clerk"],
        organization=organizations["education"],
        kind=DevelopmentKind.TRAINING,
        held_on=year_start + timedelta(days=10),
        title="政务服务“一网通办”操作培训",
        participants=40,
        hours=Decimal("3"),
    )


def _seed_recognition(organizations: dict, users: dict) -> None:
    city = users["city_official"]
    if not Commendation.objects.exists():
        commendation = services.commendation_create(
            actor=city,
            year=2025,
            title="北京市信息化工作先进集体",
            awardee_kind=AwardeeKind.ORGANIZATION,
            organization=organizations["transport"],
            citation="建成全市交通运行监测调度平台，实现跨部门数据共享。",
            conferred_by="北京市人民政府",
            reference="京政发〔2025〕8号",
            conferred_on=date(2025, 3, 1),
        )
        services.recognition_publish(obj=commendation, actor=city)
        services.commendation_create(
            actor=city,
            year=2025,
            title="北京市信息化工作先进个人",
            awardee_kind=AwardeeKind.PERSON,
            person_name="李明",
            person_affiliation="海淀区教育委员会",
            citation="主持区教育数据中心建设。",
            conferred_by="北京市人民政府",
            conferred_on=date(2025, 3, 1),
        )
    if not Achievement.objects.exists():
        achievement = services.achievement_create(
            actor=city,
            title="交通出行一体化服务平台",
            organization=organizations["transport"],
            category=AchievementCategory.APPLICATION,
            summary="整合公交、地铁、共享单车实时信息，为市民提供一站式出行服务。",
            showcased_on=date(2025, 9, 10),
            event="北京市信息化成果展",
        )
        services.recognition_publish(obj=achievement, actor=city)


@transaction.atomic
def seed_demo(organizations: dict) -> None:
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=[
                "city_official",
                "haidian_official",
                "chaoyang_official",
                "agency_clerk",
                "agency_manager",
                "other_clerk",
            ]
        )
    }
    _seed_standards(users["city_official"])
    _seed_plans(organizations, users)
    _seed_training(organizations, users)
    _seed_recognition(organizations, users)
