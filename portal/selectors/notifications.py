"""Reads of a user's own notifications: nobody sees anyone else's."""

from django.db.models import QuerySet
from django.http import Http404

from portal.models import Notification


def notifications_for(user) -> QuerySet[Notification]:
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def notification_get_for(*, user, uuid) -> Notification:
    try:
        return notifications_for(user).get(uuid=uuid)
    except (Notification.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("未找到该通知。") from exc


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
