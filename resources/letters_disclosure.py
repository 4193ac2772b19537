"""The reply letter (政府信息公开申请答复书) and the annual report on the shared letter layout
(portal/letters.py, GB/T 9704-2012)."""

from django.utils import timezone

from portal.language import in_site_language
from portal.letters import CJKFontMissing, Grid, Letter, chinese_date, render_letter
from resources import rules_disclosure as rules

__all__ = ["CJKFontMissing", "annual_report_letter", "annual_report_pdf", "reply_letter", "reply_letter_pdf"]

REPLY_KIND = "政府信息公开申请答复书"
REPORT_KIND = "政府信息公开工作年度报告"


@in_site_language
def reply_letter(application) -> Letter:
    """条例 Art. 36: the reply, its type, the legal reason where it refuses, and the remedies."""
    response = rules.ResponseType(application.response_type).label
    reason = rules.reason_label(application.response_type, application.response_reason)
    received = application.correction_received_on or application.received_on
    signed_on = application.replied_on or timezone.localdate()
    body = [
        f"你（单位）于{chinese_date(received)}向本机关提出的政府信息公开申请"
        f"（查询编号 {application.tracking_number}）收悉。"
        f"申请内容：{application.description}",
        f"经审查，本机关答复如下：{response}。" + (f"理由：{reason}。" if reason else ""),
    ]
    if application.response_text:
        body.append(application.response_text)
    if application.fee_amount:
        method = rules.FeeMethod(application.fee_method).label
        body.append(
            f"依据{rules.FEE_BASIS}，本申请{method}信息处理费 {application.fee_amount} 元"
            f"（计 {application.fee_quantity}"
            f"{rules.FEE_UNITS[application.fee_method]}）。"
        )
    body.append(
        "如对本答复不服，可以自收到本答复之日起六十日内依法申请行政复议，或者六个月内依法提起行政诉讼（条例第五十一条）。"
    )
    return Letter(
        issuer=application.agency.name,
        number=f"（{signed_on.year}）依申请公开第 {application.tracking_number} 号",
        title=REPLY_KIND,
        addressee=application.applicant_name,
        body=body,
        date=signed_on,
        kind=REPLY_KIND,
    )


@in_site_language
def annual_report_letter(report) -> Letter:
    labels = dict(rules.ANNUAL_REPORT_ROWS)
    figures = [[labels[code], str(report.figures.get(code, 0))] for code, _ in rules.ANNUAL_REPORT_ROWS]
    rows = [["项目", "数量"], *figures]
    body: list = [
        f"本报告依据《中华人民共和国政府信息公开条例》第四十九条、第五十条编制，统计期限为{report.year}年1月1日至12月31日。"
    ]
    if report.commentary:
        body.append(report.commentary)
    body.append(Grid(rows, [116, 40]))
    return Letter(
        issuer=report.agency.name,
        number="",
        title=f"{report.year}年{REPORT_KIND}",
        addressee="社会公众",
        body=body,
        date=timezone.localdate(report.published_at) if report.published_at else timezone.localdate(),
        kind=f"{report.year}年{REPORT_KIND}",
    )


def reply_letter_pdf(application) -> bytes:
    return render_letter(reply_letter(application))


def annual_report_pdf(report) -> bytes:
    return render_letter(annual_report_letter(report))
