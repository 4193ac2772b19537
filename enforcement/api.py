"""REST API of Chapters 6-7 (names fixed by issue 14): findings with ``dismiss`` / ``open_case``, cases with
their transitions as ``POST …/{id}/{action}/`` (404 / 400 / 403 / 409), public published decisions."""

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny

from enforcement import serializers as s
from enforcement.actions import CASE_ACTIONS, FINDING_ACTIONS
from enforcement.models import CaseStatus, FindingStatus
from enforcement.selectors import (
    case_get_for,
    cases_visible_to,
    finding_get_for,
    findings_visible_to,
    published_decision_get,
    published_decisions,
)
from portal.api.ordering import FILTER_BACKENDS
from portal.api.transitions import TransitionMixin
from portal.models import District


class FindingFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=FindingStatus.choices)
    rule = django_filters.CharFilter()
    district = django_filters.ChoiceFilter(choices=District.choices)


class FindingViewSet(TransitionMixin, viewsets.ReadOnlyModelViewSet):
    """Violation findings recorded by the nightly run from every chapter's detectors (officials only)."""

    serializer_class = s.EnforcementFindingSerializer
    filterset_class = FindingFilter
    filter_backends = FILTER_BACKENDS
    ordering_fields = ["detected_at"]
    ordering = ["-detected_at", "-id"]
    lookup_url_kwarg = "id"
    action_table = FINDING_ACTIONS

    def get_queryset(self):
        return findings_visible_to(self.request.user)

    def get_object(self):
        return finding_get_for(user=self.request.user, uuid=self.kwargs["id"])

    @extend_schema(request=s.DismissInput, responses={200: s.EnforcementFindingSerializer})
    @action(detail=True, methods=["post"], url_path="dismiss")
    def dismiss(self, request, id=None):
        return self.transition(request, "dismiss")

    @extend_schema(request=s.OpenCaseInput, responses={200: s.EnforcementFindingSerializer})
    @action(detail=True, methods=["post"], url_path="open_case")
    def open_case(self, request, id=None):
        return self.transition(request, "open_case")


class CaseFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=CaseStatus.choices)
    sanctioning_article = django_filters.NumberFilter()
    district = django_filters.ChoiceFilter(choices=District.choices)


class CaseViewSet(TransitionMixin, viewsets.ReadOnlyModelViewSet):
    """Administrative penalty cases (行政处罚法) under Arts. 43-46."""

    filterset_class = CaseFilter
    filter_backends = FILTER_BACKENDS
    ordering_fields = ["registered_on"]
    ordering = ["-registered_on", "-id"]
    lookup_url_kwarg = "id"
    action_table = CASE_ACTIONS
    detail_serializer_class = s.CaseSerializer

    def get_queryset(self):
        qs = cases_visible_to(self.request.user)
        if self.action != "list":
            qs = qs.prefetch_related("sanctions")
        return qs

    def get_serializer_class(self):
        return s.CaseListSerializer if self.action == "list" else s.CaseSerializer

    def get_object(self):
        return case_get_for(user=self.request.user, uuid=self.kwargs["id"])

    @extend_schema(request=s.NoInput, responses={200: s.CaseSerializer})
    @action(detail=True, methods=["post"], url_path="investigate")
    def investigate(self, request, id=None):
        return self.transition(request, "investigate")

    @extend_schema(request=s.NotifyInput, responses={200: s.CaseSerializer})
    @action(detail=True, methods=["post"], url_path="notify")
    def notify(self, request, id=None):
        return self.transition(request, "notify")

    @extend_schema(request=s.NoInput, responses={200: s.CaseSerializer})
    @action(detail=True, methods=["post"], url_path="request_hearing")
    def request_hearing(self, request, id=None):
        return self.transition(request, "request_hearing")

    @extend_schema(request=s.ScheduleHearingInput, responses={200: s.CaseSerializer})
    @action(detail=True, methods=["post"], url_path="schedule_hearing")
    def schedule_hearing(self, request, id=None):
        return self.transition(request, "schedule_hearing")

    @extend_schema(request=s.HoldHearingInput, responses={200: s.CaseSerializer})
    @action(detail=True, methods=["post"], url_path="hold_hearing")
    def hold_hearing(self, request, id=None):
        return self.transition(request, "hold_hearing")

    @extend_schema(request=s.CaseDecideInput, responses={200: s.CaseSerializer})
    @action(detail=True, methods=["post"], url_path="decide")
    def decide(self, request, id=None):
        return self.transition(request, "decide")

    @extend_schema(request=s.ServeInput, responses={200: s.CaseSerializer})
    @action(detail=True, methods=["post"], url_path="serve")
    def serve(self, request, id=None):
        return self.transition(request, "serve")

    @extend_schema(request=s.NoInput, responses={200: s.CaseSerializer})
    @action(detail=True, methods=["post"], url_path="execute")
    def execute(self, request, id=None):
        return self.transition(request, "execute")

    @extend_schema(request=s.PaymentInput, responses={200: s.CaseSerializer})
    @action(detail=True, methods=["post"], url_path="record_payment")
    def record_payment(self, request, id=None):
        return self.transition(request, "record_payment")

    @extend_schema(request=s.ReinspectionInput, responses={200: s.CaseSerializer})
    @action(detail=True, methods=["post"], url_path="record_reinspection")
    def record_reinspection(self, request, id=None):
        return self.transition(request, "record_reinspection")

    @extend_schema(request=s.NoInput, responses={200: s.CaseSerializer})
    @action(detail=True, methods=["post"], url_path="publish")
    def publish(self, request, id=None):
        return self.transition(request, "publish")

    @extend_schema(request=s.NoInput, responses={200: s.CaseSerializer})
    @action(detail=True, methods=["post"], url_path="close")
    def close(self, request, id=None):
        return self.transition(request, "close")

    @extend_schema(request=s.CaseReasonInput, responses={200: s.CaseSerializer})
    @action(detail=True, methods=["post"], url_path="not_penalize")
    def not_penalize(self, request, id=None):
        return self.transition(request, "not_penalize")

    @extend_schema(request=s.ReferInput, responses={200: s.CaseSerializer})
    @action(detail=True, methods=["post"], url_path="refer")
    def refer(self, request, id=None):
        return self.transition(request, "refer")

    @extend_schema(request=s.CaseReasonInput, responses={200: s.CaseSerializer})
    @action(detail=True, methods=["post"], url_path="revoke")
    def revoke(self, request, id=None):
        return self.transition(request, "revoke")

    @extend_schema(request=s.CaseExtendInput, responses={200: s.CaseSerializer})
    @action(detail=True, methods=["post"], url_path="extend_decision")
    def extend_decision(self, request, id=None):
        return self.transition(request, "extend_decision")


class DecisionViewSet(viewsets.ReadOnlyModelViewSet):
    """Public: published penalty decisions (withdrawn ones disappear)."""

    serializer_class = s.PublishedDecisionSerializer
    permission_classes = [AllowAny]
    authentication_classes = []
    filter_backends = FILTER_BACKENDS
    ordering_fields = ["published_at"]
    ordering = ["-published_at", "-id"]
    lookup_url_kwarg = "id"

    def get_queryset(self):
        return published_decisions()

    def get_object(self):
        return published_decision_get(uuid=self.kwargs["id"])
