"""Violation detectors of Chapter 5, registered from SecurityConfig.ready() (DESIGN.md "Findings and enforcement").

Art. 32 -> 45(2): a level-2+ system without an approved filing after the filing period.
Art. 33 -> 45(3): an evaluation overdue, or a level-3+ system never evaluated.
Art. 34 -> 44: an organization operating level-2+ systems without a current emergency plan; a late
incident report; a final summary not submitted in time.
"""

from datetime import timedelta

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from portal.detectors import Detector, register
from portal.models import Organization
from security import rules
from security.models import EmergencyPlan, Incident, IncidentStatus, InformationSystem, SystemStatus


def _live_systems():
    return InformationSystem.objects.exclude(status=SystemStatus.RETIRED).select_related("operator")


def unfiled_systems():
    today = timezone.localdate()
    return _live_systems().filter(
        level__gte=rules.FILING_MIN_LEVEL, current_filing__isnull=True, filing_due_date__lt=today
    )


def overdue_evaluations():
    return _live_systems().filter(last_evaluated_on__isnull=False, next_evaluation_due__lt=timezone.localdate())


def missing_evaluations():
    today = timezone.localdate()
    return (
        _live_systems()
        .filter(level__gte=3, last_evaluated_on__isnull=True)
        .filter(
            Q(next_evaluation_due__lt=today)
            | Q(next_evaluation_due__isnull=True, graded_on__lt=today - timedelta(days=365))
        )
    )


def organizations_without_plan():
    operates = InformationSystem.objects.filter(operator=OuterRef("pk"), level__gte=rules.FILING_MIN_LEVEL).exclude(
        status=SystemStatus.RETIRED
    )
    has_plan = EmergencyPlan.objects.filter(organization=OuterRef("pk"), is_current=True)
    return Organization.objects.filter(Exists(operates), ~Exists(has_plan), is_active=True)


def late_incident_reports():
    return Incident.objects.filter(report_delay_minutes__gt=0).select_related("organization")


def overdue_incident_summaries():
    return Incident.objects.filter(
        status=IncidentStatus.HANDLED, summary_due_date__lt=timezone.localdate()
    ).select_related("organization")


DETECTORS = [
    Detector(
        rule="art32-grading-unfiled",
        title=gettext_noop("第二级以上信息系统未按期办理等级保护备案"),
        article_breached=rules.ART_GRADING,
        sanctioning_article=rules.SANCTION_GRADING,
        offenders=unfiled_systems,
        party=lambda s: s.operator,
        evidence=lambda s: f"{s.operator.name}的“{s.name}”定为第{s.level}级（{s.graded_on}），"
        f"备案期限 {s.filing_due_date} 已过，尚无准予备案的记录（{rules.FILING_SOURCE}）。",
    ),
    Detector(
        rule="art33-evaluation-overdue",
        title=gettext_noop("信息系统等级测评逾期"),
        article_breached=rules.ART_EVALUATION,
        sanctioning_article=rules.SANCTION_EVALUATION,
        offenders=overdue_evaluations,
        party=lambda s: s.operator,
        evidence=lambda s: f"{s.operator.name}的“{s.name}”（第{s.level}级）最近测评 {s.last_evaluated_on}，"
        f"下次测评期限 {s.next_evaluation_due} 已过。",
    ),
    Detector(
        rule="art33-evaluation-missing",
        title=gettext_noop("第三级以上信息系统从未进行等级测评"),
        article_breached=rules.ART_EVALUATION,
        sanctioning_article=rules.SANCTION_EVALUATION,
        offenders=missing_evaluations,
        party=lambda s: s.operator,
        evidence=lambda s: f"{s.operator.name}的“{s.name}”定为第{s.level}级（{s.graded_on}），从未登记等级测评。",
    ),
    Detector(
        rule="art34-no-emergency-plan",
        title=gettext_noop("运行第二级以上系统的单位未制定应急预案"),
        article_breached=rules.ART_INCIDENT,
        sanctioning_article=rules.SANCTION_INCIDENT,
        offenders=organizations_without_plan,
        party=lambda org: org,
        evidence=lambda org: f"{org.name}运行第二级以上信息系统，但没有现行的安全事件应急预案。",
    ),
    Detector(
        rule="art34-late-incident-report",
        title=gettext_noop("安全事件迟报"),
        article_breached=rules.ART_INCIDENT,
        sanctioning_article=rules.SANCTION_INCIDENT,
        offenders=late_incident_reports,
        party=lambda i: i.organization,
        evidence=lambda i: f"{i.organization.name}报告的“{i.title}”（{i.get_level_display()}）"
        f"发现于 {timezone.localtime(i.discovered_at):%Y-%m-%d %H:%M}，"
        f"报告于 {timezone.localtime(i.reported_at):%Y-%m-%d %H:%M}，"
        f"超过首报时限（{i.report_limit_minutes} 分钟）{i.report_delay_minutes} 分钟。",
    ),
    Detector(
        rule="art34-incident-summary-overdue",
        title=gettext_noop("安全事件总结报告逾期未报"),
        article_breached=rules.ART_INCIDENT,
        sanctioning_article=rules.SANCTION_INCIDENT,
        offenders=overdue_incident_summaries,
        party=lambda i: i.organization,
        evidence=lambda i: f"{i.organization.name}的“{i.title}”处置结束后，总结报告期限 {i.summary_due_date} 已过。",
    ),
]


def register_all() -> None:
    for detector in DETECTORS:
        register(detector)
