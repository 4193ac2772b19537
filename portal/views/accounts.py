"""Sign-in: the form and view (attempts left before the lockout), the django-axes lockout response,
and the password reset by e-mail (Django's own views)."""

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView, PasswordResetView
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from portal.api.problems import PROBLEM_CONTENT_TYPE, TITLES


def lockout(request, original_response=None, credentials=None) -> HttpResponse:
    """django-axes lockout: problem+json for the API, the locked-out page for people (HTTP 429)."""
    status = 429
    if request.path.startswith("/api/"):
        body = {
            "type": "about:blank",
            "title": TITLES[status],
            "status": status,
            "detail": "登录失败次数过多，该账号或来源地址已被暂时锁定，请稍后再试或联系系统管理员。",
        }
        return JsonResponse(
            body, status=status, content_type=PROBLEM_CONTENT_TYPE, json_dumps_params={"ensure_ascii": False}
        )
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=status)


class SignInForm(AuthenticationForm):
    """Django's sign-in form with messages that say what is wrong, in the user's language."""

    error_messages = {
        "invalid_login": _("用户名或密码不正确。请注意密码区分大小写。"),
        "inactive": _("该账号已停用，请联系本单位的门户管理员。"),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("用户名")
        self.fields["password"].label = _("密码")
        self.fields["username"].error_messages["required"] = _("请填写用户名。")
        self.fields["password"].error_messages["required"] = _("请填写密码。")


class SignInView(LoginView):
    """Sign-in that warns before the django-axes lockout with the attempts left."""

    form_class = SignInForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        username = form.data.get("username", "")
        if username and form.data.get("password"):
            failures = AxesProxyHandler.get_failures(self.request, {"username": username})
            left = max(settings.AXES_FAILURE_LIMIT - failures, 0)
            if left:
                form.attempts_left = left
        return super().form_invalid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cooloff_minutes"] = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
        context["failure_limit"] = settings.AXES_FAILURE_LIMIT
        return context


class PasswordResetRequestView(PasswordResetView):
    """Django's own reset by e-mail; the mail is in the language of the page that asked for it."""

    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
