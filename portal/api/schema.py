"""The OpenAPI schema tells the truth about errors (issue 8): every operation documents the
problem+json responses it can give, from one place (``DEFAULT_SCHEMA_CLASS``).

- 400 when the operation takes a body or query parameters (field errors in ``invalid_params``);
- 401 and 403 when it needs a signed-in caller (403 also: second factor missing, role not allowed);
- 404 when it names an object in its path (not visible to the caller is 404, never 403), and on
  lists for a page past the end;
- 409 on writes (the object's state does not allow the action; ``code`` says which rule);
- 429 everywhere (throttling, lockout);
- 503 everywhere (database or Redis unavailable; retry later).
"""

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers
from rest_framework.permissions import AllowAny

from portal.api.problems import PROBLEM_CONTENT_TYPE


class InvalidParamSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="出错的字段（嵌套字段以点分隔）")
    reason = serializers.CharField(help_text="中文错误说明")
    code = serializers.CharField(help_text="错误代码，如 required、max_length、control-characters")


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    invalid_params = InvalidParamSerializer(many=True, required=False)
    code = serializers.CharField(required=False, help_text="业务规则代码（409 等）")


ERROR_DESCRIPTIONS = {
    "400": "请求参数有误（invalid_params 列出各字段错误）",
    "401": "未登录或凭据无效",
    "403": "无权执行此操作",
    "404": "未找到（或无权查看）",
    "409": "当前状态不允许此操作",
    "429": "请求过于频繁或已被锁定",
    "503": "服务暂时不可用",
}


class PortalAutoSchema(AutoSchema):
    def _error_codes(self) -> list[str]:
        codes = []
        view = self.view
        has_input = self.method in ("POST", "PUT", "PATCH") or bool(self._get_filter_parameters())
        has_input = has_input or self._is_list_view() or bool(self._get_paginator())
        if has_input:
            codes.append("400")
        public = any(isinstance(p, AllowAny) for p in view.get_permissions())
        if not public:
            codes += ["401", "403"]
        if "{" in self.path or (self._is_list_view() and self._get_paginator()):
            codes.append("404")
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            codes.append("409")
        codes += ["429", "503"]
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in self._error_codes():
            if code not in responses:
                response = self._get_response_for_code(ProblemSerializer, code, media_types=[PROBLEM_CONTENT_TYPE])
                response["description"] = ERROR_DESCRIPTIONS[code]
                responses[code] = response
        # An operation that names its error responses only to describe them (OpenApiResponse(description=…)),
        # or with a plain JSON body, still answers problem+json (the exception handler makes every error one):
        # give those the problem body, keeping the operation's own description.
        for code, response in responses.items():
            if str(code)[0] in "45" and PROBLEM_CONTENT_TYPE not in response.get("content", {}):
                body = self._get_response_for_code(ProblemSerializer, code, media_types=[PROBLEM_CONTENT_TYPE])
                described = response.get("description") or ERROR_DESCRIPTIONS.get(str(code), "")
                responses[code] = {**body, "description": described}
        return responses
