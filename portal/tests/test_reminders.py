"""The reminder sweep: right working days, exactly once, safe under concurrency and retries."""

import contextlib
import threading
from datetime import date, datetime

import pytest
from django.db import connection
from freezegun import freeze_time

from portal.models import (
    CalendarYear,
    Deadline,
    DeadlineReminder,
    DeadlineState,
    Notification,
    Role,
    TimelineEvent,
)
from portal.services import calendar_year_load, deadline_open, deadlines_sweep
from portal.services.deadlines import deadline_extend

pytestmark = pytest.mark.django_db


def stages(deadline) -> list[str]:
    return list(
        DeadlineReminder.objects.filter(deadline=deadline).order_by("scheduled_for").values_list("stage", flat=True)
    )


def sweep_at(moment: str):
    with freeze_time(moment):
        return deadlines_sweep()


def test_it_sends_each_reminder_on_its_working_day_around_the_spring_festival(orgs, clerk, official):
    # Demo kind: 7 and 1 working days before, on the day, 1 and 5 working days after.
    with freeze_time("2026-02-02 10:00:00+08:00"):
        deadline = deadline_open(
            subject=orgs["agency"], kind="demo", due_date=date(2026, 2, 24), organization=orgs["agency"]
        )
    # 7 working days before Tue 2026-02-24: 14 (Sat, make-up), 13, 12, 11, 10, 9, 6 -> Fri 2026-02-06.
    assert deadline.next_action_at == datetime.fromisoformat("2026-02-06 08:00:00+08:00")
    expected = [
        ("2026-02-06 07:59:00+08:00", []),
        ("2026-02-06 08:00:00+08:00", ["-7"]),
        ("2026-02-13 23:00:00+08:00", ["-7"]),
        ("2026-02-14 08:15:00+08:00", ["-7", "-1"]),  # the make-up Saturday is a working day
        ("2026-02-23 12:00:00+08:00", ["-7", "-1"]),  # holiday: nothing
        ("2026-02-24 08:15:00+08:00", ["-7", "-1", "0"]),
        ("2026-02-25 00:15:00+08:00", ["-7", "-1", "0", "overdue"]),
        ("2026-02-25 08:15:00+08:00", ["-7", "-1", "0", "overdue", "+1"]),
        ("2026-02-27 08:15:00+08:00", ["-7", "-1", "0", "overdue", "+1"]),
        # 5 working days after: 25, 26, 27, 28 (Sat, make-up), Mon 2026-03-02.
        ("2026-03-02 08:15:00+08:00", ["-7", "-1", "0", "overdue", "+1", "+5"]),
    ]
    for moment, sent in expected:
        sweep_at(moment)
        assert stages(deadline) == sent, moment
    deadline = Deadline.objects.get(pk=deadline.pk)
    assert deadline.state == DeadlineState.OVERDUE
    assert deadline.overdue_at == datetime.fromisoformat("2026-02-25 00:00:00+08:00")
    assert deadline.next_action_at is None
    # Clerk: 6 notifications (5 reminders + overdue); the city official only hears of the overdue.
    assert Notification.objects.filter(recipient=clerk).count() == 6
    assert list(Notification.objects.filter(recipient=official).values_list("kind", flat=True)) == ["deadline_overdue"]
    assert TimelineEvent.objects.filter(action="deadline_overdue", object_id=orgs["agency"].pk).count() == 1


def test_it_tells_the_district_official_of_an_overdue_deadline_in_the_district(orgs, district_official, official):
    with freeze_time("2026-03-02 10:00:00+08:00"):
        deadline_open(
            subject=orgs["haidian_agency"], kind="demo", due_date=date(2026, 3, 3), organization=orgs["haidian_agency"]
        )
        deadline_open(
            subject=orgs["chaoyang_agency"],
            kind="demo",
            due_date=date(2026, 3, 3),
            organization=orgs["chaoyang_agency"],
        )
    sweep_at("2026-03-04 01:00:00+08:00")
    assert Notification.objects.filter(recipient=district_official).count() == 1
    assert Notification.objects.filter(recipient=official).count() == 2


def test_it_skips_stages_before_a_late_opening_but_never_the_overdue_one(orgs, clerk):
    with freeze_time("2026-03-05 10:00:00+08:00"):
        deadline = deadline_open(
            subject=orgs["agency"], kind="demo", due_date=date(2026, 3, 4), organization=orgs["agency"]
        )
    sweep_at("2026-03-05 10:00:01+08:00")
    assert stages(deadline) == ["overdue"]
    assert Deadline.objects.get(pk=deadline.pk).state == DeadlineState.OVERDUE


def test_it_counts_hours_where_the_law_does(orgs):
    due_at = datetime.fromisoformat("2026-03-03 14:00:00+08:00")
    with freeze_time("2026-03-03 10:00:00+08:00"):
        deadline = deadline_open(
            subject=orgs["agency"],
            kind="generic",
            due_date=date(2026, 3, 3),
            due_at=due_at,
            organization=orgs["agency"],
        )
    sweep_at("2026-03-03 13:59:00+08:00")
    assert Deadline.objects.get(pk=deadline.pk).state == DeadlineState.OPEN
    sweep_at("2026-03-03 14:00:30+08:00")
    deadline = Deadline.objects.get(pk=deadline.pk)
    assert deadline.state == DeadlineState.OVERDUE
    assert deadline.overdue_at == due_at


def test_it_replans_reminders_after_an_extension(orgs, official):
    with freeze_time("2026-03-02 10:00:00+08:00"):
        deadline = deadline_open(
            subject=orgs["agency"], kind="demo", due_date=date(2026, 3, 3), organization=orgs["agency"]
        )
    sweep_at("2026-03-03 09:00:00+08:00")
    assert stages(deadline) == ["0"]  # -1 fell before the opening
    with freeze_time("2026-03-03 10:00:00+08:00"):
        deadline_extend(
            deadline=deadline, new_due_date=date(2026, 3, 10), reason="补正", approved_by=official, actor=official
        )
    sweep_at("2026-03-09 09:00:00+08:00")
    sweep_at("2026-03-10 09:00:00+08:00")
    assert stages(deadline) == ["0", "x1:-1", "x1:0"]


def test_it_waits_for_a_missing_calendar_year_instead_of_guessing(orgs, official):
    with freeze_time("2026-12-01 10:00:00+08:00"):
        deadline = deadline_open(
            subject=orgs["agency"], kind="demo", due_date=date(2027, 1, 12), organization=orgs["agency"]
        )
    # -7 working days before a date in 2027 cannot be known yet; the sweep looks again but sends nothing.
    sweep_at("2026-12-25 09:00:00+08:00")
    assert stages(deadline) == []
    entries = [(date(2027, 1, 1), False, "元旦")]
    calendar_year_load(year=2027, entries=entries, actor=None)
    assert CalendarYear.objects.filter(year=2027).exists()
    # Jan 12 2027 (Tue) - 7 working days = Dec 31 2026 (Jan 1 is a holiday): sent at the next sweep.
    sweep_at("2026-12-31 09:00:00+08:00")
    assert stages(deadline) == ["-7"]


def test_it_never_sends_a_stage_twice(orgs, clerk):
    with freeze_time("2026-03-02 10:00:00+08:00"):
        deadline = deadline_open(
            subject=orgs["agency"], kind="demo", due_date=date(2026, 3, 3), organization=orgs["agency"]
        )
    sweep_at("2026-03-03 09:00:00+08:00")
    # Even if the cursor is moved back (a stale read, a bug), the unique (deadline, stage) holds.
    Deadline.objects.filter(pk=deadline.pk).update(next_action_at=datetime.fromisoformat("2026-03-01 00:00:00+08:00"))
    sweep_at("2026-03-03 09:30:00+08:00")
    assert stages(deadline) == ["0"]
    assert Notification.objects.filter(recipient=clerk).count() == 1


def test_it_keeps_its_cost_per_batch_constant(orgs, make_org, django_assert_num_queries):
    def open_many(n, due):
        with freeze_time("2026-03-02 10:00:00+08:00"):
            for i in range(n):
                org = make_org(f"单位{due}{i}")
                deadline_open(subject=org, kind="demo", due_date=due, organization=org)

    open_many(3, date(2026, 3, 3))
    # Per batch: savepoint, select+lock, calendar, sent stages, insert stages, members, officials,
    # bulk update, timeline events, preferences, notifications, release; then the empty select.
    with freeze_time("2026-03-04 01:00:00+08:00"), django_assert_num_queries(13):
        result = deadlines_sweep()
    assert result.overdue == 3
    open_many(30, date(2026, 3, 4))
    with freeze_time("2026-03-05 01:00:00+08:00"), django_assert_num_queries(13):
        result = deadlines_sweep()
    assert result.overdue == 30


def test_it_reminds_of_a_warranty_end_in_calendar_days_and_lets_it_expire_without_a_violation(
    orgs, clerk, official, district_official
):
    # Art. 15: 60, 30 and 7 calendar days before the warranty ends on Sat 2026-10-31. -30 is 10-01
    # (National Day) and -7 a Saturday: calendar days are not moved off rest days.
    with freeze_time("2026-08-20 10:00:00+08:00"):
        deadline = deadline_open(
            subject=orgs["agency"], kind="warranty_end", due_date=date(2026, 10, 31), organization=orgs["agency"]
        )
    assert deadline.next_action_at == datetime.fromisoformat("2026-09-01 08:00:00+08:00")
    expected = [
        ("2026-09-01 07:59:00+08:00", []),
        ("2026-09-01 08:00:00+08:00", ["-60"]),
        ("2026-09-30 12:00:00+08:00", ["-60"]),
        ("2026-10-01 08:00:00+08:00", ["-60", "-30"]),
        ("2026-10-24 08:00:00+08:00", ["-60", "-30", "-7"]),
        ("2026-10-31 23:59:00+08:00", ["-60", "-30", "-7"]),
        ("2026-11-01 00:15:00+08:00", ["-60", "-30", "-7", "expired"]),
        ("2026-11-20 09:00:00+08:00", ["-60", "-30", "-7", "expired"]),  # nothing after expiry
    ]
    for moment, sent in expected:
        sweep_at(moment)
        assert stages(deadline) == sent, moment
    deadline = Deadline.objects.get(pk=deadline.pk)
    assert deadline.state == DeadlineState.EXPIRED
    assert deadline.get_state_display() == "已届满"
    assert deadline.expired_at == datetime.fromisoformat("2026-11-01 00:00:00+08:00")
    assert deadline.overdue_at is None and deadline.next_action_at is None
    assert list(
        Notification.objects.filter(recipient=clerk).order_by("created_at", "id").values_list("kind", flat=True)
    ) == ["deadline_reminder"] * 3 + ["deadline_expired"]
    first = Notification.objects.filter(recipient=clerk).order_by("created_at", "id").first()
    assert "还有 60 天" in first.title
    # Not a failure: no official hears of it, no overdue event.
    assert not Notification.objects.filter(recipient__in=[official, district_official]).exists()
    assert not TimelineEvent.objects.filter(action="deadline_overdue").exists()
    event = TimelineEvent.objects.get(action="deadline_expired", object_id=orgs["agency"].pk)
    assert (event.from_state, event.to_state) == ("open", "expired")


def test_it_expires_exactly_once(orgs, clerk):
    with freeze_time("2026-10-30 10:00:00+08:00"):
        deadline = deadline_open(
            subject=orgs["agency"], kind="warranty_end", due_date=date(2026, 10, 31), organization=orgs["agency"]
        )
    first = sweep_at("2026-11-01 00:15:00+08:00")
    assert (first.expired, first.overdue) == (1, 0)
    Deadline.objects.filter(pk=deadline.pk).update(next_action_at=datetime.fromisoformat("2026-11-01 00:00:00+08:00"))
    again = sweep_at("2026-11-01 00:30:00+08:00")
    assert again.expired == 0
    assert Notification.objects.filter(recipient=clerk, kind="deadline_expired").count() == 1
    assert TimelineEvent.objects.filter(action="deadline_expired").count() == 1


def test_it_reminds_of_a_certificate_expiry_on_the_day_and_expires_it(orgs, clerk, official):
    # Art. 11: 60, 30 and 7 calendar days before the certificate expires on Sun 2026-06-14, and on the day.
    with freeze_time("2026-03-02 10:00:00+08:00"):
        deadline = deadline_open(
            subject=orgs["agency"],
            kind="qualification_expiry",
            due_date=date(2026, 6, 14),
            organization=orgs["agency"],
        )
    sweep_at("2026-04-15 08:00:00+08:00")  # Wed: 60 days before
    sweep_at("2026-05-15 08:00:00+08:00")  # Fri: 30 days before
    sweep_at("2026-06-07 08:00:00+08:00")  # Sun: 7 days before, not moved to Monday
    sweep_at("2026-06-14 08:00:00+08:00")  # Sun: on the day
    assert stages(deadline) == ["-60", "-30", "-7", "0"]
    assert Notification.objects.filter(recipient=clerk, title__startswith="今日届满").count() == 1
    sweep_at("2026-06-15 00:00:00+08:00")
    assert stages(deadline)[-1] == "expired"
    assert Deadline.objects.get(pk=deadline.pk).state == DeadlineState.EXPIRED
    assert not Notification.objects.filter(recipient=official).exists()


def test_it_plans_calendar_day_reminders_past_the_loaded_calendar_years(orgs):
    # A warranty ending in 2028: no working-day calendar is loaded for it, none is needed.
    with freeze_time("2026-03-02 10:00:00+08:00"):
        deadline = deadline_open(
            subject=orgs["agency"], kind="warranty_end", due_date=date(2028, 6, 30), organization=orgs["agency"]
        )
    assert deadline.next_action_at == datetime.fromisoformat("2028-05-01 08:00:00+08:00")
    sweep_at("2028-05-01 08:00:00+08:00")
    assert stages(deadline) == ["-60"]


def test_it_still_counts_working_days_for_working_day_kinds(orgs):
    # The demo kind counts working days: 7 before Fri 2026-10-30 is Wed 10-21 (7 calendar days would be 10-23).
    with freeze_time("2026-09-01 10:00:00+08:00"):
        deadline = deadline_open(
            subject=orgs["agency"], kind="demo", due_date=date(2026, 10, 30), organization=orgs["agency"]
        )
    assert deadline.next_action_at == datetime.fromisoformat("2026-10-21 08:00:00+08:00")


class Boom(RuntimeError):
    pass


def test_it_loses_nothing_and_repeats_nothing_when_a_sweep_dies_midway(orgs, make_org, make_user):
    with freeze_time("2026-03-03 10:00:00+08:00"):  # after the on-the-day stage: only "overdue" is left
        deadlines = []
        for i in range(5):
            org = make_org(f"单位{i}")
            make_user(f"clerk{i}", org, Role.AGENCY_CLERK)
            deadlines.append(deadline_open(subject=org, kind="demo", due_date=date(2026, 3, 3), organization=org))
    calls = []

    def die_in_second_batch(batch):
        calls.append(len(batch))
        if len(calls) == 2:
            raise Boom("worker killed")

    with freeze_time("2026-03-04 01:00:00+08:00"):
        with pytest.raises(Boom):
            deadlines_sweep(batch_size=2, on_batch=die_in_second_batch)
        assert DeadlineReminder.objects.count() == 2  # the first batch committed, the second rolled back
        result = deadlines_sweep(batch_size=2)  # the retry
    assert result.reminders == 3
    assert DeadlineReminder.objects.filter(stage="overdue").count() == 5
    assert Notification.objects.filter(kind="deadline_overdue", recipient__username__startswith="clerk").count() == 5
    assert Deadline.objects.filter(state=DeadlineState.OVERDUE).count() == 5


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_sends_exactly_once_with_two_concurrent_sweeps(make_org, make_user):
    with freeze_time("2026-03-03 10:00:00+08:00"):  # after the on-the-day stage: only "overdue" is left
        for i in range(12):
            org = make_org(f"并发单位{i}")
            make_user(f"concurrent{i}", org, Role.AGENCY_CLERK)
            deadline_open(subject=org, kind="demo", due_date=date(2026, 3, 3), organization=org)
    barrier = threading.Barrier(2, timeout=10)
    results, errors = {}, []

    def hold_first_batch(batch):
        # Both sweeps are inside a batch transaction at the same time, holding their row locks.
        if not getattr(hold_first_batch.local, "waited", False):
            hold_first_batch.local.waited = True
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait()

    hold_first_batch.local = threading.local()

    def run(name):
        try:
            # freezegun is not thread-safe: the sweep takes its clock as an argument.
            now = datetime.fromisoformat("2026-03-04 01:00:00+08:00")
            results[name] = deadlines_sweep(now=now, batch_size=3, on_batch=hold_first_batch)
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors
    assert results["a"].reminders > 0 and results["b"].reminders > 0  # both really worked
    assert results["a"].reminders + results["b"].reminders == 12
    assert DeadlineReminder.objects.filter(stage="overdue").count() == 12
    per_user = Notification.objects.filter(recipient__username__startswith="concurrent").values_list(
        "recipient__username", flat=True
    )
    assert sorted(per_user) == sorted(f"concurrent{i}" for i in range(12))


def test_it_schedules_the_sweep_and_the_email_tasks_in_beat(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["deadlines-sweep"]["task"] == "portal.tasks.deadlines_sweep"
    assert schedule["deadlines-sweep"]["schedule"] == 900
    assert schedule["notifications-retry-email"]["task"] == "portal.tasks.notifications_retry_email"
    from portal.tasks import deadlines_sweep as task

    assert task.acks_late is True
    assert task.soft_time_limit and task.time_limit > task.soft_time_limit
