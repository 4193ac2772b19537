"""Chapter 1 and Arts. 28, 31, 40: informatization plans (Art. 6), the standards register (Art. 7),
agencies' staff training and assessments (Arts. 28, 40), commendations (Art. 8) and showcased results (Art. 31)."""

import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from planning.rules import (
    AchievementCategory,
    AwardeeKind,
    DevelopmentKind,
    PlanKind,
    StandardCategory,
    StandardStatus,
    standard_is_mandatory,
)
from portal.fsm import ConcurrentTransitionMixin
from portal.models import District, Organization


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("编制中")
    IN_REVIEW = "in_review", _("市信息化主管部门审核中")
    RETURNED = "returned", _("审核退回修改")
    REVIEWED = "reviewed", _("审核通过待报批")
    APPROVED = "approved", _("已批准待公布")
    PUBLISHED = "published", _("已公布实施")


S = PlanStatus


def _is_district_plan(plan) -> bool:
    return plan.kind == PlanKind.DISTRICT


def _approvable(plan) -> bool:
    # A district plan goes to its government only after the city authority's review (Art. 6 para. 2).
    return plan.status == S.REVIEWED if plan.kind == PlanKind.DISTRICT else plan.status in (S.DRAFT, S.RETURNED)


class Plan(ConcurrentTransitionMixin, models.Model):
    """An informatization development plan (Art. 6): the city's, a district's, or a department's special plan."""

    uuid = models.UUIDField(_("公开标识"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("规划类别"), max_length=10, choices=PlanKind.choices)
    title = models.CharField(_("规划名称"), max_length=200)
    organization = models.ForeignKey(
        Organization, verbose_name=_("编制单位"), on_delete=models.PROTECT, related_name="informatization_plans"
    )
    district = models.CharField(_("所在区"), max_length=6, choices=District.choices, blank=True)
    period_start = models.PositiveSmallIntegerField(_("规划期起始年"))
    period_end = models.PositiveSmallIntegerField(_("规划期截止年"))
    summary = models.TextField(_("主要内容"), blank=True)
    conforms_to = models.ForeignKey(
        "self",
        verbose_name=_("所依据的本市规划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conforming_plans",
        help_text=_("区规划和部门规划应当符合本市信息化发展规划（第六条）。"),
    )
    status = FSMField(_("状态"), default=S.DRAFT, choices=PlanStatus.choices, protected=True)
    submitted_at = models.DateTimeField(_("报送审核时间"), null=True, blank=True)
    # Mirrors the open conformity-review Deadline's due date so the queue can show and sort by it.
    review_due_date = models.DateField(_("审核期限"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    review_opinion = models.TextField(_("审核意见"), blank=True)
    approved_by_body = models.CharField(_("批准机关"), max_length=100, blank=True)
    approval_reference = models.CharField(_("批准文号"), max_length=60, blank=True)
    approval_date = models.DateField(_("批准日期"), null=True, blank=True)
    published_on = models.DateField(_("公布日期"), null=True, blank=True)
    published_version = models.ForeignKey(
        "planning.PlanVersion",
        verbose_name=_("公布的版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("信息化发展规划")
        verbose_name_plural = _("信息化发展规划")
        ordering = ["-period_start", "kind", "id"]
        indexes = [
            # The public list: published plans, newest first, by kind.
            models.Index(fields=["status", "-published_on", "id"], name="devplan_status_published_idx"),
            models.Index(fields=["kind", "status"], name="devplan_kind_status_idx"),
            models.Index(fields=["district", "status"], name="devplan_district_status_idx"),
            models.Index(fields=["organization", "status"], name="devplan_org_status_idx"),
            models.Index(fields=["-period_start", "kind", "id"], name="devplan_period_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="district") | ~Q(district=""),
                name="devplan_district_required",
                violation_error_message=_("区规划必须选择所在区。"),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="devplan_period_ordered",
                violation_error_message=_("规划期截止年不能早于起始年。"),
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | (Q(published_on__isnull=False) & Q(published_version__isnull=False)),
                name="devplan_published_has_version",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    # Transitions: each is called only from its service in planning/services/plans.py.
    @transition(field=status, source=[S.DRAFT, S.RETURNED], target=S.IN_REVIEW, conditions=[_is_district_plan])
    def submit_for_review(self):
        pass

    @transition(field=status, source=S.IN_REVIEW, target=S.REVIEWED)
    def confirm_conformity(self):
        pass

    @transition(field=status, source=S.IN_REVIEW, target=S.RETURNED)
    def return_for_revision(self):
        pass

    @transition(field=status, source=[S.DRAFT, S.RETURNED, S.REVIEWED], target=S.APPROVED, conditions=[_approvable])
    def record_approval(self):
        pass

    @transition(field=status, source=S.APPROVED, target=S.PUBLISHED)
    def publish(self):
        pass


class PlanVersion(models.Model):
    """One text of a plan. Documents are attachments of the version; publishing fixes which version is public."""

    uuid = models.UUIDField(_("公开标识"), default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(Plan, verbose_name=_("规划"), on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("版本号"))
    note = models.CharField(_("修订说明"), max_length=300)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("规划版本")
        verbose_name_plural = _("规划版本")
        ordering = ["plan_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="planversion_unique_number")]

    def __str__(self) -> str:
        return f"{self.plan} v{self.number}"


class Standard(models.Model):
    """An entry of the informatization standards register (Art. 7)."""

    uuid = models.UUIDField(_("公开标识"), default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(
        _("标准编号"), max_length=40, unique=True, help_text=_("如 GB/T 22239-2019、DB11/T 1918-2021。")
    )
    title = models.CharField(_("标准名称"), max_length=200)
    category = models.CharField(_("标准类别"), max_length=10, choices=StandardCategory.choices)
    scope = models.TextField(_("适用范围"), blank=True)
    issued_by = models.CharField(_("发布机关"), max_length=100, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=StandardStatus.choices, default=StandardStatus.CURRENT)
    effective_on = models.DateField(_("实施日期"))
    withdrawn_on = models.DateField(_("废止日期"), null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self", verbose_name=_("代替标准"), null=True, blank=True, on_delete=models.PROTECT, related_name="replaces"
    )
    url = models.URLField(_("全文链接"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("信息化标准")
        verbose_name_plural = _("信息化标准")
        ordering = ["code"]
        indexes = [
            models.Index(fields=["category", "code"], name="standard_category_code_idx"),
            models.Index(fields=["status", "code"], name="standard_status_code_idx"),
            models.Index(fields=["effective_on"], name="standard_effective_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="current", withdrawn_on__isnull=True)
                | Q(status="withdrawn", withdrawn_on__isnull=False),
                name="standard_withdrawn_has_date",
                violation_error_message=_("废止的标准必须填写废止日期，现行标准不能有废止日期。"),
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=F("effective_on")),
                name="standard_withdrawn_after_effective",
                violation_error_message=_("废止日期不能早于实施日期。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def is_mandatory(self) -> bool:
        return standard_is_mandatory(self.code)

    @property
    def is_withdrawn(self) -> bool:
        return self.status == StandardStatus.WITHDRAWN


class StaffDevelopmentRecord(models.Model):
    """One training session (Art. 28) or periodic assessment (Art. 40) an agency held for its staff."""

    uuid = models.UUIDField(_("公开标识"), default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        Organization, verbose_name=_("机关"), on_delete=models.PROTECT, related_name="staff_development_records"
    )
    kind = models.CharField(_("类别"), max_length=12, choices=DevelopmentKind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    held_on = models.DateField(_("举办日期"))
    title = models.CharField(_("名称"), max_length=200)
    participants = models.PositiveIntegerField(_("参加人数"), validators=[MinValueValidator(1)])
    hours = models.DecimalField(_("学时"), max_digits=6, decimal_places=1, default=0, validators=[MinValueValidator(0)])
    passed = models.PositiveIntegerField(_("考核合格人数"), null=True, blank=True)
    notes = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("培训与考核记录")
        verbose_name_plural = _("培训与考核记录")
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["organization", "year", "kind"], name="staffdev_org_year_kind_idx"),
            models.Index(fields=["year", "kind", "organization"], name="staffdev_year_kind_idx"),
            models.Index(fields=["-held_on", "-id"], name="staffdev_held_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(passed__isnull=True) | Q(passed__lte=F("participants")),
                name="staffdev_passed_le_participants",
                violation_error_message=_("考核合格人数不能多于参加人数。"),
            ),
            models.CheckConstraint(
                condition=~Q(kind="assessment") | Q(passed__isnull=False),
                name="staffdev_assessment_has_passed",
                violation_error_message=_("考核记录必须填写考核合格人数。"),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Commendation(models.Model):
    """A commendation of a unit or person for outstanding informatization work (Art. 8 para. 2)."""

    uuid = models.UUIDField(_("公开标识"), default=uuid.uuid4, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("表彰名称"), max_length=200)
    awardee_kind = models.CharField(_("表彰对象"), max_length=12, choices=AwardeeKind.choices)
    organization = models.ForeignKey(
        Organization, verbose_name=_("受表彰单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    person_name = models.CharField(_("受表彰个人"), max_length=60, blank=True)
    person_affiliation = models.CharField(_("个人所在单位"), max_length=200, blank=True)
    citation = models.TextField(_("主要事迹"))
    conferred_by = models.CharField(_("表彰机关"), max_length=100)
    reference = models.CharField(_("表彰文号"), max_length=60, blank=True)
    conferred_on = models.DateField(_("表彰日期"))
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("表彰")
        verbose_name_plural = _("表彰")
        ordering = ["-conferred_on", "-id"]
        indexes = [models.Index(fields=["-conferred_on", "-id"], name="commendation_conferred_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(awardee_kind="organization", organization__isnull=False)
                | (Q(awardee_kind="person") & ~Q(person_name="")),
                name="commendation_awardee_named",
                violation_error_message=_("请选择受表彰单位或填写受表彰个人姓名。"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def awardee(self) -> str:
        if self.awardee_kind == AwardeeKind.ORGANIZATION:
            return str(self.organization)
        return f"{self.person_name}（{self.person_affiliation}）" if self.person_affiliation else self.person_name


class Achievement(models.Model):
    """An informatization result shown and exchanged, or an advanced technology or product promoted (Art. 31)."""

    uuid = models.UUIDField(_("公开标识"), default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("成果名称"), max_length=200)
    organization = models.ForeignKey(
        Organization, verbose_name=_("完成单位"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(_("类别"), max_length=12, choices=AchievementCategory.choices)
    summary = models.TextField(_("成果简介"))
    event = models.CharField(_("展示交流活动"), max_length=200, blank=True)
    showcased_on = models.DateField(_("展示日期"))
    url = models.URLField(_("链接"), blank=True)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("信息化成果")
        verbose_name_plural = _("信息化成果")
        ordering = ["-showcased_on", "-id"]
        indexes = [models.Index(fields=["-showcased_on", "-id"], name="achievement_showcased_idx")]

    def __str__(self) -> str:
        return self.title
