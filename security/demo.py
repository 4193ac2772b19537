"""Demo data of Chapter 5, built through the services: systems at every level and in every filing state,
evaluations current / due / overdue / never done, plans and drills (and an organization without a plan),
incidents on time and late, bulletins partly acknowledged. Idempotent (matched by system name)."""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from portal.models import Organization, User
from projects.models import ProjectFiling
from security import services
from security.models import Bulletin, EmergencyPlan, Incident, InformationSystem

ANSWERS = {
    1: ("citizen", "general"),
    2: ("citizen", "serious"),
    3: ("public", "serious"),
    4: ("national", "serious"),
    5: ("national", "especially_serious"),
}

# name, operator key, clerk, level, state, evaluation (None / "current" / "overdue" / "soon"), graded days ago
SYSTEMS = [
    ("交通委门户网站", "transport", "agency_clerk", 2, "approved", None, 200),
    ("交通行业视频联网平台", "transport", "agency_clerk", 3, "approved", "current", 300),
    ("交通运行监测调度系统", "transport", "agency_clerk", 3, "approved", "overdue", 500),
    ("交通一卡通清分结算系统", "transport", "agency_clerk", 4, "approved", "soon", 400),
    ("交通执法移动办案系统", "transport", "agency_clerk", 3, "submitted", None, 5),
    ("公交线网优化分析平台", "transport", "agency_clerk", 2, "returned", None, 12),
    ("交通委内部办公系统", "transport", "agency_clerk", 1, "draft", None, 3),
    ("道路停车电子收费系统", "transport", "agency_clerk", 3, "draft", None, 45),  # filing period passed
    ("交通信息中心数据交换平台", "transport_it", "agency_clerk", 3, "supervisor_approved", None, 8),
    ("城市交通大脑", "transport", "agency_clerk", 5, "approved", "current", 100),
    ("教育统一身份认证平台", "education", "other_clerk", 3, "approved", None, 420),  # never evaluated
    ("海淀区智慧教育云平台", "haidian_education", "haidian_clerk", 3, "submitted", None, 6),
    ("供水调度自动化系统", "water", "water_clerk", 4, "approved", "current", 250),
]


def _answers(level: int) -> dict:
    obj, degree = ANSWERS[level]
    return {
        "business_harm_object": obj,
        "business_harm_degree": degree,
        "service_harm_object": obj,
        "service_harm_degree": degree,
    }


def _system(name, operator, clerk, level, state, evaluation, days_ago, users, evaluator, filing):
    today = timezone.localdate()
    system = services.system_create(
        actor=clerk,
        operator=operator,
        project_filing=filing if name == "交通行业视频联网平台" else None,
        name=name,
        builder="北京华信系统集成有限公司",
        purpose=f"{name}相关业务办理与数据支撑。",
        users_served="市民和企业" if level >= 3 else "本单位工作人员",
        network="internet" if "网站" in name else "egov",
    )
    expert = {"expert_reviewed_on": today - timedelta(days=days_ago), "expert_opinion": "定级合理，同意。"}
    grading = services.grading_create(
        actor=clerk, system=system, graded_on=today - timedelta(days=days_ago), **_answers(level), **expert
    )
    if state == "draft":
        return system
    grading = services.grading_submit(grading=grading, actor=clerk)
    decider = users["haidian_official"] if operator.district else users["city_official"]
    if state == "submitted":
        return system
    if state == "returned":
        services.grading_return(grading=grading, actor=decider, comment="请补充系统拓扑图和定级报告。")
        return system
    if grading.supervisor_id:
        grading = services.grading_supervisor_approve(grading=grading, actor=users["agency_manager"])
    if state == "supervisor_approved":
        return system
    services.grading_approve(grading=grading, actor=decider, comment="同意备案。")
    if evaluation is None:
        return system
    months_ago = {"current": 2, "soon": 11, "overdue": 13}[evaluation]
    services.evaluation_record(
        actor=clerk,
        system=system,
        evaluator=evaluator,
        evaluated_on=today - timedelta(days=30 * months_ago + 5),
        report_version="2025" if evaluation != "overdue" else "2021",
        score=Decimal("92.5") if evaluation == "current" else Decimal("78"),
        report_number=f"BJCP-{today.year}-{system.pk:04d}",
        issues=[("部分服务器未开启安全审计", "medium"), ("未部署数据库审计", "high")]
        if evaluation != "current"
        else [],
    )
    return system


@transaction.atomic
def seed_demo(organizations: dict[str, Organization]) -> None:
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=[
                "agency_clerk",
                "agency_manager",
                "other_clerk",
                "haidian_clerk",
                "water_clerk",
                "city_official",
                "haidian_official",
            ]
        )
    }
    evaluator = organizations["evaluator"]
    filing = ProjectFiling.objects.filter(title="交通行业视频联网平台").first()
    for name, key, clerk, level, state, evaluation, days_ago in SYSTEMS:
        if InformationSystem.objects.filter(name=name).exists():
            continue
        _system(name, organizations[key], users[clerk], level, state, evaluation, days_ago, users, evaluator, filing)
    # A level change filed again: the old filing is kept as superseded.
    portal = InformationSystem.objects.filter(name="交通委门户网站").first()
    if portal is not None and portal.gradings.count() == 1:
        grading = services.grading_create(
            actor=users["agency_clerk"],
            system=portal,
            reason="level_change",
            change_description="新增政务服务办理功能，服务对象扩大。",
            expert_reviewed_on=timezone.localdate(),
            expert_opinion="同意调整为第三级。",
            **_answers(3),
        )
        grading = services.grading_submit(grading=grading, actor=users["agency_clerk"])
        services.grading_approve(grading=grading, actor=users["city_official"], comment="同意变更备案。")
    _plans(organizations, users)
    _incidents(organizations, users)
    _bulletins(organizations, users)


def _plans(organizations, users):
    today = timezone.localdate()
    transport = organizations["transport"]
    if not EmergencyPlan.objects.filter(organization=transport).exists():
        old = services.plan_create(
            actor=users["agency_clerk"],
            organization=transport,
            version="2024版",
            approved_on=today - timedelta(days=700),
            scope="本委全部网络与信息系统",
        )
        services.drill_record(
            actor=users["agency_clerk"],
            plan=old,
            held_on=today - timedelta(days=420),
            scenario="门户网站篡改应急处置",
            participants="信息中心、承建单位",
            lessons="完善网页防篡改监测。",
        )
        plan = services.plan_create(
            actor=users["agency_clerk"],
            organization=transport,
            version="2026版",
            approved_on=today - timedelta(days=60),
            scope="本委全部网络与信息系统",
            systems=list(InformationSystem.objects.filter(operator=transport)),
        )
        services.drill_record(
            actor=users["agency_clerk"],
            plan=plan,
            held_on=today - timedelta(days=30),
            scenario="勒索病毒攻击处置",
            participants="信息中心、各业务处室、安全服务单位",
            lessons="备份恢复流程需提速，离线备份每周校验。",
        )
    water = organizations["water"]
    if not EmergencyPlan.objects.filter(organization=water).exists():
        # Approved more than a year ago and never drilled: the drill deadline is overdue.
        services.plan_create(
            actor=users["water_clerk"],
            organization=water,
            version="2025版",
            approved_on=today - timedelta(days=400),
            scope="供水调度与营业收费系统",
        )
    # The education commission operates a level-3 system without a plan (Art. 34 -> 44 finding).


def _incidents(organizations, users):
    if Incident.objects.exists():
        return
    now = timezone.now()
    transport, clerk = organizations["transport"], users["agency_clerk"]
    on_time = services.incident_report(
        actor=clerk,
        organization=transport,
        title="门户网站遭受DDoS攻击",
        level="larger",
        occurred_at=now - timedelta(hours=2),
        discovered_at=now - timedelta(hours=1, minutes=50),
        systems=list(InformationSystem.objects.filter(name="交通委门户网站")),
        description="门户网站访问缓慢，流量异常。",
        measures="启用流量清洗，限制异常来源。",
        records_preserved=True,
    )
    services.incident_follow_up(incident=on_time, actor=clerk, text="攻击已停止，网站恢复正常访问。")
    services.incident_end_handling(incident=on_time, actor=clerk)
    services.incident_report(
        actor=clerk,
        organization=transport,
        title="办公终端感染勒索病毒",
        level="general",
        occurred_at=now - timedelta(hours=9),
        discovered_at=now - timedelta(hours=7),
        description="两台办公终端文件被加密。",
        measures="断网隔离，排查横向传播。",
        records_preserved=True,
    )
    closed = services.incident_report(
        actor=users["water_clerk"],
        organization=organizations["water"],
        title="调度系统账号异常登录",
        level="major",
        occurred_at=now - timedelta(hours=3),
        discovered_at=now - timedelta(hours=2, minutes=30),
        description="境外地址尝试登录调度系统。",
        measures="封禁地址，重置口令，启用双因素认证。",
    )
    services.incident_end_handling(incident=closed, actor=users["water_clerk"])
    services.incident_close(
        incident=closed, actor=users["water_clerk"], summary="弱口令导致，已全面启用双因素认证并整改。"
    )


def _bulletins(organizations, users):
    if Bulletin.objects.exists():
        return
    alert = services.bulletin_issue(
        actor=users["city_official"],
        issuer=organizations["authority"],
        kind="alert",
        title="关于防范勒索病毒攻击的预警",
        body="近期勒索病毒攻击活跃，请各单位立即检查备份和补丁情况，并于三日内反馈。",
        to_all=True,
    )
    services.bulletin_acknowledge(bulletin=alert, actor=users["agency_clerk"])
    services.bulletin_issue(
        actor=users["haidian_official"],
        issuer=organizations["haidian_authority"],
        kind="notice",
        title="海淀区第三季度网络安全检查情况通报",
        body="本季度检查发现弱口令、未及时更新补丁等问题，请相关单位整改。",
        recipients=[organizations["haidian_education"], organizations["haidian_market"]],
    )
