"""REST API of project filings (Arts. 10-16): ``/api/v1/projects/filings/``. Thin: selectors read, services write.

Everything the filing pages offer has an endpoint here, so an agency system or an official's tool can
finish a review without a browser:

- ``POST …/filings/{id}/{action}/`` runs a transition declared in ``projects.actions.FILING_ACTIONS`` (the
  same table the pages dispatch through), each with its own request body (``projects.api.filing_inputs``);
- ``…/{id}/checklist/`` (the six Art. 13 dimensions), ``…/{id}/comments/``, ``…/{id}/attachments/``,
  ``…/{id}/timeline/``, ``…/{id}/contractors/`` (Art. 11), ``…/{id}/acceptance-records/`` (Art. 14) and
  ``…/{id}/opinion/`` (the opinion letter, PDF).

404 when the filing is not visible to the caller (another agency, another district), 403 when visible but
the caller's role does not allow the action, 409 (problem+json with ``code``) when its state does not,
400 with ``invalid_params`` (each with its ``code``) for input the law rejects.
"""

import django_filters
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from portal.access import require
from portal.api.ordering import FILTER_BACKENDS
from portal.api.subjects import PDF_RENDERERS, AttachmentSerializer, AttachmentUploadInput, TimelineEventSerializer
from portal.api.transitions import TransitionMixin
from portal.letters import content_disposition
from portal.models import District
from portal.selectors import attachments_for, timeline_for
from projects import services
from projects.actions import FILING_ACTIONS
from projects.api import filing_inputs as inputs
from projects.api.filing_serializers import (
    FilingAcceptanceRecordSerializer,
    FilingChecklistInput,
    FilingChecklistItemSerializer,
    FilingCommentInput,
    FilingContractorAssignInput,
    FilingContractorSerializer,
    FilingDetailSerializer,
    FilingListSerializer,
    FilingSerializer,
)
from projects.models import FilingStatus
from projects.pdf import CJKFontMissing, opinion_filename, opinion_pdf
from projects.permissions import may_act_on_filing, reviewer_flags_prime
from projects.rules import ProjectKind
from projects.selectors import (
    acceptance_record_get_for,
    agencies_acting_for,
    agency_chosen_for,
    filing_acceptance_records,
    filing_checklist,
    filing_contractors,
    filing_get_for,
    filing_opinion_get_for,
    filings_for_list,
)


class FilingFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=FilingStatus.choices)
    kind = django_filters.ChoiceFilter(choices=ProjectKind.choices)
    district = django_filters.ChoiceFilter(choices=District.choices)
    due_before = django_filters.DateFilter(field_name="review_due_date", lookup_expr="lte")
    due_after = django_filters.DateFilter(field_name="review_due_date", lookup_expr="gte")


class FontUnavailable(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "服务器缺少生成公文所需的中文字体，请联系系统管理员。"
    default_code = "font-missing"


def _nested(**kwargs):
    """An extra action on one filing that lists or writes what hangs off it: no list filters apply."""
    return action(detail=True, filter_backends=[], **kwargs)


class FilingViewSet(
    TransitionMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Project filings (Art. 13). Agencies create and edit their drafts; the list is scoped in SQL and each
    row carries ``available_actions`` (computed without a query per row)."""

    lookup_field = "uuid"
    lookup_url_kwarg = "id"
    filterset_class = FilingFilter
    filter_backends = FILTER_BACKENDS
    # Indexed only: filing_created_idx, filing_due_idx (title and investment have no index).
    ordering_fields = ["created_at", "review_due_date"]
    ordering = ["-created_at", "-id"]
    action_table = FILING_ACTIONS
    detail_serializer_class = FilingDetailSerializer

    def get_queryset(self):
        return filings_for_list(self.request.user)

    def get_serializer_class(self):
        if self.action == "list":
            return FilingListSerializer
        if self.action == "retrieve":
            return FilingDetailSerializer
        return FilingSerializer

    def get_object(self):
        return filing_get_for(user=self.request.user, uuid=self.kwargs["id"])

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            reviewer_flags_prime(self.request.user, page)
        return page

    def check_action_permission(self, request, name, obj):
        require(may_act_on_filing(request.user, obj, name), f"您无权对该项目执行“{FILING_ACTIONS[name].label}”。")

    def _detail(self, filing, status_code=status.HTTP_200_OK):
        return Response(FilingDetailSerializer(filing, context=self.get_serializer_context()).data, status=status_code)

    @extend_schema(request=FilingSerializer, responses={201: FilingDetailSerializer})
    def create(self, request, *args, **kwargs):
        """``agency`` names the building agency when the caller acts for several (400 without it then)."""
        serializer = FilingSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        if not agencies_acting_for(request.user):
            raise PermissionDenied("只有国家机关的经办人或负责人可以创建项目备案。")
        data = dict(serializer.validated_data)
        agency = agency_chosen_for(request.user, choice=(data.pop("agency", None) or {}).get("uuid"))
        filing = services.filing_create(actor=request.user, agency=agency, **data)
        return self._detail(filing, status.HTTP_201_CREATED)

    @extend_schema(request=FilingSerializer, responses={200: FilingDetailSerializer})
    def update(self, request, *args, **kwargs):
        filing = self.get_object()
        serializer = FilingSerializer(
            filing, data=request.data, partial=kwargs.get("partial", False), context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("agency", None)  # the building agency is fixed once the filing exists
        filing = services.filing_update(filing=filing, actor=request.user, **data)
        return self._detail(filing)

    @extend_schema(request=FilingSerializer, responses={200: FilingDetailSerializer})
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)

    # --- Transitions: one method each, each with its own request body.

    @extend_schema(request=None, responses={200: FilingDetailSerializer}, summary="提交审查（第十三条）")
    @action(detail=True, methods=["post"])
    def submit(self, request, id=None):
        """400 listing each missing field when the filing is incomplete."""
        return self.transition(request, "submit")

    @extend_schema(
        request=inputs.FilingStartReviewInput, responses={200: FilingDetailSerializer}, summary="受理并分派审查"
    )
    @action(detail=True, methods=["post"])
    def start_review(self, request, id=None):
        """The Art. 13 review period starts today."""
        return self.transition(request, "start_review")

    @extend_schema(request=inputs.FilingReturnInput, responses={200: FilingDetailSerializer}, summary="退回修改")
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_for_revision(self, request, id=None):
        return self.transition(request, "return")

    @extend_schema(request=inputs.FilingApproveInput, responses={200: FilingDetailSerializer}, summary="审查通过")
    @action(detail=True, methods=["post"])
    def approve(self, request, id=None):
        """400 until all six dimensions of the checklist are recorded; none may be 'fail' (Art. 13)."""
        return self.transition(request, "approve")

    @extend_schema(
        request=inputs.FilingApproveWithConditionsInput, responses={200: FilingDetailSerializer}, summary="有条件通过"
    )
    @action(detail=True, methods=["post"])
    def approve_with_conditions(self, request, id=None):
        return self.transition(request, "approve_with_conditions")

    @extend_schema(request=inputs.FilingRejectInput, responses={200: FilingDetailSerializer}, summary="不予通过")
    @action(detail=True, methods=["post"])
    def reject(self, request, id=None):
        """400 unless at least one dimension of the checklist is 'fail' (Art. 13 para. 3)."""
        return self.transition(request, "reject")

    @extend_schema(
        request=inputs.FilingRecordApprovalInput, responses={200: FilingDetailSerializer}, summary="登记批复"
    )
    @action(detail=True, methods=["post"])
    def record_approval(self, request, id=None):
        return self.transition(request, "record_approval")

    @extend_schema(
        request=inputs.FilingRequestAcceptanceInput, responses={200: FilingDetailSerializer}, summary="申请竣工验收"
    )
    @action(detail=True, methods=["post"])
    def request_acceptance(self, request, id=None):
        return self.transition(request, "request_acceptance")

    @extend_schema(
        request=inputs.FilingRecordAcceptanceInput, responses={200: FilingDetailSerializer}, summary="登记验收结果"
    )
    @action(detail=True, methods=["post"])
    def record_acceptance(self, request, id=None):
        """Arts. 14-15: ``passed`` is required; a pass needs a warranty end (two years for government money)."""
        return self.transition(request, "record_acceptance")

    @extend_schema(
        request=inputs.FilingStartOperationInput, responses={200: FilingDetailSerializer}, summary="投入使用"
    )
    @action(detail=True, methods=["post"])
    def start_operation(self, request, id=None):
        """409 unless the project passed acceptance (Art. 14)."""
        return self.transition(request, "start_operation")

    # --- What hangs off a filing.

    @extend_schema(methods=["GET"], request=None, responses={200: FilingChecklistItemSerializer(many=True)})
    @extend_schema(
        methods=["POST"],
        request=FilingChecklistInput,
        responses={200: FilingChecklistItemSerializer(many=True)},
        summary="填写审查要点（第十三条第二款）",
    )
    @_nested(methods=["get", "post"], pagination_class=None)
    def checklist(self, request, id=None):
        """The six Art. 13 dimensions. POST records findings on the dimensions named (others unchanged);
        'concern' and 'fail' need a text. Only the filing's reviewers and the deciding officials may."""
        filing = self.get_object()
        if request.method == "POST":
            require(may_act_on_filing(request.user, filing, "checklist"), "您不是该项目的审查人员。")
            serializer = FilingChecklistInput(data=request.data)
            serializer.is_valid(raise_exception=True)
            services.filing_checklist_save(
                filing=filing, actor=request.user, findings=serializer.validated_data["findings"]
            )
        return Response(FilingChecklistItemSerializer(filing_checklist(filing), many=True).data)

    @extend_schema(request=FilingCommentInput, responses={201: TimelineEventSerializer}, summary="发表意见")
    @_nested(methods=["post"])
    def comments(self, request, id=None):
        """A comment joins the timeline (read them at ``…/timeline/``)."""
        filing = self.get_object()
        require(may_act_on_filing(request.user, filing, "comment"), "您无权对该项目发表意见。")
        serializer = FilingCommentInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        event = services.filing_comment(filing=filing, actor=request.user, **serializer.validated_data)
        return Response(TimelineEventSerializer(event).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: TimelineEventSerializer(many=True)}, summary="办理记录")
    @_nested(methods=["get"])
    def timeline(self, request, id=None):
        """Every event of the filing, oldest first: who, when, from which state to which, and why."""
        filing = self.get_object()
        page = self.paginate_queryset(timeline_for(filing).order_by("created_at", "id"))
        return self.get_paginated_response(TimelineEventSerializer(page, many=True).data)

    @extend_schema(methods=["GET"], responses={200: AttachmentSerializer(many=True)}, summary="附件列表")
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": AttachmentUploadInput},
        responses={201: AttachmentSerializer},
        summary="上传附件",
    )
    @_nested(methods=["get", "post"], parser_classes=[MultiPartParser])
    def attachments(self, request, id=None):
        """POST multipart/form-data with ``file`` and ``description``; type, size and content are checked
        (400 on ``file``). Download each at its ``download`` address."""
        filing = self.get_object()
        if request.method == "POST":
            require(may_act_on_filing(request.user, filing, "upload"), "您无权为该项目上传附件。")
            serializer = AttachmentUploadInput(data=request.data)
            serializer.is_valid(raise_exception=True)
            attachment = services.filing_document_add(
                filing=filing,
                actor=request.user,
                uploaded=serializer.validated_data["file"],
                description=serializer.validated_data["description"],
            )
            return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)
        page = self.paginate_queryset(attachments_for(filing).order_by("uploaded_at", "id"))
        return self.get_paginated_response(AttachmentSerializer(page, many=True).data)

    @extend_schema(methods=["GET"], responses={200: FilingContractorSerializer(many=True)}, summary="承建单位")
    @extend_schema(
        methods=["POST"],
        request=FilingContractorAssignInput,
        responses={201: FilingContractorSerializer},
        summary="指定承建单位（第十一条）",
    )
    @_nested(methods=["get", "post"])
    def contractors(self, request, id=None):
        """POST without ``signed_on`` picks a contractor: it must hold a valid qualification in the project's
        domain at or above the required level (Art. 11), else 400 on ``contractor`` (nothing is recorded).
        POST with ``signed_on`` records a contract taken on (承揽): a fact, recorded whatever the
        certificates say; taken on without the qualification, it is an Art. 43 finding."""
        filing = self.get_object()
        if request.method == "POST":
            require(may_act_on_filing(request.user, filing, "assign_contractor"), "只有建设单位可以指定承建单位。")
            serializer = FilingContractorAssignInput(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = dict(serializer.validated_data)
            signed_on = data.pop("signed_on", None)
            if signed_on:
                assignment = services.filing_contract_record(
                    filing=filing, actor=request.user, signed_on=signed_on, **data
                )
            else:
                assignment = services.filing_contractor_assign(filing=filing, actor=request.user, **data)
            return Response(FilingContractorSerializer(assignment).data, status=status.HTTP_201_CREATED)
        page = self.paginate_queryset(filing_contractors(filing).order_by("id"))
        return self.get_paginated_response(FilingContractorSerializer(page, many=True).data)

    @extend_schema(responses={200: FilingAcceptanceRecordSerializer(many=True)}, summary="竣工验收记录（第十四条）")
    @_nested(methods=["get"], url_path="acceptance-records", url_name="acceptance-records")
    def acceptance_records(self, request, id=None):
        filing = self.get_object()
        page = self.paginate_queryset(filing_acceptance_records(filing).order_by("held_on", "id"))
        return self.get_paginated_response(FilingAcceptanceRecordSerializer(page, many=True).data)

    @extend_schema(
        request=inputs.FilingAttendanceInput,
        responses={200: FilingAcceptanceRecordSerializer},
        summary="确认是否出席竣工验收（第十四条）",
    )
    @_nested(methods=["post"])
    def confirm_attendance(self, request, id=None):
        """The authority (its officials or the filing's reviewers) says whether it attended; once only (409
        ``attendance-already-confirmed``)."""
        filing = self.get_object()
        require(
            may_act_on_filing(request.user, filing, "confirm_attendance"), "只有信息化主管部门可以确认是否出席验收。"
        )
        serializer = inputs.FilingAttendanceInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        record = acceptance_record_get_for(filing=filing, uuid=serializer.validated_data["record"])
        record = services.filing_acceptance_attendance_confirm(
            record=record, actor=request.user, attended=serializer.validated_data["attended"]
        )
        return Response(FilingAcceptanceRecordSerializer(record).data)

    @extend_schema(request=None, responses={(200, "application/pdf"): OpenApiTypes.BINARY}, summary="审查意见书（PDF）")
    @_nested(methods=["get"], renderer_classes=PDF_RENDERERS)
    def opinion(self, request, id=None):
        """The review opinion letter, once issued (404 before). Also readable by the approving department's
        liaison (Art. 13 para. 3)."""
        filing = filing_opinion_get_for(user=request.user, uuid=id)
        try:
            content = opinion_pdf(filing, filing_checklist(filing))
        except CJKFontMissing as missing:
            raise FontUnavailable(str(missing)) from missing
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = content_disposition(opinion_filename(filing))
        return response
