"""Writing the security audit log: one function, and the signal receivers that call it.

Sign-in, failure and lockout come from Django's and django-axes' signals; 2FA events from the 2FA
views; permission denials and downloads/exports from ``AuditMiddleware`` (one place for every app).
"""

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import DatabaseError
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from portal.models import SecurityEvent, SecurityEventKind

logger = logging.getLogger("portal.audit")

# 网络安全法 Art. 21: network logs kept no less than six months. The database trigger refuses to delete
# rows younger than 183 days whatever this setting says; this is the floor the purge also applies.
MINIMUM_RETENTION_DAYS = 183


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    # REMOTE_ADDR only: X-Forwarded-For is whatever a client says unless a proxy is configured to set it.
    return request.META.get("REMOTE_ADDR") or None


def security_event_record(
    kind: str,
    *,
    request: HttpRequest | None = None,
    user=None,
    username: str = "",
    status: int | None = None,
    **detail,
) -> SecurityEvent | None:
    """Append one event. Never fails the request it describes: a broken audit write is logged loudly."""
    if user is None and request is not None:
        candidate = getattr(request, "user", None)
        if candidate is not None and candidate.is_authenticated:
            user = candidate
    if user is not None and not username:
        username = user.get_username()
    event = SecurityEvent(
        kind=kind,
        user_id=getattr(user, "pk", None),
        username=(username or "")[:150],
        ip_address=client_ip(request),
        method=(request.method or "")[:10] if request is not None else "",
        path=request.path[:500] if request is not None else "",
        status=status,
        detail=detail,
    )
    try:
        # One INSERT, no savepoint: every download and denial pays for it, and a database that
        # cannot take this row has failed the request anyway.
        event.save(force_insert=True)
    except DatabaseError:
        logger.exception("security audit write failed: %s", kind)
        return None
    return event


def security_events_purge(*, now=None) -> int:
    """Delete events older than the retention period (never younger than six months). Returns the count."""
    days = max(settings.SECURITY_AUDIT_RETENTION_DAYS, MINIMUM_RETENTION_DAYS)
    cutoff = (now or timezone.now()) - timedelta(days=days)
    deleted, _ = SecurityEvent.objects.filter(at__lt=cutoff).delete()
    return deleted


@receiver(user_logged_in, dispatch_uid="portal-audit-login")
def _on_login(sender, request, user, **kwargs) -> None:
    security_event_record(SecurityEventKind.LOGIN, request=request, user=user)
    if request is not None and hasattr(request, "session"):
        from portal.guard.middleware import SESSION_STARTED_KEY
        from portal.guard.twofactor import SESSION_REQUIRED_KEY, two_factor_required

        # Decided once per sign-in, so no page pays a query for it.
        request.session[SESSION_REQUIRED_KEY] = two_factor_required(user)
        request.session[SESSION_STARTED_KEY] = time.time()


@receiver(user_logged_out, dispatch_uid="portal-audit-logout")
def _on_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        security_event_record(SecurityEventKind.LOGOUT, request=request, user=user)


@receiver(user_login_failed, dispatch_uid="portal-audit-login-failed")
def _on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    # The username tried is kept (it may be mistyped personal data, but investigating guessing needs it);
    # the password never is.
    security_event_record(
        SecurityEventKind.LOGIN_FAILED, request=request, username=str(credentials.get("username", ""))
    )


def _connect_axes() -> None:
    from axes.signals import user_locked_out

    @receiver(user_locked_out, dispatch_uid="portal-audit-lockout")
    def _on_lockout(sender, request, username, ip_address, **kwargs) -> None:
        security_event_record(SecurityEventKind.LOCKOUT, request=request, username=username or "")


_connect_axes()
