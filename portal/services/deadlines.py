"""The deadline engine: open, meet, extend and waive deadlines; the reminder sweep.

Other chapters use only these functions (exported from ``portal.services``)::

    deadline = deadline_open(subject=filing, kind="project_review", due_date=due,
                             organization=filing.agency, legal_basis="Art. 13", actor=user)
    deadline_meet(subject=filing, kind="project_review", actor=user)

Compute ``due_date`` with ``portal.workdays`` (``add_working_days`` / ``add_calendar_days``), which
apply 民法典 Arts. 201-203. Nothing but these services decides whether something is late.

Adding a kind
-------------
Add an entry to ``DEADLINE_KINDS`` in ``portal/settings.py``::

    "project_review": {"label": "项目审查意见", "legal_basis": "Art. 13", "reminders": [-5, -1, 0, 1, 5]},

``reminders`` are days relative to the due date: negative before it, 0 on the day, positive after it.
They count working days unless the entry says ``"reminder_unit": "calendar"``: calendar-day offsets
are plain date arithmetic (60 days before is 60 days before, even on a Sunday). A kind whose period
simply runs out rather than being an obligation someone can fail (a warranty ending, a certificate
expiring) says ``"on_due": "expire"``::

    "warranty_end": {"label": "保修期届满", "legal_basis": "Art. 15", "reminders": [-60, -30, -7],
                     "reminder_unit": "calendar", "on_due": "expire"},

Such a deadline becomes ``expired`` (已届满) at its due moment instead of ``overdue``: only the
responsible organization is told, officials are not, and it is not a violation. It takes no reminders
after the due date. No migration is needed: the ``DeadlineKind`` row is created from these defaults the first
time the kind is used (and by the data migration for the kinds present then). After that, the admin
may change label and plan on the row; the settings are not read again for that kind.

A kind whose due date the subject also keeps (``filing.review_due_date``) names that field as
``"subject_field"``: when the deadline is counted again, the copy follows.

Provisional deadlines
---------------------
A due date computed by ``portal.workdays`` is a ``CountedDate`` that carries its period (start, days,
unit) and whether it crossed a year whose official holiday calendar is not loaded (counted then on
statutory holidays only). ``deadline_open`` stores both; the deadline shows "临时日历" wherever
``{% due_date %}`` renders it, and ``deadlines_recount`` (called by ``calendar_year_load`` when an
official year is loaded, from the admin upload or anywhere else) counts it again, moves the reminder
plan and the subject's copy, tells the responsible organization and removes the mark.

Pausing
-------
``deadline_pause`` stops the clock (the matter went back to the other side, e.g. a filing returned for
revision) and keeps the working days left; ``deadline_resume`` restarts it with them, counted from the
day it resumes. A paused deadline sends no reminders and still blocks a second one of its kind.

Reminders and overdue
---------------------
Each open deadline carries ``next_action_at``: the moment of its next reminder stage or of its
overdue (or expiry) moment (the day after the due date at 00:00, or ``due_at`` where the law counts hours).
``deadlines_sweep`` reads only rows whose moment has come (partial index), in small batches, each its
own transaction with ``SELECT ... FOR UPDATE SKIP LOCKED``; a stage is recorded with
``INSERT ... ON CONFLICT DO NOTHING RETURNING`` on the unique (deadline, stage), and only the rows
actually inserted produce notifications, in the same transaction. So two sweeps at once, or a sweep
killed and retried, send every stage exactly once; marking a deadline overdue or expired is such a
stage too, so it also happens once. Reminders go out at ``DEADLINE_REMINDER_HOUR`` (Beijing time) on
their day.

Who is notified: every member (any role) of the responsible organization; when a deadline becomes
overdue also the officials whose scope covers it (authority officials of the city authority, and
district officials of the organization's district). When a deadline expires, the members only.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from portal.access import scope_for
from portal.language import in_site_language
from portal.models import (
    ACTIVE_STATES,
    RUNNING_STATES,
    Deadline,
    DeadlineKind,
    DeadlineReminder,
    DeadlineState,
    Level,
    Membership,
    OnDue,
    Organization,
    OrganizationKind,
    ReminderUnit,
    Role,
    TimelineEvent,
    User,
)
from portal.services.core import timeline_record
from portal.services.notifications import NotificationDraft, notifications_create_many
from portal.workdays import (
    CountedDate,
    MissingCalendarYear,
    WorkCalendar,
    add_working_days,
    count_again,
    working_days_between,
)

OVERDUE_STAGE = "overdue"
EXPIRED_STAGE = "expired"
# Longest offset we expect when sizing the calendar range a batch loads (grows on demand anyway).
_CALENDAR_MARGIN = timedelta(days=60)


# --- kinds --------------------------------------------------------------------------------------


def deadline_kind_get(code: str) -> DeadlineKind:
    """The kind row, created from ``settings.DEADLINE_KINDS`` the first time it is used."""
    kind = DeadlineKind.objects.filter(pk=code).first()
    if kind is not None:
        return kind
    defaults = settings.DEADLINE_KINDS.get(code)
    if defaults is None:
        raise ValueError(f"未知的期限类型“{code}”：请先在 settings.DEADLINE_KINDS 中登记。")
    try:
        with transaction.atomic():
            return DeadlineKind.objects.create(pk=code, **deadline_kind_defaults(defaults))
    except IntegrityError:  # created meanwhile by someone else
        return DeadlineKind.objects.get(pk=code)


def deadline_kind_defaults(entry: dict) -> dict:
    unit = entry.get("reminder_unit", ReminderUnit.WORKING)
    on_due = entry.get("on_due", OnDue.OVERDUE)
    if unit not in ReminderUnit.values:
        raise ValueError(f"DEADLINE_KINDS：reminder_unit 只能是 {'、'.join(ReminderUnit.values)}，而不是“{unit}”。")
    if on_due not in OnDue.values:
        raise ValueError(f"DEADLINE_KINDS：on_due 只能是 {'、'.join(OnDue.values)}，而不是“{on_due}”。")
    offsets = sorted({int(offset) for offset in entry.get("reminders", [])})
    if on_due == OnDue.EXPIRE and any(offset > 0 for offset in offsets):
        raise ValueError("DEADLINE_KINDS：到期即届满（on_due=expire）的期限不能安排截止日之后的提醒。")
    return {
        "label": entry["label"],
        "legal_basis": entry.get("legal_basis", ""),
        "reminder_offsets": offsets,
        "reminder_unit": unit,
        "on_due": on_due,
    }


# --- schedule -----------------------------------------------------------------------------------


def _local_moment(day: date, hour: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)), timezone.get_default_timezone())


@dataclass(frozen=True)
class Stage:
    code: str
    offset: int | None  # days (in the kind's unit) from the due date; None for the final stage
    moment: datetime | None  # None while the calendar of its year is not loaded
    earliest: datetime  # the stage never falls before this
    final: str = ""  # OVERDUE_STAGE or EXPIRED_STAGE for the due moment itself, "" for a reminder

    @property
    def is_final(self) -> bool:
        return bool(self.final)


def stage_code(deadline: Deadline, offset: int | None, final: str = OVERDUE_STAGE) -> str:
    base = final if offset is None else ("0" if offset == 0 else f"{offset:+d}")
    # After an extension or a resumption the plan restarts for the new due date: new stage codes.
    if deadline.pause_count:
        base = f"p{deadline.pause_count}:{base}"
    return f"x{deadline.extension_count}:{base}" if deadline.extension_count else base


def overdue_moment(deadline: Deadline) -> datetime:
    return deadline.due_at or _local_moment(deadline.due_date + timedelta(days=1))


def is_past_due(due_date: date | None, *, today: date) -> bool:
    """Whether something due on ``due_date`` (counted in days) is late on ``today``: from the day after
    the due date, as ``overdue_moment``. Pages and lists ask this (or its SQL twin, ``due_date < today``,
    in the selectors) rather than comparing dates themselves."""
    return due_date is not None and due_date < today


def deadline_stages(deadline: Deadline, calendar: WorkCalendar) -> list[Stage]:
    hour = settings.DEADLINE_REMINDER_HOUR
    kind = deadline.kind
    expires = kind.on_due == OnDue.EXPIRE
    stages = []
    for offset in sorted(set(kind.reminder_offsets)):
        if expires and offset > 0:
            continue  # nothing follows an expiry
        if kind.reminder_unit == ReminderUnit.CALENDAR:
            # Plain date arithmetic: no calendar needed, no shifting off rest days.
            moment = _local_moment(deadline.due_date + timedelta(days=offset), hour)
            stages.append(Stage(stage_code(deadline, offset), offset, moment, moment))
            continue
        if offset < 0:
            earliest = _local_moment(deadline.due_date - timedelta(days=2 * -offset + 30), hour)
        else:
            earliest = _local_moment(deadline.due_date + timedelta(days=offset), hour)
        try:
            day = calendar.add_working_days(deadline.due_date, offset) if offset else deadline.due_date
            moment = _local_moment(day, hour)
        except MissingCalendarYear:
            moment = None
        stages.append(Stage(stage_code(deadline, offset), offset, moment, moment or earliest))
    final = EXPIRED_STAGE if expires else OVERDUE_STAGE
    moment = overdue_moment(deadline)
    stages.append(Stage(stage_code(deadline, None, final), None, moment, moment, final))
    return sorted(stages, key=lambda stage: stage.earliest)


def _eligible(deadline: Deadline, stage: Stage) -> bool:
    # Stages that fell before the plan started (a deadline opened late) are skipped, except the
    # final stage: lateness (or expiry) is never skipped.
    return stage.is_final or stage.earliest >= deadline.reminders_from


def _plan(
    deadline: Deadline, stages: list[Stage], sent: set[str], now: datetime
) -> tuple[list[Stage], datetime | None]:
    """(stages to send now, next moment to look again)."""
    due_now, upcoming = [], []
    for stage in stages:
        if stage.code in sent or not _eligible(deadline, stage):
            continue
        if stage.moment is not None and stage.moment <= now:
            due_now.append(stage)
        elif stage.moment is not None:
            upcoming.append(stage.moment)
        elif stage.earliest > now:
            upcoming.append(stage.earliest)
        else:
            # The stage may already have come but its year's calendar is missing: look again
            # tomorrow rather than guess. The admin is told by the calendar pages.
            upcoming.append(_local_moment(timezone.localdate(now) + timedelta(days=1), settings.DEADLINE_REMINDER_HOUR))
    return due_now, min(upcoming, default=None)


def _calendar_for(deadlines: list[Deadline]) -> WorkCalendar:
    lo = min(d.due_date for d in deadlines)
    hi = max(d.due_date for d in deadlines)
    span = max(
        (abs(o) for d in deadlines if d.kind.reminder_unit == ReminderUnit.WORKING for o in d.kind.reminder_offsets),
        default=0,
    )
    margin = timedelta(days=2 * span) + _CALENDAR_MARGIN
    return WorkCalendar(lo - margin, hi + margin)


def _next_action(deadline: Deadline, now: datetime, sent: frozenset[str] = frozenset()) -> datetime | None:
    """When the sweep must first look at a deadline being (re)planned: at once if a stage is already due
    (e.g. opened after its due date: the overdue stage), else at its next stage."""
    due_now, upcoming = _plan(deadline, deadline_stages(deadline, _calendar_for([deadline])), set(sent), now)
    return min([stage.moment for stage in due_now] + ([upcoming] if upcoming else []), default=None)


# --- permissions --------------------------------------------------------------------------------


def deadline_can_manage(user, deadline: Deadline) -> bool:
    """Extend or waive: authority officials whose scope covers the responsible organization."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    scope = scope_for(user)
    # The (authority, role) pair decides: a role held in some other organization does not count here.
    if scope.has_authority_role(level=Level.CITY, district="", roles=(Role.AUTHORITY_OFFICIAL,)):
        return True
    return scope.has_authority_role(
        level=Level.DISTRICT,
        district=deadline.organization.district,
        roles=(Role.DISTRICT_OFFICIAL, Role.AUTHORITY_OFFICIAL),
    )


# --- services -----------------------------------------------------------------------------------


def _subject_key(subject) -> tuple[ContentType, int]:
    if subject.pk is None:
        raise ValueError("期限的对象必须先保存。")
    return ContentType.objects.get_for_model(subject), subject.pk


def _event(deadline: Deadline, *, subject, actor, action: str, from_state: str = "", comment: str = "", **data):
    timeline_record(
        obj=subject,
        actor=actor,
        action=action,
        from_state=from_state,
        to_state=deadline.state,
        comment=comment,
        data={"deadline": str(deadline.uuid), "kind": deadline.kind_id, "due_date": str(deadline.due_date), **data},
    )


def deadline_url(deadline: Deadline) -> str:
    return reverse("deadline-detail", kwargs={"uuid": deadline.uuid})


@in_site_language
@transaction.atomic
def deadline_open(
    *,
    subject,
    kind: str,
    due_date: date,
    organization: Organization,
    legal_basis: str = "",
    actor: User | None = None,
    due_at: datetime | None = None,
    title: str = "",
) -> Deadline:
    """Open a deadline on ``subject``; if one of this kind is already running (or paused) on it, return that
    one unchanged.

    A ``due_date`` computed by ``portal.workdays`` (a ``CountedDate``) brings its period along: the
    deadline is marked provisional when the count used a provisional year, and is counted again when
    the official calendar of that year is loaded."""
    content_type, object_id = _subject_key(subject)
    running = (
        Deadline.objects.select_for_update()
        .filter(content_type=content_type, object_id=object_id, kind_id=kind, state__in=RUNNING_STATES)
        .select_related("kind", "organization")
        .first()
    )
    if running is not None:
        return running
    kind_row = deadline_kind_get(kind)
    if due_at is not None and timezone.localdate(due_at) != due_date:
        raise ValidationError({"due_at": "截止时间须在截止日期当天。"})
    now = timezone.now()
    deadline = Deadline(
        content_type=content_type,
        object_id=object_id,
        kind=kind_row,
        title=(title or f"{kind_row.label}：{subject}")[:200],
        legal_basis=legal_basis or kind_row.legal_basis,
        organization=organization,
        district=organization.district,
        due_date=due_date,
        due_at=due_at,
        original_due_date=due_date,
        opened_at=now,
        reminders_from=now,
        opened_by=actor if actor is not None and actor.is_authenticated else None,
    )
    _set_period(deadline, due_date)
    deadline.next_action_at = _next_action(deadline, now)
    try:
        with transaction.atomic():
            deadline.save()
    except IntegrityError:
        # Opened concurrently by another request: idempotent, return that one.
        return (
            Deadline.objects.select_for_update()
            .select_related("kind", "organization")
            .get(content_type=content_type, object_id=object_id, kind_id=kind, state__in=RUNNING_STATES)
        )
    _event(
        deadline,
        subject=subject,
        actor=actor,
        action="deadline_opened",
        legal_basis=deadline.legal_basis,
        **({"provisional": True} if deadline.provisional else {}),
    )
    return deadline


def _set_period(deadline: Deadline, due_date: date) -> None:
    if isinstance(due_date, CountedDate) and due_date.start is not None:
        deadline.period_start, deadline.period_days = due_date.start, due_date.days
        deadline.period_unit, deadline.provisional = due_date.unit, due_date.provisional
    else:
        deadline.period_start, deadline.period_days, deadline.period_unit = None, None, ""
        deadline.provisional = False


@transaction.atomic
def deadline_meet(*, subject, kind: str, actor: User | None = None) -> Deadline | None:
    """Close the running (open, overdue or paused) deadline of ``kind`` on ``subject``; None if there is none."""
    deadline = _lock_subject_deadline(subject, kind, states=RUNNING_STATES)
    if deadline is None:
        return None
    before = deadline.state
    deadline.meet()
    deadline.met_at = timezone.now()
    deadline.next_action_at = None
    deadline.save(update_fields=["state", "met_at", "next_action_at", "updated_at"])
    late = before == DeadlineState.OVERDUE
    _event(deadline, subject=subject, actor=actor, action="deadline_met", from_state=before, late=late)
    return deadline


def _closed_phrase(deadline: Deadline) -> str:
    label = str(deadline.get_state_display())
    return label if label.startswith("已") else f"已{label}"


def _lock_subject_deadline(subject, kind: str, *, states) -> Deadline | None:
    """The deadline of ``kind`` on ``subject`` in one of ``states``, locked for the write; None if none."""
    content_type, object_id = _subject_key(subject)
    return (
        Deadline.objects.select_for_update(of=("self",))
        .select_related("kind", "organization")
        .filter(content_type=content_type, object_id=object_id, kind_id=kind, state__in=states)
        .first()
    )


def _lock(deadline: Deadline) -> Deadline:
    return Deadline.objects.select_for_update(of=("self",)).select_related("kind", "organization").get(pk=deadline.pk)


def _notify_change(deadline: Deadline, *, title: str, body: str) -> None:
    members = _member_ids({deadline.organization_id})[deadline.organization_id]
    notifications_create_many(
        [
            NotificationDraft(
                recipient_id=user_id,
                kind="deadline_changed",
                title=title,
                body=body,
                link=deadline_url(deadline),
                content_type_id=deadline.content_type_id,
                object_id=deadline.object_id,
            )
            for user_id in sorted(members)
        ]
    )


@transaction.atomic
def deadline_extend(*, deadline: Deadline, new_due_date: date, reason: str, approved_by: User, actor: User) -> Deadline:
    """Move the due date later (an approved extension); an overdue deadline becomes open again."""
    from portal.access import require

    locked = _lock(deadline)
    require(deadline_can_manage(actor, locked), "您无权延长该期限。")
    errors = {}
    if not locked.is_active:
        errors["deadline"] = f"期限{_closed_phrase(locked)}，不能延期。"
    if new_due_date <= locked.due_date:
        errors["new_due_date"] = f"新的截止日期须晚于当前截止日期 {locked.due_date}。"
    elif new_due_date < timezone.localdate():
        errors["new_due_date"] = "新的截止日期不能早于今天。"
    if not (reason or "").strip():
        errors["reason"] = "请填写延期理由。"
    if approved_by is None:
        errors["approved_by"] = "请指明批准人。"
    if errors:
        raise ValidationError(errors)
    before, old_due = locked.state, locked.due_date
    now = timezone.now()
    locked.extend()
    locked.due_date = new_due_date
    if locked.due_at is not None:
        locked.due_at = timezone.make_aware(
            datetime.combine(new_due_date, timezone.localtime(locked.due_at).time()), timezone.get_default_timezone()
        )
    locked.overdue_at = None
    _set_period(locked, new_due_date)  # a date approved as such: nothing to count again
    locked.extension_count += 1
    locked.reminders_from = now
    locked.next_action_at = _next_action(locked, now)
    locked.save()
    _event(
        locked,
        subject=locked.subject,
        actor=actor,
        action="deadline_extended",
        from_state=before,
        comment=reason,
        old_due_date=str(old_due),
        approved_by=approved_by.get_username(),
    )
    _notify_change(
        locked,
        title=f"期限已延长：{locked.title}",
        body=f"截止日期由 {old_due} 延长至 {new_due_date}（批准人：{approved_by}）。理由：{reason}",
    )
    return locked


@transaction.atomic
def deadline_waive(*, deadline: Deadline, reason: str, actor: User) -> Deadline:
    """Release the organization from the deadline (e.g. the obligation lapsed); it no longer counts as late."""
    from portal.access import require

    locked = _lock(deadline)
    require(deadline_can_manage(actor, locked), "您无权免除该期限。")
    if locked.state not in RUNNING_STATES:
        raise ValidationError({"deadline": f"期限{_closed_phrase(locked)}，不能免除。"})
    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写免除理由。"})
    before = locked.state
    locked.waive()
    locked.waived_at = timezone.now()
    locked.waive_reason = reason
    locked.next_action_at = None
    locked.save(update_fields=["state", "waived_at", "waive_reason", "next_action_at", "updated_at"])
    _event(locked, subject=locked.subject, actor=actor, action="deadline_waived", from_state=before, comment=reason)
    _notify_change(locked, title=f"期限已免除：{locked.title}", body=f"理由：{reason}")
    return locked


# --- pause and resume -----------------------------------------------------------------------------


@transaction.atomic
def deadline_pause(*, subject, kind: str, actor: User | None = None, comment: str = "") -> Deadline | None:
    """Stop the clock of the running deadline of ``kind`` on ``subject`` (e.g. a filing returned for
    revision): the working days left are kept for ``deadline_resume``; no reminders meanwhile.
    None if no deadline of that kind is running."""
    locked = _lock_subject_deadline(subject, kind, states=ACTIVE_STATES)
    if locked is None:
        return None
    before, now = locked.state, timezone.now()
    remaining = working_days_between(timezone.localdate(now), locked.due_date)
    locked.pause()
    locked.paused_at = now
    locked.paused_remaining = remaining
    locked.next_action_at = None
    locked.save(update_fields=["state", "paused_at", "paused_remaining", "next_action_at", "updated_at"])
    _event(
        locked,
        subject=subject,
        actor=actor,
        action="deadline_paused",
        from_state=before,
        comment=comment,
        remaining_working_days=remaining,
    )
    return locked


@transaction.atomic
def deadline_resume(*, subject, kind: str, actor: User | None = None) -> Deadline | None:
    """Restart the paused deadline of ``kind`` on ``subject`` with the working days it had left, counted
    from today (the start day not counted). A deadline paused late stays late by as many working days.
    None if none is paused."""
    locked = _lock_subject_deadline(subject, kind, states=(DeadlineState.PAUSED,))
    if locked is None:
        return None
    now = timezone.now()
    remaining = locked.paused_remaining or 0
    due = add_working_days(timezone.localdate(now), remaining)
    late = remaining < 0
    old_due = locked.due_date
    locked.resume(late=late)
    locked.due_date = due
    if locked.due_at is not None:
        locked.due_at = timezone.make_aware(
            datetime.combine(due, timezone.localtime(locked.due_at).time()), timezone.get_default_timezone()
        )
    _set_period(locked, due)
    locked.pause_count += 1
    locked.paused_at = None
    locked.paused_remaining = None
    locked.reminders_from = now
    sent: frozenset[str] = frozenset()
    if late:
        # It was late before the pause and has been told so: the new plan does not say it again.
        final = stage_code(locked, None, OVERDUE_STAGE)
        DeadlineReminder.objects.create(deadline=locked, stage=final, scheduled_for=now, sent_at=now)
        sent = frozenset({final})
    else:
        locked.overdue_at = None
    locked.next_action_at = _next_action(locked, now, sent)
    locked.save()
    _event(
        locked,
        subject=subject,
        actor=actor,
        action="deadline_resumed",
        from_state=DeadlineState.PAUSED,
        remaining_working_days=remaining,
        old_due_date=str(old_due),
    )
    return locked


# --- counting again on the official calendar ------------------------------------------------------


def _mirror_due_date(deadline: Deadline, old_due: date) -> None:
    """Chapters keep a copy of some due dates on the subject (``subject_field`` of the kind in
    ``settings.DEADLINE_KINDS``): it follows, unless it was changed meanwhile."""
    name = settings.DEADLINE_KINDS.get(deadline.kind_id, {}).get("subject_field")
    if not name:
        return
    model = deadline.content_type.model_class()
    model._default_manager.filter(pk=deadline.object_id, **{name: old_due}).update(**{name: deadline.due_date})


def deadlines_recount(*, actor: User | None = None) -> int:
    """Count every running provisional deadline again (after a year's official calendar was loaded):
    a new due date moves the reminder plan and the subject's copy and tells the responsible
    organization; the provisional mark goes when no provisional year is crossed any more. Returns
    how many deadlines changed. Runs in the caller's transaction."""
    now = timezone.now()
    changed = 0
    rows = (
        Deadline.objects.select_for_update(of=("self",))
        .select_related("kind", "organization", "content_type")
        .filter(provisional=True, state__in=ACTIVE_STATES, period_start__isnull=False)
        .order_by("id")
    )
    for deadline in rows:
        counted = count_again(deadline.period_start, deadline.period_days, deadline.period_unit)
        old_due, before = deadline.due_date, deadline.state
        if counted == old_due and counted.provisional:
            continue
        deadline.due_date = counted
        deadline.provisional = counted.provisional
        if deadline.due_at is not None:
            deadline.due_at = timezone.make_aware(
                datetime.combine(counted, timezone.localtime(deadline.due_at).time()), timezone.get_default_timezone()
            )
        if deadline.state == DeadlineState.OVERDUE and overdue_moment(deadline) > now:
            deadline.reopen()
            deadline.overdue_at = None
        sent = frozenset(DeadlineReminder.objects.filter(deadline=deadline).values_list("stage", flat=True))
        deadline.next_action_at = _next_action(deadline, now, sent)
        deadline.save()
        changed += 1
        if counted == old_due:
            continue  # the same day: only the mark goes
        _mirror_due_date(deadline, old_due)
        _event(
            deadline,
            subject=deadline.subject,
            actor=actor,
            action="deadline_recounted",
            from_state=before,
            old_due_date=str(old_due),
        )
        _notify_change(
            deadline,
            title=f"期限已按正式工作日历重新计算：{deadline.title}",
            body=f"截止日期由 {old_due}（按临时日历计算）改为 {deadline.due_date}（按国务院办公厅公布的节假日安排）。",
        )
    return changed


# --- the sweep ----------------------------------------------------------------------------------


@dataclass
class SweepResult:
    batches: int = 0
    deadlines: int = 0
    reminders: int = 0
    overdue: int = 0
    expired: int = 0
    notifications: int = 0
    stages: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


def _member_ids(organization_ids: set[int]) -> dict[int, set[int]]:
    members: dict[int, set[int]] = defaultdict(set)
    rows = Membership.objects.filter(organization_id__in=organization_ids, user__is_active=True).values_list(
        "organization_id", "user_id"
    )
    for organization_id, user_id in rows:
        members[organization_id].add(user_id)
    return members


def _official_ids(districts: set[str]) -> tuple[set[int], dict[str, set[int]]]:
    """(city authority officials, district officials by district): told when a deadline goes overdue."""
    city, by_district = set(), defaultdict(set)
    rows = (
        Membership.objects.filter(organization__kind=OrganizationKind.AUTHORITY, user__is_active=True)
        .filter(
            Q(organization__level=Level.CITY, role=Role.AUTHORITY_OFFICIAL)
            | Q(organization__level=Level.DISTRICT, organization__district__in=districts, role=Role.DISTRICT_OFFICIAL)
        )
        .values_list("user_id", "organization__level", "organization__district")
    )
    for user_id, level, district in rows:
        if level == Level.CITY:
            city.add(user_id)
        else:
            by_district[district].add(user_id)
    return city, by_district


def _reminder_text(deadline: Deadline, stage: Stage) -> tuple[str, str]:
    due = f"{deadline.due_date:%Y-%m-%d}" + (f" {timezone.localtime(deadline.due_at):%H:%M}" if deadline.due_at else "")
    basis = f"（依据：{deadline.legal_basis}）" if deadline.legal_basis else ""
    org = deadline.organization.name
    unit = "天" if deadline.kind.reminder_unit == ReminderUnit.CALENDAR else "个工作日"
    if stage.final == EXPIRED_STAGE:
        return (
            f"期限已届满：{deadline.title}",
            f"{org}的“{deadline.title}”已于 {due} 届满{basis}。此为期限自然届满，不属于逾期。",
        )
    if stage.is_final:
        return (
            f"期限已逾期：{deadline.title}",
            f"{org}承办的“{deadline.title}”已于 {due} 到期，尚未办结，现已逾期{basis}。请尽快办理。",
        )
    if deadline.kind.on_due == OnDue.EXPIRE:
        if stage.offset == 0:
            return (f"今日届满：{deadline.title}", f"{org}的“{deadline.title}”今天（{due}）届满{basis}。")
        return (
            f"届满提醒：{deadline.title}（还有 {-stage.offset} {unit}）",
            f"{org}的“{deadline.title}”将于 {due} 届满，还有 {-stage.offset} {unit}{basis}，请提前做好安排。",
        )
    if stage.offset < 0:
        return (
            f"期限提醒：{deadline.title}（还有 {-stage.offset} {unit}）",
            f"{org}承办的“{deadline.title}”将于 {due} 到期，还有 {-stage.offset} {unit}{basis}。",
        )
    if stage.offset == 0:
        return (
            f"今日到期：{deadline.title}",
            f"{org}承办的“{deadline.title}”今天（{due}）到期{basis}，请于今日办结。",
        )
    return (
        f"逾期提醒：{deadline.title}（已逾期 {stage.offset} {unit}）",
        f"{org}承办的“{deadline.title}”已于 {due} 到期，已逾期 {stage.offset} {unit}{basis}。请尽快办理。",
    )


_INSERT_STAGES = """
    INSERT INTO portal_deadlinereminder (deadline_id, stage, scheduled_for, sent_at)
    SELECT * FROM unnest(%s::bigint[], %s::varchar[], %s::timestamptz[], %s::timestamptz[])
    ON CONFLICT (deadline_id, stage) DO NOTHING
    RETURNING deadline_id, stage
"""


def _record_stages(rows: list[tuple[int, str, datetime]], now: datetime) -> set[tuple[int, str]]:
    """Insert reminder rows; return those actually inserted (the others were sent before)."""
    if not rows:
        return set()
    with connection.cursor() as cursor:
        cursor.execute(
            _INSERT_STAGES,
            [[r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows], [now] * len(rows)],
        )
        return {(deadline_id, stage) for deadline_id, stage in cursor.fetchall()}


def _sweep_event(deadline: Deadline, action: str, from_state: str) -> TimelineEvent:
    return TimelineEvent(
        content_type_id=deadline.content_type_id,
        object_id=deadline.object_id,
        action=action,
        from_state=from_state,
        to_state=deadline.state,
        data={"deadline": str(deadline.uuid), "kind": deadline.kind_id, "due_date": str(deadline.due_date)},
    )


def _sweep_batch(now: datetime, batch_size: int, on_batch, result: SweepResult) -> bool:
    with transaction.atomic():
        batch = list(
            Deadline.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("kind", "organization")
            .filter(next_action_at__lte=now)
            .order_by("next_action_at", "id")[:batch_size]
        )
        if not batch:
            return False
        calendar = _calendar_for(batch)
        ids = [d.pk for d in batch]
        sent: dict[int, set[str]] = defaultdict(set)
        for deadline_id, stage in DeadlineReminder.objects.filter(deadline_id__in=ids).values_list(
            "deadline_id", "stage"
        ):
            sent[deadline_id].add(stage)

        planned: list[tuple[Deadline, Stage]] = []
        for deadline in batch:
            due_now, deadline.next_action_at = _plan(
                deadline, deadline_stages(deadline, calendar), sent[deadline.pk], now
            )
            planned.extend((deadline, stage) for stage in due_now)
        inserted = _record_stages([(d.pk, s.code, s.moment) for d, s in planned], now)

        to_send = [(d, s) for d, s in planned if (d.pk, s.code) in inserted]
        members = _member_ids({d.organization_id for d, _ in to_send}) if to_send else {}
        overdue_stages = [(d, s) for d, s in to_send if s.final == OVERDUE_STAGE]
        city, by_district = (
            _official_ids({d.organization.district for d, _ in overdue_stages if d.organization.district})
            if overdue_stages
            else (set(), {})
        )
        drafts: list[NotificationDraft] = []
        events: list[TimelineEvent] = []
        went_overdue = went_expired = 0
        for deadline, stage in to_send:
            recipients = set(members.get(deadline.organization_id, ()))
            if stage.final == OVERDUE_STAGE:
                recipients |= city | by_district.get(deadline.organization.district, set())
                if deadline.state == DeadlineState.OPEN:
                    deadline.mark_overdue()
                    deadline.overdue_at = stage.moment
                    went_overdue += 1
                    events.append(_sweep_event(deadline, "deadline_overdue", DeadlineState.OPEN))
            elif stage.final == EXPIRED_STAGE:
                # Not a failure: the organization is told, officials are not.
                if deadline.state == DeadlineState.OPEN:
                    deadline.expire()
                    deadline.expired_at = stage.moment
                    went_expired += 1
                    events.append(_sweep_event(deadline, "deadline_expired", DeadlineState.OPEN))
            title, body = _reminder_text(deadline, stage)
            link = deadline_url(deadline)
            kind = {OVERDUE_STAGE: "deadline_overdue", EXPIRED_STAGE: "deadline_expired"}.get(
                stage.final, "deadline_reminder"
            )
            drafts.extend(
                NotificationDraft(
                    recipient_id=user_id,
                    kind=kind,
                    title=title,
                    body=body,
                    link=link,
                    content_type_id=deadline.content_type_id,
                    object_id=deadline.object_id,
                )
                for user_id in sorted(recipients)
            )
            result.stages[stage.code] = result.stages.get(stage.code, 0) + 1
        for deadline in batch:
            deadline.updated_at = now
        Deadline.objects.bulk_update(batch, ["next_action_at", "state", "overdue_at", "expired_at", "updated_at"])
        if events:
            TimelineEvent.objects.bulk_create(events)
        created = notifications_create_many(drafts)
        result.batches += 1
        result.deadlines += len(batch)
        result.reminders += len(inserted)
        result.overdue += went_overdue
        result.expired += went_expired
        result.notifications += len(created)
        if on_batch is not None:
            on_batch(batch)  # test hook: may raise to simulate a worker dying before commit
    return True


def deadlines_sweep(
    *,
    now: datetime | None = None,
    batch_size: int | None = None,
    on_batch: Callable[[list[Deadline]], None] | None = None,
    max_batches: int | None = None,
) -> SweepResult:
    """Send every reminder stage whose moment has come, exactly once, and mark overdue (or expired) deadlines.

    ``on_batch`` is called inside each batch's transaction after its writes (tests raise from it to
    kill a sweep mid-way). Each batch commits on its own: an interrupted sweep keeps what it did and
    the next run continues.
    """
    now = now or timezone.now()
    batch_size = batch_size or settings.DEADLINE_SWEEP_BATCH_SIZE
    result = SweepResult()
    while _sweep_batch(now, batch_size, on_batch, result):
        if max_batches is not None and result.batches >= max_batches:
            break
    return result
