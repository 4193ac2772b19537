"""Working-day arithmetic on the holiday calendar table (statutory holidays and 调休 make-up days).

Counting follows 民法典 Arts. 201-203:
- the start day is not counted (Art. 201): a period of N working days from day S ends on the Nth
  working day after S;
- a period that ends on a rest day (statutory holiday or a weekend that is not a make-up working
  day) ends on the next working day (Art. 203).

Every function reads the ``CalendarDay`` rows it needs in one query (a second one only if a very
long period outruns the first estimate).

A year not loaded yet (from early December periods reach into a year whose State Council notice may
not be out, or not loaded) is counted on a *provisional calendar*: weekends and the statutory holidays
of 全国年节及纪念日放假办法 (with their weekday 补假) from the ``holidays`` package, no 调休 either way.
Only the current year and later years are filled in so; a gap in the past still raises
``MissingCalendarYear``. A year loaded with ``CalendarSource.PROVISIONAL`` (demo data) counts as
provisional too. ``add_working_days`` and ``add_calendar_days`` return a ``CountedDate``: a ``date``
that also says how it was counted (start, days, unit) and whether a provisional year was consulted,
so ``deadline_open`` can mark the deadline provisional and count it again when the official
calendar of that year is loaded (``portal.services.deadlines.deadlines_recount``).

For many computations in a row (the reminder sweep, a list page), load a ``WorkCalendar`` once
for the range and call its methods: they run in memory.

There is deliberately no process-wide cache: web workers, Celery workers and tests (whose
transactions roll back) would each need to learn of every calendar change, which costs a query
per call anyway; one indexed range query per call is as cheap and is never stale.
"""

from datetime import date, timedelta
from functools import lru_cache

# Imported here, never first inside a request or a frozen-clock test: the package pulls in dateutil,
# which binds the time functions it finds at import (freezegun's fakes, if the clock is frozen then).
from django.db.models import Count, Q
from django.utils import timezone

# Slack (calendar days) on top of twice the working days asked for: covers the longest holiday
# runs (Spring Festival, National Day: 8-9 rest days) with room to spare.
_SLACK_DAYS = 30

# The years any date input may name (the calendar is published from 1949 on; nothing statutory runs
# past 2199). Inputs outside are refused with a field error before any arithmetic, so no date sum can
# overflow Python's date range (years 1-9999).
DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2199, 12, 31)
DATE_RANGE_MESSAGE = "日期应在 1900-01-01 至 2199-12-31 之间。"


class MissingCalendarYear(LookupError):
    """The holiday calendar of a year is not loaded; load it in the admin from the State Council notice."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            f"工作日历未载入 {year} 年：请管理员按国务院办公厅公布的 {year} 年节假日安排在后台导入该年度日历。"
        )


WORKING, CALENDAR = "working", "calendar"  # the units of ``ReminderUnit``, without importing models


class CountedDate(date):
    """A due date with how it was counted: ``start`` + ``days`` in ``unit``; ``provisional`` when a year
    of the provisional calendar was consulted. Arithmetic on it gives plain dates (the facts no longer hold)."""

    start: date | None = None
    days: int | None = None
    unit: str = ""
    provisional: bool = False

    @classmethod
    def of(cls, day: date, *, start: date, days: int, unit: str, provisional: bool) -> "CountedDate":
        counted = cls(day.year, day.month, day.day)
        counted.start, counted.days, counted.unit, counted.provisional = start, days, unit, provisional
        return counted

    def __add__(self, other):
        result = super().__add__(other)
        return date(result.year, result.month, result.day) if isinstance(result, date) else result

    __radd__ = __add__

    def __sub__(self, other):
        result = super().__sub__(other)
        return date(result.year, result.month, result.day) if isinstance(result, date) else result


PROVISIONAL_HOLIDAY_NOTE = "（临时日历）"


@lru_cache(maxsize=64)
def provisional_year(year: int) -> dict[date, tuple[bool, str]]:
    """Every day of ``year`` on the provisional calendar: {day: (working, note)}.

    Weekends rest, the statutory holidays and their weekday 补假 rest (``holidays`` package, China,
    public category); no 调休 in either direction, since only the State Council notice fixes those.
    A pure function of the year and the pinned package, hence cached for the process."""
    import holidays  # 11 MB, imported only for a year without a loaded calendar

    statutory = {
        day: name
        for day, name in holidays.China(years=year, language="zh_CN").items()
        if "调休" not in name  # substituted rest days come with make-up working days: not statutory
    }
    days, day = {}, date(year, 1, 1)
    while day.year == year:
        if day in statutory:
            days[day] = (False, statutory[day][:60])
        else:
            days[day] = (day.weekday() < 5, "")
        day += timedelta(days=1)
    return days


def provisional_allowed(year: int) -> bool:
    """A year not loaded may be counted provisionally: this year or later (never a gap in the past)."""
    return timezone.localdate().year <= year <= DATE_MAX.year


class WorkCalendar:
    """The calendar rows of a date range, held in memory; fetches more rows only when a walk leaves it.

    ``provisional_years`` collects the years of the provisional calendar (not loaded, or loaded as
    provisional) that a walk actually consulted."""

    def __init__(self, lo: date | None = None, hi: date | None = None):
        self._rows: dict[date, bool] = {}
        self._lo: date | None = None
        self._hi: date | None = None
        self._provisional: set[int] = set()  # years in the rows that are provisional
        self.provisional_years: set[int] = set()
        if lo is not None and hi is not None:
            self.ensure(lo, hi)

    def ensure(self, lo: date, hi: date) -> None:
        """Make sure rows for [lo, hi] have been read (one query for what is not yet held)."""
        if lo > hi:
            lo, hi = hi, lo
        if self._lo is not None and lo >= self._lo and hi <= self._hi:
            return
        if self._lo is not None:
            # Read one contiguous block covering both: simpler than tracking holes.
            lo, hi = min(lo, self._lo), max(hi, self._hi)
        from portal.models import CalendarDay, CalendarSource

        loaded: set[int] = set()
        for day, working, source in CalendarDay.objects.filter(day__range=(lo, hi)).values_list(
            "day", "is_working_day", "year__source"
        ):
            self._rows[day] = working
            loaded.add(day.year)
            if source == CalendarSource.PROVISIONAL:
                self._provisional.add(day.year)
        for year in range(lo.year, hi.year + 1):
            if year not in loaded and provisional_allowed(year) and date(year, 1, 1) not in self._rows:
                self._rows.update((day, working) for day, (working, _) in provisional_year(year).items())
                self._provisional.add(year)
        self._lo, self._hi = lo, hi

    def _is_working(self, day: date, *, grow: int = 60) -> bool:
        if self._lo is None or not (self._lo <= day <= self._hi):
            try:
                self.ensure(day - timedelta(days=grow) if day < (self._lo or day) else day, day + timedelta(days=grow))
            except OverflowError:
                raise MissingCalendarYear(day.year) from None
        try:
            working = self._rows[day]
        except KeyError:
            raise MissingCalendarYear(day.year) from None
        if day.year in self._provisional:
            self.provisional_years.add(day.year)
        return working

    def is_working_day(self, day: date) -> bool:
        return self._is_working(day)

    def next_working_day(self, day: date) -> date:
        """``day`` itself if it is a working day, else the first working day after it (Art. 203)."""
        while not self._is_working(day):
            day += timedelta(days=1)
        return day

    def add_working_days(self, start: date, days: int) -> date:
        if days == 0:
            return self.next_working_day(start)
        step = timedelta(days=1 if days > 0 else -1)
        remaining, day = abs(days), start
        while remaining:
            try:
                day += step
            except OverflowError:
                raise MissingCalendarYear(day.year) from None
            if self._is_working(day):
                remaining -= 1
        return day

    def add_calendar_days(self, start: date, days: int) -> date:
        return self.next_working_day(start + timedelta(days=days))

    def working_days_between(self, start: date, end: date) -> int:
        sign = 1
        if end < start:
            start, end, sign = end, start, -1
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self._is_working(day)
        return sign * count


def _span(start: date, days: int) -> tuple[date, date]:
    reach = timedelta(days=2 * abs(days) + _SLACK_DAYS)
    try:
        return (start, start + reach) if days >= 0 else (start - reach, start)
    except OverflowError:
        # Past year 1 or 9999: no calendar is loaded there, so say which year is missing.
        raise MissingCalendarYear(start.year) from None


def add_working_days(start: date, days: int) -> CountedDate:
    """The day ``days`` working days after ``start`` (before it when negative); the start day is not counted.

    ``days == 0`` gives ``start`` or, if that is a rest day, the next working day.
    """
    lo, hi = _span(start, days)
    calendar = WorkCalendar(lo, hi)
    due = calendar.add_working_days(start, days)
    return CountedDate.of(due, start=start, days=days, unit=WORKING, provisional=bool(calendar.provisional_years))


def add_calendar_days(start: date, days: int) -> CountedDate:
    """``start`` + ``days`` calendar days; a period ending on a rest day ends on the next working day."""
    try:
        end = start + timedelta(days=days)
        end + timedelta(days=_SLACK_DAYS)
    except OverflowError:
        raise MissingCalendarYear(start.year) from None
    calendar = WorkCalendar(end, end + timedelta(days=_SLACK_DAYS))
    due = calendar.add_calendar_days(start, days)
    return CountedDate.of(due, start=start, days=days, unit=CALENDAR, provisional=bool(calendar.provisional_years))


def count_again(start: date, days: int, unit: str) -> CountedDate:
    """The same period counted again (after the calendar of a year it crosses was loaded)."""
    return add_calendar_days(start, days) if unit == CALENDAR else add_working_days(start, days)


def working_days_between(start: date, end: date) -> int:
    """Working days in (start, end]: the start day is not counted, the end day is. Negative if end < start."""
    from portal.models import CalendarDay

    lo, hi = (start, end) if start <= end else (end, start)
    if lo == hi:
        return 0
    first = lo + timedelta(days=1)
    per_year = dict.fromkeys(range(first.year, hi.year + 1), (0, 0))
    rows = (
        CalendarDay.objects.filter(day__range=(first, hi))
        .values_list("day__year")
        .annotate(total=Count("day"), working=Count("day", filter=Q(is_working_day=True)))
    )
    per_year.update((year, (total, working)) for year, total, working in rows)
    count = 0
    for year, (total, working) in sorted(per_year.items()):
        year_first, year_last = max(first, date(year, 1, 1)), min(hi, date(year, 12, 31))
        expected = (year_last - year_first).days + 1
        if total == 0 and provisional_allowed(year):
            days = provisional_year(year)
            working = sum(days[year_first + timedelta(days=i)][0] for i in range(expected))
        elif total != expected:
            raise MissingCalendarYear(year)
        count += working
    return count if start <= end else -count


def is_working_day(day: date) -> bool:
    """Whether ``day`` is a working day (a make-up Saturday is, a statutory holiday is not)."""
    return WorkCalendar(day, day).is_working_day(day)


def loaded_years() -> list[int]:
    """The years whose calendar is loaded, ascending."""
    from portal.models import CalendarYear

    return list(CalendarYear.objects.order_by("year").values_list("year", flat=True))


def calendar_coverage() -> tuple[str, str]:
    """(all loaded years, provisional years) as page labels, in one query; "" when none is provisional."""
    from portal.models import CalendarSource, CalendarYear

    rows = list(CalendarYear.objects.order_by("year").values_list("year", "source"))
    provisional = [year for year, source in rows if source == CalendarSource.PROVISIONAL]
    return years_label([year for year, _ in rows]), years_label(provisional) if provisional else ""


def years_label(years: list[int]) -> str:
    """ "2004–2026" for a run, "2004–2026、2028" for gaps: what the pages show."""
    runs: list[list[int]] = []
    for year in years:
        if runs and runs[-1][1] == year - 1:
            runs[-1][1] = year
        else:
            runs.append([year, year])
    return "、".join(f"{a}" if a == b else f"{a}–{b}" for a, b in runs) or "（无）"
