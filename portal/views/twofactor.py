"""Second factor pages: enrol an authenticator app, verify at sign-in, recovery codes."""

import base64

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from portal.guard.audit import security_event_record
from portal.guard.twofactor import (
    RECOVERY_DEVICE_NAME,
    recovery_codes_generate,
    session_mark_verified,
    session_requires_second_factor,
    totp_device_for,
    totp_device_pending,
    verify_token,
)
from portal.models import SecurityEventKind


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("动态口令或恢复码"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
        error_messages={"required": _("请输入认证器应用显示的 6 位动态口令。")},
    )


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "dashboard"


def _qr_data_uri(url: str) -> str:
    import segno

    svg = segno.make(url, error="m").svg_inline(scale=4)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request):
    """Enrol an authenticator app (TOTP): scan, type one code; then the recovery codes are shown once."""
    if totp_device_for(request.user):
        return redirect("otp-verify" if session_requires_second_factor(request) else "otp-recovery")
    device = totp_device_pending(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            session_mark_verified(request, device)
            security_event_record(SecurityEventKind.OTP_ENROLLED, request=request)
            codes = recovery_codes_generate(request.user)
            return render(request, "registration/otp_recovery.html", {"codes": codes, "next": _next_url(request)})
        security_event_record(SecurityEventKind.OTP_FAILED, request=request, step="enrol")
        form.add_error("token", _("动态口令不正确，请确认手机时间准确后重试。"))
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "registration/otp_setup.html",
        {"form": form, "qr": _qr_data_uri(device.config_url), "secret": secret, "next": _next_url(request)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    """The second step of signing in: a code from the authenticator app, or a recovery code."""
    if not totp_device_for(request.user):
        return redirect("otp-setup")
    if not session_requires_second_factor(request) and request.session.get("portal_2fa_verified"):
        return redirect(_next_url(request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = verify_token(request.user, form.cleaned_data["token"])
        if device is not None:
            session_mark_verified(request, device)
            recovery = getattr(device, "name", "") == RECOVERY_DEVICE_NAME
            security_event_record(
                SecurityEventKind.OTP_RECOVERY_USED if recovery else SecurityEventKind.OTP_VERIFIED, request=request
            )
            if recovery:
                messages.warning(request, _("您使用了一个恢复码，该码已失效。剩余恢复码不足时请重新生成。"))
            target = _next_url(request)
            return redirect(target)
        security_event_record(SecurityEventKind.OTP_FAILED, request=request, step="sign-in")
        form.add_error("token", _("动态口令或恢复码不正确。"))
    return render(request, "registration/otp_verify.html", {"form": form, "next": _next_url(request)})


@login_required
@require_http_methods(["GET", "POST"])
def otp_recovery(request):
    """Regenerate recovery codes (only after passing the second factor in this session)."""
    if not request.session.get("portal_2fa_verified"):
        return redirect("otp-verify" if totp_device_for(request.user) else "otp-setup")
    if request.method == "POST":
        codes = recovery_codes_generate(request.user)
        security_event_record(SecurityEventKind.OTP_RECOVERY_REGENERATED, request=request)
        return render(request, "registration/otp_recovery.html", {"codes": codes, "next": "dashboard"})
    return render(request, "registration/otp_recovery.html", {"codes": None, "next": "dashboard"})


urlpatterns = [
    path("setup/", otp_setup, name="otp-setup"),
    path("verify/", otp_verify, name="otp-verify"),
    path("recovery/", otp_recovery, name="otp-recovery"),
]
