"""Chapter 5: information systems, grading filings (Art. 32), evaluations (Art. 33), emergency plans,
drills and incidents (Art. 34), bulletins (Art. 35).

Workflow fields are FSM-protected and change only in ``security/services.py``. Columns mirrored from
related rows (``district``, ``level``, due dates) exist so that every list filter has an index.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from portal.fsm import ConcurrentTransitionMixin
from portal.models import District, Organization
from security.rules import Conclusion, HarmDegree, HarmObject, IncidentLevel, ReportVersion, SecurityLevel


class Network(models.TextChoices):
    EGOV = "egov", _("电子政务网络")
    INTERNET = "internet", _("互联网")
    PRIVATE = "private", _("专用网络")


class SystemStatus(models.TextChoices):
    PLANNED = "planned", _("规划建设中")
    IN_OPERATION = "in_operation", _("运行中")
    RETIRED = "retired", _("已下线")


class InformationSystem(models.Model):
    """A network or information system of an operating organization (Art. 32)."""

    uuid = models.UUIDField(_("公开标识"), default=uuid.uuid4, unique=True, editable=False)
    # Indexed by secsys_unique_operator_name and secsys_operator_created_idx, which lead with it.
    operator = models.ForeignKey(
        Organization,
        verbose_name=_("运行维护单位"),
        on_delete=models.PROTECT,
        related_name="information_systems",
        db_index=False,
    )
    name = models.CharField(_("系统名称"), max_length=200)
    builder = models.CharField(_("建设单位"), max_length=200)
    purpose = models.TextField(_("用途"))
    users_served = models.CharField(_("服务对象"), max_length=200)
    network = models.CharField(_("承载网络"), max_length=10, choices=Network.choices)
    status = models.CharField(_("状态"), max_length=20, choices=SystemStatus.choices, default=SystemStatus.IN_OPERATION)
    project_filing = models.ForeignKey(
        "projects.ProjectFiling",
        verbose_name=_("建设项目备案（第二章）"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="information_systems",
    )
    # Mirrors of the operator (scope and the "by district" view filter on them with an index).
    district = models.CharField(_("所在区"), max_length=6, choices=District.choices, blank=True)
    # The level of the latest grading and when it was determined; the approved filing in force.
    level = models.PositiveSmallIntegerField(_("安全保护等级"), choices=SecurityLevel.choices, null=True, blank=True)
    graded_on = models.DateField(_("定级日期"), null=True, blank=True)
    filing_due_date = models.DateField(_("备案期限"), null=True, blank=True)
    current_filing = models.ForeignKey(
        "security.GradingFiling",
        verbose_name=_("有效备案"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_evaluated_on = models.DateField(_("最近测评日期"), null=True, blank=True)
    next_evaluation_due = models.DateField(_("下次测评期限"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("信息系统")
        verbose_name_plural = _("信息系统")
        ordering = ["-created_at", "-id"]
        indexes = [
            # An operator's systems newest first: its list reads them organization by organization
            # (portal.paginators.scope_to_organizations) instead of walking the city's systems in that order.
            models.Index(fields=["operator", "-created_at", "-id"], name="secsys_operator_created_idx"),
            models.Index(fields=["district", "level"], name="secsys_district_level_idx"),
            models.Index(fields=["level", "status"], name="secsys_level_status_idx"),
            models.Index(fields=["status", "level"], name="secsys_status_level_idx"),
            models.Index(fields=["next_evaluation_due", "id"], name="secsys_eval_due_idx"),
            models.Index(fields=["filing_due_date", "id"], name="secsys_filing_due_idx"),
            models.Index(fields=["-created_at", "-id"], name="secsys_created_idx"),
            # Art. 45(2) detector: graded level-2+ systems without an approved filing.
            models.Index(
                fields=["filing_due_date"], name="secsys_unfiled_idx", condition=Q(current_filing__isnull=True)
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["operator", "name"], name="secsys_unique_operator_name"),
        ]

    def __str__(self) -> str:
        return self.name


class GradingStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交待审核")
    SUPERVISOR_APPROVED = "supervisor_approved", _("主管部门已审核")
    RETURNED = "returned", _("退回修改")
    APPROVED = "approved", _("已备案")
    SUPERSEDED = "superseded", _("已被新备案取代")


class GradingReason(models.TextChoices):
    INITIAL = "initial", _("首次定级")
    LEVEL_CHANGE = "level_change", _("等级变更")
    MAJOR_CHANGE = "major_change", _("系统重大变更")


G = GradingStatus


class GradingFiling(ConcurrentTransitionMixin, models.Model):
    """定级备案: the level of one system by the GB/T 22240-2020 matrix, filed with the authority (Art. 32)."""

    uuid = models.UUIDField(_("公开标识"), default=uuid.uuid4, unique=True, editable=False)
    system = models.ForeignKey(
        InformationSystem, verbose_name=_("信息系统"), on_delete=models.PROTECT, related_name="gradings"
    )
    reason = models.CharField(
        _("备案事由"), max_length=20, choices=GradingReason.choices, default=GradingReason.INITIAL
    )
    business_harm_object = models.CharField(_("业务信息：受侵害的客体"), max_length=20, choices=HarmObject.choices)
    business_harm_degree = models.CharField(_("业务信息：侵害程度"), max_length=20, choices=HarmDegree.choices)
    service_harm_object = models.CharField(_("系统服务：受侵害的客体"), max_length=20, choices=HarmObject.choices)
    service_harm_degree = models.CharField(_("系统服务：侵害程度"), max_length=20, choices=HarmDegree.choices)
    business_level = models.PositiveSmallIntegerField(_("业务信息安全保护等级"), choices=SecurityLevel.choices)
    service_level = models.PositiveSmallIntegerField(_("系统服务安全保护等级"), choices=SecurityLevel.choices)
    level = models.PositiveSmallIntegerField(
        _("安全保护等级"), choices=SecurityLevel.choices, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    graded_on = models.DateField(_("定级日期"))
    change_description = models.TextField(_("变更情况"), blank=True)
    expert_reviewed_on = models.DateField(_("专家评审日期"), null=True, blank=True)
    expert_opinion = models.TextField(_("专家评审意见"), blank=True)
    status = FSMField(_("状态"), default=G.DRAFT, choices=GradingStatus.choices, protected=True)
    # Mirrors of the system (the officials' queue filters on them).
    district = models.CharField(_("所在区"), max_length=6, choices=District.choices, blank=True)
    supervisor = models.ForeignKey(
        Organization, verbose_name=_("主管部门"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    authority = models.ForeignKey(
        Organization,
        verbose_name=_("受理的信息化主管部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    supervisor_approved_at = models.DateTimeField(_("主管部门审核时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("备案时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    filing_number = models.CharField(_("备案编号"), max_length=40, blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("定级备案")
        verbose_name_plural = _("定级备案")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "submitted_at"], name="secgrad_status_sub_idx"),
            # Covering (with the columns of the visibility OR): a district official's and a supervising
            # department's gradings are counted from the index alone (``portal.paginators.filter_any``).
            models.Index(fields=["district", "status"], include=["system", "id"], name="secgrad_district_status_idx"),
            models.Index(fields=["supervisor"], include=["system", "id"], name="secgrad_supervisor_idx"),
            models.Index(fields=["level", "status"], name="secgrad_level_status_idx"),
            models.Index(fields=["system", "-created_at"], name="secgrad_system_created_idx"),
            models.Index(fields=["-created_at", "-id"], name="secgrad_created_idx"),
            # A district's list in its order: the newest 25 of 18,000 instead of every district's filings
            # read newest first until 25 are this district's (793 rows, 1 ms, at city scale).
            models.Index(fields=["district", "-created_at", "-id"], name="secgrad_district_created_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["filing_number"], condition=~Q(filing_number=""), name="secgrad_unique_filing_number"
            ),
            # One grading in progress per system: a change waits until the previous one is decided.
            models.UniqueConstraint(
                fields=["system"],
                condition=Q(status__in=["draft", "submitted", "supervisor_approved", "returned"]),
                name="secgrad_one_open_per_system",
                violation_error_message="该系统已有一份未办结的定级备案，请在原备案上继续办理。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.system} · {self.get_level_display()}"

    @transition(field=status, source=[G.DRAFT, G.RETURNED], target=G.SUBMITTED)
    def submit(self):
        pass

    @transition(field=status, source=G.SUBMITTED, target=G.SUPERVISOR_APPROVED)
    def supervisor_approve(self):
        pass

    @transition(field=status, source=[G.SUBMITTED, G.SUPERVISOR_APPROVED], target=G.APPROVED)
    def approve(self):
        pass

    @transition(field=status, source=[G.SUBMITTED, G.SUPERVISOR_APPROVED], target=G.RETURNED)
    def return_for_revision(self):
        pass

    @transition(field=status, source=G.APPROVED, target=G.SUPERSEDED)
    def supersede(self):
        pass


class Evaluation(models.Model):
    """等级测评 of one system by an evaluator organization (Art. 33)."""

    uuid = models.UUIDField(_("公开标识"), default=uuid.uuid4, unique=True, editable=False)
    system = models.ForeignKey(
        InformationSystem, verbose_name=_("信息系统"), on_delete=models.PROTECT, related_name="evaluations"
    )
    evaluator = models.ForeignKey(Organization, verbose_name=_("测评机构"), on_delete=models.PROTECT, related_name="+")
    evaluated_on = models.DateField(_("测评日期"))
    report_version = models.CharField(_("报告版本"), max_length=10, choices=ReportVersion.choices)
    score = models.DecimalField(
        _("测评得分"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    high_risk_remaining = models.BooleanField(_("存在高风险（重大风险）问题"), default=False)
    conclusion = models.CharField(_("测评结论"), max_length=20, choices=Conclusion.choices)
    level = models.PositiveSmallIntegerField(_("测评时等级"), choices=SecurityLevel.choices)
    report_number = models.CharField(_("报告编号"), max_length=60, blank=True)
    district = models.CharField(_("所在区"), max_length=6, choices=District.choices, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("等级测评")
        verbose_name_plural = _("等级测评")
        ordering = ["-evaluated_on", "-id"]
        indexes = [
            models.Index(fields=["system", "-evaluated_on"], name="seceval_system_date_idx"),
            models.Index(fields=["-evaluated_on", "-id"], name="seceval_date_idx"),
            models.Index(fields=["conclusion", "-evaluated_on"], name="seceval_conclusion_idx"),
            models.Index(fields=["district", "-evaluated_on"], name="seceval_district_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.system} {self.evaluated_on} {self.get_conclusion_display()}"


class IssueSeverity(models.TextChoices):
    HIGH = "high", _("高风险")
    MEDIUM = "medium", _("中风险")
    LOW = "low", _("低风险")


class Rectification(models.Model):
    """Security construction / rectification work, recorded against the issues it closes (Art. 33)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    system = models.ForeignKey(InformationSystem, on_delete=models.PROTECT, related_name="rectifications")
    description = models.TextField(_("整改内容"))
    completed_on = models.DateField(_("完成日期"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("安全整改")
        verbose_name_plural = _("安全整改")
        ordering = ["-completed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.completed_on} {self.description[:30]}"


class EvaluationIssue(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="issues")
    description = models.TextField(_("问题"))
    severity = models.CharField(_("风险等级"), max_length=10, choices=IssueSeverity.choices)
    rectification = models.ForeignKey(
        Rectification, verbose_name=_("整改"), null=True, blank=True, on_delete=models.PROTECT, related_name="issues"
    )

    class Meta:
        verbose_name = _("测评发现的问题")
        verbose_name_plural = _("测评发现的问题")
        ordering = ["evaluation_id", "id"]
        indexes = [models.Index(fields=["evaluation", "rectification"], name="secissue_eval_rect_idx")]

    def __str__(self) -> str:
        return self.description[:40]


class EmergencyPlan(models.Model):
    """An operating organization's emergency plan for security incidents (Art. 34 para. 1)."""

    uuid = models.UUIDField(_("公开标识"), default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(Organization, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    version = models.CharField(_("版本"), max_length=40)
    approved_on = models.DateField(_("批准日期"))
    scope = models.TextField(_("适用范围"))
    systems = models.ManyToManyField(InformationSystem, verbose_name=_("覆盖的系统"), blank=True, related_name="plans")
    is_current = models.BooleanField(_("现行有效"), default=True)
    last_drilled_on = models.DateField(_("最近演练日期"), null=True, blank=True)
    next_drill_due = models.DateField(_("下次演练期限"), null=True, blank=True)
    district = models.CharField(_("所在区"), max_length=6, choices=District.choices, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("应急预案")
        verbose_name_plural = _("应急预案")
        ordering = ["-approved_on", "-id"]
        indexes = [
            models.Index(fields=["organization", "is_current"], name="secplan_org_current_idx"),
            models.Index(fields=["next_drill_due", "id"], name="secplan_drill_due_idx"),
            models.Index(fields=["district", "-approved_on"], name="secplan_district_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"], condition=Q(is_current=True), name="secplan_one_current_per_org"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} 应急预案 {self.version}"


class Drill(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(EmergencyPlan, on_delete=models.PROTECT, related_name="drills")
    held_on = models.DateField(_("演练日期"))
    scenario = models.CharField(_("演练科目"), max_length=200)
    participants = models.TextField(_("参演单位和人员"))
    lessons = models.TextField(_("经验与改进"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("应急演练")
        verbose_name_plural = _("应急演练")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["plan", "-held_on"], name="secdrill_plan_date_idx")]

    def __str__(self) -> str:
        return f"{self.held_on} {self.scenario}"


class IncidentStatus(models.TextChoices):
    REPORTED = "reported", _("已报告处置中")
    HANDLED = "handled", _("处置结束待总结")
    CLOSED = "closed", _("已提交总结报告")


class Incident(ConcurrentTransitionMixin, models.Model):
    """A security incident reported to the same-level authority (Art. 34 para. 2)."""

    uuid = models.UUIDField(_("公开标识"), default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        Organization, verbose_name=_("报告单位"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("事件名称"), max_length=200)
    level = models.CharField(_("事件级别"), max_length=20, choices=IncidentLevel.choices)
    occurred_at = models.DateTimeField(_("发生时间"))
    discovered_at = models.DateTimeField(_("发现时间"))
    reported_at = models.DateTimeField(_("报告时间"))
    systems = models.ManyToManyField(
        InformationSystem, verbose_name=_("受影响的系统"), blank=True, related_name="incidents"
    )
    description = models.TextField(_("事件情况"))
    measures = models.TextField(_("已采取的控制措施"))
    records_preserved = models.BooleanField(_("已保存相关记录"), default=False)
    # The limit in force when reported and the delay beyond it, kept so a later settings change
    # does not rewrite history; ``report_delay_minutes`` is 0 when on time.
    report_limit_minutes = models.PositiveIntegerField(_("首报时限（分钟）"))
    report_delay_minutes = models.PositiveIntegerField(_("迟报（分钟）"), default=0)
    status = FSMField(_("状态"), default=IncidentStatus.REPORTED, choices=IncidentStatus.choices, protected=True)
    handling_ended_at = models.DateTimeField(_("处置结束时间"), null=True, blank=True)
    summary_due_date = models.DateField(_("总结报告期限"), null=True, blank=True)
    final_summary = models.TextField(_("总结报告"), blank=True)
    summary_submitted_at = models.DateTimeField(_("总结报告提交时间"), null=True, blank=True)
    district = models.CharField(_("所在区"), max_length=6, choices=District.choices, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("安全事件")
        verbose_name_plural = _("安全事件")
        ordering = ["-reported_at", "-id"]
        indexes = [
            models.Index(fields=["level", "-reported_at"], name="secinc_level_reported_idx"),
            models.Index(fields=["organization", "-reported_at"], name="secinc_org_reported_idx"),
            models.Index(fields=["district", "-reported_at"], name="secinc_district_reported_idx"),
            models.Index(fields=["-reported_at", "-id"], name="secinc_reported_idx"),
            models.Index(fields=["status", "summary_due_date"], name="secinc_status_due_idx"),
            models.Index(fields=["-reported_at"], name="secinc_late_idx", condition=Q(report_delay_minutes__gt=0)),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_late(self) -> bool:
        return self.report_delay_minutes > 0

    @transition(field=status, source=IncidentStatus.REPORTED, target=IncidentStatus.HANDLED)
    def end_handling(self):
        pass

    @transition(field=status, source=IncidentStatus.HANDLED, target=IncidentStatus.CLOSED)
    def close(self):
        pass


class IncidentUpdate(models.Model):
    """A follow-up report (续报) on an incident."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="updates")
    text = models.TextField(_("续报内容"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("事件续报")
        verbose_name_plural = _("事件续报")
        ordering = ["incident_id", "created_at", "id"]

    def __str__(self) -> str:
        return self.text[:40]


class BulletinKind(models.TextChoices):
    ALERT = "alert", _("预警")
    NOTICE = "notice", _("通报")


class Bulletin(models.Model):
    """A security bulletin of the authority to all agencies or chosen ones (Art. 35)."""

    uuid = models.UUIDField(_("公开标识"), default=uuid.uuid4, unique=True, editable=False)
    issuer = models.ForeignKey(Organization, verbose_name=_("发布单位"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类别"), max_length=10, choices=BulletinKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"))
    to_all = models.BooleanField(_("发送全部单位"), default=False)
    issued_at = models.DateTimeField(_("发布时间"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("信息安全通报")
        verbose_name_plural = _("信息安全通报")
        ordering = ["-issued_at", "-id"]
        indexes = [
            models.Index(fields=["issuer", "-issued_at"], name="secbull_issuer_idx"),
            models.Index(fields=["-issued_at", "-id"], name="secbull_issued_idx"),
            models.Index(fields=["kind", "-issued_at"], name="secbull_kind_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class BulletinRecipient(models.Model):
    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="recipients")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reminded_at = models.DateTimeField(_("最近催办时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通报接收单位")
        verbose_name_plural = _("通报接收单位")
        ordering = ["bulletin_id", "organization_id"]
        constraints = [
            models.UniqueConstraint(fields=["bulletin", "organization"], name="secbullrcpt_unique"),
        ]
        indexes = [
            models.Index(fields=["organization", "bulletin"], name="secbullrcpt_org_idx"),
            models.Index(
                fields=["bulletin"], name="secbullrcpt_unacked_idx", condition=Q(acknowledged_at__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bulletin} → {self.organization}"
