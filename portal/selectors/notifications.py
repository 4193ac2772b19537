"""Reads of a user's own notifications: nobody sees anyone else's."""

from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404

from portal.models import Notification


def notifications_for(user) -> QuerySet[Notification]:
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient_id=_this_inbox(user)).order_by("-created_at", "-id")


def _this_inbox(user) -> RawSQL:
    """The recipient's id written into the statement, not bound: PostgreSQL then plans for this inbox.

    Bound, the statement got a generic plan once the connection prepared it, and a generic plan assumes the
    average inbox (11 notifications among 200,000 at city scale). For an official with 1,297 it read every
    one of them to sort them (1,259 heap pages, 2-5 ms) instead of the newest 50 from the inbox index
    (0.2 ms). The id is our own integer, never the user's input."""
    return RawSQL(str(int(user.pk)), ())  # noqa: S611 (an integer primary key, not text)


def notification_get_for(*, user, uuid) -> Notification:
    try:
        return notifications_for(user).get(uuid=uuid)
    except (Notification.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("未找到该通知。") from exc


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
