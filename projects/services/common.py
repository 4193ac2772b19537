"""Pieces every Chapter 2 service uses: the refused-transition error, locking, notifications, numbering."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection

from portal.models import Membership, Role, User
from portal.services import notification_create
from portal.workdays import MissingCalendarYear, add_working_days
from portal.workflow import Refused as TransitionRefused
from portal.workflow import ensure_transition, lock

__all__ = ["TransitionRefused", "ensure_transition", "lock"]


def working_days_after(start: date, days: int) -> date:
    try:
        return add_working_days(start, days)
    except MissingCalendarYear as exc:
        raise ValidationError(
            f"工作日历尚未载入{start.year}年后的节假日安排，无法计算期限，请联系系统管理员。"
        ) from exc


def notify(*, recipients, kind: str, title: str, body: str, subject, link: str, actor=None) -> int:
    """Write notifications through the portal outbox, in the caller's transaction.

    They appear in each recipient's inbox (/notifications/) at once; email follows after commit
    according to the recipient's preferences (never for a rolled-back change). ``kind`` is a code of
    ``settings.NOTIFICATION_KINDS``. The actor is not told of their own action. Returns how many were written.
    """
    skip = getattr(actor, "pk", None)
    ids = sorted(
        {user.pk for user in recipients if user is not None and user.pk != skip and getattr(user, "is_active", True)}
    )
    if not ids:
        return 0
    return len(notification_create(recipients=ids, kind=kind, title=title, body=body, link=link, subject=subject))


def members_with_roles(organization, *roles):
    """Active users holding one of ``roles`` in ``organization`` (one query)."""
    if organization is None:
        return []
    return list(
        User.objects.filter(
            is_active=True,
            pk__in=Membership.objects.filter(organization=organization, role__in=roles).values("user_id"),
        ).order_by("pk")
    )


DECIDING_ROLES = (Role.AUTHORITY_OFFICIAL, Role.DISTRICT_OFFICIAL)


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
