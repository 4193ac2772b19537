"""The review opinion letter (审查意见书) as PDF, with an embedded CJK TrueType font.

reportlab's built-in STSong-Light is a CID font that is never embedded (viewers substitute a
font, or show boxes); we embed WenQuanYi Micro Hei (or the font PDF_CJK_FONT_PATH points at).
"""

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

from projects.rules import approval_stage_label

FONT_NAME = "PortalCJK"


class CJKFontMissing(RuntimeError):
    """The configured CJK font file is absent: the letter cannot be produced legibly."""


def register_cjk_font() -> str:
    if FONT_NAME in pdfmetrics.getRegisteredFontNames():
        return FONT_NAME
    path = Path(settings.PDF_CJK_FONT_PATH)
    if not path.is_file():
        raise CJKFontMissing(
            f"生成审查意见书需要中文字体文件 {path}，但服务器上没有找到。"
            "请安装字体：sudo apt-get install -y fonts-wqy-microhei"
            "（或设置 PDF_CJK_FONT_PATH 指向一个 TrueType 中文字体）。"
        )
    pdfmetrics.registerFont(TTFont(FONT_NAME, str(path), subfontIndex=settings.PDF_CJK_FONT_SUBFONT_INDEX))
    return FONT_NAME


def _p(text: str, style) -> Paragraph:
    return Paragraph(escape(text or "").replace("\n", "<br/>"), style)


def opinion_pdf(filing, checklist: list[dict]) -> bytes:
    font = register_cjk_font()
    base = ParagraphStyle("base", fontName=font, fontSize=11, leading=18, wordWrap="CJK")
    title = ParagraphStyle(
        "title", parent=base, fontSize=18, leading=26, alignment=TA_CENTER, textColor=colors.HexColor("#a8201a")
    )
    number = ParagraphStyle("number", parent=base, alignment=TA_CENTER)
    right = ParagraphStyle("right", parent=base, alignment=TA_RIGHT)
    heading = ParagraphStyle("heading", parent=base, fontSize=12, leading=20, spaceBefore=6)
    small = ParagraphStyle("small", parent=base, fontSize=9, leading=13, textColor=colors.HexColor("#555555"))

    authority = filing.reviewing_authority.name if filing.reviewing_authority else "信息化主管部门"
    decided = timezone.localtime(filing.decided_at) if filing.decided_at else timezone.localtime()
    stage = approval_stage_label(filing.kind)
    story = [
        _p(authority, title),
        _p("信息化工程审查意见书", title),
        Spacer(1, 2 * mm),
        _p(filing.opinion_number, number),
        Spacer(1, 6 * mm),
        _p(f"{filing.agency.name}：", base),
        _p(
            f"你单位报送的“{filing.title}”（建设性质：{filing.get_kind_display()}，政府投资 "
            f"{filing.government_investment} 万元，其他资金 {filing.other_funding} 万元）收悉。"
            f"依据《北京市信息化促进条例》第十三条，我局对该工程的需求效益、规划布局、技术标准、"
            f"网络与信息安全、信息资源共享以及其他相关内容进行了审查，意见如下：",
            base,
        ),
        Spacer(1, 3 * mm),
    ]
    rows = [[_p("审查内容", base), _p("结论", base), _p("意见", base)]]
    for item in checklist:
        finding = item["finding"]
        rows.append(
            [
                _p(item["label"], base),
                _p(finding.get_result_display() if finding else "—", base),
                _p(finding.text if finding and finding.text else "", base),
            ]
        )
    table = Table(rows, colWidths=[38 * mm, 24 * mm, 104 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#888888")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f1f1f1")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story += [table, Spacer(1, 4 * mm), _p(f"审查结论：{conclusion_label(filing)}", heading)]
    if filing.conditions:
        story += [_p("通过条件：", heading), _p(filing.conditions, base)]
    if filing.opinion_summary:
        story += [_p("审查意见：", heading), _p(filing.opinion_summary, base)]
    if filing.approving_department:
        story += [
            Spacer(1, 3 * mm),
            _p(
                f"本意见作为{filing.approving_department.name}{stage}的依据（第十三条）。"
                "不符合审查要求的信息化工程，不予审查和审批通过。",
                base,
            ),
        ]
    story += [
        Spacer(1, 14 * mm),
        _p(authority, right),
        _p(f"{decided:%Y年%m月%d日}", right),
        Spacer(1, 10 * mm),
        _p(f"项目编号：{filing.uuid}　本意见书由信息化促进门户生成。", small),
    ]
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=22 * mm,
        rightMargin=22 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=f"{filing.opinion_number} 审查意见书",
        author=authority,
    )
    doc.build(story)
    return buffer.getvalue()


def conclusion_label(filing) -> str:
    """The decision of the opinion, also once the project has moved on to construction."""
    if filing.status == "rejected":
        return "不予通过"
    return "有条件通过" if filing.conditions else "审查通过"
