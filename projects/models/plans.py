"""Annual plans of government-invested informatization projects (Art. 12)."""

import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.models import District, Level, Organization
from projects.rules import ProjectKind


class AnnualPlan(models.Model):
    uuid = models.UUIDField(_("公开标识"), default=uuid.uuid4, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(_("年度"))
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    district = models.CharField(_("所在区"), max_length=6, choices=District.choices, blank=True)
    title = models.CharField(_("计划名称"), max_length=200)
    authority = models.ForeignKey(
        Organization, verbose_name=_("信息化主管部门"), on_delete=models.PROTECT, related_name="+"
    )
    development_reform = models.ForeignKey(
        Organization, verbose_name=_("发展改革部门"), on_delete=models.PROTECT, related_name="+"
    )
    finance = models.ForeignKey(Organization, verbose_name=_("财政部门"), on_delete=models.PROTECT, related_name="+")
    adopted_on = models.DateField(_("制定日期"), null=True, blank=True)
    notes = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("年度计划")
        verbose_name_plural = _("年度计划")
        ordering = ["-year", "level", "district"]
        constraints = [
            models.UniqueConstraint(fields=["year", "level", "district"], name="plan_unique_year_level_district"),
            models.CheckConstraint(
                condition=Q(level="city") | ~Q(district=""),
                name="plan_district_required",
                violation_error_message="区级计划必须选择所在区。",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class AnnualPlanItem(models.Model):
    uuid = models.UUIDField(_("公开标识"), default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(AnnualPlan, verbose_name=_("年度计划"), on_delete=models.CASCADE, related_name="items")
    title = models.CharField(_("项目名称"), max_length=200)
    agency = models.ForeignKey(Organization, verbose_name=_("建设单位"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("建设性质"), max_length=20, choices=ProjectKind.choices)
    budget = models.DecimalField(
        _("计划投资（万元）"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    filing = models.ForeignKey(
        "projects.ProjectFiling",
        verbose_name=_("对应项目备案"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_items",
    )
    progress_note = models.CharField(_("进展说明"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("年度计划项目")
        verbose_name_plural = _("年度计划项目")
        ordering = ["plan_id", "id"]
        indexes = [models.Index(fields=["plan", "agency"], name="planitem_plan_agency_idx")]

    def __str__(self) -> str:
        return self.title
