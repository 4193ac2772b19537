from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.guard.audit import security_event_record
from portal.guard.twofactor import two_factor_required, verify_token
from portal.models import SecurityEventKind


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label="用户名")
    password = serializers.CharField(label="密码", style={"input_type": "password"}, trim_whitespace=False)
    otp = serializers.CharField(
        label="动态口令",
        required=False,
        max_length=12,
        help_text="双因素认证用户（主管部门工作人员等）必填：认证器应用的 6 位口令或一个恢复码。",
    )


class TokenObtainView(APIView):
    """Exchange a username and password for the agency system's API token."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_scope = "token"

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: inline_serializer("TokenResponse", {"token": serializers.CharField()})},
        tags=["auth"],
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        otp = data.pop("otp", "")
        # authenticate() with the request lets django-axes count failures and lock out.
        user = authenticate(request=request._request, **data)
        if user is None or not user.is_active:
            raise serializers.ValidationError({"non_field_errors": ["用户名或密码错误。"]})
        # A token must not be a way round the second factor.
        if two_factor_required(user):
            if not otp:
                raise serializers.ValidationError(
                    {"otp": [serializers.ErrorDetail("请提供动态口令。", code="required")]}
                )
            if verify_token(user, otp) is None:
                security_event_record(SecurityEventKind.OTP_FAILED, request=request._request, user=user, step="token")
                raise serializers.ValidationError(
                    {"otp": [serializers.ErrorDetail("动态口令不正确。", code="invalid")]}
                )
        token, _ = Token.objects.get_or_create(user=user)
        security_event_record(SecurityEventKind.TOKEN_ISSUED, request=request._request, user=user)
        return Response({"token": token.key})
