"""Pieces the planning services share: notifying people through the outbox and finding them."""

from django.core.exceptions import ValidationError

from portal.services import notification_create
from portal.workdays import MissingCalendarYear, add_working_days


def notify(*, recipients, kind: str, title: str, body: str, subject, link: str, actor=None) -> int:
    """Inbox rows in the caller's transaction; email follows after commit. The actor is not told of their own act."""
    skip = getattr(actor, "pk", None)
    ids = sorted({u.pk for u in recipients if u is not None and u.pk != skip and u.is_active})
    if not ids:
        return 0
    return len(notification_create(recipients=ids, kind=kind, title=title, body=body, link=link, subject=subject))


def working_days_after(start, days: int):
    try:
        return add_working_days(start, days)
    except MissingCalendarYear as exc:
        raise ValidationError(
            f"工作日历尚未载入{start.year}年后的节假日安排，无法计算审核期限，请联系系统管理员。",
            code="calendar-missing",
        ) from exc
