"""Legal limits of government information disclosure (Arts. 19-20), each with its source.

"条例" below is 《中华人民共和国政府信息公开条例》 (2019 revision); the fee tiers are those of
《政府信息公开信息处理费管理办法》 (国办函〔2020〕109号). Screens cite them as written here.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# --- clocks (working days, counted per 民法典 Arts. 201-203 on the holiday calendar) -------------
# 条例 Art. 33 para. 2: reply within 20 working days of receipt.
REPLY_WORKING_DAYS = 20
REPLY_BASIS = "政府信息公开条例第三十三条"
# 条例 Art. 30: a correction (补正) notice goes out once, within 7 working days of receipt; the
# period restarts from the day the agency receives the corrected request.
CORRECTION_NOTICE_WORKING_DAYS = 7
CORRECTION_BASIS = "政府信息公开条例第三十条"
# 条例 Art. 33 para. 2: one extension, at most 20 working days, approved by the head of the disclosure
# office and notified to the applicant.
EXTENSION_MAX_WORKING_DAYS = 20
EXTENSION_BASIS = "政府信息公开条例第三十三条第二款"
# 条例 Art. 32: a third party answers within 15 working days; the time consulting takes is not counted
# in the reply period (Art. 33 para. 3), nor is consulting another agency.
THIRD_PARTY_WORKING_DAYS = 15
CONSULTATION_BASIS = "政府信息公开条例第三十二条、第三十三条第三款"
# Art. 19 para. 1 / 条例 Art. 50: an annual report by 31 January for the previous year.
ANNUAL_REPORT_DUE = (1, 31)
ANNUAL_REPORT_BASIS = "政府信息公开条例第四十九条、第五十条"


def catalog_stale_days() -> int:
    """Art. 19 / 条例 Art. 12: a catalog not updated for this many days is flagged (configurable)."""
    return settings.DISCLOSURE_CATALOG_STALE_DAYS


def enterprise_stale_days() -> int:
    """Art. 20: a public enterprise item not updated for this many days is flagged (configurable)."""
    return settings.DISCLOSURE_ENTERPRISE_STALE_DAYS


# --- receipt (条例 Art. 31) ----------------------------------------------------------------------
class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("当面提交")
    MAIL_REGISTERED = "mail_registered", _("邮政挂号信/快递")
    MAIL_ORDINARY = "mail_ordinary", _("平常信函")
    ONLINE = "online", _("互联网/电子邮件")
    FAX = "fax", _("传真")


RECEIPT_RULES = {
    Channel.IN_PERSON: "当面提交的，以提交之日为收到申请之日（条例第三十一条第一项）。",
    Channel.MAIL_REGISTERED: "以邮寄方式提交且需签收的，以行政机关签收之日为收到申请之日（条例第三十一条第二项）。",
    Channel.MAIL_ORDINARY: (
        "以平常信函等无需签收的邮寄方式提交的，以与申请人确认之日为收到申请之日（条例第三十一条第二项）。"
    ),
    Channel.ONLINE: "通过互联网渠道提交的，以双方确认之日为收到申请之日（条例第三十一条第三项）。",
    Channel.FAX: "通过传真提交的，以双方确认之日为收到申请之日（条例第三十一条第三项）。",
}


class ApplicantKind(models.TextChoices):
    CITIZEN = "citizen", _("公民")
    ORGANIZATION = "organization", _("法人或其他组织")


class IdType(models.TextChoices):
    ID_CARD = "id_card", _("居民身份证")
    PASSPORT = "passport", _("护照")
    USCC = "uscc", _("统一社会信用代码")
    OTHER = "other", _("其他证件")


class DeliveryForm(models.TextChoices):
    PAPER = "paper", _("纸质")
    ELECTRONIC = "electronic", _("电子文件")


class DeliveryChannel(models.TextChoices):
    MAIL = "mail", _("邮寄")
    EMAIL = "email", _("电子邮件")
    PICKUP = "pickup", _("当面领取")
    ONLINE = "online", _("网上下载")


# --- response types (条例 Arts. 36-39) -----------------------------------------------------------
class ResponseType(models.TextChoices):
    DISCLOSED = "disclosed", _("予以公开")
    PARTIAL = "partial", _("部分公开")
    WITHHELD = "withheld", _("不予公开")
    UNAVAILABLE = "unavailable", _("无法提供")
    NOT_PROCESSED = "not_processed", _("不予处理")
    OTHER = "other", _("其他处理")


# The reason an applicant must be told for each type that refuses in whole or in part. The keys are
# the rows of the national annual-report table, so the report counts them without mapping.
RESPONSE_REASONS: dict[str, list[tuple[str, str]]] = {
    ResponseType.PARTIAL: [
        ("state_secret", "属于国家秘密（条例第十四条）"),
        ("third_party", "涉及商业秘密、个人隐私等第三方合法权益（条例第十五条）"),
        ("internal", "属于内部事务信息（条例第十六条第一款）"),
        ("process", "属于过程性信息（条例第十六条第二款）"),
    ],
    ResponseType.WITHHELD: [
        ("state_secret", "属于国家秘密（条例第十四条）"),
        ("law_forbids", "其他法律行政法规禁止公开（条例第十四条）"),
        ("safety", "危及“三安全一稳定”（条例第十四条）"),
        ("third_party", "保护第三方合法权益（条例第十五条）"),
        ("internal", "属于三类内部事务信息（条例第十六条第一款）"),
        ("process", "属于四类过程性信息（条例第十六条第二款）"),
        ("enforcement_file", "属于行政执法案卷（条例第十六条第二款）"),
        ("query_system", "属于行政查询事项（条例第十六条）"),
    ],
    ResponseType.UNAVAILABLE: [
        ("not_held", "本机关不掌握相关政府信息（条例第三十六条第四项）"),
        ("needs_creation", "没有现成信息需要另行制作（条例第三十八条）"),
        ("unclear", "补正后申请内容仍不明确（条例第三十六条第五项）"),
    ],
    ResponseType.NOT_PROCESSED: [
        ("petition", "信访举报投诉类申请（条例第三十九条第一款）"),
        ("repeated", "重复申请（条例第三十六条第六项）"),
        ("publication", "要求提供公开出版物（条例第三十九条第二款）"),
        ("excessive", "无正当理由大量反复申请（条例第三十五条）"),
        ("confirmation", "要求行政机关确认或重新出具已获取信息（条例第三十九条第二款）"),
    ],
    ResponseType.OTHER: [
        ("abandoned_correction", "申请人逾期未按收费通知要求缴纳费用或未补正，视为放弃（条例第三十条）"),
        ("fee_unpaid", "申请人逾期未按收费通知要求缴纳费用（国办函〔2020〕109号）"),
        ("other", "其他"),
    ],
}
REASON_REQUIRED = frozenset(RESPONSE_REASONS)


def reason_choices(response_type: str) -> list[tuple[str, str]]:
    return RESPONSE_REASONS.get(response_type, [])


def reason_label(response_type: str, code: str) -> str:
    return dict(reason_choices(response_type)).get(code, "")


# --- fees (国办函〔2020〕109号 Art. 4) -------------------------------------------------------------
class FeeMethod(models.TextChoices):
    BY_COUNT = "by_count", _("按件计收")
    BY_VOLUME = "by_volume", _("按量计收")


FEE_BASIS = "国办函〔2020〕109号"


@dataclass(frozen=True)
class FeeTier:
    above: int  # applies to units beyond this many
    upto: int | None  # up to and including this many (None: no limit)
    unit_price: Decimal


# 按件计收: one applicant's applications within one calendar month.
FEE_TIERS_BY_COUNT = (
    FeeTier(0, 10, Decimal("0")),
    FeeTier(10, 30, Decimal("100")),
    FeeTier(30, None, Decimal("1000")),
)
# 按量计收: pages (A4-equivalent) of one application.
FEE_TIERS_BY_VOLUME = (
    FeeTier(0, 30, Decimal("0")),
    FeeTier(30, 100, Decimal("10")),
    FeeTier(100, 200, Decimal("20")),
    FeeTier(200, None, Decimal("40")),
)
FEE_TIERS = {FeeMethod.BY_COUNT: FEE_TIERS_BY_COUNT, FeeMethod.BY_VOLUME: FEE_TIERS_BY_VOLUME}
FEE_UNITS = {FeeMethod.BY_COUNT: "件", FeeMethod.BY_VOLUME: "页"}


def fee_tiers_table() -> list[tuple[str, list[str]]]:
    """The tiers as the reply form shows them: (method, ["1–10件：免费", "11–30件：100 元/件", …])."""
    rows = []
    for method, tiers in FEE_TIERS.items():
        unit = FEE_UNITS[method]
        lines = []
        for tier in tiers:
            span = f"{tier.above + 1}–{tier.upto}{unit}" if tier.upto is not None else f"{tier.above + 1}{unit}以上"
            price = "免费" if not tier.unit_price else f"{tier.unit_price} 元/{unit}"
            lines.append(f"{span}：{price}")
        rows.append((FeeMethod(method).label, lines))
    return rows


def fee_compute(method: str, quantity: int) -> tuple[Decimal, list[dict]]:
    """The fee and its breakdown by tier (each tier: units charged, unit price, subtotal)."""
    total, lines = Decimal("0"), []
    for tier in FEE_TIERS[method]:
        if quantity <= tier.above:
            break
        units = (min(quantity, tier.upto) if tier.upto is not None else quantity) - tier.above
        subtotal = tier.unit_price * units
        total += subtotal
        upto = f"{tier.upto}" if tier.upto is not None else "以上"
        lines.append(
            {
                "range": f"{tier.above + 1}–{upto}{FEE_UNITS[method]}",
                "units": units,
                "unit_price": str(tier.unit_price),
                "subtotal": str(subtotal),
            }
        )
    return total, lines


# --- annual report (国务院办公厅政府信息与政务公开办公室 template, simplified to what we record) ---
ANNUAL_REPORT_ROWS = [
    ("received", _("本年新收政府信息公开申请数量")),
    ("carried_over", _("上年结转政府信息公开申请数量")),
    ("disclosed", _("予以公开")),
    ("partial", _("部分公开")),
    ("withheld", _("不予公开")),
    ("unavailable", _("无法提供")),
    ("not_processed", _("不予处理")),
    ("other", _("其他处理")),
    ("pending", _("结转下年度继续办理")),
    ("late", _("逾期答复")),
    ("fees", _("收取信息处理费（元）")),
    ("catalog_entries", _("主动公开目录条目数")),
]


# --- public enterprises (Art. 20) ------------------------------------------------------------------
class EnterpriseItemKind(models.TextChoices):
    COMMITMENT = "commitment", _("服务承诺")
    FEES = "fees", _("收费标准")
    PROCEDURE = "procedure", _("办事过程")


ENTERPRISE_BASIS = "Art. 20"
