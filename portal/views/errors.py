"""Error pages in the site's layout and the user's language, with the reason where it is safe to
give and a way back. API paths keep answering in problem+json."""

import logging
import re
import sys

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import Resolver404
from django.utils.translation import gettext as _

from portal.api.problems import PROBLEM_CONTENT_TYPE, TITLES

logger = logging.getLogger(__name__)

HAN = re.compile(r"[\u3400-\u9fff]")


def _safe_reason(exception) -> str:
    """The message our own code raised (PermissionDenied("只有建设单位……"), Http404("没有这一步。")).

    Only messages written for users are shown: ours are Chinese sentences; Django's internal ones
    (the URL resolver's dict, "No Filing matches the given query.") may name models or paths."""
    if exception is None or isinstance(exception, Resolver404) or not exception.args:
        return ""
    reason = exception.args[0]
    if not isinstance(reason, str) or not HAN.search(reason):
        return ""
    return reason


def _problem(request, status: int, detail: str, title: str = "") -> JsonResponse:
    body = {"type": "about:blank", "title": title or TITLES.get(status, "请求失败"), "status": status, "detail": detail}
    return JsonResponse(
        body, status=status, content_type=PROBLEM_CONTENT_TYPE, json_dumps_params={"ensure_ascii": False}
    )


def _page(request, status: int, title: str, explanation: str, reason: str = "") -> HttpResponse:
    if request.path.startswith("/api/"):
        return _problem(request, status, reason or explanation)
    context = {"status": status, "title": title, "explanation": explanation, "reason": reason}
    return render(request, "errors/error.html", context, status=status)


def bad_request(request, exception=None):
    return _page(
        request,
        400,
        _("请求有误"),
        _("浏览器发送的请求无法处理，可能是链接不完整或表单已过期。请返回上一页刷新后重试。"),
        _safe_reason(exception),
    )


def permission_denied(request, exception=None):
    return _page(
        request,
        403,
        _("无权访问"),
        _("您的账号没有办理此事项的权限。如认为有误，请联系本单位的门户管理员。"),
        _safe_reason(exception),
    )


def page_not_found(request, exception=None):
    return _page(
        request,
        404,
        _("页面不存在"),
        _("找不到这个页面：链接可能有误，或者该事项不在您的办理范围内。"),
        _safe_reason(exception),
    )


def _service_unavailable() -> bool:
    """Django calls the 500 handler inside its ``except``: the exception says whether a backing service
    (PostgreSQL, Redis) is down — a 503 the user may retry shortly — or the code is wrong."""
    from django.db import InterfaceError, OperationalError

    from portal.redis_guard import REDIS_DOWN_ERRORS

    exception = sys.exc_info()[1]
    return isinstance(exception, (OperationalError, InterfaceError, *REDIS_DOWN_ERRORS))


def service_unavailable(request):
    if request.path.startswith("/api/"):
        return _problem(request, 503, _("服务暂时不可用，请稍后重试。"), title=_("服务暂时不可用"))
    explanation = _("系统暂时无法连接数据库或缓存服务，请稍后刷新重试。您刚才提交的内容可能没有保存，请重试前先核对。")
    context = {"status": 503, "title": _("服务暂时不可用"), "explanation": explanation, "reason": ""}
    try:
        return render(request, "errors/error.html", context, status=503)
    except Exception:  # the layout needs the database too: plain HTML then
        return HttpResponse(
            "<!doctype html><html lang='zh-hans'><meta charset='utf-8'><title>503</title>"
            "<h1>服务暂时不可用 / Service unavailable</h1><p>请稍后刷新重试。</p>"
            "<p><a href='/'>返回首页 / Home</a></p></html>",
            status=503,
        )


def server_error(request):
    if _service_unavailable():
        return service_unavailable(request)
    if request.path.startswith("/api/"):
        return _problem(request, 500, _("服务器内部错误，请稍后重试。"))
    context = {
        "status": 500,
        "title": _("系统出错"),
        "explanation": _("系统处理您的请求时出错，已记录在案。您已提交的内容可能没有保存，请稍后重试。"),
        "reason": "",
    }
    try:
        return render(request, "errors/error.html", context, status=500)
    except Exception:  # the layout itself may be what fails (database down): fall back to plain HTML
        logger.exception("error page could not be rendered")
        return HttpResponse(
            "<!doctype html><html lang='zh-hans'><meta charset='utf-8'><title>500</title>"
            "<h1>系统出错 / Server error</h1><p><a href='/'>返回首页 / Home</a></p></html>",
            status=500,
        )


def csrf_failure(request, reason=""):
    """An expired form (CSRF token): say so and keep the way back, where the browser kept the input."""
    return _page(
        request,
        403,
        _("页面已过期"),
        _(
            "为保护您的账号，表单在长时间未操作或重新登录后会失效。请返回上一页，刷新后再提交；已填写的内容请先复制保存。"
        ),
    )
