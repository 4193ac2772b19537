"""Working-day arithmetic for Chapter 2 deadlines, with the message a user reads when the calendar is missing."""

from datetime import date

from django.core.exceptions import ValidationError

from portal.workdays import MissingCalendarYear, add_working_days


def working_days_after(start: date, days: int) -> date:
    try:
        return add_working_days(start, days)
    except MissingCalendarYear as exc:
        raise ValidationError(
            f"工作日历尚未载入{start.year}年后的节假日安排，无法计算期限，请联系系统管理员。"
        ) from exc
