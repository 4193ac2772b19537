"""Data: the working-day calendar 2004-2026 from the chinesecalendar package (statutory holidays, 调休)."""

from datetime import date, timedelta

from django.db import migrations

SOURCE = "chinesecalendar"
NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def seed(apps, schema_editor):
    import chinese_calendar
    from chinese_calendar import constants

    CalendarYear = apps.get_model("portal", "CalendarYear")
    CalendarDay = apps.get_model("portal", "CalendarDay")
    first, last = min(constants.holidays).year, max(constants.holidays).year
    days = []
    for year in range(first, last + 1):
        if CalendarYear.objects.filter(year=year).exists():
            continue  # loaded by an admin already: theirs wins
        row = CalendarYear.objects.create(year=year, source=SOURCE, note=f"chinesecalendar {chinese_calendar.__version__}")
        day = date(year, 1, 1)
        while day.year == year:
            working = chinese_calendar.is_workday(day)
            on_holiday, name = chinese_calendar.get_holiday_detail(day)
            label = NAMES.get(name, name or "")
            if on_holiday and label:
                note = label
            elif working and day.weekday() >= 5:
                note = f"调休上班（{label}）" if label else "调休上班"
            else:
                note = ""
            days.append(CalendarDay(day=day, year=row, is_working_day=working, note=note))
            day += timedelta(days=1)
    CalendarDay.objects.bulk_create(days, batch_size=2000)


def unseed(apps, schema_editor):
    apps.get_model("portal", "CalendarYear").objects.filter(source=SOURCE).delete()


class Migration(migrations.Migration):
    dependencies = [("portal", "0004_calendar_deadlines_notifications")]
    operations = [migrations.RunPython(seed, unseed)]
