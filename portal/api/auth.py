from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label="用户名")
    password = serializers.CharField(label="密码", style={"input_type": "password"}, trim_whitespace=False)


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
        # authenticate() with the request lets django-axes count failures and lock out.
        user = authenticate(request=request._request, **serializer.validated_data)
        if user is None or not user.is_active:
            raise serializers.ValidationError({"non_field_errors": ["用户名或密码错误。"]})
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
