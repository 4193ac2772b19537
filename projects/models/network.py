"""E-government network access, legacy private networks (Art. 29), domains and websites (Art. 30)."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from portal.fsm import ConcurrentTransitionMixin
from portal.language import parenthesized
from portal.models import District, Level, Organization


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审查")
    APPROVED = "approved", _("审查同意")
    REFUSED = "refused", _("不予同意")


A = ApplicationStatus


class ReviewedApplication(ConcurrentTransitionMixin, models.Model):
    """The shared shape of a lighter application: draft -> submitted -> approved / refused."""

    uuid = models.UUIDField(_("公开标识"), default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(Organization, verbose_name=_("申请单位"), on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("经办人"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    district = models.CharField(_("所在区"), max_length=6, choices=District.choices, blank=True)
    status = FSMField(_("状态"), default=A.DRAFT, choices=ApplicationStatus.choices, protected=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("审查时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审查人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_reason = models.TextField(_("审查意见"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        abstract = True

    @transition(field=status, source=A.DRAFT, target=A.SUBMITTED)
    def submit(self):
        pass

    @transition(field=status, source=A.SUBMITTED, target=A.APPROVED)
    def approve(self):
        pass

    @transition(field=status, source=A.SUBMITTED, target=A.REFUSED)
    def refuse(self):
        pass


class NetworkAccessApplication(ReviewedApplication):
    """Art. 29 para. 2: connecting a business system to the unified e-government network needs approval."""

    system_name = models.CharField(_("业务系统名称"), max_length=200)
    purpose = models.TextField(_("业务用途"))
    internet_unsuitable_reason = models.TextField(
        _("不宜通过互联网实现的理由（第二十九条）"), help_text=_("说明为何该系统须依托电子政务网络。")
    )
    security_level = models.PositiveSmallIntegerField(
        _("安全保护等级"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    bandwidth_mbps = models.PositiveIntegerField(_("带宽需求（Mbps）"), default=10)

    class Meta:
        verbose_name = _("电子政务网络接入申请")
        verbose_name_plural = _("电子政务网络接入申请")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "district"], name="netapp_status_district_idx"),
            models.Index(fields=["agency", "status"], name="netapp_agency_status_idx"),
            models.Index(fields=["-created_at", "-id"], name="netapp_created_idx"),
            # A district official's scope and the API's district filter (without a status).
            models.Index(fields=["district", "status"], name="netapp_district_status_idx"),
        ]

    def __str__(self) -> str:
        return self.system_name


class ConnectedSystem(models.Model):
    """The register of systems connected to the e-government network."""

    uuid = models.UUIDField(_("公开标识"), default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(Organization, verbose_name=_("使用单位"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("业务系统名称"), max_length=200)
    application = models.OneToOneField(
        NetworkAccessApplication, on_delete=models.PROTECT, related_name="connected_system"
    )
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    district = models.CharField(_("所在区"), max_length=6, choices=District.choices, blank=True)
    security_level = models.PositiveSmallIntegerField(_("安全保护等级"))
    # Approval is not connection (Art. 29): the register knows when access was approved and, separately, when
    # the system was actually connected, so a connection without an approved application shows.
    approved_on = models.DateField(_("批准接入日期"))
    connected_on = models.DateField(_("实际接入日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("已接入系统")
        verbose_name_plural = _("已接入系统")
        ordering = ["-connected_on", "-id"]
        indexes = [
            models.Index(fields=["district", "connected_on"], name="connsys_district_idx"),
            # The city-wide register, newest first.
            models.Index(fields=["-connected_on", "-id"], name="connsys_connected_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class MigrationStatus(models.TextChoices):
    REGISTERED = "registered", _("待迁移")
    MIGRATING = "migrating", _("迁移中")
    MIGRATED = "migrated", _("已接入电子政务网络")


M = MigrationStatus


class PrivateNetwork(ConcurrentTransitionMixin, models.Model):
    """Art. 29 para. 3: a legacy private network that must move onto the e-government network."""

    uuid = models.UUIDField(_("公开标识"), default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(Organization, verbose_name=_("使用单位"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("专网名称"), max_length=200)
    description = models.TextField(_("网络概况"), blank=True)
    built_year = models.PositiveSmallIntegerField(_("建成年份"), null=True, blank=True)
    migration_plan = models.TextField(_("迁移方案"))
    migration_deadline = models.DateField(_("迁移期限"))
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    district = models.CharField(_("所在区"), max_length=6, choices=District.choices, blank=True)
    status = FSMField(_("状态"), default=M.REGISTERED, choices=MigrationStatus.choices, protected=True)
    migrated_on = models.DateField(_("完成迁移日期"), null=True, blank=True)
    # Art. 29 para. 2: moving onto the e-government network is a connection, which needs an approved application.
    access_application = models.ForeignKey(
        NetworkAccessApplication,
        verbose_name=_("依据的接入申请"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("存量专用网络")
        verbose_name_plural = _("存量专用网络")
        ordering = ["migration_deadline", "id"]
        indexes = [
            models.Index(fields=["status", "migration_deadline"], name="privnet_status_deadline_idx"),
            # The list in its order (city-wide), and a district official's scope.
            models.Index(fields=["migration_deadline", "id"], name="privnet_deadline_idx"),
            models.Index(fields=["district", "migration_deadline"], name="privnet_district_deadline_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @transition(field=status, source=M.REGISTERED, target=M.MIGRATING)
    def start_migration(self):
        pass

    @transition(field=status, source=[M.REGISTERED, M.MIGRATING], target=M.MIGRATED)
    def complete_migration(self):
        pass


domain_validator = RegexValidator(
    r"^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$",
    "请填写有效的域名，如 jtw.beijing.gov.cn（小写字母、数字、连字符和点）。",
)


class DomainApplication(ReviewedApplication):
    """Art. 30 para. 2: an agency's internet domain registration is reviewed by the city authority."""

    domain_name = models.CharField(_("域名"), max_length=253, validators=[domain_validator])
    website_name = models.CharField(_("网站名称"), max_length=200)
    purpose = models.TextField(_("用途"))
    links_to_city_portal = models.BooleanField(_("与首都之窗建立链接（第三十条）"), default=True)

    class Meta:
        verbose_name = _("域名注册审核申请")
        verbose_name_plural = _("域名注册审核申请")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "district"], name="domainapp_status_district_idx"),
            models.Index(fields=["agency", "status"], name="domainapp_agency_status_idx"),
            models.Index(fields=["-created_at", "-id"], name="domainapp_created_idx"),
            # A district official's scope and the API's district filter (without a status).
            models.Index(fields=["district", "status"], name="domainapp_district_status_idx"),
        ]
        constraints = [
            # One pending application per domain: the second is refused at submission (and here under a race).
            models.UniqueConstraint(
                fields=["domain_name"], condition=Q(status="submitted"), name="domainapp_one_pending_per_domain"
            ),
        ]

    def __str__(self) -> str:
        return self.domain_name


class Website(models.Model):
    """The register of agency websites (Art. 30)."""

    uuid = models.UUIDField(_("公开标识"), default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(Organization, verbose_name=_("主办单位"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("网站名称"), max_length=200)
    domain_name = models.CharField(_("域名"), max_length=253, unique=True, validators=[domain_validator])
    application = models.OneToOneField(
        DomainApplication, null=True, blank=True, on_delete=models.PROTECT, related_name="website"
    )
    links_to_city_portal = models.BooleanField(_("已与首都之窗链接"), default=False)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    district = models.CharField(_("所在区"), max_length=6, choices=District.choices, blank=True)
    registered_on = models.DateField(_("登记日期"))

    class Meta:
        verbose_name = _("网站")
        verbose_name_plural = _("网站")
        ordering = ["domain_name"]
        indexes = [models.Index(fields=["district", "domain_name"], name="website_district_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(domain_name=""), name="website_domain_required"),
        ]

    def __str__(self) -> str:
        return f"{self.name}{parenthesized(self.domain_name)}"
