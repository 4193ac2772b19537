"""Deadlines: what someone must do by when, under which article, and the reminders sent for it.

See ``portal.services.deadlines`` for how to open and close them and how to add a kind.
"""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, FSMField, transition

from portal.models.core import District


class ReminderUnit(models.TextChoices):
    WORKING = "working", _("工作日")
    CALENDAR = "calendar", _("自然日")


class OnDue(models.TextChoices):
    # An obligation not met by the due date is late: overdue, officials are told (a violation).
    OVERDUE = "overdue", _("到期未办结即逾期")
    # A period that simply runs out (a warranty ends, a certificate expires): nobody failed.
    EXPIRE = "expire", _("到期即届满（不算逾期）")


class DeadlineKind(models.Model):
    """A kind of deadline and its reminder plan. Defaults come from ``settings.DEADLINE_KINDS``;
    the admin may change the plan here (the settings are only read when the row is created)."""

    code = models.CharField(_("代码"), max_length=40, primary_key=True)
    label = models.CharField(_("名称"), max_length=100)
    legal_basis = models.CharField(_("法律依据"), max_length=200, blank=True)
    # Days (in ``reminder_unit``) relative to the due date: negative before, 0 on the day, positive after.
    reminder_offsets = ArrayField(
        models.SmallIntegerField(),
        verbose_name=_("提醒安排"),
        default=list,
        blank=True,
        help_text=_(
            "相对截止日的天数（按“提醒计日方式”计算），用英文逗号分隔：负数为截止前，0 为当天，正数为逾期后。"
            "如：-7,-1,0,1,5"
        ),
    )
    reminder_unit = models.CharField(
        _("提醒计日方式"),
        max_length=10,
        choices=ReminderUnit.choices,
        default=ReminderUnit.WORKING,
        help_text=_("工作日：按工作日历计算，跳过节假日；自然日：按日历天数计算（如保修期届满前 60、30、7 天）。"),
    )
    on_due = models.CharField(
        _("到期处理"),
        max_length=10,
        choices=OnDue.choices,
        default=OnDue.OVERDUE,
        help_text=_("逾期：到期未办结即为逾期并告知主管部门；届满：到期即终止，只告知责任单位，不算违规。"),
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("期限类型")
        verbose_name_plural = _("期限类型")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.label

    @property
    def display_label(self) -> str:
        """The name in the reader's language: the defaults from ``settings.DEADLINE_KINDS`` are in the English
        catalog; a name the administrator changed is shown as written."""
        return gettext(self.label)

    @property
    def expires(self) -> bool:
        return self.on_due == OnDue.EXPIRE

    def clean(self):
        super().clean()
        if self.on_due == OnDue.EXPIRE and any(offset > 0 for offset in self.reminder_offsets or ()):
            raise ValidationError(
                {"reminder_offsets": _("“到期即届满”的期限到期后即终止，不能安排截止日之后的提醒（请删去正数）。")}
            )


class DeadlineState(models.TextChoices):
    OPEN = "open", _("进行中")
    MET = "met", _("已完成")
    OVERDUE = "overdue", _("已逾期")
    WAIVED = "waived", _("已免除")
    # A period that ran out (warranty ended, certificate expired): terminal, not a failure.
    EXPIRED = "expired", _("已届满")
    # Stopped while the matter is back with the other side (a filing returned for revision); the
    # working days left are carried over when it resumes.
    PAUSED = "paused", _("已暂停")


ACTIVE_STATES = (DeadlineState.OPEN, DeadlineState.OVERDUE)
# At most one of these per subject and kind: a paused deadline resumes instead of a new one opening.
RUNNING_STATES = (*ACTIVE_STATES, DeadlineState.PAUSED)
# Terminal states: nothing is left to do, no reminder goes out.
CLOSED_STATES = (DeadlineState.MET, DeadlineState.WAIVED, DeadlineState.EXPIRED)


class Deadline(models.Model):
    uuid = models.UUIDField(_("公开标识"), default=uuid.uuid4, unique=True, editable=False)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    kind = models.ForeignKey(
        DeadlineKind, verbose_name=_("类型"), on_delete=models.PROTECT, db_column="kind", db_index=False
    )
    title = models.CharField(_("事项"), max_length=200, blank=True)
    legal_basis = models.CharField(_("法律依据"), max_length=200, blank=True)
    organization = models.ForeignKey(
        "portal.Organization",
        verbose_name=_("责任单位"),
        on_delete=models.PROTECT,
        related_name="deadlines",
        db_index=False,
    )
    # The organization's district, copied when the deadline opens (an organization's district never changes:
    # ``organization_update`` does not edit it). A district official's lists read one index range of it,
    # however many organizations the district holds (89 at city scale: one probe each, through the
    # organization index, cost the page 1-2 ms more than at demo volumes). Empty for city-level organizations.
    district = models.CharField(
        _("所在区"), max_length=6, choices=District.choices, blank=True, default="", db_default=""
    )
    due_date = models.DateField(_("截止日期"))
    # Only where the law counts hours (e.g. incident reports): the exact moment it falls due.
    due_at = models.DateTimeField(_("截止时间"), null=True, blank=True)
    original_due_date = models.DateField(_("原截止日期"))
    state = FSMField(_("状态"), default=DeadlineState.OPEN, choices=DeadlineState.choices, protected=True)
    opened_at = models.DateTimeField(_("开始时间"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("开启人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    met_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    overdue_at = models.DateTimeField(_("逾期时间"), null=True, blank=True)
    waived_at = models.DateTimeField(_("免除时间"), null=True, blank=True)
    expired_at = models.DateTimeField(_("届满时间"), null=True, blank=True)
    waive_reason = models.TextField(_("免除理由"), blank=True)
    extension_count = models.PositiveSmallIntegerField(_("延期次数"), default=0)
    # How the due date was counted (start + days in unit), so it can be counted again; empty when
    # the due date was given as such (an approved extension, a date fixed by a decision).
    period_start = models.DateField(_("起算日"), null=True, blank=True)
    period_days = models.IntegerField(_("期间天数"), null=True, blank=True)
    period_unit = models.CharField(_("期间计日方式"), max_length=10, choices=ReminderUnit.choices, blank=True)
    # Counted across a year whose official holiday calendar was not loaded: counted again, and this
    # mark removed, when it is (portal.services.deadlines.deadlines_recount).
    provisional = models.BooleanField(_("按临时日历计算"), default=False)
    paused_at = models.DateTimeField(_("暂停时间"), null=True, blank=True)
    # Working days left when paused (negative: already that many working days late).
    paused_remaining = models.IntegerField(_("暂停时剩余工作日"), null=True, blank=True)
    pause_count = models.PositiveSmallIntegerField(_("暂停次数"), default=0)
    # Reminder stages that fall before this moment are skipped (opened late, or re-planned on extension).
    reminders_from = models.DateTimeField(_("提醒起算时间"))
    # When the sweep must next look at this deadline (next reminder stage or the overdue moment);
    # NULL when nothing is left to do. The sweep reads only rows whose moment has come, by index.
    next_action_at = models.DateTimeField(_("下次处理时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("期限")
        verbose_name_plural = _("期限")
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["due_date"], name="deadline_open_due_idx", condition=models.Q(state="open")),
            models.Index(
                fields=["next_action_at"],
                name="deadline_next_action_idx",
                condition=models.Q(next_action_at__isnull=False),
            ),
            # A scoped list reads each organization's first deadlines in due order (portal.paginators), of one
            # state (a dashboard panel) or of any; with ``id`` the order is complete and the read stops at the page.
            models.Index(fields=["organization", "state", "due_date", "id"], name="deadline_org_state_due_id_idx"),
            models.Index(fields=["organization", "due_date", "id"], name="deadline_org_due_idx"),
            # The same two orders for a district official (``Scope.sole_district``) and the district filter.
            models.Index(fields=["district", "state", "due_date", "id"], name="deadline_dist_state_due_idx"),
            models.Index(fields=["district", "due_date", "id"], name="deadline_district_due_idx"),
            models.Index(fields=["kind", "state", "due_date"], name="deadline_kind_state_due_idx"),
            # The dashboard panels and the list by state, in due order: with ``id`` in the key the order is
            # complete, so a district's first eight stop the walk; without it PostgreSQL read the whole first
            # due date (5,000 overdue entries of the city) to sort them by id (8 ms).
            models.Index(fields=["state", "due_date", "id"], name="deadline_state_due_id_idx"),
            models.Index(fields=["due_date", "id"], name="deadline_due_idx"),
            models.Index(fields=["content_type", "object_id", "kind"], name="deadline_subject_idx"),
        ]
        constraints = [
            # At most one running deadline of a kind on one object: deadline_open is idempotent on it.
            models.UniqueConstraint(
                fields=["content_type", "object_id", "kind"],
                condition=models.Q(state__in=["open", "overdue", "paused"]),
                name="deadline_one_active_per_subject_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title or self.kind_id} · {self.due_date}"

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_STATES

    # Each transition is called only from its service in portal.services.deadlines.
    @property
    def is_paused(self) -> bool:
        return self.state == DeadlineState.PAUSED

    @transition(field=state, source=RUNNING_STATES, target=DeadlineState.MET)
    def meet(self):
        pass

    @transition(field=state, source=DeadlineState.OPEN, target=DeadlineState.OVERDUE)
    def mark_overdue(self):
        pass

    @transition(field=state, source=DeadlineState.OPEN, target=DeadlineState.EXPIRED)
    def expire(self):
        pass

    @transition(field=state, source=RUNNING_STATES, target=DeadlineState.WAIVED)
    def waive(self):
        pass

    @transition(field=state, source=ACTIVE_STATES, target=DeadlineState.PAUSED)
    def pause(self):
        pass

    @transition(
        field=state, source=DeadlineState.PAUSED, target=RETURN_VALUE(DeadlineState.OPEN, DeadlineState.OVERDUE)
    )
    def resume(self, *, late: bool):
        return DeadlineState.OVERDUE if late else DeadlineState.OPEN

    # Counted again on the official calendar: a deadline marked overdue on a provisional count whose
    # new due date has not passed is open again.
    @transition(field=state, source=ACTIVE_STATES, target=DeadlineState.OPEN)
    def reopen(self):
        pass

    @transition(field=state, source=[DeadlineState.OPEN, DeadlineState.OVERDUE], target=DeadlineState.OPEN)
    def extend(self):
        pass


class DeadlineReminder(models.Model):
    """One reminder stage sent for one deadline. The unique constraint makes each stage happen once."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="reminders", db_index=False)
    # "-7", "-1", "0", "+1", "+5" (days from the due date, in the kind's unit), "overdue" or "expired";
    # prefixed "x<n>:" after the n-th extension.
    stage = models.CharField(_("阶段"), max_length=20)
    scheduled_for = models.DateTimeField(_("计划时间"))
    sent_at = models.DateTimeField(_("发送时间"))

    class Meta:
        verbose_name = _("期限提醒")
        verbose_name_plural = _("期限提醒")
        ordering = ["deadline_id", "scheduled_for"]
        constraints = [
            models.UniqueConstraint(fields=["deadline", "stage"], name="deadline_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.deadline_id} {self.stage}"
