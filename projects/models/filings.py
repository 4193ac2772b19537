"""Project filings (Art. 13), their review, acceptance (Art. 14) and warranty (Art. 15)."""

import uuid
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, FSMField, transition
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from portal.fsm import ConcurrentTransitionMixin
from portal.language import parenthesized
from portal.models import District, Level, Organization
from projects.rules import (
    FindingResult,
    ProjectKind,
    QualificationDomain,
    QualificationLevel,
    ReviewDimension,
    TenderMethod,
)


class FilingStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交待受理")
    IN_REVIEW = "in_review", _("审查中")
    RETURNED = "returned", _("退回修改")
    APPROVED = "approved", _("审查通过")
    APPROVED_WITH_CONDITIONS = "approved_with_conditions", _("有条件通过")
    REJECTED = "rejected", _("不予通过")
    UNDER_CONSTRUCTION = "under_construction", _("已批复建设中")
    ACCEPTANCE_REQUESTED = "acceptance_requested", _("待竣工验收")
    RECTIFYING = "rectifying", _("验收不合格整改中")
    ACCEPTED = "accepted", _("验收合格")
    IN_OPERATION = "in_operation", _("已投入使用")


S = FilingStatus
DECIDED_STATES = (S.APPROVED, S.APPROVED_WITH_CONDITIONS, S.REJECTED)
OPINION_STATES = (
    S.APPROVED,
    S.APPROVED_WITH_CONDITIONS,
    S.REJECTED,
    S.UNDER_CONSTRUCTION,
    S.ACCEPTANCE_REQUESTED,
    S.RECTIFYING,
    S.ACCEPTED,
    S.IN_OPERATION,
)
AGENCY_EDITABLE_STATES = (S.DRAFT, S.RETURNED)
# Sorts a filing without a review due date after every dated one, in the to-do panel's order and its index.
NO_DUE_DATE = date(9999, 12, 31)


class ProjectFiling(ConcurrentTransitionMixin, models.Model):
    """A building agency's filing of a government-invested informatization project for review (Art. 13)."""

    uuid = models.UUIDField(_("公开标识"), default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(
        Organization, verbose_name=_("建设单位"), on_delete=models.PROTECT, related_name="project_filings"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("经办人"), on_delete=models.PROTECT, related_name="+"
    )
    # 基本信息
    title = models.CharField(_("项目名称"), max_length=200)
    kind = models.CharField(_("建设性质"), max_length=20, choices=ProjectKind.choices)
    government_investment = models.DecimalField(
        _("政府投资（万元）"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0)],
    )
    other_funding = models.DecimalField(
        _("其他资金（万元）"), max_digits=14, decimal_places=2, default=Decimal("0"), validators=[MinValueValidator(0)]
    )
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    district = models.CharField(_("所在区"), max_length=6, choices=District.choices, blank=True)
    description = models.TextField(_("项目概述"), blank=True)
    # Art. 13: renovation, expansion and O&M work on something that exists and is funded for a budget year.
    existing_system = models.CharField(
        _("原有系统（改建、扩建、运行维护）"),
        max_length=200,
        blank=True,
        help_text=_("改建、扩建或运行维护的对象：已建系统的名称（或在下方选择此前的项目备案）。"),
    )
    previous_filing = models.ForeignKey(
        "self",
        verbose_name=_("此前的项目备案"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("建设该系统的项目备案（本单位的）。"),
    )
    budget_year = models.PositiveSmallIntegerField(
        _("预算年度"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2007), MaxValueValidator(2100)],
        help_text=_("改建、扩建和运行维护项目申请经费的预算年度（第十三条）。"),
    )
    # Art. 13: 发展改革、财政"或者其他有关部门" approve; the agency names the other department when it is one.
    other_approving_department = models.ForeignKey(
        Organization,
        verbose_name=_("其他审批部门（第十三条）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("由发展改革、财政以外的有关部门审批时选择；不选则按建设性质由发展改革或财政部门审批。"),
    )
    # 需求与效益
    needs = models.TextField(_("建设需求"), blank=True)
    expected_benefits = models.TextField(_("预期效益"), blank=True)
    replaces_systems = models.TextField(_("替代的已建系统"), blank=True, help_text=_("每行一个系统名称；没有请留空。"))
    integrates_systems = models.TextField(
        _("整合或对接的系统"), blank=True, help_text=_("每行一个系统名称（第十三条第四款）。")
    )
    shared_resources = models.TextField(
        _("共享的信息资源"), blank=True, help_text=_("本项目将向其他部门共享的信息资源。")
    )
    # 技术与安全
    planned_security_level = models.PositiveSmallIntegerField(
        _("拟定安全保护等级"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    standards = models.TextField(_("遵循的标准（第七条）"), blank=True, help_text=_("每行一项，如 GB/T 22239-2019。"))
    # 承建与软件
    tender_method = models.CharField(
        _("采购与招标方式（第十条）"), max_length=30, choices=TenderMethod.choices, blank=True
    )
    supervision_arrangement = models.TextField(_("监理安排（第十条）"), blank=True)
    # Art. 11 applies "where national rules require a qualification"; otherwise domain and level stay empty.
    qualification_required = models.BooleanField(
        _("国家规定承建单位须具备相应资质（第十一条）"),
        default=True,
        help_text=_("国家没有资质要求的，取消勾选，无须填写资质领域和等级。"),
    )
    domain = models.CharField(
        _("承建资质领域（第十一条）"), max_length=30, choices=QualificationDomain.choices, blank=True
    )
    required_qualification_level = models.PositiveSmallIntegerField(
        _("要求的最低资质等级"), choices=QualificationLevel.choices, null=True, blank=True
    )
    licensed_software = models.TextField(
        _("使用的软件及授权（第十六条）"), blank=True, help_text=_("每行一项：软件名称 / 厂商 / 授权方式。")
    )
    # 工作流
    status = FSMField(_("状态"), default=S.DRAFT, choices=FilingStatus.choices, protected=True)
    reviewing_authority = models.ForeignKey(
        Organization, verbose_name=_("审查部门"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approving_department = models.ForeignKey(
        Organization, verbose_name=_("审批部门"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    review_started_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    # Mirrors the open review Deadline's due date so the queue can filter and sort by it with an index.
    review_due_date = models.DateField(_("审查期限"), null=True, blank=True)
    # Each acceptance of the filing (first, and again after a return) opens a new round of the checklist.
    review_round = models.PositiveSmallIntegerField(_("审查轮次"), default=0)
    # Every Art. 13 dimension has a finding in the current round (kept by filing_checklist_save, cleared when
    # a new round starts): the to-do panel tells "fill in the checklist" from "decide" by this column
    # instead of counting each reviewed filing's findings (59 ms of a city official's dashboard).
    checklist_complete = models.BooleanField(_("本轮审查要点已填齐"), default=False, editable=False)
    decided_at = models.DateTimeField(_("审查结论时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签发人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    opinion_summary = models.TextField(_("审查意见"), blank=True)
    conditions = models.TextField(_("通过条件"), blank=True)
    opinion_number = models.CharField(_("审查意见文号"), max_length=40, blank=True)
    approval_reference = models.CharField(_("批复文号"), max_length=60, blank=True)
    approval_date = models.DateField(_("批复日期"), null=True, blank=True)
    acceptance_requested_at = models.DateTimeField(_("申请验收时间"), null=True, blank=True)
    # Art. 14: the request names when and where the acceptance is held, so the authority can attend.
    acceptance_planned_on = models.DateField(_("验收日期（计划）"), null=True, blank=True)
    acceptance_place = models.CharField(_("验收地点"), max_length=200, blank=True)
    accepted_on = models.DateField(_("验收合格日期"), null=True, blank=True)
    warranty_end = models.DateField(_("保修期至"), null=True, blank=True)
    operation_started_on = models.DateField(_("投入使用日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("信息化工程备案")
        verbose_name_plural = _("信息化工程备案")
        ordering = ["-created_at", "-id"]
        permissions = [("review_projectfiling", _("审查指定的信息化工程备案"))]
        indexes = [
            models.Index(fields=["status", "review_due_date"], name="filing_status_due_idx"),
            # Covering: a district official's filings are counted from the index alone (``filter_any``).
            models.Index(fields=["district", "status"], include=["agency", "id"], name="filing_district_status_idx"),
            models.Index(fields=["agency", "status"], name="filing_agency_status_idx"),
            models.Index(fields=["kind", "status"], name="filing_kind_status_idx"),
            models.Index(fields=["approving_department", "status"], name="filing_approver_status_idx"),
            models.Index(fields=["-created_at", "-id"], name="filing_created_idx"),
            # A clerk's list, newest first: each of their units' first rows (``scope_to_organizations``).
            models.Index(fields=["agency", "-created_at", "-id"], name="filing_agency_created_idx"),
            # due_before/due_after and "sort by due date" without a status filter.
            models.Index(fields=["review_due_date", "id"], name="filing_due_idx"),
            # The dashboard's counts by status and by district (issue 15): an index-only scan of narrow entries
            # instead of reading every filing's row (id and agency for the scope, status and district counted).
            models.Index(fields=["status", "district"], name="filing_counts_idx", include=["agency", "id"]),
            # The officials' to-do panel (issue 15): filings waiting for a decision, by the deciding level; the
            # checklist flag in the entries leaves the city's 5,000 filings still being reviewed out of the heap
            # reads (24 -> 8 ms).
            models.Index(
                fields=["status", "level", "district", "checklist_complete"],
                name="filing_open_review_idx",
                condition=models.Q(status__in=["submitted", "in_review"]),
            ),
            # The to-do panel (issue 15, ``projects.selectors.tasks``): each kind of filing waiting for a decision
            # read in urgency order straight from the index, ten entries, instead of sorting every match (a
            # city's 2,600 submitted filings, one heap page each: 18 ms). Each part of the panel asks for one
            # checklist state, so the flag comes before the order: after it, a part with no filing (none in
            # review with its checklist complete) walked the city's 5,170 entries in review to find none
            # (0.8 ms). The district, last, is checked in the entries without reading the rows.
            models.Index(
                F("level"),
                F("status"),
                F("checklist_complete"),
                Coalesce(F("review_due_date"), Value(NO_DUE_DATE, output_field=models.DateField())),
                Coalesce(F("submitted_at"), F("created_at")),
                F("id"),
                F("district"),
                name="filing_todo_idx",
                condition=models.Q(status__in=["submitted", "in_review"]),
            ),
            # The same for a district official: the district's own entries, in urgency order. Read through
            # filing_todo_idx, whose district comes after the order, a district with no filing of a kind cost a
            # walk over every district's entries of that kind (4.4 ms), and one with 391 a sort of them (6.8).
            models.Index(
                F("district"),
                F("status"),
                F("checklist_complete"),
                Coalesce(F("review_due_date"), Value(NO_DUE_DATE, output_field=models.DateField())),
                Coalesce(F("submitted_at"), F("created_at")),
                F("id"),
                name="filing_district_todo_idx",
                condition=models.Q(status__in=["submitted", "in_review"], level="district"),
            ),
            # The liaison's opinion list (Art. 13): one department's decisions, newest first.
            models.Index(fields=["approving_department", "-decided_at"], name="filing_approver_decided_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["opinion_number"], condition=~Q(opinion_number=""), name="filing_unique_opinion_number"
            ),
            models.CheckConstraint(
                condition=Q(level="city") | ~Q(district=""),
                name="filing_district_required",
                violation_error_message="区级项目必须选择所在区。",
            ),
            # Art. 14: no use before passing acceptance (O&M funding has no construction to accept).
            models.CheckConstraint(
                condition=~Q(status="in_operation") | Q(accepted_on__isnull=False) | Q(kind="operation"),
                name="filing_operation_requires_acceptance",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_government_invested(self) -> bool:
        return self.government_investment > 0

    @property
    def total_investment(self) -> Decimal:
        return self.government_investment + self.other_funding

    # Transitions: each is called only from its service in projects/services/filings.py.
    @transition(field=status, source=[S.DRAFT, S.RETURNED], target=S.SUBMITTED)
    def submit(self):
        pass

    @transition(field=status, source=S.SUBMITTED, target=S.IN_REVIEW)
    def start_review(self):
        pass

    @transition(field=status, source=[S.SUBMITTED, S.IN_REVIEW], target=S.RETURNED)
    def return_for_revision(self):
        pass

    @transition(field=status, source=S.IN_REVIEW, target=S.APPROVED)
    def approve(self):
        pass

    @transition(field=status, source=S.IN_REVIEW, target=S.APPROVED_WITH_CONDITIONS)
    def approve_with_conditions(self):
        pass

    @transition(field=status, source=S.IN_REVIEW, target=S.REJECTED)
    def reject(self):
        pass

    @transition(
        field=status,
        source=[S.APPROVED, S.APPROVED_WITH_CONDITIONS],
        target=RETURN_VALUE(S.UNDER_CONSTRUCTION, S.IN_OPERATION),
    )
    def record_approval(self):
        # O&M funding keeps a system running: no construction, acceptance or construction warranty (Arts. 14-15).
        return S.IN_OPERATION if self.kind == ProjectKind.OPERATION else S.UNDER_CONSTRUCTION

    @transition(field=status, source=[S.UNDER_CONSTRUCTION, S.RECTIFYING], target=S.ACCEPTANCE_REQUESTED)
    def request_acceptance(self):
        pass

    @transition(field=status, source=S.ACCEPTANCE_REQUESTED, target=RETURN_VALUE(S.ACCEPTED, S.RECTIFYING))
    def record_acceptance(self, *, passed: bool):
        return S.ACCEPTED if passed else S.RECTIFYING

    @transition(field=status, source=S.ACCEPTED, target=S.IN_OPERATION)
    def start_operation(self):
        pass


class FilingUserObjectPermission(UserObjectPermissionBase):
    """Direct-FK guardian grant: a reviewer assigned to one filing."""

    content_object = models.ForeignKey(ProjectFiling, on_delete=models.CASCADE)


class FilingGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(ProjectFiling, on_delete=models.CASCADE)


class ContractorRole(models.TextChoices):
    CONSTRUCTION = "construction", _("承建")
    SUPERVISION = "supervision", _("监理")
    SECURITY = "security", _("安全服务")


class FilingContractor(models.Model):
    """A contractor assigned to a project; only saved when its qualification checks out (Art. 11)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    filing = models.ForeignKey(ProjectFiling, on_delete=models.CASCADE, related_name="contractors")
    contractor = models.ForeignKey(Organization, verbose_name=_("承建单位"), on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("角色"), max_length=20, choices=ContractorRole.choices)
    # Empty where no qualification is required by law, or where a contract already taken on had none (Art. 43).
    qualification = models.ForeignKey(
        "projects.Qualification",
        verbose_name=_("依据的资质证书"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    contract_signed_on = models.DateField(_("合同签订日期（承揽）"), null=True, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("项目承建单位")
        verbose_name_plural = _("项目承建单位")
        ordering = ["filing_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["filing", "contractor", "role"], name="filing_contractor_unique"),
        ]
        indexes = [models.Index(fields=["contractor", "filing"], name="filingcontractor_contr_idx")]

    def __str__(self) -> str:
        return f"{self.contractor}{parenthesized(self.get_role_display())}"


class ReviewFinding(models.Model):
    """The reviewer's finding on one Art. 13 dimension."""

    filing = models.ForeignKey(ProjectFiling, on_delete=models.CASCADE, related_name="review_findings")
    dimension = models.CharField(_("审查内容"), max_length=30, choices=ReviewDimension.choices)
    result = models.CharField(_("结论"), max_length=10, choices=FindingResult.choices)
    text = models.TextField(_("意见"), blank=True)
    # The acceptance round the finding belongs to: after a return and resubmission the checklist is reviewed
    # again, and earlier rounds stay on record as such.
    round = models.PositiveSmallIntegerField(_("审查轮次"), default=1)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("审查要点意见")
        verbose_name_plural = _("审查要点意见")
        constraints = [
            models.UniqueConstraint(fields=["filing", "round", "dimension"], name="review_finding_unique_round_dim")
        ]

    def __str__(self) -> str:
        return f"{self.get_dimension_display()}：{self.get_result_display()}"


class AcceptanceResult(models.TextChoices):
    PASSED = "passed", _("验收合格")
    FAILED = "failed", _("验收不合格")


class AcceptanceRecord(models.Model):
    """One completion acceptance (竣工验收, Art. 14); failures are kept, the project rectifies and asks again."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    filing = models.ForeignKey(ProjectFiling, on_delete=models.CASCADE, related_name="acceptance_records")
    result = models.CharField(_("验收结论"), max_length=10, choices=AcceptanceResult.choices)
    held_on = models.DateField(_("验收日期"))
    participants = models.TextField(_("参加单位和人员"))
    authority_invited = models.BooleanField(_("已邀请信息化主管部门（第十四条）"), default=False)
    # Confirmed by the authority itself (Art. 14), never by the agency's own say-so.
    authority_attended = models.BooleanField(_("信息化主管部门出席"), default=False)
    attendance_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("出席确认人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    attendance_confirmed_at = models.DateTimeField(_("出席确认时间"), null=True, blank=True)
    notes = models.TextField(_("验收意见"), blank=True)
    warranty_end = models.DateField(_("保修期至（第十五条）"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("竣工验收记录")
        verbose_name_plural = _("竣工验收记录")
        ordering = ["filing_id", "held_on", "id"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.get_result_display()}"


class DocumentNumberSequence(models.Model):
    """Last document number issued per issuing authority, prefix and year (allocated by an atomic upsert)."""

    issuer = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    prefix = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("文号序列")
        verbose_name_plural = _("文号序列")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "prefix", "year"], name="docnumber_unique_issuer_year"),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}〔{self.year}〕{self.last_number}"
