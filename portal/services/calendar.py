"""Loading the working-day calendar: a whole year at a time, from the package or a State Council notice."""

import csv
import io
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from portal.access import require
from portal.models import (
    CalendarDay,
    CalendarSource,
    CalendarYear,
    Deadline,
    Level,
    Organization,
    OrganizationKind,
    User,
)

WORKING_WORDS = {"working", "work", "workday", "工作日", "上班", "班", "1", "true"}
REST_WORDS = {"rest", "holiday", "off", "休息日", "休息", "休", "节假日", "0", "false"}
CSV_HELP = "每行：日期（YYYY-MM-DD）,类型（工作日/休息日，或 working/rest）,说明（可空）；可有表头行。"


def calendar_csv_parse(text: str, *, year: int) -> list[tuple[date, bool, str]]:
    """Parse the exceptions of a year (holidays and make-up working days) from CSV.

    Days not listed follow the week: Monday to Friday working, Saturday and Sunday rest.
    Raises ValidationError listing every bad row; returns the entries when all rows are good.
    """
    errors: list[str] = []
    entries: list[tuple[date, bool, str]] = []
    seen: dict[date, int] = {}
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    for line_no, row in enumerate(reader, start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        if line_no == 1 and cells[0].lower() in {"date", "日期"}:
            continue
        if len(cells) < 2:
            errors.append(f"第 {line_no} 行：至少需要“日期,类型”两列，实际只有 {len(cells)} 列。")
            continue
        raw_day, raw_kind = cells[0], cells[1]
        note = cells[2] if len(cells) > 2 else ""
        try:
            day = date.fromisoformat(raw_day)
        except ValueError:
            errors.append(f"第 {line_no} 行：日期“{raw_day}”无效，应为 YYYY-MM-DD，如 {year}-10-01。")
            continue
        if day.year != year:
            errors.append(f"第 {line_no} 行：日期 {day} 不属于 {year} 年。")
            continue
        kind = raw_kind.lower()
        if kind not in WORKING_WORDS | REST_WORDS:
            errors.append(f"第 {line_no} 行：类型“{raw_kind}”无法识别，应为“工作日”或“休息日”（working/rest）。")
            continue
        if day in seen:
            errors.append(f"第 {line_no} 行：日期 {day} 与第 {seen[day]} 行重复。")
            continue
        if len(note) > 60:
            errors.append(f"第 {line_no} 行：说明过长（{len(note)} 字），不得超过 60 字。")
            continue
        seen[day] = line_no
        entries.append((day, kind in WORKING_WORDS, note))
    if not entries and not errors:
        errors.append("文件中没有任何日期行。" + CSV_HELP)
    if errors:
        raise ValidationError(errors)
    return entries


def _year_days(year: int, entries: list[tuple[date, bool, str]]) -> list[tuple[date, bool, str]]:
    exceptions = {day: (working, note) for day, working, note in entries}
    days, day = [], date(year, 1, 1)
    while day.year == year:
        working, note = exceptions.get(day, (day.weekday() < 5, ""))
        days.append((day, working, note))
        day += timedelta(days=1)
    return days


@transaction.atomic
def calendar_year_load(
    *,
    year: int,
    entries: list[tuple[date, bool, str]],
    actor: User | None,
    source: str = CalendarSource.UPLOAD,
    note: str = "",
) -> CalendarYear:
    """Load (or replace) a whole year: weekdays work, weekends rest, then the listed exceptions."""
    if actor is not None:
        require(actor.is_superuser or actor.has_perm("portal.add_calendarday"), "您无权维护工作日历。")
    if not 1949 <= year <= 2200:
        raise ValidationError({"year": f"年份 {year} 超出范围（1949–2200）。"})
    calendar_year, _ = CalendarYear.objects.select_for_update().update_or_create(
        year=year, defaults={"source": source, "note": note, "loaded_by": actor}
    )
    CalendarDay.objects.filter(year=calendar_year).delete()
    CalendarDay.objects.bulk_create(
        CalendarDay(day=day, year=calendar_year, is_working_day=working, note=day_note)
        for day, working, day_note in _year_days(year, entries)
    )
    if source != CalendarSource.PROVISIONAL:
        from portal.services.deadlines import deadlines_recount

        calendar_next_year_watch()  # loading next year's calendar meets the duty at once
        deadlines_recount(actor=actor)  # deadlines counted on a provisional calendar follow the official one
    return calendar_year


def calendar_years_ensure_provisional(*, through: date) -> list[int]:
    """Demo and development only: load weekend-only calendars for missing years up to ``through``.

    Production must load each year from the State Council notice (admin upload); there a missing year
    stays an explicit error. Returns the years it loaded.
    """
    if settings.PORTAL_ENV == "production":
        raise ValidationError("生产环境不得使用临时日历：请按国务院办公厅通知在后台导入该年度工作日历。")
    loaded = set(CalendarYear.objects.values_list("year", flat=True))
    if not loaded:
        return []
    added = []
    for year in range(max(loaded) + 1, through.year + 1):
        calendar_year_load(
            year=year,
            entries=[],
            actor=None,
            source=CalendarSource.PROVISIONAL,
            note="演示用临时日历：仅周末休息，未含法定节假日和调休。",
        )
        added.append(year)
    return added


# From this month on, the city authority holds a deadline to load next year's calendar, due on the day
# below: reviews and replies opened in December already count working days into January.
NEXT_YEAR_WATCH_FROM_MONTH = 11
NEXT_YEAR_DUE_MONTH_DAY = (12, 1)
NEXT_YEAR_KIND = "calendar_next_year"


def calendar_next_year_watch(*, today: date | None = None) -> Deadline | None:
    """Open (or meet) the city authority's deadline to load next year's calendar. Idempotent; run daily."""
    from portal.services.deadlines import deadline_meet, deadline_open

    today = today or timezone.localdate()
    authority = (
        Organization.objects.filter(kind=OrganizationKind.AUTHORITY, level=Level.CITY, is_active=True)
        .order_by("id")
        .first()
    )
    if authority is None:
        return None
    next_year = today.year + 1
    loaded = CalendarYear.objects.filter(year=next_year).exclude(source=CalendarSource.PROVISIONAL).exists()
    if loaded:
        return deadline_meet(subject=authority, kind=NEXT_YEAR_KIND)
    if today.month < NEXT_YEAR_WATCH_FROM_MONTH:
        return None
    return deadline_open(
        subject=authority,
        kind=NEXT_YEAR_KIND,
        due_date=date(today.year, *NEXT_YEAR_DUE_MONTH_DAY),
        organization=authority,
        title=f"导入{next_year}年度工作日历（国务院办公厅节假日安排）",
    )
