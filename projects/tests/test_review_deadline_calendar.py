"""Issue 7: the review period across a year whose holiday calendar is not loaded, and a return that pauses it."""

from datetime import date

import pytest
from django.urls import reverse
from freezegun import freeze_time

from portal.models import CalendarYear, Deadline, DeadlineReminder, DeadlineState, Notification, TimelineEvent
from portal.services.calendar import calendar_year_load
from projects import services


@pytest.fixture(autouse=True)
def calendar_through_review_periods(db):
    """Unlike the other Chapter 2 tests, no calendar is loaded beyond the seeded years here."""


def _review_deadline(filing) -> Deadline:
    return Deadline.objects.get(object_id=filing.pk, kind_id="project_review", content_type__model="projectfiling")


@freeze_time("2026-12-10 10:00:00+08:00")
def test_a_filing_accepted_in_december_gets_a_provisional_review_deadline(make_filing, clerk, official, client):
    # Before the fix, accepting failed: "工作日历尚未载入2026年后的节假日安排，无法计算期限".
    assert not CalendarYear.objects.filter(year=2027).exists()
    filing = make_filing(clerk, "in_review")
    deadline = _review_deadline(filing)
    # 20 working days from Thursday 10 December 2026: 1 January 2027 (元旦) is a statutory holiday.
    assert deadline.due_date == date(2027, 1, 8)
    assert deadline.provisional
    assert (deadline.period_start, deadline.period_days, deadline.period_unit) == (date(2026, 12, 10), 20, "working")
    assert filing.review_due_date == date(2027, 1, 8)

    client.force_login(official)
    page = client.get(reverse("projects:filing-detail", args=[filing.uuid])).content.decode()
    assert 'data-testid="due-provisional"' in page
    page = client.get(reverse("deadline-detail", args=[deadline.uuid])).content.decode()
    assert 'data-testid="due-provisional"' in page


@freeze_time("2026-12-10 10:00:00+08:00")
def test_loading_the_official_calendar_counts_the_review_deadline_again(make_filing, clerk, official, client):
    filing = make_filing(clerk, "in_review")
    deadline = _review_deadline(filing)
    assert deadline.provisional and deadline.due_date == date(2027, 1, 8)
    before = Notification.objects.filter(kind="deadline_changed").count()

    # The State Council notice: 1-3 January off, and Monday 4 January too, made up on Saturday 9 January.
    entries = [
        (date(2027, 1, 1), False, "元旦"),
        (date(2027, 1, 4), False, "元旦"),
        (date(2027, 1, 9), True, "调休上班（元旦）"),
    ]
    calendar_year_load(year=2027, entries=entries, actor=None)

    deadline = Deadline.objects.get(pk=deadline.pk)
    filing.refresh_from_db()
    assert not deadline.provisional
    assert deadline.due_date == date(2027, 1, 9)  # 5-8 January are days 16-19, the make-up Saturday day 20
    assert filing.review_due_date == date(2027, 1, 9)  # the filing's copy follows
    assert deadline.next_action_at is not None
    event = TimelineEvent.objects.get(object_id=filing.pk, action="deadline_recounted")
    assert event.data["old_due_date"] == "2027-01-08" and event.data["due_date"] == "2027-01-09"
    assert Notification.objects.filter(kind="deadline_changed").count() > before

    client.force_login(official)
    page = client.get(reverse("deadline-detail", args=[deadline.uuid])).content.decode()
    assert 'data-testid="due-provisional"' not in page


def test_a_return_pauses_the_review_deadline_and_resubmission_resumes_it(make_filing, clerk, official):
    with freeze_time("2026-03-02 10:00:00+08:00"):  # a Monday
        filing = make_filing(clerk, "in_review")
    deadline = _review_deadline(filing)
    assert deadline.due_date == date(2026, 3, 30)  # 20 working days

    with freeze_time("2026-03-09 10:00:00+08:00"):  # 5 working days used, 15 left
        services.filing_return(filing=filing, actor=official, comment="请补充需求分析。")
    deadline = Deadline.objects.get(pk=deadline.pk)
    assert deadline.state == DeadlineState.PAUSED  # not met: the authority has not finished its review
    assert deadline.met_at is None
    assert deadline.paused_remaining == 15
    assert deadline.next_action_at is None

    with freeze_time("2026-03-16 10:00:00+08:00"):  # resubmitted a week later
        filing = services.filing_submit(filing=filing, actor=clerk)
        deadline = Deadline.objects.get(pk=deadline.pk)
        assert deadline.state == DeadlineState.OPEN
        assert deadline.due_date == date(2026, 4, 7)  # 15 working days from 16 March (4-6 April: 清明)
        assert filing.review_due_date == deadline.due_date
        filing = services.filing_start_review(filing=filing, actor=official, self_review=True)
    assert filing.review_due_date == date(2026, 4, 7)  # acceptance keeps the running period
    assert Deadline.objects.filter(object_id=filing.pk, kind_id="project_review").count() == 1
    actions = list(
        TimelineEvent.objects.filter(object_id=filing.pk, action__startswith="deadline_").values_list(
            "action", flat=True
        )
    )
    assert actions == ["deadline_opened", "deadline_paused", "deadline_resumed"]


def test_a_deadline_paused_late_stays_late_without_a_second_overdue_notice(make_filing, clerk, official):
    with freeze_time("2026-03-02 10:00:00+08:00"):
        filing = make_filing(clerk, "in_review")
    from portal.services import deadlines_sweep

    with freeze_time("2026-04-01 10:00:00+08:00"):  # two working days after 30 March
        deadlines_sweep()
        assert _review_deadline(filing).state == DeadlineState.OVERDUE
        services.filing_return(filing=filing, actor=official, comment="请补充需求分析。")
    deadline = _review_deadline(filing)
    assert deadline.state == DeadlineState.PAUSED and deadline.paused_remaining == -2
    with freeze_time("2026-04-13 10:00:00+08:00"):
        services.filing_submit(filing=filing, actor=clerk)
        deadline = Deadline.objects.get(pk=deadline.pk)
        assert deadline.state == DeadlineState.OVERDUE
        assert deadline.due_date == date(2026, 4, 9)  # still two working days late
        overdue_sent = DeadlineReminder.objects.filter(deadline=deadline, stage__endswith="overdue").count()
        deadlines_sweep()
        assert DeadlineReminder.objects.filter(deadline=deadline, stage__endswith="overdue").count() == overdue_sent
