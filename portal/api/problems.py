"""Errors as RFC 9457 problem details (`application/problem+json`)."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.fields import get_error_detail
from rest_framework.response import Response
from rest_framework.views import exception_handler

from portal.workflow import Refused

PROBLEM_CONTENT_TYPE = "application/problem+json"

TITLES = {
    400: "请求参数有误",
    401: "未登录或凭据无效",
    403: "无权执行此操作",
    404: "未找到",
    405: "不支持的请求方法",
    406: "不可接受的响应格式",
    409: "当前状态不允许此操作",
    413: "请求过大",
    415: "不支持的媒体类型",
    429: "请求过于频繁",
}


class Conflict(exceptions.APIException):
    """The action is not allowed from the object's current state."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "当前状态不允许此操作。"
    default_code = "conflict"

    def __init__(self, detail=None, code=None):
        super().__init__(detail, code)
        self.problem_code = code or self.default_code


def _invalid_params(detail, name: str = "") -> list[dict]:
    """Flatten DRF's nested error detail into [{"name": "field.0.sub", "reason": "...", "code": "..."}].

    ``code`` is the error's code (DRF's ``required``, ``max_length``…, or a service's own such as
    ``checklist-incomplete``), so clients branch on it rather than on the Chinese reason."""
    if isinstance(detail, dict):
        params = []
        for key, value in detail.items():
            child = "" if key in ("non_field_errors", "__all__") else str(key)
            params.extend(_invalid_params(value, f"{name}.{child}".strip(".") if child else name))
        return params
    if isinstance(detail, list):
        params = []
        for index, value in enumerate(detail):
            if isinstance(value, (dict, list)):
                params.extend(_invalid_params(value, f"{name}.{index}".strip(".")))
            else:
                params.append(_param(name, value))
        return params
    return [_param(name, detail)]


def _param(name: str, value) -> dict:
    return {"name": name or "non_field_errors", "reason": str(value), "code": getattr(value, "code", None) or "invalid"}


def problem_response(
    *,
    status_code: int,
    detail: str,
    invalid_params: list | None = None,
    problem_type: str = "about:blank",
    headers: dict | None = None,
    code: str | None = None,
) -> Response:
    body = {
        "type": problem_type,
        "title": TITLES.get(status_code, "请求失败"),
        "status": status_code,
        "detail": detail,
    }
    if invalid_params:
        body["invalid_params"] = invalid_params
    if code:
        body["code"] = code
    return Response(body, status=status_code, headers=headers, content_type=PROBLEM_CONTENT_TYPE)


def problem_exception_handler(exc, context):
    if isinstance(exc, Refused):
        exc = Conflict(exc.message, code=exc.code)
    elif isinstance(exc, DjangoValidationError):
        # get_error_detail keeps each message's code (a service's ``code=`` reaches the client).
        detail = get_error_detail(exc)
        exc = exceptions.ValidationError(detail if isinstance(detail, dict) else {"non_field_errors": detail})
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or "未找到。")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or "您无权执行此操作。")

    response = exception_handler(exc, context)
    if response is None:
        return None
    invalid = None
    if isinstance(exc, exceptions.ValidationError):
        invalid = _invalid_params(exc.detail)
        detail = "；".join(f"{p['name']}：{p['reason']}" for p in invalid) or "请求参数有误。"
    else:
        detail = str(exc.detail) if hasattr(exc, "detail") else str(exc)
    headers = {k: v for k, v in response.items() if k.lower() in {"www-authenticate", "retry-after", "allow"}}
    code = getattr(exc, "problem_code", None)
    return problem_response(
        status_code=response.status_code, detail=detail, invalid_params=invalid, headers=headers, code=code
    )
