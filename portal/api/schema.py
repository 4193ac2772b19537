"""The OpenAPI schema tells the truth about errors (issue 8): every operation documents the
problem+json responses it can give, from one place (``DEFAULT_SCHEMA_CLASS``).

- 400 everywhere: a malformed body or query parameter (field errors in ``invalid_params``), and on any
  operation a query string with control characters (``QueryStringControlCharactersMiddleware``);
- 401 and 403 when it needs a signed-in caller (403 also: second factor missing, role not allowed);
- 404 when it names an object in its path (not visible to the caller is 404, never 403), on writes
  whose body names an object the caller cannot see, and on lists for a page past the end;
- 409 on writes (the object's state does not allow the action; ``code`` says which rule);
- 429 everywhere (throttling, lockout);
- 503 everywhere (database or Redis unavailable; retry later).

Read-only fields say what the model allows (``_read_only_field_as_the_model_allows``): DRF drops
``allow_blank`` from read-only model fields and knows nothing of a nullable relation on a declared
field's ``source``, so without this the schema would promise a district where the model stores ``""``
and a string where a missing relation gives ``null``.
"""

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers
from rest_framework.permissions import AllowAny

from portal.api.problems import PROBLEM_CONTENT_TYPE


# Problem texts are the server's own and carry no length limit (max_length=None: not the input default of
# portal.validators): a reason may quote what was sent, and a bulk import's detail joins every row's reasons.
class InvalidParamSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=None, help_text="出错的字段（嵌套字段以点分隔）")
    reason = serializers.CharField(max_length=None, help_text="中文错误说明")
    code = serializers.CharField(max_length=None, help_text="错误代码，如 required、max_length、control-characters")


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details."""

    type = serializers.CharField(max_length=None)
    title = serializers.CharField(max_length=None)
    status = serializers.IntegerField()
    detail = serializers.CharField(max_length=None)
    invalid_params = InvalidParamSerializer(many=True, required=False)
    code = serializers.CharField(max_length=None, required=False, help_text="业务规则代码（409 等）")


ERROR_DESCRIPTIONS = {
    "400": "请求参数有误（invalid_params 列出各字段错误）",
    "401": "未登录或凭据无效",
    "403": "无权执行此操作",
    "404": "未找到（或无权查看）",
    "409": "当前状态不允许此操作",
    "429": "请求过于频繁或已被锁定",
    "503": "服务暂时不可用",
}


def _model_fields_along_source(field) -> list | None:
    """The model fields a serializer field reads through (``case.number``: the case foreign key, then
    the case's number), or None when its source is not a chain of model fields."""
    meta = getattr(getattr(field, "parent", None), "Meta", None)
    model = getattr(meta, "model", None)
    if model is None or field.source == "*" or not field.source_attrs:
        return None
    chain = []
    for attr in field.source_attrs:
        if model is None:
            return None
        try:
            model_field = model._meta.get_field(attr)
        except FieldDoesNotExist:
            return None
        chain.append(model_field)
        model = model_field.related_model if model_field.is_relation else None
    return chain


def _read_only_field_as_the_model_allows(field) -> None:
    """A read-only field may be null when it says so (``default=None``) or when the model field it
    reads, or a relation on the way, is nullable; it may be blank when the model field allows blank."""
    if not field.read_only:
        return
    chain = _model_fields_along_source(field)
    if field.default is None or (chain and any(getattr(model_field, "null", False) for model_field in chain)):
        field.allow_null = True
    if chain and hasattr(field, "allow_blank") and not chain[-1].is_relation and chain[-1].blank:
        field.allow_blank = True


class PortalAutoSchema(AutoSchema):
    def _error_codes(self) -> list[str]:
        codes = ["400"]
        view = self.view
        public = any(isinstance(p, AllowAny) for p in view.get_permissions())
        if not public:
            codes += ["401", "403"]
        writes = self.method in ("POST", "PUT", "PATCH", "DELETE")
        if writes or "{" in self.path or (self._is_list_view() and self._get_paginator()):
            codes.append("404")
        if writes:
            codes.append("409")
        codes += ["429", "503"]
        return codes

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        _read_only_field_as_the_model_allows(field)
        return super()._map_serializer_field(field, direction, bypass_extensions)

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
