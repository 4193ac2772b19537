"""Demo data near a year's end: a weekend-only calendar stands in for a year not yet published."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from freezegun import freeze_time

from portal.models import CalendarSource, CalendarYear
from portal.services.calendar import calendar_years_ensure_provisional
from portal.workdays import add_working_days, provisional_year


@freeze_time("2026-12-10 09:00:00+08:00")
def test_it_loads_missing_years_as_weekend_only_provisional_calendars(db):
    assert add_working_days(date(2026, 12, 21), 20).provisional  # counted on statutory holidays meanwhile
    assert calendar_years_ensure_provisional(through=date(2027, 3, 1)) == [2027]
    year = CalendarYear.objects.get(year=2027)
    assert year.source == CalendarSource.PROVISIONAL
    # 2027-01-01 is a Friday: a provisional calendar knows no holidays, only weekends.
    assert add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 1)
    assert add_working_days(date(2027, 1, 1), 1) == date(2027, 1, 4)
    assert calendar_years_ensure_provisional(through=date(2027, 3, 1)) == []  # idempotent


def test_it_never_loads_a_provisional_calendar_in_production(db, settings):
    settings.PORTAL_ENV = "production"
    with pytest.raises(ValidationError, match="生产环境不得使用临时日历"):
        calendar_years_ensure_provisional(through=date(2027, 3, 1))
    assert not CalendarYear.objects.filter(year=2027).exists()


@freeze_time("2026-12-21 09:00:00+08:00")
def test_it_seeds_demo_data_in_late_december_and_says_which_year_is_provisional(db, client):
    from portal.demo import seed_demo

    seed_demo()
    assert CalendarYear.objects.get(year=2027).source == CalendarSource.PROVISIONAL
    from portal.models import User

    client.force_login(User.objects.get(username="city_official"))
    page = client.get("/deadlines/").content.decode()
    assert 'data-testid="provisional-years"' in page
    assert "2027 为临时日历" in page


def test_it_opens_the_next_year_calendar_deadline_for_the_city_authority_in_november(orgs, official):
    from portal.models import Deadline, DeadlineState
    from portal.services.calendar import calendar_next_year_watch

    assert calendar_next_year_watch(today=date(2026, 10, 30)) is None  # too early
    deadline = calendar_next_year_watch(today=date(2026, 11, 2))
    assert deadline.organization == orgs["authority"]
    assert deadline.due_date == date(2026, 12, 1)
    assert "2027" in deadline.title
    assert calendar_next_year_watch(today=date(2026, 11, 3)) == deadline  # once, however often it runs
    # A provisional calendar is no substitute for the State Council notice.
    calendar_years_ensure_provisional(through=date(2027, 6, 1))
    assert calendar_next_year_watch(today=date(2026, 11, 4)) == deadline
    assert Deadline.objects.get(pk=deadline.pk).state == DeadlineState.OPEN


def test_it_meets_the_next_year_calendar_deadline_when_the_year_is_uploaded(orgs, official):
    from portal.models import Deadline, DeadlineState
    from portal.services.calendar import calendar_next_year_watch, calendar_year_load

    with freeze_time("2026-11-20 09:00:00+08:00"):
        deadline = calendar_next_year_watch()
        calendar_year_load(year=2027, entries=[(date(2027, 1, 1), False, "元旦")], actor=None)
    assert Deadline.objects.get(pk=deadline.pk).state == DeadlineState.MET


# --- issue 7: deadlines counted on the provisional calendar follow the official one once it is loaded


def _open(orgs, days: int):
    from portal.services import deadline_open

    return deadline_open(
        subject=orgs["agency"],
        kind="generic",
        due_date=add_working_days(date(2026, 12, 10), days),
        organization=orgs["agency"],
        title="测试期限",
    )


def test_a_deadline_inside_a_loaded_year_is_not_provisional(orgs):
    from portal.services import deadline_open

    with freeze_time("2026-11-02 09:00:00+08:00"):
        counted = _open(orgs, 5)
    assert not counted.provisional and counted.period_days == 5
    with freeze_time("2026-11-02 09:00:00+08:00"):
        given = deadline_open(
            subject=orgs["authority"], kind="generic", due_date=date(2027, 3, 1), organization=orgs["authority"]
        )
    assert not given.provisional and given.period_start is None  # a date given as such is not counted again


@freeze_time("2026-12-10 09:00:00+08:00")
def test_the_mark_goes_when_the_official_calendar_agrees(orgs):
    from portal.models import Deadline, TimelineEvent
    from portal.services.calendar import calendar_year_load

    deadline = _open(orgs, 20)
    assert deadline.provisional and deadline.due_date == date(2027, 1, 8)
    holidays = [(day, False, note) for day, (working, note) in provisional_year(2027).items() if note]
    calendar_year_load(year=2027, entries=holidays, actor=None)
    deadline = Deadline.objects.get(pk=deadline.pk)
    assert not deadline.provisional
    assert deadline.due_date == date(2027, 1, 8)
    assert not TimelineEvent.objects.filter(action="deadline_recounted").exists()  # nothing moved


def test_an_overdue_provisional_deadline_is_open_again_when_the_official_date_is_later(orgs):
    from portal.models import Deadline, DeadlineState
    from portal.services import deadlines_sweep
    from portal.services.calendar import calendar_year_load

    with freeze_time("2026-12-10 09:00:00+08:00"):
        deadline = _open(orgs, 16)
    assert deadline.due_date == date(2027, 1, 4)
    with freeze_time("2027-01-05 10:00:00+08:00"):
        deadlines_sweep()
        assert Deadline.objects.get(pk=deadline.pk).state == DeadlineState.OVERDUE
        # The notice, loaded late: 1-5 January off (a made-up example).
        entries = [(date(2027, 1, d), False, "元旦") for d in (1, 4, 5)]
        calendar_year_load(year=2027, entries=entries, actor=None)
        deadline = Deadline.objects.get(pk=deadline.pk)
        assert deadline.due_date == date(2027, 1, 6)
        assert deadline.state == DeadlineState.OPEN and deadline.overdue_at is None
        assert not deadline.provisional
