"""Legal limits of Chapter 1 and Arts. 28, 31, 40, each with its article. Shown on screen as "Art. N"."""

import re

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanKind(models.TextChoices):
    """Art. 6: who drafts the plan and what it must conform to."""

    CITY = "city", _("本市信息化发展规划")  # para. 1: the city authority with other departments
    DISTRICT = "district", _("区信息化发展规划")  # para. 2: the district authority, reviewed by the city authority
    SPECIAL = "special", _("部门（行业、系统）信息化规划")  # para. 3: must conform to the city plan


# Art. 6: who approves each kind before it is published.
APPROVER_BY_KIND = {
    PlanKind.CITY: _("市人民政府"),
    PlanKind.DISTRICT: _("区人民政府"),
    PlanKind.SPECIAL: _("本机关"),
}


# Art. 6 para. 2 sets no period for the city authority's conformity review; this is the authority's own
# service norm (working days), a setting so it can follow the authority's rules of procedure.
def plan_conformity_review_working_days() -> int:
    return settings.PLAN_CONFORMITY_REVIEW_WORKING_DAYS


class StandardCategory(models.TextChoices):
    """Art. 7: the national and Beijing standards units and individuals must follow."""

    NATIONAL = "national", _("国家标准")
    INDUSTRY = "industry", _("行业标准")
    LOCAL = "local", _("地方标准")
    GROUP = "group", _("团体标准")


class StandardStatus(models.TextChoices):
    CURRENT = "current", _("现行")
    WITHDRAWN = "withdrawn", _("废止")


# National (GB, GB/T, GB/Z), Beijing and other local (DB11, DB11/T), industry (GA/T, YD/T, SJ/T, …) and
# group (T/XXX) standard codes: prefix, number (parts as .N), year. E.g. GB/T 22239-2019, DB11/T 1918-2021.
STANDARD_CODE_RE = re.compile(r"^(?:GB(?:/[TZ])?|DB\d{2}(?:/T)?|[A-Z]{2,3}(?:/T)?|T/[A-Z]{2,12}) \d+(?:\.\d+)*-\d{4}$")
_FULL_WIDTH = str.maketrans({"／": "/", "－": "-", "—": "-", "–": "-", "　": " ", "．": "."})


def normalize_standard_code(value: str) -> str:
    """One spelling per code: ASCII slash and hyphen, upper case, one space between prefix and number."""
    code = (value or "").translate(_FULL_WIDTH).strip().upper()
    code = re.sub(r"\s+", " ", code)
    # "GB/T22239-2019" -> "GB/T 22239-2019"
    return re.sub(r"^((?:T/)?[A-Z]+(?:\d{2})?(?:/[TZ])?)\s?(\d)", r"\1 \2", code)


def standard_category_for(code: str) -> str:
    """Art. 7: the category follows the code's prefix (GB national, DB local, T/ group, others industry)."""
    if code.startswith("GB"):
        return StandardCategory.NATIONAL
    if code.startswith("DB"):
        return StandardCategory.LOCAL
    if code.startswith("T/"):
        return StandardCategory.GROUP
    return StandardCategory.INDUSTRY


def standard_is_mandatory(code: str) -> bool:
    """Codes without /T (recommended) or /Z (guidance) are mandatory (强制性标准)."""
    prefix = code.split(" ", 1)[0]
    return not (prefix.endswith("/T") or prefix.endswith("/Z") or prefix.startswith("T/"))


class DevelopmentKind(models.TextChoices):
    """Arts. 28, 40: e-government study and skills training, and the periodic assessment of staff."""

    TRAINING = "training", _("电子政务知识学习和技能培训（第二十八条）")
    ASSESSMENT = "assessment", _("信息化知识和技能定期考核（第四十条）")


# Art. 28 ("定期组织…学习…培训") and Art. 40 ("定期考核制度"): the authority expects each agency to hold
# at least this many of each per calendar year (a setting; the regulation says "periodically").
def development_minimum_per_year() -> int:
    return settings.STAFF_DEVELOPMENT_MINIMUM_PER_YEAR


class AwardeeKind(models.TextChoices):
    """Art. 8 para. 2: commendation of units and individuals with outstanding contributions."""

    ORGANIZATION = "organization", _("单位")
    PERSON = "person", _("个人")


class AchievementCategory(models.TextChoices):
    """Art. 31: informatization results shown and exchanged; advanced technologies and products promoted."""

    APPLICATION = "application", _("应用成果")
    TECHNOLOGY = "technology", _("先进信息技术")
    PRODUCT = "product", _("先进信息产品")
