"""Working-day arithmetic (民法典 Arts. 201-203) on the calendar seeded from chinesecalendar."""

from datetime import date, timedelta

import pytest
from freezegun import freeze_time

from portal import workdays
from portal.models import CalendarDay, CalendarYear
from portal.workdays import (
    MissingCalendarYear,
    WorkCalendar,
    add_calendar_days,
    add_working_days,
    is_working_day,
    working_days_between,
)

pytestmark = pytest.mark.django_db


def test_it_seeds_every_day_of_2004_to_2026():
    assert workdays.loaded_years() == list(range(2004, 2027))
    assert CalendarDay.objects.filter(day__year=2024).count() == 366
    assert CalendarYear.objects.get(year=2026).source == "chinesecalendar"


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 2, 13), True),  # Friday before the Spring Festival
        (date(2026, 2, 14), True),  # Saturday, make-up working day (调休上班)
        (date(2026, 2, 15), False),  # Spring Festival holiday starts
        (date(2026, 2, 17), False),  # 春节 (New Year's day)
        (date(2026, 2, 23), False),  # Monday, still off
        (date(2026, 2, 24), True),  # back to work
        (date(2026, 2, 28), True),  # Saturday, make-up working day
        (date(2026, 3, 1), False),  # ordinary Sunday
        (date(2026, 9, 20), True),  # Sunday, make-up working day for National Day
        (date(2026, 10, 1), False),
        (date(2026, 10, 7), False),
        (date(2026, 10, 8), True),
        (date(2026, 10, 10), True),  # Saturday, make-up working day
    ],
)
def test_it_knows_2026_holidays_and_make_up_days(day, working):
    assert is_working_day(day) is working


def test_it_notes_the_holiday_and_the_make_up_day():
    assert CalendarDay.objects.get(day=date(2026, 2, 17)).note == "春节"
    assert CalendarDay.objects.get(day=date(2026, 2, 14)).note == "调休上班（春节）"


def test_it_does_not_count_the_start_day():
    # Monday 2026-03-02 + 1 working day = Tuesday.
    assert add_working_days(date(2026, 3, 2), 1) == date(2026, 3, 3)
    assert add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 9)  # Friday -> Monday


def test_it_counts_across_the_2026_spring_festival():
    # From Friday 2026-02-13: Sat 14 is a working day (1), 15-23 off, Tue 24 (2), Wed 25 (3).
    assert add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert add_working_days(date(2026, 2, 13), 2) == date(2026, 2, 24)
    assert add_working_days(date(2026, 2, 13), 3) == date(2026, 2, 25)
    # 20 working days from 2026-02-10 (the disclosure reply period): Feb 11-14 (4), Feb 24-28 (9),
    # Mar 2-6 (14), Mar 9-13 (19), Mar 16 (20).
    assert add_working_days(date(2026, 2, 10), 20) == date(2026, 3, 16)


def test_it_counts_backwards_for_reminders_before_a_due_date():
    assert add_working_days(date(2026, 2, 24), -1) == date(2026, 2, 14)
    assert add_working_days(date(2026, 2, 24), -2) == date(2026, 2, 13)
    assert add_working_days(date(2026, 10, 8), -1) == date(2026, 9, 30)


def test_it_counts_across_national_day_2026():
    # Wed 2026-09-30 + 1 working day skips Oct 1-7.
    assert add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert add_working_days(date(2026, 9, 30), 3) == date(2026, 10, 10)  # Sat 10 is a working day
    assert add_working_days(date(2026, 9, 30), 4) == date(2026, 10, 12)


def test_it_moves_a_period_ending_on_a_holiday_to_the_next_working_day():
    # 30 calendar days from 2026-01-16 end on 2026-02-15 (holiday): the period ends on 2026-02-24.
    assert add_calendar_days(date(2026, 1, 16), 30) == date(2026, 2, 24)
    # Ending on National Day -> 2026-10-08.
    assert add_calendar_days(date(2026, 9, 1), 30) == date(2026, 10, 8)
    # Ending on a make-up Saturday: that is a working day, no move.
    assert add_calendar_days(date(2026, 2, 13), 1) == date(2026, 2, 14)
    # Ending on an ordinary Sunday -> Monday.
    assert add_calendar_days(date(2026, 3, 1), 7) == date(2026, 3, 9)


def test_it_treats_zero_working_days_as_the_day_itself_or_the_next_working_day():
    assert add_working_days(date(2026, 3, 2), 0) == date(2026, 3, 2)
    assert add_working_days(date(2026, 10, 1), 0) == date(2026, 10, 8)


def test_it_counts_working_days_between_without_the_start_day():
    assert working_days_between(date(2026, 2, 13), date(2026, 2, 24)) == 2
    assert working_days_between(date(2026, 2, 24), date(2026, 2, 13)) == -2
    assert working_days_between(date(2026, 3, 2), date(2026, 3, 2)) == 0
    assert working_days_between(date(2025, 12, 31), date(2026, 12, 31)) == _working_2026()


def _working_2026() -> int:
    return CalendarDay.objects.filter(day__year=2026, is_working_day=True).count()


def test_it_agrees_between_adding_and_counting():
    start = date(2026, 1, 5)
    for days in (1, 5, 20, 60, 120):
        assert working_days_between(start, add_working_days(start, days)) == days


@pytest.mark.parametrize(
    "call",
    [
        lambda: add_working_days(date(2003, 3, 1), 5),
        lambda: add_working_days(date(2004, 1, 5), -10),  # runs back into 2003
        lambda: add_calendar_days(date(2003, 3, 1), 5),
        lambda: working_days_between(date(2003, 12, 1), date(2004, 1, 10)),
        lambda: is_working_day(date(2003, 3, 1)),
    ],
)
def test_it_refuses_to_guess_in_a_gap_before_the_loaded_years(call):
    with pytest.raises(MissingCalendarYear) as excinfo:
        call()
    assert excinfo.value.year == 2003
    assert str(excinfo.value.year) in str(excinfo.value)


def test_it_names_the_missing_year():
    with pytest.raises(MissingCalendarYear, match="2003"):
        is_working_day(date(2003, 1, 2))
    assert issubclass(MissingCalendarYear, LookupError)


@freeze_time("2026-12-10 09:00:00+08:00")
def test_it_counts_a_year_not_yet_loaded_on_the_provisional_calendar():
    # 2027 is not loaded: weekends and statutory holidays (元旦 on Friday 1 January), no 调休.
    assert not CalendarYear.objects.filter(year=2027).exists()
    due = add_working_days(date(2026, 12, 28), 10)
    assert due == date(2027, 1, 12)  # 29, 30, 31 Dec; 4-8 Jan; 11, 12 Jan (1 Jan is 元旦)
    assert due.provisional and (due.start, due.days, due.unit) == (date(2026, 12, 28), 10, "working")
    assert not add_working_days(date(2026, 12, 1), 5).provisional  # stays inside 2026
    assert is_working_day(date(2027, 1, 1)) is False
    assert is_working_day(date(2027, 2, 9)) is False  # 春节补假
    assert working_days_between(date(2026, 12, 28), date(2027, 1, 12)) == 10
    assert add_calendar_days(date(2026, 12, 2), 30) == date(2027, 1, 4)  # 1 Jan rest, then the weekend
    assert add_calendar_days(date(2026, 12, 2), 30).provisional
    assert (add_working_days(date(2026, 12, 28), 10) + timedelta(days=1)).__class__ is date


@freeze_time("2026-12-10 09:00:00+08:00")
def test_a_year_loaded_as_provisional_counts_as_provisional():
    from portal.services.calendar import calendar_years_ensure_provisional

    calendar_years_ensure_provisional(through=date(2027, 3, 1))
    assert add_working_days(date(2026, 12, 28), 10).provisional


def test_it_uses_one_query_per_call(django_assert_num_queries):
    with django_assert_num_queries(1):
        add_working_days(date(2026, 2, 13), 20)
    with django_assert_num_queries(1):
        add_calendar_days(date(2026, 1, 16), 30)
    with django_assert_num_queries(1):
        working_days_between(date(2004, 1, 1), date(2026, 12, 31))
    with django_assert_num_queries(1):
        is_working_day(date(2026, 2, 14))
    with django_assert_num_queries(1):
        add_working_days(date(2026, 10, 8), -7)


def test_it_computes_many_dates_from_one_loaded_range(django_assert_num_queries):
    with django_assert_num_queries(1):
        calendar = WorkCalendar(date(2026, 1, 1), date(2026, 12, 31))
        results = [
            calendar.add_working_days(date(2026, 2, 1) + (date(2026, 1, 2) - date(2026, 1, 1)) * i, 5)
            for i in range(200)
        ]
    assert results[12] == add_working_days(date(2026, 2, 13), 5)
