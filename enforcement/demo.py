"""Demo data of Chapters 6-7, built through the services: findings, cases in every state, inspections and
evaluations. Idempotent: nothing is added when demo cases exist."""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from enforcement import services
from enforcement.models import Case, InspectionArea
from portal.models import Organization, User
from portal.services.calendar import calendar_years_ensure_provisional

WARN_FINE = [
    {"kind": "warning", "amount": None, "serious_reasons": ""},
    {"kind": "correction", "amount": None, "serious_reasons": ""},
    {"kind": "fine", "amount": Decimal("60000"), "serious_reasons": "超越资质等级承揽三项工程，合同金额逾千万元"},
]
WARN_ONLY = [{"kind": "warning", "amount": None, "serious_reasons": ""}]
# state the case is brought to, party key, article breached, sanctioning article (item), sanctions, facts
CASES = [
    ("registered", "contractor_b", "11", 43, None, WARN_ONLY, "以其他单位名义承揽海淀区智慧教育云平台工程。"),
    ("investigating", "contractor_a", "11", 43, None, WARN_FINE, "超越资质等级承揽交通执法移动办案系统工程。"),
    ("notified", "contractor_b", "11", 43, None, WARN_FINE, "未经资质认证承揽公交线网优化分析平台工程。"),
    ("hearing_requested", "contractor_a", "11", 43, None, WARN_FINE, "超越资质等级承揽道路停车电子收费系统扩容工程。"),
    ("hearing_held", "contractor_a", "11", 43, None, WARN_FINE, "超越资质等级承揽货运车辆动态监管系统工程。"),
    ("decided", "contractor_b", "11", 43, None, WARN_ONLY, "以其他单位名义承揽交通信用信息平台工程。"),
    ("served", "contractor_a", "11", 43, None, WARN_FINE, "超越资质等级承揽轨道交通客流监测系统工程。"),
    ("executing", "contractor_a", "11", 43, None, WARN_FINE, "超越资质等级承揽交通行业视频联网平台工程。"),
    ("closed", "contractor_b", "11", 43, None, WARN_ONLY, "未经资质认证承揽交通委协同办公平台改造工程。"),
    (
        "not_penalized",
        "transport",
        "29(2)",
        46,
        2,
        [{"kind": "criticism"}],
        "业务系统接入电子政务网络前未取得审查同意，经查系测试接入，已及时断开。",
    ),
    (
        "referred",
        "health",
        "34",
        44,
        None,
        [{"kind": "correction"}],
        "网络安全事件隐瞒不报，涉嫌违反治安管理，移送公安机关。",
    ),
    ("revoked", "education", "29(2)", 46, 2, [{"kind": "criticism"}], "擅自接入电子政务网络。"),
]


def _advance(case, state, officials, party_user, sanctions):
    official = officials[0]
    order = [
        "investigating",
        "notified",
        "hearing_requested",
        "hearing_held",
        "decided",
        "served",
        "executing",
        "closed",
    ]
    if state in ("registered",):
        return case
    if state == "not_penalized":
        return services.case_not_penalize(
            case=case, actor=official, reason="违法行为轻微并及时改正，没有造成危害后果（行政处罚法第三十三条）。"
        )
    if state == "referred":
        case = services.case_investigate(case=case, actor=official)
        return services.case_refer(
            case=case, actor=official, body="public_security", reason="涉嫌违反治安管理，移送公安机关（第四十七条）。"
        )
    target = "closed" if state == "revoked" else state
    hearing = target in ("hearing_requested", "hearing_held")
    case = services.case_investigate(case=case, actor=official)
    if target == "investigating":
        return case
    case = services.case_notify(case=case, actor=official, sanctions=sanctions)
    if target == "notified":
        return case
    if hearing:
        case = services.case_request_hearing(case=case, actor=party_user or official)
        if target == "hearing_requested":
            return case
        services.case_schedule_hearing(case=case, actor=official, hearing_date=timezone.localdate() + timedelta(days=7))
        # Demo only: the hearing is shown as held today.
        Case.objects.filter(pk=case.pk).update(hearing_date=timezone.localdate())
        case = services.case_hold_hearing(
            case=Case.objects.get(pk=case.pk), actor=official, record="当事人到场陈述，对事实无异议，请求从轻处罚。"
        )
        return case
    # Demo only: the notice went out two weeks ago, so the defence period has run.
    Case.objects.filter(pk=case.pk).update(notified_on=timezone.localdate() - timedelta(days=14))
    case = Case.objects.get(pk=case.pk)
    correction = (
        timezone.localdate() + timedelta(days=30) if any(s["kind"] == "correction" for s in sanctions) else None
    )
    case = services.case_decide(
        case=case,
        actor=official,
        sanctions=sanctions,
        decision_text="当事人在陈述申辩中未提出新的事实和理由。",
        correction_due=correction,
    )
    if order.index(target) >= order.index("decided"):
        case = services.case_publish(case=case, actor=official)
    if target == "decided":
        return case
    case = services.case_serve(case=case, actor=official)
    if target == "served":
        return case
    case = services.case_execute(case=case, actor=official)
    if target == "executing":
        return case
    if case.fine_total:
        services.case_record_payment(case=case, actor=official, paid_on=timezone.localdate(), amount=case.fine_total)
    case = services.case_close(case=Case.objects.get(pk=case.pk), actor=official)
    if state == "revoked":
        case = services.case_revoke(case=case, actor=official, reason="经行政复议，认定事实不清，决定撤销。")
    return case


@transaction.atomic
def seed_demo(organizations: dict[str, Organization]) -> None:
    calendar_years_ensure_provisional(through=timezone.localdate() + timedelta(days=200))
    services.findings_detect()
    if Case.objects.exists():
        return
    users = {
        u.username: u for u in User.objects.filter(username__in=["city_official", "enforcement", "contractor_clerk"])
    }
    officials = [users["city_official"], users["enforcement"]]
    for state, party_key, breached, article, item, sanctions, facts in CASES:
        case = services.case_register(
            actor=officials[0],
            party_organization=organizations[party_key],
            article_breached=breached,
            sanctioning_article=article,
            sanctioning_item=item,
            facts=facts,
            officers=officials,
        )
        party_user = users["contractor_clerk"] if party_key == "contractor_a" else None
        _advance(case, state, officials, party_user, sanctions)
    today = timezone.localdate()
    services.inspection_record(
        actor=officials[0],
        subject=organizations["transport"],
        area=InspectionArea.PLAN,
        planned_on=today - timedelta(days=20),
        conducted_on=today - timedelta(days=15),
        conclusion="年度计划所列12个项目中10个按期推进，2个未启动。",
    )
    services.inspection_record(
        actor=officials[0],
        subject=organizations["education"],
        area=InspectionArea.DISCLOSURE,
        planned_on=today - timedelta(days=10),
        conducted_on=today - timedelta(days=8),
        conclusion="政府信息公开指南未按要求更新，3件依申请公开逾期答复。",
        violation={"title": "政府信息公开逾期答复", "article_breached": "19", "sanctioning_article": "45(1)"},
    )
    services.inspection_record(
        actor=officials[0],
        subject=organizations["health"],
        area=InspectionArea.FUNDS,
        planned_on=today + timedelta(days=15),
    )
    year = today.year - 1
    for key, scores in (
        ("transport", {"规划与计划": 18, "项目管理": 19, "信息共享": 17, "网络安全": 18, "公共服务": 19}),
        ("education", {"规划与计划": 16, "项目管理": 17, "信息共享": 15, "网络安全": 18, "公共服务": 16}),
        ("health", {"规划与计划": 17, "项目管理": 15, "信息共享": 18, "网络安全": 16, "公共服务": 17}),
        ("planning", {"规划与计划": 19, "项目管理": 18, "信息共享": 19, "网络安全": 19, "公共服务": 18}),
    ):
        services.performance_evaluation_record(
            actor=officials[0], year=year, agency=organizations[key], indicators=scores, published=True
        )
    services.service_evaluation_record(
        actor=officials[0],
        year=year,
        enterprise=organizations["water"],
        sector_authority=organizations["authority"],
        score=Decimal("86.5"),
        summary="网上营业厅、账单查询和停水公告及时准确；移动端适老化改造尚未完成。",
    )
