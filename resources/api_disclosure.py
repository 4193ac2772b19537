"""REST API of disclosure (Art. 19): public guides, catalog and tracking; staff applications.

Transitions are ``POST /api/v1/disclosure/applications/{id}/{action}/`` (404 outside the user's scope,
403 for a visible application the user may not handle, 409 when the state or the law forbids it).
"""

import django_filters
from django.conf import settings
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api.ordering import FILTER_BACKENDS
from portal.api.transitions import TransitionMixin
from portal.models import District
from portal.redis_guard import ratelimited  # fails open when Redis is down (issue 8)
from resources import rules_disclosure as rules
from resources import serializers_disclosure as s
from resources.actions_disclosure import APPLICATION_ACTIONS
from resources.models.disclosure import ApplicationStatus
from resources.selectors.disclosure import application_track, applications_visible_to, catalog_public, guides_current
from resources.services.disclosure import application_record

TRANSITION_ERRORS = {400: None, 403: None, 404: None, 409: None}


class Throttled(exceptions.Throttled):
    default_detail = "请求过于频繁，请稍后再试。"


def limit(request, group: str, rate: str) -> None:
    """django-ratelimit per client address; answers 429 when the rate is exceeded."""
    if ratelimited(request=request, group=group, key="ip", rate=rate, increment=True):
        raise Throttled()


class GuideViewSet(viewsets.ReadOnlyModelViewSet):
    """The current disclosure guide of every agency (条例 Art. 12). Public."""

    permission_classes = [AllowAny]
    serializer_class = s.GuideSerializer
    lookup_field = "uuid"
    lookup_url_kwarg = "id"
    filter_backends = FILTER_BACKENDS
    ordering_fields = ["version"]
    ordering = ["agency__name", "id"]

    def get_queryset(self):
        return guides_current()


class CatalogFilter(django_filters.FilterSet):
    agency = django_filters.UUIDFilter(field_name="agency__uuid")
    category = django_filters.CharFilter()
    q = django_filters.CharFilter(method="search", label="名称、索引号或概述")
    generated_after = django_filters.DateFilter(field_name="generated_on", lookup_expr="gte")

    def search(self, queryset, name, value):
        return catalog_public(q=value).filter(pk__in=queryset.values("pk"))


class CatalogViewSet(viewsets.ReadOnlyModelViewSet):
    """The city-wide disclosure catalog. Public."""

    permission_classes = [AllowAny]
    serializer_class = s.CatalogEntrySerializer
    lookup_field = "uuid"
    lookup_url_kwarg = "id"
    filter_backends = FILTER_BACKENDS
    filterset_class = CatalogFilter
    ordering_fields = ["generated_on"]  # disclosure_cat_date_idx
    ordering = ["-generated_on", "-id"]

    def get_queryset(self):
        return catalog_public()


class ApplicationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ApplicationStatus.choices)
    district = django_filters.ChoiceFilter(choices=District.choices)
    agency = django_filters.UUIDFilter(field_name="agency__uuid")
    channel = django_filters.ChoiceFilter(choices=rules.Channel.choices)


class ApplicationViewSet(TransitionMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Applications for disclosure, scoped to the user's agency (officials: their city or district)."""

    serializer_class = s.ApplicationSerializer
    lookup_field = "uuid"
    lookup_url_kwarg = "id"
    filter_backends = FILTER_BACKENDS
    filterset_class = ApplicationFilter
    ordering_fields = ["created_at", "reply_due_date"]
    ordering = ["-created_at", "-id"]
    action_table = APPLICATION_ACTIONS
    detail_serializer_class = s.ApplicationSerializer

    def get_queryset(self):
        return applications_visible_to(self.request.user)

    @extend_schema(request=s.ApplicationCreateSerializer, responses={201: s.ApplicationCreatedSerializer})
    def create(self, request, *args, **kwargs):
        data = s.ApplicationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        application, code = application_record(
            actor=request.user,
            agency=fields.pop("agency"),
            channel=fields.pop("channel"),
            received_on=fields.pop("received_on"),
            **fields,
        )
        application.access_code = code
        return Response(s.ApplicationCreatedSerializer(application).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ConfirmReceiptInput, responses={200: s.ApplicationSerializer, **TRANSITION_ERRORS})
    @action(detail=True, methods=["post"], url_path="confirm_receipt")
    def confirm_receipt(self, request, id=None):
        return self.transition(request, "confirm_receipt")

    @extend_schema(request=s.CorrectionNoticeInput, responses={200: s.ApplicationSerializer, **TRANSITION_ERRORS})
    @action(detail=True, methods=["post"], url_path="correction_notice")
    def correction_notice(self, request, id=None):
        return self.transition(request, "correction_notice")

    @extend_schema(request=s.CorrectionReceivedInput, responses={200: s.ApplicationSerializer, **TRANSITION_ERRORS})
    @action(detail=True, methods=["post"], url_path="correction_received")
    def correction_received(self, request, id=None):
        return self.transition(request, "correction_received")

    @extend_schema(request=s.ExtendInput, responses={200: s.ApplicationSerializer, **TRANSITION_ERRORS})
    @action(detail=True, methods=["post"], url_path="extend")
    def extend(self, request, id=None):
        return self.transition(request, "extend")

    @extend_schema(request=s.ConsultInput, responses={200: s.ApplicationSerializer, **TRANSITION_ERRORS})
    @action(detail=True, methods=["post"], url_path="consult")
    def consult(self, request, id=None):
        return self.transition(request, "consult")

    @extend_schema(request=s.ConsultationAnsweredInput, responses={200: s.ApplicationSerializer, **TRANSITION_ERRORS})
    @action(detail=True, methods=["post"], url_path="consultation_answered")
    def consultation_answered(self, request, id=None):
        return self.transition(request, "consultation_answered")

    @extend_schema(request=s.ReplyInput, responses={200: s.ApplicationSerializer, **TRANSITION_ERRORS})
    @action(detail=True, methods=["post"], url_path="reply")
    def reply(self, request, id=None):
        return self.transition(request, "reply")


class TrackView(APIView):
    """Public status look-up by tracking number and access code. A wrong number or code is the same 404."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        parameters=[OpenApiParameter("number", str, required=True), OpenApiParameter("code", str, required=True)],
        responses={200: s.TrackSerializer, 404: None, 429: None},
    )
    def get(self, request):
        limit(request, "disclosure-track", settings.DISCLOSURE_TRACK_RATE)
        application = application_track(
            number=request.query_params.get("number", ""), code=request.query_params.get("code", "")
        )
        if application is None:
            raise exceptions.NotFound("未找到。")
        return Response(s.TrackSerializer(application).data)
