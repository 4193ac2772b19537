"""The reply letter (政府信息公开申请答复书) and the annual report as PDF, with an embedded CJK font.

Until the shared GB/T 9704 letter layout lands in ``portal``, letters are laid out here the way
``projects/pdf.py`` does (embedded WenQuanYi Micro Hei, or the font PDF_CJK_FONT_PATH points at).
``render_letter`` is the one function to switch over to the shared layout.
"""

from datetime import date
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from resources import rules_disclosure as rules

FONT_NAME = "PortalCJK"


class CJKFontMissing(RuntimeError):
    """The configured CJK font file is absent: the letter cannot be produced legibly."""


def _font() -> str:
    if FONT_NAME in pdfmetrics.getRegisteredFontNames():
        return FONT_NAME
    path = Path(settings.PDF_CJK_FONT_PATH)
    if not path.is_file():
        raise CJKFontMissing(f"生成答复书需要中文字体文件 {path}：请安装 fonts-wqy-microhei 或设置 PDF_CJK_FONT_PATH。")
    pdfmetrics.registerFont(TTFont(FONT_NAME, str(path), subfontIndex=settings.PDF_CJK_FONT_SUBFONT_INDEX))
    return FONT_NAME


def gbt_date(day: date) -> str:
    """GB/T 9704-2012: 2026年9月22日 (no zero padding)."""
    return f"{day.year}年{day.month}月{day.day}日"


def render_letter(
    *,
    issuer: str,
    title: str,
    number: str,
    addressee: str,
    paragraphs: list,
    signed_on: date,
    table: list[list[str]] | None = None,
) -> bytes:
    """One official letter: red issuer line, title, number, addressee, body, issuer and date bottom right."""
    font = _font()
    base = ParagraphStyle("base", fontName=font, fontSize=12, leading=22, wordWrap="CJK", firstLineIndent=24)
    flush = ParagraphStyle("flush", parent=base, firstLineIndent=0)
    head = ParagraphStyle(
        "head",
        parent=base,
        fontSize=20,
        leading=30,
        alignment=TA_CENTER,
        textColor=colors.HexColor("#c00000"),
        firstLineIndent=0,
    )
    center = ParagraphStyle("center", parent=flush, alignment=TA_CENTER)
    right = ParagraphStyle("right", parent=flush, alignment=TA_RIGHT)

    def p(text, style=base):
        return Paragraph(escape(text or "").replace("\n", "<br/>"), style)

    story = [
        p(issuer, head),
        p(title, head),
        Spacer(1, 2 * mm),
        p(number, center),
        Spacer(1, 6 * mm),
        p(f"{addressee}：", flush),
    ]
    story += [p(text) for text in paragraphs]
    if table:
        grid = Table([[p(cell, flush) for cell in row] for row in table], colWidths=[110 * mm, 50 * mm])
        grid.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#888888"))]))
        story += [Spacer(1, 3 * mm), grid]
    story += [Spacer(1, 14 * mm), p(issuer, right), p(gbt_date(signed_on), right)]
    buffer = BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=28 * mm,
        rightMargin=26 * mm,
        topMargin=37 * mm,
        bottomMargin=35 * mm,
        title=f"{title} {number}",
        author=issuer,
    ).build(story)
    return buffer.getvalue()


def reply_letter_pdf(application) -> bytes:
    """条例 Art. 36: the reply, its type, the legal reason where it refuses, and the remedies."""
    response = rules.ResponseType(application.response_type).label
    reason = rules.reason_label(application.response_type, application.response_reason)
    received = application.correction_received_on or application.received_on
    paragraphs = [
        f"你（单位）于{gbt_date(received)}向本机关提出的政府信息公开申请"
        f"（查询编号 {application.tracking_number}）收悉。"
        f"申请内容：{application.description}",
        f"经审查，本机关答复如下：{response}。" + (f"理由：{reason}。" if reason else ""),
    ]
    if application.response_text:
        paragraphs.append(application.response_text)
    if application.fee_amount:
        method = rules.FeeMethod(application.fee_method).label
        paragraphs.append(
            f"依据{rules.FEE_BASIS}，本申请{method}信息处理费 {application.fee_amount} 元"
            f"（计 {application.fee_quantity}"
            f"{rules.FEE_UNITS[application.fee_method]}）。"
        )
    paragraphs.append(
        "如对本答复不服，可以自收到本答复之日起六十日内依法申请行政复议，或者六个月内依法提起行政诉讼（条例第五十一条）。"
    )
    return render_letter(
        issuer=application.agency.name,
        title="政府信息公开申请答复书",
        number=f"（{application.replied_on.year}）依申请公开第 {application.tracking_number} 号",
        addressee=application.applicant_name,
        paragraphs=paragraphs,
        signed_on=application.replied_on or timezone.localdate(),
    )


def annual_report_pdf(report) -> bytes:
    labels = dict(rules.ANNUAL_REPORT_ROWS)
    table = [["项目", "数量"]] + [
        [labels[code], str(report.figures.get(code, 0))] for code, _ in rules.ANNUAL_REPORT_ROWS
    ]
    paragraphs = [
        f"本报告依据《中华人民共和国政府信息公开条例》第四十九条、第五十条编制，统计期限为{report.year}年1月1日至12月31日。"
    ]
    if report.commentary:
        paragraphs.append(report.commentary)
    return render_letter(
        issuer=report.agency.name,
        title=f"{report.year}年政府信息公开工作年度报告",
        number="",
        addressee="社会公众",
        paragraphs=paragraphs,
        signed_on=timezone.localdate(report.published_at) if report.published_at else timezone.localdate(),
        table=table,
    )
