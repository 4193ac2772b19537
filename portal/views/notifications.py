"""The in-app inbox, mark-as-read, preferences; and the unread count in the navbar."""

from functools import cache

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from portal.forms.deadlines import NotificationPreferencesForm
from portal.models import NotificationPreference
from portal.paginators import CappedPaginator as Paginator
from portal.selectors import notification_get_for, notifications_for, unread_count
from portal.services import notification_mark_read, notification_preferences_update, notifications_mark_all_read


def unread_notifications(request) -> dict:
    """Context processor: the navbar's unread count, one query and only if a template reads it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notification_count": cache(lambda: unread_count(user))}


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


@login_required
def inbox(request):
    notifications = notifications_for(request.user)
    unread_only = request.GET.get("unread") == "1"
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    page = Paginator(notifications, 30).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page, "unread_only": unread_only})


@login_required
@require_POST
def mark_read(request, uuid):
    notification = notification_get_for(user=request.user, uuid=uuid)
    notification_mark_read(notification=notification, user=request.user)
    return redirect(_safe_next(request, "notification-inbox"))


@login_required
@require_POST
def open_notification(request, uuid):
    """Mark read and go to the object it is about."""
    notification = notification_get_for(user=request.user, uuid=uuid)
    notification_mark_read(notification=notification, user=request.user)
    link = notification.link
    if link and url_has_allowed_host_and_scheme(link, {request.get_host()}):
        return redirect(link)
    return redirect("notification-inbox")


@login_required
@require_POST
def mark_all_read(request):
    count = notifications_mark_all_read(user=request.user)
    messages.success(request, f"已将 {count} 条通知标为已读。")
    return redirect("notification-inbox")


@login_required
def preferences(request):
    current = {p.kind: (p.email, p.digest) for p in NotificationPreference.objects.filter(user=request.user)}
    form = NotificationPreferencesForm(request.POST or None, kinds=settings.NOTIFICATION_KINDS, current=current)
    if request.method == "POST" and form.is_valid():
        notification_preferences_update(user=request.user, choices=form.choices())
        messages.success(request, "通知设置已保存。")
        return redirect("notification-preferences")
    return render(request, "notifications/preferences.html", {"form": form})


urlpatterns = [
    path("", inbox, name="notification-inbox"),
    path("read-all/", mark_all_read, name="notification-read-all"),
    path("preferences/", preferences, name="notification-preferences"),
    path("<uuid:uuid>/read/", mark_read, name="notification-read"),
    path("<uuid:uuid>/open/", open_notification, name="notification-open"),
]
