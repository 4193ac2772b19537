"""REST API of the annual plans of government-invested projects (Art. 12): ``/api/v1/projects/annual-plans/``
and ``/api/v1/projects/annual-plan-items/``. Plans are public planning documents, readable by every
signed-in user; the same-level authority's officials draw them up (403 for anyone else)."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from portal.access import require
from portal.api.ordering import FILTER_BACKENDS
from portal.models import Organization, OrganizationKind
from projects import services
from projects.models import AnnualPlan, AnnualPlanItem, ProjectFiling
from projects.permissions import may_edit_annual_plan
from projects.rules import ProjectKind
from projects.selectors import (
    annual_plan_get_for,
    annual_plan_item_get_for,
    annual_plan_items,
    annual_plans_visible_to,
    filings_visible_to,
)
from projects.services.plans import PLAN_EDIT_REFUSED


def _organizations(kind: str, **filters):
    return serializers.SlugRelatedField(
        slug_field="uuid",
        queryset=Organization.objects.filter(kind=kind, is_active=True, **filters),
        error_messages={"does_not_exist": "未找到该单位。", "invalid": "单位 id 格式不正确。"},
    )


class OrganizationRefSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    name = serializers.CharField(read_only=True)


class AnnualPlanSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    authority = OrganizationRefSerializer(read_only=True)
    development_reform = OrganizationRefSerializer(read_only=True)
    finance = OrganizationRefSerializer(read_only=True)
    item_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = AnnualPlan
        fields = [
            "id",
            "year",
            "level",
            "district",
            "title",
            "authority",
            "development_reform",
            "finance",
            "adopted_on",
            "notes",
            "item_count",
            "created_at",
        ]
        read_only_fields = fields


class AnnualPlanInput(serializers.Serializer):
    """Level and district follow the authority (Art. 12: drawn up at each level)."""

    year = serializers.IntegerField(min_value=2007, max_value=2100)
    title = serializers.CharField(max_length=200)
    authority = _organizations(OrganizationKind.AUTHORITY)
    development_reform = _organizations(OrganizationKind.DEPARTMENT, department_type="development_reform")
    finance = _organizations(OrganizationKind.DEPARTMENT, department_type="finance")
    adopted_on = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True)


class AnnualPlanItemSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    plan = serializers.UUIDField(source="plan.uuid", read_only=True)
    agency = OrganizationRefSerializer(read_only=True)
    filing = serializers.UUIDField(source="filing.uuid", read_only=True, default=None)

    class Meta:
        model = AnnualPlanItem
        fields = ["id", "plan", "title", "agency", "kind", "budget", "filing", "progress_note", "created_at"]
        read_only_fields = fields


class AnnualPlanItemInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    agency = _organizations(OrganizationKind.AGENCY)
    kind = serializers.ChoiceField(choices=ProjectKind.choices)
    budget = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, help_text="计划投资（万元）")


class AnnualPlanItemLinkInput(serializers.Serializer):
    filing = serializers.SlugRelatedField(
        slug_field="uuid",
        queryset=ProjectFiling.objects.all(),
        allow_null=True,
        help_text="对应的项目备案 id；null 解除关联。",
        error_messages={"does_not_exist": "未找到该项目备案。", "invalid": "项目备案 id 格式不正确。"},
    )
    progress_note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class AnnualPlanViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Annual plans (Art. 12) with their items."""

    lookup_field = "uuid"
    lookup_url_kwarg = "id"
    serializer_class = AnnualPlanSerializer
    filter_backends = FILTER_BACKENDS
    ordering_fields = ["id"]
    ordering = ["-year", "level", "district", "id"]

    def get_queryset(self):
        return annual_plans_visible_to(self.request.user)

    def get_object(self):
        return annual_plan_get_for(user=self.request.user, uuid=self.kwargs["id"])

    @extend_schema(request=AnnualPlanInput, responses={201: AnnualPlanSerializer})
    def create(self, request, *args, **kwargs):
        serializer = AnnualPlanInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        authority = data["authority"]
        plan = services.annual_plan_create(
            actor=request.user, level=authority.level, district=authority.district, **data
        )
        plan = annual_plan_get_for(user=request.user, uuid=plan.uuid)
        return Response(AnnualPlanSerializer(plan).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses={200: AnnualPlanItemSerializer(many=True)}, summary="计划项目")
    @extend_schema(
        methods=["POST"], request=AnnualPlanItemInput, responses={201: AnnualPlanItemSerializer}, summary="添加计划项目"
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[])
    def items(self, request, id=None):
        plan = self.get_object()
        if request.method == "POST":
            require(may_edit_annual_plan(request.user, plan), PLAN_EDIT_REFUSED)  # 403 before the body is read
            serializer = AnnualPlanItemInput(data=request.data)
            serializer.is_valid(raise_exception=True)
            item = services.annual_plan_item_add(plan=plan, actor=request.user, **serializer.validated_data)
            return Response(AnnualPlanItemSerializer(item).data, status=status.HTTP_201_CREATED)
        page = self.paginate_queryset(annual_plan_items(plan))
        return self.get_paginated_response(AnnualPlanItemSerializer(page, many=True).data)


class AnnualPlanItemViewSet(mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """One item of an annual plan: read, remove (the plan's timeline keeps it), or tie it to its filing."""

    lookup_field = "uuid"
    lookup_url_kwarg = "id"
    serializer_class = AnnualPlanItemSerializer
    ordering_fields = ["id"]  # no list: items are listed under their plan
    ordering = ["id"]

    def get_object(self):
        return annual_plan_item_get_for(user=self.request.user, uuid=self.kwargs["id"])

    def get_queryset(self):  # for the schema; reads go through get_object
        return AnnualPlanItem.objects.none()

    def perform_destroy(self, instance):
        services.annual_plan_item_remove(item=instance, actor=self.request.user)

    @extend_schema(request=AnnualPlanItemLinkInput, responses={200: AnnualPlanItemSerializer}, summary="关联项目备案")
    @action(detail=True, methods=["post"])
    def link(self, request, id=None):
        """Art. 38 supervision reads progress from the project; the filing must be the item agency's."""
        item = self.get_object()
        require(may_edit_annual_plan(request.user, item.plan), PLAN_EDIT_REFUSED)  # 403 before the body is read
        serializer = AnnualPlanItemLinkInput(data=request.data)
        serializer.fields["filing"].queryset = filings_visible_to(request.user)
        serializer.is_valid(raise_exception=True)
        item = services.annual_plan_item_link(item=item, actor=request.user, **serializer.validated_data)
        return Response(AnnualPlanItemSerializer(item).data)
