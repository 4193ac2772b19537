"""REST API of Chapter 5 (`/api/v1/security/…`): thin viewsets over the selectors and services.

Transitions are `POST …/{id}/{action}/`, each an explicit method with its own input serializer;
404 outside the caller's scope, 400 bad input (field named), 403 not allowed, 409 state forbids.
"""

import csv
import io

import django_filters
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import BaseParser, FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from portal.api.ordering import FILTER_BACKENDS
from portal.api.problems import problem_response
from portal.api.transitions import TransitionMixin
from portal.models import District, Organization
from projects.selectors import filings_visible_to
from security import services
from security.actions import GRADING_ACTIONS, GradingCommentInput, ReturnInput
from security.models import BulletinKind, GradingStatus, SystemStatus
from security.permissions import authorities_acting_for, operators_acting_for
from security.rules import IncidentLevel, SecurityLevel
from security.selectors import (
    bulletin_get_for,
    bulletin_list,
    evaluation_get_for,
    evaluations_visible_to,
    grading_get_for,
    gradings_visible_to,
    incident_get_for,
    incidents_visible_to,
    system_get_for,
    systems_visible_to,
)
from security.serializers import (
    BulkRowSerializer,
    BulletinSerializer,
    EndHandlingInput,
    EvaluationSerializer,
    FollowUpInput,
    GradingSerializer,
    IncidentSerializer,
    SummaryInput,
    SystemBulkInput,
    SystemSerializer,
)

TRANSITION_ERRORS = {
    400: OpenApiResponse(description="输入有误（problem+json，invalid_params 指明字段）"),
    403: OpenApiResponse(description="无权执行"),
    404: OpenApiResponse(description="不在可见范围"),
    409: OpenApiResponse(description="当前状态不允许（problem+json，code）"),
}


def _operator(user, requested=None) -> Organization:
    operators = operators_acting_for(user)
    if not operators:
        raise PermissionDenied("只有国家机关或公共服务企业的经办人可以办理。")
    if requested:
        for org in operators:
            if str(org.uuid) == str(requested):
                return org
        raise PermissionDenied("您不能以该单位的名义办理。")
    return operators[0]


class SystemFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(choices=SecurityLevel.choices)
    district = django_filters.ChoiceFilter(choices=District.choices)
    status = django_filters.ChoiceFilter(choices=SystemStatus.choices)
    evaluation_due_before = django_filters.DateFilter(field_name="next_evaluation_due", lookup_expr="lte")


class CSVParser(BaseParser):
    """`text/csv` bodies: a header row of BulkRowSerializer's field names, one system per line."""

    media_type = "text/csv"

    def parse(self, stream, media_type=None, parser_context=None):
        text = stream.read().decode("utf-8-sig")
        return {
            "rows": [{k: v for k, v in row.items() if v not in (None, "")} for row in csv.DictReader(io.StringIO(text))]
        }


class SystemViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Information systems (Art. 32) of the caller's organization, or of an official's area."""

    serializer_class = SystemSerializer
    lookup_field = "uuid"
    lookup_url_kwarg = "id"
    filterset_class = SystemFilter
    filter_backends = FILTER_BACKENDS
    ordering_fields = ["created_at", "next_evaluation_due"]  # secsys_created_idx, secsys_eval_due_idx
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return systems_visible_to(self.request.user)

    def get_object(self):
        return system_get_for(user=self.request.user, uuid=self.kwargs["id"])

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        filing_uuid = (data.pop("project_filing", None) or {}).get("uuid")
        filing = None
        if filing_uuid:
            filing = filings_visible_to(request.user).filter(uuid=filing_uuid).first()
            if filing is None:
                raise DjangoValidationError({"project_filing": "未找到该项目备案。"}, code="not-found")
        system = services.system_create(
            actor=request.user,
            operator=_operator(request.user, request.data.get("operator")),
            project_filing=filing,
            **data,
        )
        return Response(self.get_serializer(system).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request={"application/json": SystemBulkInput, "text/csv": SystemBulkInput},
        responses={201: GradingSerializer(many=True), 400: OpenApiResponse(description="逐行错误，未保存任何数据")},
        summary="批量登记信息系统及其定级（全部成功或全部不保存）",
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="bulk",
        parser_classes=[JSONParser, CSVParser, MultiPartParser, FormParser],
    )
    def bulk(self, request):
        data = request.data
        rows = data.get("rows") if isinstance(data, dict) else data
        if "file" in getattr(request, "FILES", {}):
            rows = CSVParser().parse(request.FILES["file"])["rows"]
        if not isinstance(rows, list) or not rows:
            return problem_response(
                status_code=400,
                detail="请提交 rows 数组（JSON）或 CSV 表格。",
                invalid_params=[{"name": "rows", "reason": "没有数据行。", "code": "empty"}],
            )
        errors, clean = [], []
        for number, row in enumerate(rows, start=1):
            row_serializer = BulkRowSerializer(data=row)
            if row_serializer.is_valid():
                clean.append(dict(row_serializer.validated_data))
            else:
                errors.append({"row": number, "errors": row_serializer.errors})
        if not errors:
            try:
                created = services.systems_bulk_import(
                    actor=request.user,
                    operator=_operator(request.user, request.query_params.get("operator")),
                    rows=clean,
                )
            except services.BulkRejected as rejected:
                errors = rejected.errors
        if errors:
            return _bulk_problem(errors, len(rows))
        return Response(
            {"created": len(created), "results": GradingSerializer(created, many=True).data},
            status=status.HTTP_201_CREATED,
        )


def _bulk_problem(errors: list[dict], total: int) -> Response:
    invalid = [
        {
            "name": f"rows.{e['row'] - 1}.{field}",
            "reason": str(message),
            "code": getattr(message, "code", None) or "invalid",
        }
        for e in errors
        for field, messages in e["errors"].items()
        for message in messages
    ]
    response = problem_response(
        status_code=400,
        detail=f"共 {total} 行，其中 {len(errors)} 行有误，未保存任何数据。",
        invalid_params=invalid,
        code="bulk-rejected",
    )
    response.data["rows"] = [{"row": e["row"], "errors": e["errors"]} for e in errors]
    return response


class GradingFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=GradingStatus.choices)
    level = django_filters.ChoiceFilter(choices=SecurityLevel.choices)
    district = django_filters.ChoiceFilter(choices=District.choices)


class GradingViewSet(TransitionMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """定级备案 (Art. 32). POST computes the level on the GB/T 22240-2020 matrix (higher of the two)."""

    serializer_class = GradingSerializer
    lookup_field = "uuid"
    lookup_url_kwarg = "id"
    filterset_class = GradingFilter
    filter_backends = FILTER_BACKENDS
    ordering_fields = ["created_at"]  # secgrad_created_idx
    ordering = ["-created_at", "-id"]
    action_table = GRADING_ACTIONS

    def get_queryset(self):
        return gradings_visible_to(self.request.user)

    def get_object(self):
        return grading_get_for(user=self.request.user, uuid=self.kwargs["id"])

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        system = system_get_for(user=request.user, uuid=data.pop("system")["uuid"])
        grading = services.grading_create(actor=request.user, system=system, **data)
        return Response(self.get_serializer(grading).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: GradingSerializer, **TRANSITION_ERRORS})
    @action(detail=True, methods=["post"], url_path="submit")
    def submit(self, request, id=None):
        return self.transition(request, "submit")

    @extend_schema(request=GradingCommentInput, responses={200: GradingSerializer, **TRANSITION_ERRORS})
    @action(detail=True, methods=["post"], url_path="supervisor_approve")
    def supervisor_approve(self, request, id=None):
        return self.transition(request, "supervisor_approve")

    @extend_schema(request=GradingCommentInput, responses={200: GradingSerializer, **TRANSITION_ERRORS})
    @action(detail=True, methods=["post"], url_path="approve")
    def approve(self, request, id=None):
        return self.transition(request, "approve")

    @extend_schema(request=ReturnInput, responses={200: GradingSerializer, **TRANSITION_ERRORS})
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, id=None):
        return self.transition(request, "return")


class EvaluationViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """等级测评 (Art. 33); the conclusion follows the scale of the report version."""

    serializer_class = EvaluationSerializer
    lookup_field = "uuid"
    lookup_url_kwarg = "id"
    filter_backends = FILTER_BACKENDS
    ordering_fields = ["evaluated_on"]  # seceval_date_idx
    ordering = ["-evaluated_on", "-id"]

    def get_queryset(self):
        return evaluations_visible_to(self.request.user)

    def get_object(self):
        return evaluation_get_for(user=self.request.user, uuid=self.kwargs["id"])

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        system = system_get_for(user=request.user, uuid=data.pop("system")["uuid"])
        evaluator = Organization.objects.filter(uuid=data.pop("evaluator")["uuid"]).first()
        if evaluator is None:
            raise DjangoValidationError({"evaluator": "未找到该测评机构。"}, code="not-found")
        issues = [(i["description"], i["severity"]) for i in data.pop("issues", [])]
        evaluation = services.evaluation_record(
            actor=request.user, system=system, evaluator=evaluator, issues=issues, **data
        )
        return Response(self.get_serializer(evaluation).data, status=status.HTTP_201_CREATED)


class IncidentFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(choices=IncidentLevel.choices)
    district = django_filters.ChoiceFilter(choices=District.choices)
    late = django_filters.BooleanFilter(method="filter_late")

    def filter_late(self, queryset, name, value):
        return queryset.filter(report_delay_minutes__gt=0) if value else queryset.filter(report_delay_minutes=0)


class IncidentViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Security incidents (Art. 34): first report timed on receipt, late ones carry their delay."""

    serializer_class = IncidentSerializer
    lookup_field = "uuid"
    lookup_url_kwarg = "id"
    filterset_class = IncidentFilter
    filter_backends = FILTER_BACKENDS
    ordering_fields = ["reported_at"]  # secinc_reported_idx
    ordering = ["-reported_at", "-id"]

    def get_queryset(self):
        return incidents_visible_to(self.request.user)

    def get_object(self):
        return incident_get_for(user=self.request.user, uuid=self.kwargs["id"])

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        organization = _operator(request.user, request.data.get("organization"))
        wanted = data.pop("systems", [])
        systems = list(systems_visible_to(request.user).filter(uuid__in=wanted))
        if len(systems) != len(set(wanted)):
            raise DjangoValidationError({"systems": "有系统不存在或不可见。"}, code="not-found")
        incident = services.incident_report(actor=request.user, organization=organization, systems=systems, **data)
        return Response(self.get_serializer(incident).data, status=status.HTTP_201_CREATED)

    def _done(self, incident):
        return Response(self.get_serializer(incident_get_for(user=self.request.user, uuid=incident.uuid)).data)

    @extend_schema(request=FollowUpInput, responses={200: IncidentSerializer, **TRANSITION_ERRORS})
    @action(detail=True, methods=["post"], url_path="follow_up")
    def follow_up(self, request, id=None):
        incident = self.get_object()
        data = FollowUpInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.incident_follow_up(incident=incident, actor=request.user, **data.validated_data)
        return self._done(incident)

    @extend_schema(request=EndHandlingInput, responses={200: IncidentSerializer, **TRANSITION_ERRORS})
    @action(detail=True, methods=["post"], url_path="end_handling")
    def end_handling(self, request, id=None):
        incident = self.get_object()
        data = EndHandlingInput(data=request.data)
        data.is_valid(raise_exception=True)
        return self._done(services.incident_end_handling(incident=incident, actor=request.user, **data.validated_data))

    @extend_schema(request=SummaryInput, responses={200: IncidentSerializer, **TRANSITION_ERRORS})
    @action(detail=True, methods=["post"], url_path="close")
    def close(self, request, id=None):
        incident = self.get_object()
        data = SummaryInput(data=request.data)
        data.is_valid(raise_exception=True)
        return self._done(services.incident_close(incident=incident, actor=request.user, **data.validated_data))


class BulletinFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=BulletinKind.choices)


class BulletinViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Security bulletins (Art. 35): officials issue, recipients acknowledge, officials remind."""

    serializer_class = BulletinSerializer
    lookup_field = "uuid"
    lookup_url_kwarg = "id"
    filterset_class = BulletinFilter
    filter_backends = FILTER_BACKENDS
    ordering_fields = ["issued_at"]  # secbull_issued_idx
    ordering = ["-issued_at", "-id"]

    def get_queryset(self):
        return bulletin_list(self.request.user)

    def get_object(self):
        # With the counts the list shows: the serializer's recipient_count and pending_count are always there.
        return bulletin_get_for(user=self.request.user, uuid=self.kwargs["id"], counted=True)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        authorities = authorities_acting_for(request.user)
        if not authorities:
            raise PermissionDenied("只有信息化主管部门的工作人员可以发布信息安全通报。")
        wanted = data.pop("recipients", [])
        recipients = list(Organization.objects.filter(uuid__in=wanted))
        if len(recipients) != len(set(wanted)):
            raise DjangoValidationError({"recipients": "有接收单位不存在。"}, code="not-found")
        bulletin = services.bulletin_issue(actor=request.user, issuer=authorities[0], recipients=recipients, **data)
        bulletin = bulletin_get_for(user=request.user, uuid=bulletin.uuid, counted=True)
        return Response(self.get_serializer(bulletin).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: BulletinSerializer, **TRANSITION_ERRORS})
    @action(detail=True, methods=["post"], url_path="acknowledge")
    def acknowledge(self, request, id=None):
        bulletin = self.get_object()
        services.bulletin_acknowledge(bulletin=bulletin, actor=request.user)
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(request=None, responses={200: BulletinSerializer, **TRANSITION_ERRORS})
    @action(detail=True, methods=["post"], url_path="remind")
    def remind(self, request, id=None):
        bulletin = self.get_object()
        services.bulletin_remind(bulletin=bulletin, actor=request.user)
        return Response(self.get_serializer(self.get_object()).data)
