"""REST API of plans and standards (/api/v1/portal/): public reads, staff writes through the same services.

Plan transitions are `POST /api/v1/portal/plans/{id}/{action}/` dispatched through PLAN_ACTIONS; the standard's
withdrawal through STANDARD_ACTIONS. 404 before anything else for what the caller may not see, 400 for bad
input, 403 for a role that may not act, 409 (problem+json with `code`) when the state refuses.
"""

import django_filters
from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from planning import services
from planning.actions import PLAN_ACTIONS
from planning.models import Plan, PlanStatus
from planning.rules import PlanKind, StandardCategory, StandardStatus
from planning.selectors import plan_get_for, plans_visible_to, standard_get, standards_search
from planning.serializers import (
    ApprovalInput,
    OpinionInput,
    PlanCreateSerializer,
    PlanSerializer,
    PublishInput,
    StandardSerializer,
    StandardWithdrawInput,
    SubmitForReviewInput,
)
from portal.api.ordering import FILTER_BACKENDS
from portal.api.transitions import TransitionMixin
from portal.models import District, Organization
from portal.workflow import Action, ActionTable

TRANSITION_ERRORS = {400: None, 403: None, 404: None, 409: None}


class PlanFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=PlanKind.choices)
    status = django_filters.ChoiceFilter(choices=PlanStatus.choices)
    district = django_filters.ChoiceFilter(choices=District.choices)


class PlanViewSet(TransitionMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Informatization plans (Art. 6). Anyone reads published plans; drafting units and the authority see drafts."""

    permission_classes = [IsAuthenticatedOrReadOnly]
    serializer_class = PlanSerializer
    lookup_field = "uuid"
    lookup_url_kwarg = "id"
    filterset_class = PlanFilter
    filter_backends = FILTER_BACKENDS
    ordering_fields = ["period_start", "published_on"]  # devplan_period_idx, devplan_status_published_idx
    ordering = ["-period_start", "kind", "id"]
    action_table = PLAN_ACTIONS

    def get_queryset(self):
        return plans_visible_to(self.request.user)

    def get_object(self):
        return plan_get_for(user=self.request.user, uuid=self.kwargs["id"])

    @extend_schema(request=PlanCreateSerializer, responses={201: PlanSerializer, 400: None, 403: None})
    def create(self, request, *args, **kwargs):
        serializer = PlanCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        organization = Organization.objects.filter(uuid=data.pop("organization"), is_active=True).first()
        if organization is None:
            raise ValidationError({"organization": ValidationError("编制单位不存在。", code="does-not-exist")})
        conforms_to = data.pop("conforms_to")
        if conforms_to is not None:
            conforms_to = Plan.objects.filter(uuid=conforms_to).first()
            if conforms_to is None:
                raise ValidationError({"conforms_to": ValidationError("所依据的规划不存在。", code="does-not-exist")})
        plan = services.plan_create(actor=request.user, organization=organization, conforms_to=conforms_to, **data)
        return Response(PlanSerializer(plan).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SubmitForReviewInput, responses={200: PlanSerializer, **TRANSITION_ERRORS})
    @action(detail=True, methods=["post"], url_path="submit_for_review")
    def submit_for_review(self, request, id=None):
        return self.transition(request, "submit_for_review")

    @extend_schema(request=OpinionInput, responses={200: PlanSerializer, **TRANSITION_ERRORS})
    @action(detail=True, methods=["post"], url_path="confirm_conformity")
    def confirm_conformity(self, request, id=None):
        return self.transition(request, "confirm_conformity")

    @extend_schema(request=OpinionInput, responses={200: PlanSerializer, **TRANSITION_ERRORS})
    @action(detail=True, methods=["post"], url_path="return_for_revision")
    def return_for_revision(self, request, id=None):
        return self.transition(request, "return_for_revision")

    @extend_schema(request=ApprovalInput, responses={200: PlanSerializer, **TRANSITION_ERRORS})
    @action(detail=True, methods=["post"], url_path="record_approval")
    def record_approval(self, request, id=None):
        return self.transition(request, "record_approval")

    @extend_schema(request=PublishInput, responses={200: PlanSerializer, **TRANSITION_ERRORS})
    @action(detail=True, methods=["post"], url_path="publish")
    def publish(self, request, id=None):
        return self.transition(request, "publish")


def _withdraw(*, standard, actor, withdrawn_on, replaced_by=""):
    """The API names the replacing standard by its code; the service takes the register entry."""
    from planning.models import Standard
    from planning.rules import normalize_standard_code

    replacement = None
    if replaced_by:
        replacement = Standard.objects.filter(code=normalize_standard_code(replaced_by)).first()
        if replacement is None:
            raise ValidationError(
                {"replaced_by": ValidationError(f"标准目录中没有 {replaced_by}。", code="does-not-exist")}
            )
    return services.standard_withdraw(
        standard=standard, actor=actor, withdrawn_on=withdrawn_on, replaced_by=replacement
    )


STANDARD_ACTIONS = ActionTable(
    Action(name="withdraw", label="废止标准", service=_withdraw, input=StandardWithdrawInput),
    object_arg="standard",
)


class StandardFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="编号或名称")
    category = django_filters.ChoiceFilter(choices=StandardCategory.choices)
    status = django_filters.ChoiceFilter(choices=StandardStatus.choices)

    def search(self, queryset, name, value):
        return queryset.filter(pk__in=standards_search(q=value).values("pk"))


class StandardViewSet(
    TransitionMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The standards register (Art. 7): public list and search; the authority registers and withdraws."""

    permission_classes = [IsAuthenticatedOrReadOnly]
    serializer_class = StandardSerializer
    lookup_field = "uuid"
    lookup_url_kwarg = "id"
    filterset_class = StandardFilter
    filter_backends = FILTER_BACKENDS
    ordering_fields = ["code", "effective_on"]  # unique code, standard_effective_idx
    ordering = ["code"]
    action_table = STANDARD_ACTIONS
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return standards_search()

    def get_object(self):
        return standard_get(uuid=self.kwargs["id"])

    def perform_create(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k != "url" or v}
        serializer.instance = services.standard_create(actor=self.request.user, **data)

    def perform_update(self, serializer):
        serializer.instance = services.standard_update(
            standard=serializer.instance, actor=self.request.user, **serializer.validated_data
        )

    @extend_schema(request=StandardWithdrawInput, responses={200: StandardSerializer, **TRANSITION_ERRORS})
    @action(detail=True, methods=["post"], url_path="withdraw")
    def withdraw(self, request, id=None):
        return self.transition(request, "withdraw")
