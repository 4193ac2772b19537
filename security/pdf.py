"""The grading filing certificate (备案证明) as PDF with an embedded CJK TrueType font.

One function, ``certificate_pdf``, so it can switch to the shared GB/T 9704 letter layout of portal once
that lands on main; until then it is laid out like projects/pdf.py and reuses its font registration.
"""

from io import BytesIO
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from projects.pdf import CJKFontMissing, register_cjk_font
from security.rules import GRADING_MATRIX_SOURCE

__all__ = ["CJKFontMissing", "certificate_pdf"]


def _p(text: str, style) -> Paragraph:
    return Paragraph(escape(text or "").replace("\n", "<br/>"), style)


def _letter_date(moment) -> str:
    # GB/T 9704-2012: dates in letters without zero padding.
    return f"{moment.year}年{moment.month}月{moment.day}日"


def certificate_pdf(grading) -> bytes:
    font = register_cjk_font()
    base = ParagraphStyle("base", fontName=font, fontSize=12, leading=20, wordWrap="CJK")
    title = ParagraphStyle(
        "title", parent=base, fontSize=20, leading=30, alignment=TA_CENTER, textColor=colors.HexColor("#a8201a")
    )
    center = ParagraphStyle("center", parent=base, alignment=TA_CENTER)
    right = ParagraphStyle("right", parent=base, alignment=TA_RIGHT)
    small = ParagraphStyle("small", parent=base, fontSize=9, leading=13, textColor=colors.HexColor("#555555"))
    system = grading.system
    authority = grading.authority.name if grading.authority else "信息化主管部门"
    decided = timezone.localtime(grading.decided_at) if grading.decided_at else timezone.localtime()
    rows = [
        ("系统名称", system.name),
        ("运行维护单位", system.operator.name),
        ("建设单位", system.builder),
        ("承载网络", system.get_network_display()),
        ("业务信息安全保护等级", grading.get_business_level_display()),
        ("系统服务安全保护等级", grading.get_service_level_display()),
        ("安全保护等级", grading.get_level_display()),
        ("定级日期", _letter_date(grading.graded_on)),
        ("备案事由", grading.get_reason_display()),
    ]
    table = Table([[_p(k, base), _p(v, base)] for k, v in rows], colWidths=[50 * mm, 116 * mm])
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#888888")),
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f1f1f1")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    story = [
        _p(authority, title),
        _p("信息系统安全等级保护备案证明", title),
        Spacer(1, 2 * mm),
        _p(grading.filing_number, center),
        Spacer(1, 8 * mm),
        _p(
            f"{system.operator.name}：依据《北京市信息化促进条例》第三十二条，你单位报送的信息系统安全保护等级"
            f"定级备案材料收悉，经审核，准予备案。定级依据{GRADING_MATRIX_SOURCE}，系统安全保护等级取业务信息"
            "与系统服务安全保护等级的较高者。",
            base,
        ),
        Spacer(1, 4 * mm),
        table,
        Spacer(1, 4 * mm),
        _p(
            "请按照国家网络安全等级保护有关规定开展安全建设整改和等级测评（第三十三条），"
            "制定安全事件应急预案并定期演练（第三十四条）。系统等级变更或发生重大变更的，应当重新备案。",
            base,
        ),
        Spacer(1, 14 * mm),
        _p(authority, right),
        _p(_letter_date(decided), right),
        Spacer(1, 10 * mm),
        _p(f"备案标识：{grading.uuid}　本证明由信息化促进门户生成。", small),
    ]
    buffer = BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=22 * mm,
        rightMargin=22 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=f"{grading.filing_number} 备案证明",
        author=authority,
    ).build(story)
    return buffer.getvalue()
