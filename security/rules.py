"""Legal limits of Chapter 5 (Arts. 32-35), each once, with its source. Shown on screen as "Art. N".

Numbers the issue calls configurable are settings (``settings.SECURITY_*``) with these defaults; the
functions below are the only way the rest of the app reads them.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.rules import document_number_prefix


class SecurityLevel(models.IntegerChoices):
    FIRST = 1, _("第一级")
    SECOND = 2, _("第二级")
    THIRD = 3, _("第三级")
    FOURTH = 4, _("第四级")
    FIFTH = 5, _("第五级")


class HarmObject(models.TextChoices):
    """GB/T 22240-2020 §5.2: the object harmed (受侵害的客体)."""

    CITIZEN = "citizen", _("公民、法人和其他组织的合法权益")
    PUBLIC = "public", _("社会秩序、公共利益")
    NATIONAL = "national", _("国家安全")


class HarmDegree(models.TextChoices):
    """GB/T 22240-2020 §5.3: the degree of harm (对客体的侵害程度)."""

    GENERAL = "general", _("一般损害")
    SERIOUS = "serious", _("严重损害")
    ESPECIALLY_SERIOUS = "especially_serious", _("特别严重损害")


# GB/T 22240-2020 Table 2 (business information) and Table 3 (system services) share one matrix:
# rows are the object harmed, columns the degree: 1 2 3 / 2 3 4 / 3 4 5.
GRADING_MATRIX_SOURCE = "GB/T 22240-2020 表2、表3"
GRADING_MATRIX: dict[tuple[str, str], int] = {
    (HarmObject.CITIZEN, HarmDegree.GENERAL): 1,
    (HarmObject.CITIZEN, HarmDegree.SERIOUS): 2,
    (HarmObject.CITIZEN, HarmDegree.ESPECIALLY_SERIOUS): 3,
    (HarmObject.PUBLIC, HarmDegree.GENERAL): 2,
    (HarmObject.PUBLIC, HarmDegree.SERIOUS): 3,
    (HarmObject.PUBLIC, HarmDegree.ESPECIALLY_SERIOUS): 4,
    (HarmObject.NATIONAL, HarmDegree.GENERAL): 3,
    (HarmObject.NATIONAL, HarmDegree.SERIOUS): 4,
    (HarmObject.NATIONAL, HarmDegree.ESPECIALLY_SERIOUS): 5,
}


def level_for(harm_object: str, harm_degree: str) -> int:
    """One assessment (business information or system services) on the GB/T 22240-2020 matrix."""
    return GRADING_MATRIX[(HarmObject(harm_object), HarmDegree(harm_degree))]


def system_level(
    *, business_harm_object: str, business_harm_degree: str, service_harm_object: str, service_harm_degree: str
) -> int:
    """GB/T 22240-2020 §6.4: the system's level is the higher of the business and the service levels."""
    return max(
        level_for(business_harm_object, business_harm_degree), level_for(service_harm_object, service_harm_degree)
    )


def matrix_rows() -> list[dict]:
    """The matrix for the page: one row per object harmed, one cell per degree."""
    return [
        {
            "object": obj,
            "label": obj.label,
            "cells": [{"degree": deg, "level": GRADING_MATRIX[(obj, deg)]} for deg in HarmDegree],
        }
        for obj in HarmObject
    ]


# Art. 32; 公通字〔2007〕43号 Art. 15: a level-2+ system is filed within 30 days of grading (calendar days;
# a period ending on a rest day ends on the next working day, 民法典 Art. 203). Configurable.
FILING_SOURCE = "公通字〔2007〕43号第十五条"
FILING_MIN_LEVEL = 2


def filing_period_days() -> int:
    return settings.SECURITY_FILING_DAYS


def filing_required(level: int) -> bool:
    """Level 2 and above must be filed with the authority (43号 Art. 15); level 1 only grades itself."""
    return level >= FILING_MIN_LEVEL


# Expert review of the grading: level 2 and above under current practice (>= 4 under the 2007 rules).
EXPERT_REVIEW_SOURCE = "《网络安全等级保护定级指南》GB/T 22240-2020 §6.3；公通字〔2007〕43号第十条"


def expert_review_min_level() -> int:
    return settings.SECURITY_EXPERT_REVIEW_MIN_LEVEL


def expert_review_required(level: int) -> bool:
    return level >= expert_review_min_level()


# Art. 33: the next evaluation falls due by level. The 2025 notice (公网安〔2025〕1846号): level 3 and
# above yearly; 43号 Art. 14 had level 4 every six months. A setting per level, in months; a level
# absent from the setting has no periodic evaluation.
EVALUATION_SOURCE = "公网安〔2025〕1846号；公通字〔2007〕43号第十四条"


def evaluation_interval_months(level: int | None) -> int | None:
    if level is None:
        return None
    return settings.SECURITY_EVALUATION_INTERVAL_MONTHS.get(int(level))


def add_months(start: date, months: int) -> date:
    """Same day ``months`` later; a day the month lacks falls back to its last day (民法典 Art. 203 style)."""
    total = start.month - 1 + months
    year, month = start.year + total // 12, total % 12 + 1
    return start.replace(year=year, month=month, day=min(start.day, calendar.monthrange(year, month)[1]))


def next_evaluation_due(level: int | None, last: date) -> date | None:
    months = evaluation_interval_months(level)
    return add_months(last, months) if months else None


class ReportVersion(models.TextChoices):
    """The rules an evaluation report follows; each carries its own conclusion scale."""

    V2025 = "2025", _("公网安〔2025〕1846号（2025年）")
    V2021 = "2021", _("2021年版测评报告模板")


class Conclusion(models.TextChoices):
    CONFORMS = "conforms", _("符合")
    BASICALLY_CONFORMS = "basically_conforms", _("基本符合")
    NOT_CONFORMS = "not_conforms", _("不符合")
    EXCELLENT = "excellent", _("优")
    GOOD = "good", _("良")
    FAIR = "fair", _("中")
    POOR = "poor", _("差")


@dataclass(frozen=True)
class ScaleStep:
    conclusion: str
    min_score: Decimal  # inclusive unless ``above``
    above: bool = False  # strictly above min_score
    allows_high_risk: bool = True


# Kept as data per report version, best first; the first step the score and risk satisfy wins.
CONCLUSION_SCALES: dict[str, list[ScaleStep]] = {
    # 2025 notice: 符合 above 90 with no major risk; 基本符合 60-90; 不符合 below 60.
    ReportVersion.V2025: [
        ScaleStep(Conclusion.CONFORMS, Decimal("90"), above=True, allows_high_risk=False),
        ScaleStep(Conclusion.BASICALLY_CONFORMS, Decimal("60")),
        ScaleStep(Conclusion.NOT_CONFORMS, Decimal("0")),
    ],
    # 2021 template: 优 90, 良 80, 中 70; 差 below 70 and whenever a high risk remains.
    ReportVersion.V2021: [
        ScaleStep(Conclusion.EXCELLENT, Decimal("90"), allows_high_risk=False),
        ScaleStep(Conclusion.GOOD, Decimal("80"), allows_high_risk=False),
        ScaleStep(Conclusion.FAIR, Decimal("70"), allows_high_risk=False),
        ScaleStep(Conclusion.POOR, Decimal("0")),
    ],
}
PASSING_CONCLUSIONS = {Conclusion.CONFORMS, Conclusion.BASICALLY_CONFORMS, Conclusion.EXCELLENT, Conclusion.GOOD}


def conclusion_for(version: str, score: Decimal, high_risk: bool) -> str:
    for step in CONCLUSION_SCALES[ReportVersion(version)]:
        meets = score > step.min_score if step.above else score >= step.min_score
        if meets and (step.allows_high_risk or not high_risk):
            return step.conclusion
    raise ValueError(f"score {score} is below every step")  # unreachable: the last step starts at 0


def conclusions_of(version: str) -> list[str]:
    return [step.conclusion for step in CONCLUSION_SCALES[ReportVersion(version)]]


# Art. 34 para. 1: an emergency plan, drilled regularly (default yearly; configurable).
DRILL_SOURCE = "Art. 34"


def drill_interval_months() -> int:
    return settings.SECURITY_DRILL_INTERVAL_MONTHS


class IncidentLevel(models.TextChoices):
    """《国家网络安全事件应急预案》 classification."""

    GENERAL = "general", _("一般")
    LARGER = "larger", _("较大")
    MAJOR = "major", _("重大")
    ESPECIALLY_MAJOR = "especially_major", _("特别重大")


# Art. 34 para. 2: report "timely" to the same-level authority. Minutes allowed from discovery to the
# first report, per level (defaults 4 hours; 1 hour for 重大 and above). Configurable.
INCIDENT_REPORT_SOURCE = "Art. 34"


def first_report_limit(level: str) -> timedelta:
    return timedelta(minutes=settings.SECURITY_INCIDENT_REPORT_MINUTES[IncidentLevel(level)])


# The final summary report is due 30 days after handling ends.
INCIDENT_SUMMARY_DAYS = 30

# Sanctions (Arts. 44, 45): which article a detector cites.
ART_GRADING, ART_EVALUATION, ART_INCIDENT = "32", "33", "34"
SANCTION_GRADING, SANCTION_EVALUATION, SANCTION_INCIDENT = "45(2)", "45(3)", "44"


# The kind of document in a grading-filing number: 京经信等保备〔2026〕1号.
GRADING_DOCUMENT_KIND = "等保备"


def filing_number_prefix(authority) -> str:
    """Document-number prefix of a grading filing: the authority's 机关代字 + 等保备 (京经信等保备 for the city)."""
    return document_number_prefix(authority, GRADING_DOCUMENT_KIND)
