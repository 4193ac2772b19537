"""Pieces every Chapter 2 service uses: the refused-transition error, locking, notifications, numbering."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mass_mail
from django.db import connection, transaction
from django_fsm import can_proceed

from portal.workdays import MissingCalendarYear, add_working_days


class TransitionRefused(Exception):
    """The object's current state does not allow the action (HTTP 409)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def ensure_transition(obj, method_name: str, label: str) -> None:
    if not can_proceed(getattr(obj, method_name)):
        raise TransitionRefused(f"当前状态“{obj.get_status_display()}”不能执行“{label}”。")


def lock(model, pk):
    """Re-read the row under a lock (only this table: joined rows are not locked)."""
    return model.objects.select_for_update(of=("self",)).get(pk=pk)


def working_days_after(start: date, days: int) -> date:
    try:
        return add_working_days(start, days)
    except MissingCalendarYear as exc:
        raise ValidationError(
            f"工作日历尚未载入{start.year}年后的节假日安排，无法计算期限，请联系系统管理员。"
        ) from exc


def notify_after_commit(*, recipients, subject: str, body: str) -> None:
    """Email the users once the change is committed (never for a rolled-back change)."""
    addresses = sorted({u.email for u in recipients if u is not None and u.email})
    if not addresses:
        return
    link_note = f"\n\n登录门户查看：{settings.PORTAL_BASE_URL}"
    messages = [(f"【信息化促进门户】{subject}", body + link_note, None, [a]) for a in addresses]
    transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=True))


def document_number_next(*, issuer, prefix: str, year: int) -> int:
    """Allocate the next number for (issuer, prefix, year) in one atomic upsert: safe under concurrency,
    no gaps from rolled-back readers, and the row lock is held until the caller's transaction ends."""
    from projects.models import DocumentNumberSequence

    table = DocumentNumberSequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} (issuer_id, prefix, year, last_number) VALUES (%s, %s, %s, 1)
            ON CONFLICT (issuer_id, prefix, year) DO UPDATE SET last_number = {table}.last_number + 1
            RETURNING last_number
            """,  # noqa: S608 (table name from model meta, values bound)
            [issuer.pk, prefix, year],
        )
        return cursor.fetchone()[0]
