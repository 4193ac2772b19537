"""The legal limits of Chapters 6-7 and of the Administrative Penalty Law (行政处罚法), each once, with its article.

Sanctions per article (条例 Arts. 43-46) are checked by ``sanctions_check``; a sanction the article does not
allow is refused with the article quoted. The procedural clocks come from the Administrative Penalty Law;
the numbers that an authority may set differently (hearing threshold, document-number prefix) are settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.rules import document_number_prefix


class SanctionKind(models.TextChoices):
    WARNING = "warning", _("警告")
    CORRECTION = "correction", _("责令（限期）改正")
    FINE = "fine", _("罚款")
    CRITICISM = "criticism", _("通报批评")
    SUSPENSION = "suspension", _("责令停机整顿")
    REFERRAL = "referral", _("移送有关部门处理")


# The sanctioning articles of Chapter 7 (条例第四十三条至第四十六条), quoted in every refusal.
ARTICLE_TEXT = {
    43: (
        "第四十三条 违反本条例第十一条规定，未经资质认证的单位承揽、以其他单位名义承揽相应领域的信息化工程，"
        "或者已经资质认证的单位超越本单位资质等级承揽信息化工程的，由市或者区、县信息化主管部门给予警告，"
        "责令限期改正；情节严重的，处以1万元以上10万元以下罚款。"
    ),
    44: (
        "第四十四条 违反本条例第三十四条规定，未按要求制定网络与信息系统安全事件应急预案，或者对网络与信息系统"
        "安全事件情况隐瞒不报、谎报或者拖延不报的，由市或者区、县信息化主管部门责令限期改正，并可处3万元以下罚款。"
    ),
    45: (
        "第四十五条 违反本条例规定，有下列行为之一的，由有关部门依照《中华人民共和国政府信息公开条例》、"
        "《中华人民共和国计算机信息系统安全保护条例》等有关规定责令改正，给予警告或者责令停机整顿，"
        "并对直接负责的主管人员和其他直接责任人员依法处理。"
    ),
    46: (
        "第四十六条 违反本条例规定，有下列行为之一的，市或者区、县信息化主管部门可以对责任单位给予通报批评；"
        "造成重大损失的，依照有关法律、法规予以处理。"
    ),
}
SANCTIONING_ARTICLES = tuple(ARTICLE_TEXT)


def article_body(article: int) -> str:
    """The article's text without its 第N条 label: pages put a link to the article, in the reader's language,
    in front of it (the regulation itself is published in Chinese only)."""
    return ARTICLE_TEXT[article].split(" ", 1)[1]


@dataclass(frozen=True)
class ArticleSanctions:
    allowed: frozenset[str]
    fine_min: Decimal | None = None
    fine_max: Decimal | None = None
    fine_needs_serious: bool = False
    # Art. 45: imposed by the competent department under the cited national rules, which the case records.
    needs_competent_department: bool = False


ARTICLE_SANCTIONS: dict[int, ArticleSanctions] = {
    # Art. 43: warning and correction within a deadline; a fine of 10,000-100,000 CNY only when serious.
    43: ArticleSanctions(
        allowed=frozenset({SanctionKind.WARNING, SanctionKind.CORRECTION, SanctionKind.FINE}),
        fine_min=Decimal("10000"),
        fine_max=Decimal("100000"),
        fine_needs_serious=True,
    ),
    # Art. 44: correction within a deadline, and a fine of at most 30,000 CNY.
    44: ArticleSanctions(
        allowed=frozenset({SanctionKind.CORRECTION, SanctionKind.FINE}),
        fine_min=Decimal("0.01"),
        fine_max=Decimal("30000"),
    ),
    # Art. 45: correction, warning or suspension for rectification, referral of the persons responsible; no fine.
    45: ArticleSanctions(
        allowed=frozenset(
            {SanctionKind.CORRECTION, SanctionKind.WARNING, SanctionKind.SUSPENSION, SanctionKind.REFERRAL}
        ),
        needs_competent_department=True,
    ),
    # Art. 46: notice of criticism of the responsible unit; referral when it caused major losses; no fine.
    46: ArticleSanctions(allowed=frozenset({SanctionKind.CRITICISM, SanctionKind.REFERRAL})),
}

# Items (项) of Arts. 45 and 46 and the article each one enforces.
ARTICLE_ITEMS = {
    (45, 1): "第十九条（政府信息公开）",
    (45, 2): "第三十二条（安全等级保护备案）",
    (45, 3): "第三十三条（安全建设与测评）",
    (46, 1): "第十七条（重复采集信息）",
    (46, 2): "第二十九条第二款（接入电子政务网络）",
}


def parse_sanctioning_article(text: str) -> tuple[int, int | None]:
    """ "45(2)" -> (45, 2); "43" -> (43, None). Refuses articles outside Chapter 7's sanctions."""
    text = (text or "").strip()
    item = None
    if "(" in text:
        head, _, tail = text.partition("(")
        text, item = head, int(tail.rstrip(")"))
    article = int(text)
    if article not in ARTICLE_SANCTIONS:
        raise ValidationError(
            f"罚则条款只能是第四十三条至第四十六条，而不是“{text}”。", code="sanctioning-article-invalid"
        )
    return article, item


def article_label(article: int, item: int | None = None) -> str:
    return f"Art. {article}({item})" if item else f"Art. {article}"


def _refuse(article: int, message: str, code: str) -> ValidationError:
    return ValidationError({"sanctions": ValidationError(f"{message}依据：{ARTICLE_TEXT[article]}", code=code)})


def sanctions_check(*, article: int, sanctions: list[dict], competent_department: str = "") -> list[dict]:
    """Check each proposed sanction against the sanctioning article; return them normalized.

    Each sanction is ``{"kind", "amount", "serious_reasons"}``. Raises a field-level ``ValidationError`` on
    ``sanctions`` that quotes the article (code ``sanction-not-allowed``, ``fine-out-of-range``, …)."""
    rule = ARTICLE_SANCTIONS.get(article)
    if rule is None:
        raise ValidationError({"sanctions": ValidationError("罚则条款无效。", code="sanctioning-article-invalid")})
    if not sanctions:
        raise _refuse(article, "请至少选择一项处罚种类。", "sanctions-required")
    normalized, seen = [], set()
    for entry in sanctions:
        kind = entry.get("kind")
        if kind not in SanctionKind.values:
            raise _refuse(article, f"未知的处罚种类“{kind}”。", "sanction-kind-unknown")
        if kind in seen:
            raise _refuse(article, f"处罚种类“{SanctionKind(kind).label}”重复。", "sanction-duplicate")
        seen.add(kind)
        label = SanctionKind(kind).label
        if kind not in rule.allowed:
            raise _refuse(article, f"{article_label(article)}不允许“{label}”。", "sanction-not-allowed")
        amount = entry.get("amount")
        amount = Decimal(str(amount)) if amount not in (None, "") else None
        reasons = (entry.get("serious_reasons") or "").strip()
        if kind == SanctionKind.FINE:
            if amount is None:
                raise _refuse(article, "罚款须写明金额。", "fine-amount-required")
            if amount < rule.fine_min or amount > rule.fine_max:
                raise _refuse(
                    article,
                    f"{article_label(article)}的罚款须在 {rule.fine_min:,.2f} 元至 {rule.fine_max:,.2f} 元之间，"
                    f"而不是 {amount:,.2f} 元。",
                    "fine-out-of-range",
                )
            if rule.fine_needs_serious and not reasons:
                raise _refuse(
                    article,
                    f"{article_label(article)}只有情节严重时才能罚款：请写明情节严重的理由。",
                    "serious-reasons-required",
                )
        elif amount not in (None, Decimal("0")):
            raise _refuse(article, f"“{label}”不带金额。", "amount-not-allowed")
        normalized.append(
            {"kind": kind, "amount": amount if kind == SanctionKind.FINE else None, "serious_reasons": reasons}
        )
    if rule.needs_competent_department and not competent_department.strip():
        raise _refuse(
            article,
            f"{article_label(article)}的处罚由有关部门依照所引国家规定作出：请在案件中记录作出处罚的主管部门。",
            "competent-department-required",
        )
    return normalized


# --- Clocks of the Administrative Penalty Law ------------------------------------------------------------------

# 行政处罚法第六十条: decide within 90 (calendar) days of registering the case; extension needs approval.
DECISION_DAYS = 90
DECISION_BASIS = "行政处罚法第六十条"
# 行政处罚法第四十四条: the notice of the proposed penalty, with the rights, precedes any decision.
NOTICE_BASIS = "行政处罚法第四十四条"
# 行政处罚法第六十四条第一项: the party asks for a hearing within 5 working days of the notice.
HEARING_REQUEST_WORKING_DAYS = 5
HEARING_REQUEST_BASIS = "行政处罚法第六十四条第一项"
# 行政处罚法第六十四条第二项: the party is told of the hearing at least 7 days before it.
HEARING_NOTICE_DAYS = 7
HEARING_NOTICE_BASIS = "行政处罚法第六十四条第二项"
# 行政处罚法第六十七条: a fine is paid within 15 days of service of the decision.
PAYMENT_DAYS = 15
PAYMENT_BASIS = "行政处罚法第六十七条"
# 行政处罚法第七十二条第一项: late payment adds 3 % of the fine per day, never more than the fine.
SURCHARGE_RATE_PER_DAY = Decimal("0.03")
SURCHARGE_BASIS = "行政处罚法第七十二条第一项"
# 行政处罚法第四十八条 (and the authority's publication rule): published within 7 working days of the decision.
PUBLICATION_WORKING_DAYS = 7
PUBLICATION_BASIS = "行政处罚法第四十八条"
# 行政处罚法第四十二条: at least two law-enforcement officers handle a case.
MIN_OFFICERS = 2
OFFICERS_BASIS = "行政处罚法第四十二条"
# Art. 42 of the regulation: decisions go to the credit information system.
CREDIT_BASIS = "Art. 42"


def surcharge(*, fine: Decimal, payment_due: date, on: date) -> Decimal:
    """Late-payment surcharge (加处罚款) owed on ``on``: 3 % of the fine for each day after ``payment_due``,
    capped at the fine (行政处罚法第七十二条第一项)."""
    days_late = (on - payment_due).days
    if days_late <= 0 or fine <= 0:
        return Decimal("0.00")
    owed = (fine * SURCHARGE_RATE_PER_DAY * days_late).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return min(owed, fine.quantize(Decimal("0.01")))


def _authority_setting(name: str, authority) -> object:
    table = getattr(settings, name)
    key = getattr(authority, "district", "") or "city"
    return table.get(key, table["city"])


# The kind of document in a case number: 京经信罚〔2026〕1号.
CASE_DOCUMENT_KIND = "罚"


def case_number_prefix(authority) -> str:
    """Case-number prefix of the deciding authority: its own entry in settings.ENFORCEMENT_CASE_PREFIXES (the
    city's is 京经信罚 by default), else the authority's 机关代字 + 罚. Never the city's for a district bureau:
    two authorities with one prefix would number two cases alike."""
    key = getattr(authority, "district", "") or "city"
    table = settings.ENFORCEMENT_CASE_PREFIXES
    if key in table:
        return table[key]
    return document_number_prefix(authority, CASE_DOCUMENT_KIND)


def format_case_number(prefix: str, year: int, sequence: int) -> str:
    return f"{prefix}〔{year}〕{sequence}号"


def hearing_threshold(authority, *, party_is_person: bool) -> Decimal:
    """The fine from which a party may ask for a hearing (行政处罚法第六十三条, 较大数额), per authority."""
    entry = _authority_setting("ENFORCEMENT_HEARING_THRESHOLDS", authority)
    return Decimal(str(entry["person" if party_is_person else "organization"]))


def hearing_qualifies(sanctions: list[dict], *, authority, party_is_person: bool) -> bool:
    """A hearing may be requested for a large fine or a suspension (行政处罚法第六十三条)."""
    threshold = hearing_threshold(authority, party_is_person=party_is_person)
    for s in sanctions:
        if s["kind"] == SanctionKind.SUSPENSION:
            return True
        if s["kind"] == SanctionKind.FINE and s.get("amount") is not None and Decimal(str(s["amount"])) >= threshold:
            return True
    return False


class ReferralBody(models.TextChoices):
    """Art. 47: other bodies for acts beyond this regulation; Art. 48: the supervisory body for officials."""

    PUBLIC_SECURITY = "public_security", _("公安机关（第四十七条）")
    STATE_SECURITY = "state_security", _("国家安全机关（第四十七条）")
    SECRECY = "secrecy", _("保密行政管理部门（第四十七条）")
    MARKET_REGULATION = "market_regulation", _("市场监督管理部门（第四十七条）")
    SUPERVISORY = "supervisory", _("监察机关（第四十八条）")


REFERRAL_ARTICLE = {
    ReferralBody.PUBLIC_SECURITY: 47,
    ReferralBody.STATE_SECURITY: 47,
    ReferralBody.SECRECY: 47,
    ReferralBody.MARKET_REGULATION: 47,
    ReferralBody.SUPERVISORY: 48,
}
