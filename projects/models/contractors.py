"""Contractor qualifications (Art. 11) and the compliance findings enforcement reads later."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.language import parenthesized
from portal.models import District, Level, Organization
from projects.rules import QualificationDomain, QualificationLevel


class Qualification(models.Model):
    """A contractor's qualification certificate (资质证书) in one domain, at one level."""

    uuid = models.UUIDField(_("公开标识"), default=uuid.uuid4, unique=True, editable=False)
    contractor = models.ForeignKey(
        Organization, verbose_name=_("承建单位"), on_delete=models.PROTECT, related_name="qualifications"
    )
    domain = models.CharField(_("资质领域"), max_length=30, choices=QualificationDomain.choices)
    level = models.PositiveSmallIntegerField(_("资质等级"), choices=QualificationLevel.choices)
    number = models.CharField(_("证书编号"), max_length=60)
    issuer = models.CharField(_("发证机构"), max_length=120)
    valid_from = models.DateField(_("有效期自"))
    valid_to = models.DateField(_("有效期至"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    # Art. 11: a certificate the contractor registered itself counts only once an official has checked it.
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核验人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("核验时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("资质证书")
        verbose_name_plural = _("资质证书")
        ordering = ["contractor_id", "domain", "level"]
        indexes = [
            models.Index(fields=["contractor", "domain", "valid_to"], name="qual_contractor_domain_idx"),
            models.Index(fields=["valid_to"], name="qual_valid_to_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "number"], name="qual_unique_issuer_number"),
            models.CheckConstraint(
                condition=Q(valid_to__gte=models.F("valid_from")),
                name="qual_valid_range",
                violation_error_message="有效期截止日不得早于起始日。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_domain_display()}{self.get_level_display()}{parenthesized(self.number)}"

    def is_valid_on(self, day) -> bool:
        return self.valid_from <= day <= self.valid_to

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class FindingKind(models.TextChoices):
    UNQUALIFIED_CONTRACTOR = "unqualified_contractor", _("承建单位无相应资质或超越资质等级承揽")


class ComplianceFinding(models.Model):
    """A violation detected by this app, for enforcement to turn into a case (read via projects.selectors)."""

    uuid = models.UUIDField(_("公开标识"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("类型"), max_length=40, choices=FindingKind.choices)
    article = models.PositiveSmallIntegerField(_("违反条款"))
    sanction_article = models.PositiveSmallIntegerField(_("罚则条款"))
    organization = models.ForeignKey(
        Organization, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="compliance_findings"
    )
    filing = models.ForeignKey(
        "projects.ProjectFiling",
        verbose_name=_("相关项目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="compliance_findings",
    )
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    district = models.CharField(_("所在区"), max_length=6, choices=District.choices, blank=True)
    description = models.TextField(_("情况说明"))
    data = models.JSONField(default=dict, blank=True)
    detected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发现人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    detected_at = models.DateTimeField(_("发现时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("合规问题")
        verbose_name_plural = _("合规问题")
        ordering = ["-detected_at", "-id"]
        indexes = [
            models.Index(fields=["detected_at"], name="finding_detected_idx"),
            models.Index(fields=["organization", "detected_at"], name="finding_org_idx"),
            models.Index(fields=["district", "detected_at"], name="finding_district_idx"),
        ]
        constraints = [
            # Art. 43: one finding per contractor and filing, however often the contract is recorded.
            models.UniqueConstraint(
                fields=["kind", "organization", "filing"],
                condition=Q(filing__isnull=False),
                name="finding_unique_kind_org_filing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.organization}"
