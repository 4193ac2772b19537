"""The notice of proposed penalty (行政处罚事先告知书) and the decision (行政处罚决定书) as PDFs quoting the articles.

One function per document, so each can switch to portal's shared GB/T 9704 letter module when it lands;
until then they are laid out like projects/pdf.py, with the embedded CJK TrueType font.
"""

from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from enforcement import rules
from enforcement.rules import SanctionKind
from projects.pdf import register_cjk_font


def _letter_date(day) -> str:
    # GB/T 9704-2012: Arabic numerals, no zero padding.
    return f"{day.year}年{day.month}月{day.day}日"


def _styles():
    font = register_cjk_font()
    base = ParagraphStyle("base", fontName=font, fontSize=12, leading=20, wordWrap="CJK", firstLineIndent=24)
    return {
        "base": base,
        "plain": ParagraphStyle("plain", parent=base, firstLineIndent=0),
        "title": ParagraphStyle(
            "title",
            parent=base,
            fontSize=18,
            leading=28,
            alignment=TA_CENTER,
            firstLineIndent=0,
            textColor=colors.HexColor("#a8201a"),
        ),
        "number": ParagraphStyle("number", parent=base, alignment=TA_CENTER, firstLineIndent=0),
        "right": ParagraphStyle("right", parent=base, alignment=TA_RIGHT, firstLineIndent=0),
        "quote": ParagraphStyle(
            "quote",
            parent=base,
            fontSize=10,
            leading=16,
            firstLineIndent=0,
            leftIndent=12,
            textColor=colors.HexColor("#444444"),
        ),
    }


def _p(text: str, style) -> Paragraph:
    return Paragraph(escape(text or "").replace("\n", "<br/>"), style)


def _sanctions_text(items) -> str:
    parts = []
    for s in items:
        kind = s["kind"] if isinstance(s, dict) else s.kind
        amount = s.get("amount") if isinstance(s, dict) else s.amount
        label = str(SanctionKind(kind).label)  # a lazy label cannot be str.join-ed
        parts.append(f"{label}人民币{amount}元" if amount else label)
    return "；".join(parts)


def _render(story) -> bytes:
    buffer = BytesIO()
    SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=28 * mm, rightMargin=26 * mm, topMargin=37 * mm, bottomMargin=35 * mm
    ).build(story)
    return buffer.getvalue()


def notice_pdf(case) -> bytes:
    """行政处罚事先告知书 (行政处罚法第四十四条): facts, articles, proposed sanction, rights and the deadline."""
    st = _styles()
    hearing = (
        f"根据《中华人民共和国行政处罚法》第六十三条、第六十四条的规定，你（单位）有权要求听证；如要求听证，"
        f"应当在收到本告知书之日起{rules.HEARING_REQUEST_WORKING_DAYS}个工作日内提出，逾期视为放弃。"
        if case.hearing_eligible
        else ""
    )
    story = [
        _p(case.authority.name, st["title"]),
        _p("行政处罚事先告知书", st["title"]),
        _p(f"{case.number}（告）", st["number"]),
        Spacer(1, 6 * mm),
        _p(f"{case.party_name}：", st["plain"]),
        _p(f"经查，{case.facts}", st["base"]),
        _p(
            f"你（单位）的上述行为违反了《北京市信息化促进条例》第{case.article_breached}条的规定。依据该条例"
            f"第{case.sanctioning_article}条，本机关拟对你（单位）作出如下行政处罚：{_sanctions_text(case.proposed_sanctions)}。",
            st["base"],
        ),
        _p(rules.ARTICLE_TEXT[case.sanctioning_article], st["quote"]),
        _p(
            "根据《中华人民共和国行政处罚法》第四十四条、第四十五条的规定，你（单位）有权进行陈述和申辩。" + hearing,
            st["base"],
        ),
        Spacer(1, 12 * mm),
        _p(case.authority.name, st["right"]),
        _p(_letter_date(case.notified_on), st["right"]),
    ]
    return _render(story)


def decision_pdf(case) -> bytes:
    """行政处罚决定书: facts, articles quoted, sanctions, payment period and surcharge, remedies."""
    st = _styles()
    sanctions = list(case.sanctions.all())
    payment = (
        f"罚款应当自收到本决定书之日起{rules.PAYMENT_DAYS}日内缴纳（《中华人民共和国行政处罚法》第六十七条）。"
        f"到期不缴纳罚款的，每日按罚款数额的3%加处罚款，加处罚款的数额不超出罚款的数额（第七十二条）。"
        if case.fine_total > 0
        else ""
    )
    correction = next((s for s in sanctions if s.kind == SanctionKind.CORRECTION and s.correction_due), None)
    story = [
        _p(case.authority.name, st["title"]),
        _p("行政处罚决定书", st["title"]),
        _p(case.number, st["number"]),
        Spacer(1, 6 * mm),
        _p(f"当事人：{case.party_name}", st["plain"]),
        _p(f"经查，{case.facts}", st["base"]),
        _p(
            f"上述行为违反了《北京市信息化促进条例》第{case.article_breached}条的规定。本机关已于"
            f"{_letter_date(case.notified_on)}告知你（单位）拟作出的行政处罚及享有的权利。"
            + (f"{case.decision_text}" if case.decision_text else ""),
            st["base"],
        ),
        _p(f"依据《北京市信息化促进条例》第{case.sanctioning_article}条：", st["base"]),
        _p(rules.ARTICLE_TEXT[case.sanctioning_article], st["quote"]),
        _p(f"本机关决定：{_sanctions_text(sanctions)}。", st["base"]),
    ]
    if case.competent_department:
        story.append(_p(f"作出处罚的主管部门及依据：{case.competent_department}。", st["base"]))
    if correction:
        story.append(_p(f"请于{_letter_date(correction.correction_due)}前改正，逾期将予复查。", st["base"]))
    if payment:
        story.append(_p(payment, st["base"]))
    story += [
        _p(
            "如不服本决定，可以在收到本决定书之日起六十日内依法申请行政复议，或者在六个月内依法向人民法院提起行政诉讼。",
            st["base"],
        ),
        Spacer(1, 12 * mm),
        _p(case.authority.name, st["right"]),
        _p(_letter_date(case.decided_on), st["right"]),
    ]
    return _render(story)
