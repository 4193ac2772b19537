"""Sign-in support: the django-axes lockout response."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render

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
