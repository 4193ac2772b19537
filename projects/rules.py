"""Legal limits of Chapter 2 and Arts. 29-30, each with its article. Shown on screen as "Art. N"."""

import calendar
from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models import DepartmentType
from portal.rules import document_number_prefix


class ProjectKind(models.TextChoices):
    NEW = "new", _("新建")
    RENOVATION = "renovation", _("改建")
    EXPANSION = "expansion", _("扩建")
    OPERATION = "operation", _("运行维护")


# Art. 13: new construction is reviewed before 立项 by development and reform; renovation,
# expansion and O&M before the finance department approves the funds.
APPROVING_DEPARTMENT_BY_KIND: dict[str, str] = {
    ProjectKind.NEW: DepartmentType.DEVELOPMENT_REFORM,
    ProjectKind.RENOVATION: DepartmentType.FINANCE,
    ProjectKind.EXPANSION: DepartmentType.FINANCE,
    ProjectKind.OPERATION: DepartmentType.FINANCE,
}


def approving_department_type(kind: str) -> str:
    """Art. 13: which department approves the project after the authority's review."""
    return APPROVING_DEPARTMENT_BY_KIND[kind]


def approval_stage_label(kind: str) -> str:
    """Art. 13: 立项审批 for new construction, 经费审批 for the rest."""
    return "立项审批" if kind == ProjectKind.NEW else "经费审批"


class ReviewDimension(models.TextChoices):
    """Art. 13 para. 2: what the authority's review covers."""

    NEEDS_BENEFITS = "needs_benefits", _("需求效益")
    PLANNING_LAYOUT = "planning_layout", _("规划布局")
    TECHNICAL_STANDARDS = "technical_standards", _("技术标准")
    SECURITY = "security", _("网络与信息安全")
    RESOURCE_SHARING = "resource_sharing", _("信息资源共享")
    OTHER = "other", _("其他")


class FindingResult(models.TextChoices):
    PASS = "pass", _("符合")
    CONCERN = "concern", _("存在问题")
    FAIL = "fail", _("不符合")


def project_review_working_days() -> int:
    """Art. 13 review period, in working days from acceptance of a complete filing (configurable)."""
    return settings.PROJECT_REVIEW_WORKING_DAYS


# Art. 15 para. 2: government-invested projects: warranty at least two years from passing acceptance.
WARRANTY_MIN_YEARS = 2
# The reminders before a warranty ends (60, 30, 7 calendar days) are the `warranty_end` plan in
# settings.DEADLINE_KINDS, where the admin may change them.


def add_years(start: date, years: int) -> date:
    """民法典 Art. 203 style: same day N years on; 29 Feb falls back to the last day of February."""
    year = start.year + years
    day = min(start.day, calendar.monthrange(year, start.month)[1])
    return start.replace(year=year, day=day)


def warranty_minimum_end(accepted_on: date) -> date:
    """Art. 15: earliest lawful end of the warranty of a government-invested project."""
    return add_years(accepted_on, WARRANTY_MIN_YEARS)


# Art. 11: qualification levels; 一级 is the highest. A contractor may take on work at or below its level.
class QualificationLevel(models.IntegerChoices):
    FIRST = 1, _("一级")
    SECOND = 2, _("二级")
    THIRD = 3, _("三级")
    FOURTH = 4, _("四级")


class QualificationDomain(models.TextChoices):
    SYSTEM_INTEGRATION = "system_integration", _("系统集成")
    SOFTWARE = "software", _("软件开发")
    SUPERVISION = "supervision", _("信息系统监理")
    SECURITY_SERVICE = "security_service", _("安全服务")
    OPERATION_SERVICE = "operation_service", _("运行维护服务")


def qualification_level_satisfies(held: int, required: int) -> bool:
    """Art. 11: a contractor may not take on work above its level (1 is the highest level)."""
    return held <= required


# Art. 43: sanction for contracting without (or beyond) the qualification of Art. 11.
UNQUALIFIED_CONTRACTOR_ARTICLE = 11
UNQUALIFIED_CONTRACTOR_SANCTION_ARTICLE = 43

# Art. 37: classified projects are outside this portal.
CLASSIFIED_REFUSAL = (
    "涉及国家秘密的信息化工程不在本门户办理。依据《条例》第三十七条，请按照国家保密有关规定，向保密行政管理部门报送。"
)

SECURITY_LEVELS = [(1, _("第一级")), (2, _("第二级")), (3, _("第三级")), (4, _("第四级")), (5, _("第五级"))]


class TenderMethod(models.TextChoices):
    """Art. 10: tendering where the law requires it; government procurement for government investment."""

    PUBLIC = "public", _("公开招标")
    INVITED = "invited", _("邀请招标")
    COMPETITIVE_NEGOTIATION = "competitive_negotiation", _("竞争性谈判")
    COMPETITIVE_CONSULTATION = "competitive_consultation", _("竞争性磋商")
    SINGLE_SOURCE = "single_source", _("单一来源采购")
    INQUIRY = "inquiry", _("询价")
    NOT_REQUIRED = "not_required", _("依法无需招标")


# The kind of document in an opinion number: 京经信审〔2026〕1号.
OPINION_DOCUMENT_KIND = "审"


def opinion_number_prefix(authority) -> str:
    """Document-number prefix of a review opinion: the issuing authority's 机关代字 + 审 (京经信审 for the city)."""
    return document_number_prefix(authority, OPINION_DOCUMENT_KIND)


def format_opinion_number(prefix: str, year: int, sequence: int) -> str:
    return f"{prefix}〔{year}〕{sequence}号"


# Art. 29 para. 3: agencies may not build new private networks; existing ones migrate by a deadline.
NETWORK_MIGRATION_ARTICLE = 29
# Art. 30 para. 2: domain registrations are reviewed by the city authority.
DOMAIN_REVIEW_ARTICLE = 30
