"""Chapters 6-7: findings, penalty cases and their sanctions, inspections, evaluations.

``enforcement`` links to what other chapters record only generically (content type + id of the offending
object, from the detector registry); it imports none of their models.
"""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from enforcement.rules import ReferralBody, SanctionKind
from portal.fsm import ConcurrentTransitionMixin
from portal.language import format_yuan
from portal.models import District, Level, Organization


class FindingStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    DISMISSED = "dismissed", _("不予立案")
    CASE_OPENED = "case_opened", _("已立案")


class Finding(models.Model):
    """One violation of one rule by one object, found by a detector (nightly) or recorded by an inspection."""

    uuid = models.UUIDField(_("公开标识"), default=uuid.uuid4, unique=True, editable=False)
    rule = models.CharField(_("规则"), max_length=60)
    title = models.CharField(_("违法情形"), max_length=200)
    article_breached = models.CharField(_("违反条款"), max_length=20)
    sanctioning_article = models.CharField(_("罚则条款"), max_length=20)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    party = models.ForeignKey(
        Organization, verbose_name=_("责任单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices, default=Level.CITY)
    district = models.CharField(_("所在区"), max_length=6, choices=District.choices, blank=True)
    evidence = models.TextField(_("事实与证据"))
    subject_url = models.CharField(_("相关页面"), max_length=300, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=FindingStatus.choices, default=FindingStatus.OPEN)
    dismiss_reason = models.TextField(_("不予立案理由"), blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    triaged_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    case = models.ForeignKey(
        "enforcement.Case",
        verbose_name=_("案件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="findings",
    )
    detected_at = models.DateTimeField(_("发现时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("违法线索")
        verbose_name_plural = _("违法线索")
        ordering = ["-detected_at", "-id"]
        constraints = [
            # One open finding per rule and object: the nightly run may run twice, or overlap.
            models.UniqueConstraint(
                fields=["rule", "content_type", "object_id"],
                condition=Q(status="open"),
                name="finding_one_open_per_rule_object",
            ),
        ]
        indexes = [
            models.Index(fields=["rule", "content_type", "object_id"], name="finding_rule_subject_idx"),
            models.Index(fields=["status", "-detected_at", "-id"], name="finding_status_detected_idx"),
            models.Index(fields=["district", "status", "-detected_at"], name="finding_district_status_idx"),
            models.Index(fields=["rule", "status", "-detected_at"], name="finding_rule_status_idx"),
            models.Index(fields=["party", "-detected_at"], name="finding_party_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.title} · {self.party or ''}"

    @property
    def display_title(self) -> str:
        """The detector's title in the reader's language (detectors mark theirs for the English catalog);
        a title an inspector typed is shown as written."""
        return gettext(self.title)


class CaseStatus(models.TextChoices):
    REGISTERED = "registered", _("已立案")
    INVESTIGATING = "investigating", _("调查取证")
    NOTIFIED = "notified", _("已告知")
    HEARING_REQUESTED = "hearing_requested", _("已申请听证")
    HEARING_HELD = "hearing_held", _("已听证")
    DECIDED = "decided", _("已决定")
    SERVED = "served", _("已送达")
    EXECUTING = "executing", _("执行中")
    CLOSED = "closed", _("已结案")
    NOT_PENALIZED = "not_penalized", _("不予处罚")
    REFERRED = "referred", _("已移送")
    REVOKED = "revoked", _("已撤销")


S = CaseStatus
OPEN_CASE_STATES = (
    S.REGISTERED,
    S.INVESTIGATING,
    S.NOTIFIED,
    S.HEARING_REQUESTED,
    S.HEARING_HELD,
    S.DECIDED,
    S.SERVED,
    S.EXECUTING,
)
DECIDED_STATES = (S.DECIDED, S.SERVED, S.EXECUTING, S.CLOSED)


class Case(ConcurrentTransitionMixin, models.Model):
    """An administrative penalty case (行政处罚案件) under Arts. 43-46, from registration to closure."""

    uuid = models.UUIDField(_("公开标识"), default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(_("案号"), max_length=40, unique=True)
    authority = models.ForeignKey(Organization, verbose_name=_("立案机关"), on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    district = models.CharField(_("所在区"), max_length=6, choices=District.choices, blank=True)
    # The party: an organization, or a natural person named with an ID number.
    party_organization = models.ForeignKey(
        Organization,
        verbose_name=_("当事人（单位）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    party_person_name = models.CharField(_("当事人（个人）姓名"), max_length=60, blank=True)
    party_person_id_number = models.CharField(_("身份证件号码"), max_length=30, blank=True)
    article_breached = models.CharField(_("违反条款"), max_length=20)
    sanctioning_article = models.PositiveSmallIntegerField(
        _("罚则条款"), validators=[MinValueValidator(43), MaxValueValidator(46)]
    )
    sanctioning_item = models.PositiveSmallIntegerField(_("罚则项"), null=True, blank=True)
    competent_department = models.CharField(
        _("作出处罚的主管部门及依据"),
        max_length=200,
        blank=True,
        help_text=_("第四十五条：由有关部门依照所引国家规定作出。"),
    )
    facts = models.TextField(_("违法事实"))
    officers = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("执法人员"), related_name="+")
    status = FSMField(_("状态"), default=S.REGISTERED, choices=CaseStatus.choices, protected=True)
    registered_on = models.DateField(_("立案日期"))
    notified_on = models.DateField(_("告知日期"), null=True, blank=True)
    proposed_sanctions = models.JSONField(_("拟处罚"), default=list, blank=True)
    hearing_eligible = models.BooleanField(_("可申请听证"), default=False)
    hearing_requested_on = models.DateField(_("申请听证日期"), null=True, blank=True)
    hearing_date = models.DateField(_("听证日期"), null=True, blank=True)
    hearing_record = models.TextField(_("听证笔录摘要"), blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    decision_text = models.TextField(_("处罚决定理由"), blank=True)
    fine_total = models.DecimalField(_("罚款金额（元）"), max_digits=12, decimal_places=2, default=0)
    served_on = models.DateField(_("送达日期"), null=True, blank=True)
    payment_due = models.DateField(_("缴款期限"), null=True, blank=True)
    paid_on = models.DateField(_("缴款日期"), null=True, blank=True)
    paid_amount = models.DecimalField(_("缴款金额（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)
    outcome_reason = models.TextField(_("不予处罚、移送或撤销理由"), blank=True)
    referral_body = models.CharField(_("移送机关"), max_length=30, choices=ReferralBody.choices, blank=True)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("撤回公开时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("行政处罚案件")
        verbose_name_plural = _("行政处罚案件")
        ordering = ["-registered_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(party_organization__isnull=False) | ~Q(party_person_name=""),
                name="case_party_required",
                violation_error_message="请填写当事人（单位或个人）。",
            ),
            models.CheckConstraint(
                condition=Q(sanctioning_article__gte=43) & Q(sanctioning_article__lte=46),
                name="case_sanctioning_article_43_46",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-registered_on", "-id"], name="case_status_registered_idx"),
            # The case list without a status filter, newest first (issue 15).
            models.Index(fields=["-registered_on", "-id"], name="case_registered_idx"),
            models.Index(fields=["district", "status", "-registered_on"], name="case_district_status_idx"),
            models.Index(fields=["party_organization", "-registered_on"], name="case_party_idx"),
            models.Index(fields=["sanctioning_article", "-registered_on"], name="case_article_idx"),
            # The public page: published, not withdrawn, newest first.
            models.Index(
                fields=["-published_at", "-id"],
                condition=Q(published_at__isnull=False, withdrawn_at__isnull=True),
                name="case_published_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def party_name(self) -> str:
        return self.party_organization.name if self.party_organization_id else self.party_person_name

    @property
    def party_is_person(self) -> bool:
        return not self.party_organization_id

    @property
    def article_label(self) -> str:
        return f"Art. {self.sanctioning_article}" + (f"({self.sanctioning_item})" if self.sanctioning_item else "")

    @property
    def article_citation(self) -> str:
        """The sanctioning article as stored texts and letters cite it (in Chinese, whatever the interface)."""
        item = f"第{self.sanctioning_item}项" if self.sanctioning_item else ""
        return f"《北京市信息化促进条例》第{self.sanctioning_article}条{item}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None and self.withdrawn_at is None

    @transition(field=status, source=S.REGISTERED, target=S.INVESTIGATING)
    def investigate(self):
        pass

    @transition(field=status, source=S.INVESTIGATING, target=S.NOTIFIED)
    def notify(self):
        pass

    @transition(field=status, source=S.NOTIFIED, target=S.HEARING_REQUESTED)
    def request_hearing(self):
        pass

    @transition(field=status, source=S.HEARING_REQUESTED, target=S.HEARING_HELD)
    def hold_hearing(self):
        pass

    @transition(field=status, source=[S.NOTIFIED, S.HEARING_HELD], target=S.DECIDED)
    def decide(self):
        pass

    @transition(field=status, source=S.DECIDED, target=S.SERVED)
    def serve(self):
        pass

    @transition(field=status, source=S.SERVED, target=S.EXECUTING)
    def execute(self):
        pass

    @transition(field=status, source=[S.SERVED, S.EXECUTING], target=S.CLOSED)
    def close(self):
        pass

    @transition(
        field=status, source=[S.REGISTERED, S.INVESTIGATING, S.NOTIFIED, S.HEARING_HELD], target=S.NOT_PENALIZED
    )
    def not_penalize(self):
        pass

    @transition(field=status, source=[S.REGISTERED, S.INVESTIGATING, S.NOTIFIED], target=S.REFERRED)
    def refer(self):
        pass

    @transition(field=status, source=list(DECIDED_STATES), target=S.REVOKED)
    def revoke(self):
        pass


class Sanction(models.Model):
    """One sanction of a decided case (决定的处罚种类), checked against the sanctioning article."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sanctions")
    kind = models.CharField(_("处罚种类"), max_length=20, choices=SanctionKind.choices)
    amount = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    serious_reasons = models.TextField(_("情节严重的理由"), blank=True)
    correction_due = models.DateField(_("改正期限"), null=True, blank=True)
    reinspected_on = models.DateField(_("复查日期"), null=True, blank=True)
    reinspection_result = models.TextField(_("复查结论"), blank=True)
    corrected = models.BooleanField(_("已改正"), null=True, blank=True)

    class Meta:
        verbose_name = _("处罚")
        verbose_name_plural = _("处罚")
        ordering = ["case", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "kind"], name="sanction_unique_kind_per_case"),
            models.CheckConstraint(
                condition=Q(kind="fine", amount__isnull=False) | (~Q(kind="fine") & Q(amount__isnull=True)),
                name="sanction_amount_only_for_fines",
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display() + (f" {format_yuan(self.amount)}" if self.amount is not None else "")


class CaseNumberSequence(models.Model):
    """Last case number per authority, prefix and year (allocated by an atomic upsert)."""

    authority = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    prefix = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("案号序列")
        verbose_name_plural = _("案号序列")
        constraints = [
            models.UniqueConstraint(fields=["authority", "prefix", "year"], name="casenumber_unique_authority_year"),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}〔{self.year}〕{self.last_number}"


class InspectionArea(models.TextChoices):
    PLAN = "plan", _("规划与年度计划落实（第三十八条）")
    FUNDS = "funds", _("政府投资资金使用（第三十九条）")
    OPERATION = "operation", _("工程运行维护（第三十九条）")
    COLLECTION = "collection", _("政务信息采集（第三十九条）")
    DISCLOSURE = "disclosure", _("政府信息公开（第三十九条）")
    SHARING = "sharing", _("信息共享与信息服务（第三十九条）")
    REINSPECTION = "reinspection", _("责令改正后复查")


class Inspection(models.Model):
    """A supervision inspection (Arts. 38-39) of one organization; its findings can become cases."""

    uuid = models.UUIDField(_("公开标识"), default=uuid.uuid4, unique=True, editable=False)
    authority = models.ForeignKey(Organization, verbose_name=_("检查机关"), on_delete=models.PROTECT, related_name="+")
    subject = models.ForeignKey(Organization, verbose_name=_("被检查单位"), on_delete=models.PROTECT, related_name="+")
    area = models.CharField(_("检查事项"), max_length=20, choices=InspectionArea.choices)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    district = models.CharField(_("所在区"), max_length=6, choices=District.choices, blank=True)
    planned_on = models.DateField(_("计划日期"))
    conducted_on = models.DateField(_("检查日期"), null=True, blank=True)
    conclusion = models.TextField(_("检查结论"), blank=True)
    case = models.ForeignKey(
        Case,
        verbose_name=_("复查的案件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reinspections",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("监督检查")
        verbose_name_plural = _("监督检查")
        ordering = ["-planned_on", "-id"]
        indexes = [
            models.Index(fields=["district", "-planned_on"], name="inspection_district_idx"),
            models.Index(fields=["-planned_on", "-id"], name="inspection_planned_idx"),
            models.Index(fields=["area", "-planned_on"], name="inspection_area_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_area_display()} · {self.subject}"


class PerformanceEvaluation(models.Model):
    """Yearly e-government performance evaluation of an agency (Art. 38): indicators, score, rank."""

    uuid = models.UUIDField(_("公开标识"), default=uuid.uuid4, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(_("年度"))
    agency = models.ForeignKey(Organization, verbose_name=_("被考核机关"), on_delete=models.PROTECT, related_name="+")
    evaluator = models.ForeignKey(Organization, verbose_name=_("考核机关"), on_delete=models.PROTECT, related_name="+")
    indicators = models.JSONField(_("指标得分"), default=dict)
    score = models.DecimalField(
        _("总分"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    published = models.BooleanField(_("已公布"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("电子政务绩效考核")
        verbose_name_plural = _("电子政务绩效考核")
        ordering = ["-year", "-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "agency"], name="perfeval_unique_year_agency"),
        ]
        indexes = [models.Index(fields=["year", "-score"], name="perfeval_year_score_idx")]

    def __str__(self) -> str:
        return f"{self.year} {self.agency} {self.score}"


class ServiceGrade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    GOOD = "good", _("良好")
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")


class ServiceEvaluation(models.Model):
    """Service-level evaluation of a public enterprise by its sector authority, published (Art. 41)."""

    uuid = models.UUIDField(_("公开标识"), default=uuid.uuid4, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(_("年度"))
    enterprise = models.ForeignKey(
        Organization, verbose_name=_("公共企事业单位"), on_delete=models.PROTECT, related_name="+"
    )
    sector_authority = models.ForeignKey(
        Organization, verbose_name=_("行业主管部门"), on_delete=models.PROTECT, related_name="+"
    )
    score = models.DecimalField(
        _("得分"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    grade = models.CharField(_("等级"), max_length=20, choices=ServiceGrade.choices)
    summary = models.TextField(_("评估情况"))
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("公共企事业单位信息化服务评估")
        verbose_name_plural = _("公共企事业单位信息化服务评估")
        ordering = ["-year", "-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "enterprise"], name="serviceeval_unique_year_enterprise"),
        ]
        indexes = [
            models.Index(
                fields=["-year", "-score"], condition=Q(published_at__isnull=False), name="serviceeval_published_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.enterprise} {self.get_grade_display()}"
