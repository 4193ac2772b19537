"""Notifications of Chapter 2: written through the portal outbox in the caller's transaction."""

from portal.models import User
from portal.services import notification_create


def notify(*, recipients, kind: str, title: str, body: str, subject, link: str, actor: User | None = None) -> int:
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
