"""Request-wide security rules of the portal (issue 8), in one module.

- ``QueryStringControlCharactersMiddleware``: a query string carrying control characters (NUL…) is
  refused with 400 before any view reads it; views that read ``request.GET`` directly would otherwise
  pass NUL into PostgreSQL, which answers with an error (500).
- ``NoStoreMiddleware``: ``Cache-Control: no-store`` on every response to a signed-in user, every API
  response, and every download or export (``Content-Disposition: attachment``): shared computers in
  government offices must not keep copies of filings in their browser cache.
- ``ApiErrorMiddleware``: an unhandled exception under ``/api/`` answers problem+json (500, or 503 when
  the database or Redis is unreachable) with no internals; the traceback goes to the log only.
"""

import logging
from urllib.parse import unquote

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import patch_cache_control

from portal.api.problems import PROBLEM_CONTENT_TYPE, TITLES
from portal.validators import has_control_characters

logger = logging.getLogger("portal.errors")

API_PREFIX = "/api/"


def problem_json(status: int, detail: str, title: str | None = None, code: str | None = None) -> JsonResponse:
    """A problem+json response outside DRF (middleware answers before or after any view)."""
    body = {"type": "about:blank", "title": title or TITLES.get(status, "请求失败"), "status": status, "detail": detail}
    if code:
        body["code"] = code
    return JsonResponse(
        body, status=status, content_type=PROBLEM_CONTENT_TYPE, json_dumps_params={"ensure_ascii": False}
    )


class QueryStringControlCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if query and has_control_characters(unquote(query.replace("+", " "), errors="replace")):
            detail = "查询参数不得包含控制字符（如 NUL）。"
            if request.path.startswith(API_PREFIX):
                return problem_json(400, detail)
            return HttpResponse(detail, status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def _is_download(response: HttpResponse) -> bool:
    return response.get("Content-Disposition", "").lower().startswith("attachment")


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = bool(user is not None and user.is_authenticated)
        if signed_in or request.path.startswith(API_PREFIX) or _is_download(response):
            patch_cache_control(response, no_store=True, private=True)
        return response


# Exceptions that mean "a backing service is down", not "the code is wrong": 503, retry later.
def _unavailable_errors() -> tuple[type[BaseException], ...]:
    errors: list[type[BaseException]] = [OperationalError, InterfaceError]
    try:
        import redis

        errors.append(redis.exceptions.ConnectionError)
        errors.append(redis.exceptions.TimeoutError)
    except ImportError:  # pragma: no cover - redis is a dependency
        pass
    return tuple(errors)


class ApiErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.unavailable = _unavailable_errors()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not request.path.startswith(API_PREFIX) or settings.DEBUG:
            return None  # pages keep Django's 500 page (no internals in production); DEBUG its technical page
        if isinstance(exception, self.unavailable):
            logger.warning(
                "API %s %s: service unavailable (%s)", request.method, request.path, type(exception).__name__
            )
            return problem_json(503, "服务暂时不可用，请稍后重试。", title="服务暂时不可用")
        if isinstance(exception, DatabaseError):
            logger.exception("API %s %s: database error", request.method, request.path)
        else:
            logger.exception("API %s %s: unhandled error", request.method, request.path)
        return problem_json(500, "服务器内部错误，已记录，请稍后重试或联系系统管理员。", title="服务器内部错误")


def _signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def _marked_private(response: HttpResponse) -> bool:
    # Seen before NoStoreMiddleware (which wraps this one) adds its own: the view's declaration alone.
    return "no-store" in response.get("Cache-Control", "")


class AuditMiddleware:
    """Every permission denial (403) and every download or export (``Content-Disposition`` on the
    response: attachments, letters, CSV/XLSX) goes to the security audit log, whichever app served it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        from portal.guard.audit import security_event_record
        from portal.models import SecurityEventKind

        if response.status_code == 403:
            security_event_record(SecurityEventKind.PERMISSION_DENIED, request=request, status=403)
        elif (
            response.status_code == 200
            and response.get("Content-Disposition")
            and (_signed_in(request) or _marked_private(response))
        ):
            # Anonymous downloads are of published data (public standards, catalogs); logging each would
            # put a write on every public request and fill the log with nothing a security audit needs.
            # Except what the view itself marks no-store: a reply letter fetched with its tracking code
            # carries an applicant's personal data, and who fetched it from where is evidence.
            security_event_record(
                SecurityEventKind.DOWNLOAD,
                request=request,
                status=200,
                query=request.META.get("QUERY_STRING", "")[:500],
                disposition=response["Content-Disposition"][:300],
            )
        return response
