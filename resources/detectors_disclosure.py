"""Violation detectors of disclosure (Art. 19 -> Art. 45(1)), and the app wiring disclosure needs at start-up.

``disclosure_ready()`` is called once from ``ResourcesConfig.ready()``.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from portal.detectors import Detector, register

TIMELINE_LABELS = {
    "disclosure_submitted": _("网上提交申请"),
    "disclosure_recorded": _("登记申请"),
    "disclosure_received": _("确认收到申请"),
    "disclosure_correction_requested": _("告知补正"),
    "disclosure_correction_submitted": _("申请人网上提交补正"),
    "disclosure_correction_received": _("收到补正"),
    "disclosure_extended": _("延期答复"),
    "disclosure_consultation_started": _("征求意见（期限中止）"),
    "disclosure_consultation_answered": _("收到意见（期限恢复）"),
    "disclosure_replied": _("答复"),
    "disclosure_guide_published": _("发布公开指南"),
    "disclosure_catalog_entry_created": _("登记公开目录"),
    "disclosure_report_generated": _("生成年度报告数据"),
    "disclosure_report_reviewed": _("审核年度报告"),
    "disclosure_report_published": _("发布年度报告"),
    "enterprise_disclosure_updated": _("更新公共企事业单位公开事项"),
    "enterprise_disclosure_reminded": _("提醒公共企事业单位公开信息"),
}


def _without_guide():
    from resources.selectors.disclosure import agencies_without_guide

    return agencies_without_guide()


def _stale_catalog():
    from resources.selectors.disclosure import agencies_with_stale_catalog

    return agencies_with_stale_catalog()


def _no_report():
    from resources.selectors.disclosure import agencies_without_annual_report

    return agencies_without_annual_report()


def _late():
    from resources.selectors.disclosure import applications_answered_late

    return applications_answered_late()


def _catalog_evidence(agency) -> str:
    from resources.rules_disclosure import catalog_stale_days

    last = getattr(agency, "last_entry", None)
    since = f"最近一条生成于 {last:%Y-%m-%d}" if last else "从未登记目录条目"
    return f"{agency.name}的政府信息公开目录超过 {catalog_stale_days()} 天未更新（{since}）。"


def _late_evidence(application) -> str:
    if application.replied_on:
        return (
            f"{application.agency.name}对申请 {application.tracking_number} 的答复期限为 "
            f"{application.reply_due_date:%Y-%m-%d}，于 {application.replied_on:%Y-%m-%d} 答复，已逾期。"
        )
    return (
        f"{application.agency.name}对申请 {application.tracking_number} 的答复期限为 "
        f"{application.reply_due_date:%Y-%m-%d}，截至 {timezone.localdate():%Y-%m-%d} 尚未答复。"
    )


DETECTORS = [
    Detector(
        rule="art19-disclosure-guide-missing",
        title=gettext_noop("未编制并公布政务信息公开指南"),
        article_breached="19",
        sanctioning_article="45(1)",
        offenders=_without_guide,
        party=lambda agency: agency,
        evidence=lambda agency: f"{agency.name}尚未在本系统发布现行的政府信息公开指南（条例第十二条）。",
    ),
    Detector(
        rule="art19-disclosure-catalog-stale",
        title=gettext_noop("政务信息公开目录未及时更新"),
        article_breached="19",
        sanctioning_article="45(1)",
        offenders=_stale_catalog,
        party=lambda agency: agency,
        evidence=_catalog_evidence,
    ),
    Detector(
        rule="art19-disclosure-annual-report-missing",
        title=gettext_noop("未按时公布政府信息公开工作年度报告"),
        article_breached="19",
        sanctioning_article="45(1)",
        offenders=_no_report,
        party=lambda agency: agency,
        evidence=lambda agency: (
            f"截至 {timezone.localdate():%Y-%m-%d}，{agency.name}尚未公布 {timezone.localdate().year - 1} 年"
            "政府信息公开工作年度报告（条例第四十九条：每年1月31日前）。"
        ),
    ),
    Detector(
        rule="art19-disclosure-reply-late",
        title=gettext_noop("政府信息公开申请逾期答复"),
        article_breached="19",
        sanctioning_article="45(1)",
        offenders=_late,
        party=lambda application: application.agency,
        evidence=_late_evidence,
    ),
]


def register_detectors() -> None:
    for detector in DETECTORS:
        register(detector)


def disclosure_ready() -> None:
    """Detectors, timeline labels and scoped attachment downloads of disclosure."""
    from portal.templatetags.portal_tags import TIMELINE_ACTION_LABELS

    register_detectors()
    TIMELINE_ACTION_LABELS.update(TIMELINE_LABELS)
