"""REST API of the catalog: ``/api/v1/resources/catalog/``. Thin: selectors read, services write.

Transitions are ``POST …/catalog/{id}/{action}/`` through ``TransitionMixin`` (404 not visible, 400 bad
input, 403 not yours, 409 not now). Registration without a justification of a duplicate collection is a
400 problem whose body lists the matches as ``duplicates``.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from portal.api.pagination import PortalPagination
from portal.api.parsers import FastJSONParser
from portal.api.problems import problem_response
from portal.api.transitions import TransitionMixin
from resources import services
from resources.actions import CATALOG_ACTIONS
from resources.api.catalog_serializers import (
    BulkError,
    BulkInput,
    CommentInput,
    DuplicateCheckInput,
    DuplicateSerializer,
    JustificationReviewInput,
    ReasonInput,
    RecordUpdateInput,
    ResourceInput,
    ResourceListSerializer,
    ResourceSerializer,
)
from resources.forms.catalog import CatalogFilterForm
from resources.selectors import (
    CATALOG_ROW_FIELDS,
    catalog_facets,
    catalog_filter,
    catalog_search,
    own_organization_ids,
    resource_get_for,
    resources_visible_to,
)
from resources.services.bulk import BulkInvalid, bulk_rows_from_csv, resources_bulk_import, without_cycle_collection
from resources.services.catalog_input import ITEM_FIELDS, RESOURCE_FIELDS, Lookups, resource_input_clean

TRANSITION_ERRORS = {
    400: OpenApiTypes.OBJECT,
    403: OpenApiTypes.OBJECT,
    404: OpenApiTypes.OBJECT,
    409: OpenApiTypes.OBJECT,
}
SEARCH_PARAMETERS = [
    OpenApiParameter("q", str, description="中文关键词（分词检索名称、摘要、信息项）。"),
    OpenApiParameter("sort", str, enum=["relevance", "date"]),
    OpenApiParameter("provider", str, description="提供方 UUID"),
    OpenApiParameter("classification", str, description="分类代码（含下级）"),
    OpenApiParameter("share_type", str),
    OpenApiParameter("open_attribute", str),
    OpenApiParameter("update_cycle", str),
    OpenApiParameter("base_database", str, description="基础数据库代码，或 any"),
    OpenApiParameter("status", str),
]


def duplicates_problem(matches) -> Response:
    response = problem_response(
        status_code=400,
        detail="与已发布的信息资源存在重复采集，请填写重复采集的理由（duplicate_justification）。",
        invalid_params=[
            {
                "name": "duplicate_justification",
                "reason": "与已发布的信息资源存在重复采集，请说明正当理由（第十七条）。",
                "code": "duplicate-collection",
            }
        ],
        code="duplicate-collection",
    )
    response.data["duplicates"] = [m.as_dict() for m in matches]
    return response


def agency_for(request, provider_uuid=None):
    """The agency the caller registers for: the one named, or their only one (403 when none)."""
    from portal.models import Organization, OrganizationKind

    ids = own_organization_ids(request.user)
    agencies = list(Organization.objects.filter(pk__in=ids, kind=OrganizationKind.AGENCY).order_by("id"))
    if provider_uuid:
        agencies = [a for a in agencies if str(a.uuid) == str(provider_uuid)]
    if not agencies:
        raise PermissionDenied("只有国家机关的经办人或负责人可以登记信息资源。")
    return agencies[0]


class CatalogViewSet(TransitionMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The government information resource catalog (Art. 17), scoped in SQL; ``?q=`` searches in Chinese."""

    lookup_field = "uuid"
    lookup_url_kwarg = "id"
    pagination_class = PortalPagination  # counts capped, ordering dropped from the count (portal.paginators)
    filter_backends = []
    action_table = CATALOG_ACTIONS
    detail_serializer_class = ResourceSerializer

    def get_queryset(self):
        form = CatalogFilterForm(self.request.query_params)
        filters = form.filters()
        qs = catalog_filter(resources_visible_to(self.request.user), filters)
        columns = CATALOG_ROW_FIELDS if self.action == "list" else ()
        return catalog_search(qs, q=filters.get("q", ""), sort=filters.get("sort") or "relevance", columns=columns)

    def get_serializer_class(self):
        return ResourceListSerializer if self.action == "list" else ResourceSerializer

    def get_object(self):
        return resource_get_for(user=self.request.user, uuid=self.kwargs["id"])

    @extend_schema(parameters=SEARCH_PARAMETERS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        parameters=SEARCH_PARAMETERS,
        responses={
            200: inline_serializer(
                "CatalogFacets", {"capped": serializers.BooleanField(), "facets": serializers.DictField()}
            )
        },
    )
    @action(detail=False, methods=["get"])
    def facets(self, request):
        """Counts per provider, classification, share type, open attribute, update cycle and base database."""
        result = catalog_facets(self.get_queryset())
        return Response(
            {
                "capped": result.capped,
                "facets": {
                    name: [{"key": v.key, "label": v.label, "count": v.count} for v in values]
                    for name, values in result.groups.items()
                },
            }
        )

    @extend_schema(request=ResourceInput, responses={201: ResourceSerializer, 400: OpenApiTypes.OBJECT})
    def create(self, request, *args, **kwargs):
        provider = agency_for(request, request.data.get("provider") if hasattr(request.data, "get") else None)
        data = request.data if isinstance(request.data, dict) else {}
        fields, items, errors = resource_input_clean(data, Lookups.load())
        if errors:
            raise ValidationError(errors)
        try:
            resource = services.resource_create(
                actor=request.user,
                provider=provider,
                fields=fields,
                items=items,
                duplicate_justification=str(data.get("duplicate_justification") or ""),
            )
        except services.DuplicateCollection as duplicate:
            return duplicates_problem(duplicate.matches)
        return Response(self._detail(resource), status=status.HTTP_201_CREATED)

    @extend_schema(request=ResourceInput, responses={200: ResourceSerializer, 400: OpenApiTypes.OBJECT})
    def partial_update(self, request, *args, **kwargs):
        resource = self.get_object()
        data = request.data if isinstance(request.data, dict) else {}
        current = {name: getattr(resource, name) for name in RESOURCE_FIELDS}
        current.update(
            classification=resource.classification.code,
            base_database=resource.base_database.code if resource.base_database_id else "",
            last_updated_on=resource.last_updated_on.isoformat() if resource.last_updated_on else "",
            items=list(resource.items.order_by("position").values(*ITEM_FIELDS)),
        )
        fields, items, errors = resource_input_clean({**current, **data}, Lookups.load())
        if errors:
            raise ValidationError(errors)
        try:
            resource = services.resource_update(
                resource=resource,
                actor=request.user,
                fields=fields,
                items=items if "items" in data else None,
                duplicate_justification=data.get("duplicate_justification"),
            )
        except services.DuplicateCollection as duplicate:
            return duplicates_problem(duplicate.matches)
        return Response(self._detail(resource))

    def _detail(self, resource):
        return ResourceSerializer(resource, context=self.get_serializer_context()).data

    @extend_schema(request=DuplicateCheckInput, responses={200: DuplicateSerializer(many=True)})
    @action(detail=False, methods=["post"], url_path="duplicate-check", pagination_class=None)
    def duplicate_check(self, request):
        """The closest published resources of other agencies for these items (Arts. 17, 46(1))."""
        provider = agency_for(request)
        serializer = DuplicateCheckInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        matches = services.duplicate_matches(
            items=[(i["name"], i["data_type"]) for i in serializer.validated_data["items"]], provider_id=provider.pk
        )
        return Response([m.as_dict() for m in matches])

    @extend_schema(
        request={"application/json": BulkInput, "multipart/form-data": OpenApiTypes.OBJECT},
        responses={
            201: inline_serializer(
                "BulkResult",
                {"created": serializers.IntegerField(), "ids": serializers.ListField(child=serializers.UUIDField())},
            ),
            400: inline_serializer("BulkErrors", {"errors": BulkError(many=True)}),
        },
    )
    @action(detail=False, methods=["post"], parser_classes=[FastJSONParser, MultiPartParser, FormParser])
    @without_cycle_collection  # parsing the batch allocates as much as importing it
    def bulk(self, request):
        """Register up to 10,000 resources as drafts, all or nothing: any bad row saves none, every error is listed."""
        provider = agency_for(request, request.query_params.get("provider"))
        try:
            if request.FILES.get("resources") is not None:
                rows = bulk_rows_from_csv(request.FILES["resources"], request.FILES.get("items"))
            else:
                data = request.data
                rows = data.get("resources") if isinstance(data, dict) else data
            created = resources_bulk_import(actor=request.user, provider=provider, rows=rows)
        except BulkInvalid as invalid:
            response = problem_response(status_code=400, detail=str(invalid), code="bulk-invalid")
            response.data["errors"] = invalid.errors
            return response
        return Response(
            {"created": len(created), "ids": [str(r.uuid) for r in created]}, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=None, responses={200: ResourceSerializer, **TRANSITION_ERRORS})
    @action(detail=True, methods=["post"])
    def submit(self, request, id=None):
        return self.transition(request, "submit")

    @extend_schema(request=CommentInput, responses={200: ResourceSerializer, **TRANSITION_ERRORS})
    @action(detail=True, methods=["post"])
    def publish(self, request, id=None):
        return self.transition(request, "publish")

    @extend_schema(request=ReasonInput, responses={200: ResourceSerializer, **TRANSITION_ERRORS})
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, id=None):
        return self.transition(request, "return")

    @extend_schema(request=None, responses={200: ResourceSerializer, **TRANSITION_ERRORS})
    @action(detail=True, methods=["post"])
    def revise(self, request, id=None):
        """A new draft version; the published one stays visible until the new one is published."""
        return self.transition(request, "revise")

    @extend_schema(request=RecordUpdateInput, responses={200: ResourceSerializer, **TRANSITION_ERRORS})
    @action(detail=True, methods=["post"], url_path="record_update")
    def record_update(self, request, id=None):
        return self.transition(request, "record_update")

    @extend_schema(request=JustificationReviewInput, responses={200: ResourceSerializer, **TRANSITION_ERRORS})
    @action(detail=True, methods=["post"], url_path="review_justification")
    def review_justification(self, request, id=None):
        """The authority rules on a duplicate collection's justification (Arts. 17, 46(1))."""
        return self.transition(request, "review_justification")

    @extend_schema(request=ReasonInput, responses={200: ResourceSerializer, **TRANSITION_ERRORS})
    @action(detail=True, methods=["post"])
    def retire(self, request, id=None):
        return self.transition(request, "retire")


class OpenCatalogViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The open part of the catalog, for everyone (Art. 22), without logging in."""

    permission_classes = [AllowAny]
    serializer_class = ResourceListSerializer
    pagination_class = PortalPagination  # counts capped, ordering dropped from the count (portal.paginators)
    filter_backends = []

    def get_queryset(self):
        from django.contrib.auth.models import AnonymousUser

        filters = CatalogFilterForm(self.request.query_params).filters()
        qs = catalog_filter(resources_visible_to(AnonymousUser()), {**filters, "status": ""})
        return catalog_search(
            qs, q=filters.get("q", ""), sort=filters.get("sort") or "relevance", columns=CATALOG_ROW_FIELDS
        )

    @extend_schema(parameters=SEARCH_PARAMETERS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)
