"""Session limits and the second-factor requirement, for every page and API call."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from portal.models import SecurityEventKind

SESSION_STARTED_KEY = "portal_session_started"
# When activity last renewed the idle timeout (epoch seconds).
SESSION_RENEWED_KEY = "portal_session_renewed"

# Paths an unverified staff member may still reach: the 2FA pages themselves, sign-out, static files,
# the language switch and the health probe.
_OPEN_PREFIXES = ("/accounts/2fa/", "/accounts/logout/", "/static/", "/i18n/", "/healthz")


class SessionLimitsMiddleware:
    """Absolute session timeout, and the renewal of the idle one (SESSION_COOKIE_AGE): a request renews the
    session's expiry when the last renewal is more than SESSION_RENEW_SECONDS old, so a signed-in page costs
    no session write (UPDATE and its transaction) on every request and the idle timeout stays exact to a minute."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session") and request.session.session_key:
            started = request.session.get(SESSION_STARTED_KEY)
            now = time.time()
            if started is None:
                request.session[SESSION_STARTED_KEY] = now
                request.session[SESSION_RENEWED_KEY] = now
            elif now - float(started) > settings.SESSION_ABSOLUTE_SECONDS:
                from portal.guard.audit import security_event_record

                security_event_record(SecurityEventKind.SESSION_EXPIRED, request=request, reason="absolute")
                logout(request)
                if not request.path.startswith("/api/"):
                    return redirect(f"{reverse('login')}?next={request.path}")
            elif now - float(request.session.get(SESSION_RENEWED_KEY, 0)) >= settings.SESSION_RENEW_SECONDS:
                request.session[SESSION_RENEWED_KEY] = now  # modified: saved with a new expiry
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """Staff (and opted-in users) signed in with a password alone reach only the 2FA pages until they
    pass the second factor; those without a device are sent to enrol. Token-authenticated API calls are
    not affected here (the session is not theirs); the token view itself asks for the second factor."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(_OPEN_PREFIXES):
            from portal.guard.twofactor import session_requires_second_factor, totp_device_for

            if session_requires_second_factor(request):
                if request.path.startswith("/api/"):
                    from portal.middleware import problem_json

                    return problem_json(403, "请先完成双因素认证（动态口令）后再访问。", code="two-factor-required")
                target = "otp-verify" if totp_device_for(user) else "otp-setup"
                return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)
