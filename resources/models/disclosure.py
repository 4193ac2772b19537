"""Government information disclosure (Art. 19) and public-enterprise disclosures (Art. 20)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from portal.fsm import ConcurrentTransitionMixin
from portal.models import District, Level, Organization
from resources.rules_disclosure import (
    ApplicantKind,
    Channel,
    DeliveryChannel,
    DeliveryForm,
    EnterpriseItemKind,
    FeeMethod,
    IdType,
    ResponseType,
)


class DisclosureGuide(models.Model):
    """One version of an agency's disclosure guide (条例 Art. 12); the newest published one is current."""

    uuid = models.UUIDField(_("公开标识"), default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(
        Organization, verbose_name=_("机关"), on_delete=models.PROTECT, related_name="disclosure_guides"
    )
    version = models.PositiveIntegerField(_("版本"))
    is_current = models.BooleanField(_("现行版本"), default=True)
    categories = models.TextField(_("政府信息分类"))
    arrangement = models.TextField(_("目录编排体系"))
    how_to_obtain = models.TextField(_("获取方式"))
    office_name = models.CharField(_("信息公开工作机构名称"), max_length=120)
    office_address = models.CharField(_("办公地址"), max_length=200)
    office_hours = models.CharField(_("办公时间"), max_length=120)
    phone = models.CharField(_("联系电话"), max_length=40)
    fax = models.CharField(_("传真"), max_length=40, blank=True)
    online_contact = models.CharField(_("互联网联系方式"), max_length=200)
    published_at = models.DateTimeField(_("发布时间"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发布人"), null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("政府信息公开指南")
        verbose_name_plural = _("政府信息公开指南")
        ordering = ["agency_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "version"], name="disclosure_guide_version_uniq"),
            models.UniqueConstraint(
                fields=["agency"], condition=Q(is_current=True), name="disclosure_guide_one_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency}政府信息公开指南（第{self.version}版）"


class CatalogEntry(models.Model):
    """One item of an agency's disclosure catalog (条例 Art. 12): index number, name, summary, date."""

    uuid = models.UUIDField(_("公开标识"), default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(
        Organization, verbose_name=_("机关"), on_delete=models.PROTECT, related_name="disclosure_catalog"
    )
    index_number = models.CharField(_("索引号"), max_length=60)
    name = models.CharField(_("信息名称"), max_length=200)
    summary = models.TextField(_("内容概述"))
    generated_on = models.DateField(_("生成日期"))
    category = models.CharField(_("信息分类"), max_length=60)
    link = models.URLField(_("链接"), blank=True)
    content = models.TextField(_("内容"), blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("政府信息公开目录条目")
        verbose_name_plural = _("政府信息公开目录")
        ordering = ["-generated_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "index_number"], name="disclosure_catalog_index_uniq"),
        ]
        indexes = [
            models.Index(fields=["agency", "-generated_on", "-id"], name="disclosure_cat_agency_idx"),
            models.Index(fields=["-generated_on", "-id"], name="disclosure_cat_date_idx"),
            models.Index(fields=["category", "-generated_on"], name="disclosure_cat_category_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.index_number} {self.name}"


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待确认收到")
    HANDLING = "handling", _("办理中")
    CORRECTION = "correction", _("待申请人补正")
    CONSULTING = "consulting", _("征求意见中")
    REPLIED = "replied", _("已答复")


S = ApplicationStatus
OPEN_STATES = (S.HANDLING, S.CORRECTION, S.CONSULTING)


class DisclosureApplication(ConcurrentTransitionMixin, models.Model):
    """An application for disclosure (依申请公开) and its statutory clock (条例 Arts. 29-33)."""

    uuid = models.UUIDField(_("公开标识"), default=uuid.uuid4, unique=True, editable=False)
    tracking_number = models.CharField(_("查询编号"), max_length=20, unique=True)
    access_code_hash = models.CharField(_("查询码（散列）"), max_length=128)
    agency = models.ForeignKey(
        Organization, verbose_name=_("受理机关"), on_delete=models.PROTECT, related_name="disclosure_applications"
    )
    # Copied from the agency so the staff list filters by scope without a join.
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    district = models.CharField(_("所在区"), max_length=6, choices=District.choices, blank=True)
    applicant_kind = models.CharField(_("申请人类型"), max_length=20, choices=ApplicantKind.choices)
    applicant_name = models.CharField(_("申请人姓名/名称"), max_length=120)
    id_type = models.CharField(_("证件类型"), max_length=20, choices=IdType.choices, blank=True)
    id_number = models.CharField(_("证件号码"), max_length=40, blank=True)
    contact = models.CharField(_("联系方式"), max_length=200)
    email = models.EmailField(_("电子邮箱"), blank=True)
    address = models.CharField(_("通信地址"), max_length=200, blank=True)
    description = models.TextField(_("所需信息的名称、文号或便于查询的其他特征性描述"))
    delivery_form = models.CharField(
        _("获取信息的方式"), max_length=20, choices=DeliveryForm.choices, default=DeliveryForm.ELECTRONIC
    )
    delivery_channel = models.CharField(
        _("获取信息的途径"), max_length=20, choices=DeliveryChannel.choices, default=DeliveryChannel.ONLINE
    )
    channel = models.CharField(_("提交方式"), max_length=20, choices=Channel.choices)
    status = FSMField(_("状态"), default=S.SUBMITTED, choices=ApplicationStatus.choices, protected=True)
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    received_on = models.DateField(_("收到申请之日"), null=True, blank=True)
    # The period runs from this day: the receipt, or the arrival of the corrected request.
    clock_start = models.DateField(_("期限起算日"), null=True, blank=True)
    reply_due_date = models.DateField(_("答复期限"), null=True, blank=True)
    correction_notice_by = models.DateField(_("补正告知期限"), null=True, blank=True)
    correction_requested_on = models.DateField(_("补正告知日"), null=True, blank=True)
    correction_request = models.TextField(_("补正要求"), blank=True)
    correction_text = models.TextField(_("申请人补正内容"), blank=True)
    correction_submitted_at = models.DateTimeField(_("网上提交补正时间"), null=True, blank=True)
    correction_received_on = models.DateField(_("收到补正之日"), null=True, blank=True)
    extended_on = models.DateField(_("延期告知日"), null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(_("延长工作日数"), null=True, blank=True)
    extension_reason = models.TextField(_("延期理由"), blank=True)
    extension_approved_by = models.CharField(_("批准人"), max_length=60, blank=True)
    consultation_started_on = models.DateField(_("征求意见日"), null=True, blank=True)
    consultation_party = models.CharField(_("征求意见对象"), max_length=200, blank=True)
    consultation_third_party = models.BooleanField(_("第三方"), default=True)
    consultation_due_date = models.DateField(_("第三方答复期限"), null=True, blank=True)
    # Working days of the reply period left when the clock paused for consultation.
    paused_remaining_days = models.PositiveSmallIntegerField(_("暂停时剩余工作日"), null=True, blank=True)
    consultation_days_total = models.PositiveSmallIntegerField(_("征求意见累计工作日"), default=0)
    response_type = models.CharField(_("答复类型"), max_length=20, choices=ResponseType.choices, blank=True)
    response_reason = models.CharField(_("理由"), max_length=40, blank=True)
    response_text = models.TextField(_("答复内容"), blank=True)
    replied_on = models.DateField(_("答复日"), null=True, blank=True)
    replied_late = models.BooleanField(_("逾期答复"), default=False)
    fee_method = models.CharField(_("收费方式"), max_length=20, choices=FeeMethod.choices, blank=True)
    fee_quantity = models.PositiveIntegerField(_("计费数量"), null=True, blank=True)
    fee_amount = models.DecimalField(_("信息处理费（元）"), max_digits=10, decimal_places=2, null=True, blank=True)
    fee_breakdown = models.JSONField(_("计费明细"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("政府信息公开申请")
        verbose_name_plural = _("政府信息公开申请")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "-created_at", "-id"], name="disclosure_app_agency_idx"),
            # The officials' list, newest first, without an agency or status filter (issue 15).
            models.Index(fields=["-created_at", "-id"], name="disclosure_app_created_idx"),
            models.Index(fields=["status", "-created_at", "-id"], name="disclosure_app_status_idx"),
            models.Index(fields=["district", "-created_at", "-id"], name="disclosure_app_district_idx"),
            models.Index(
                fields=["reply_due_date"],
                name="disclosure_app_open_due_idx",
                condition=Q(status__in=["handling", "consulting"]),
            ),
            models.Index(fields=["agency", "replied_on"], name="disclosure_app_replied_idx"),
        ]

    def __str__(self) -> str:
        return f"政府信息公开申请 {self.tracking_number}"

    @transition(field=status, source=S.SUBMITTED, target=S.HANDLING)
    def confirm_receipt(self):
        pass

    @transition(field=status, source=S.HANDLING, target=S.CORRECTION)
    def request_correction(self):
        pass

    @transition(field=status, source=S.CORRECTION, target=S.HANDLING)
    def receive_correction(self):
        pass

    @transition(field=status, source=S.HANDLING, target=S.HANDLING)
    def extend(self):
        pass

    @transition(field=status, source=S.HANDLING, target=S.CONSULTING)
    def consult(self):
        pass

    @transition(field=status, source=S.CONSULTING, target=S.HANDLING)
    def end_consultation(self):
        pass

    @transition(field=status, source=S.HANDLING, target=S.REPLIED)
    def reply(self):
        pass


class AnnualReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    REVIEWED = "reviewed", _("已审核")
    PUBLISHED = "published", _("已发布")


class AnnualReport(ConcurrentTransitionMixin, models.Model):
    """An agency's yearly disclosure report (条例 Art. 50), figures generated from the data."""

    uuid = models.UUIDField(_("公开标识"), default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(
        Organization, verbose_name=_("机关"), on_delete=models.PROTECT, related_name="disclosure_reports"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    figures = models.JSONField(_("统计数据"), default=dict)
    commentary = models.TextField(_("存在的主要问题及改进情况"), blank=True)
    status = FSMField(_("状态"), default=AnnualReportStatus.DRAFT, choices=AnnualReportStatus.choices, protected=True)
    generated_at = models.DateTimeField(_("生成时间"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("政府信息公开工作年度报告")
        verbose_name_plural = _("政府信息公开工作年度报告")
        ordering = ["-year", "agency_id"]
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="disclosure_report_year_uniq")]

    def __str__(self) -> str:
        return f"{self.agency}{self.year}年政府信息公开工作年度报告"

    @transition(field=status, source=AnnualReportStatus.DRAFT, target=AnnualReportStatus.REVIEWED)
    def review(self):
        pass

    @transition(field=status, source=AnnualReportStatus.REVIEWED, target=AnnualReportStatus.PUBLISHED)
    def publish(self):
        pass


class EnterpriseDisclosure(models.Model):
    """One Art. 20 item a public enterprise publishes: service commitment, fee standard or procedure."""

    uuid = models.UUIDField(_("公开标识"), default=uuid.uuid4, unique=True, editable=False)
    enterprise = models.ForeignKey(
        Organization, verbose_name=_("公共企事业单位"), on_delete=models.PROTECT, related_name="service_disclosures"
    )
    kind = models.CharField(_("公开事项"), max_length=20, choices=EnterpriseItemKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    content = models.TextField(_("内容"))
    link = models.URLField(_("网站链接"), blank=True)
    updated_on = models.DateField(_("最近更新日期"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("更新人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("公共企事业单位公开事项")
        verbose_name_plural = _("公共企事业单位公开事项")
        ordering = ["enterprise_id", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "kind"], name="enterprise_disclosure_kind_uniq"),
        ]
        indexes = [models.Index(fields=["updated_on"], name="enterprise_disclosure_upd_idx")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.get_kind_display()}"
