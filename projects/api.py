"""REST API of Chapter 2: thin viewsets over the selectors and services.

Transitions are `POST /api/v1/projects/filings/{id}/{action}/`: 403 when the user may not perform
the action, 409 (problem+json) when the filing's state does not allow it.
"""

import django_filters
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from portal.api.ordering import FILTER_BACKENDS
from portal.api.problems import Conflict
from portal.models import District, User
from projects import services
from projects.models import ApplicationStatus, FilingStatus
from projects.rules import ProjectKind
from projects.selectors import (
    agencies_acting_for,
    agency_chosen_for,
    compliance_findings_visible_to,
    connected_systems_visible_to,
    domain_applications_visible_to,
    filing_get_for,
    filings_visible_to,
    network_applications_visible_to,
    private_networks_visible_to,
    qualifications_visible_to,
    websites_visible_to,
)
from projects.serializers import (
    ActionSerializer,
    ConnectedSystemSerializer,
    DomainApplicationSerializer,
    FilingListSerializer,
    FilingSerializer,
    FindingSerializer,
    NetworkApplicationSerializer,
    PrivateNetworkSerializer,
    QualificationSerializer,
    WebsiteSerializer,
)
from projects.services import TransitionRefused


class FilingFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=FilingStatus.choices)
    kind = django_filters.ChoiceFilter(choices=ProjectKind.choices)
    district = django_filters.ChoiceFilter(choices=District.choices)
    due_before = django_filters.DateFilter(field_name="review_due_date", lookup_expr="lte")
    due_after = django_filters.DateFilter(field_name="review_due_date", lookup_expr="gte")


def _call(fn, **kwargs):
    try:
        return fn(**kwargs)
    except TransitionRefused as refused:
        raise Conflict(refused.message) from refused


def _run(action_name: str, filing, user, data: dict):
    s = services
    reviewers = []
    if data.get("reviewers"):
        reviewers = list(User.objects.filter(uuid__in=data["reviewers"]))
        if len(reviewers) != len(set(data["reviewers"])):
            raise ValidationError({"reviewers": ["有审查人员不存在。"]})
    table = {
        "submit": lambda: s.filing_submit(filing=filing, actor=user),
        "start_review": lambda: s.filing_start_review(
            filing=filing, actor=user, reviewers=reviewers, self_review=data["self_review"], comment=data["comment"]
        ),
        "return": lambda: s.filing_return(filing=filing, actor=user, comment=data["comment"]),
        "approve": lambda: s.filing_approve(filing=filing, actor=user, opinion=data["opinion"]),
        "approve_with_conditions": lambda: s.filing_approve_with_conditions(
            filing=filing, actor=user, conditions=data["conditions"], opinion=data["opinion"]
        ),
        "reject": lambda: s.filing_reject(filing=filing, actor=user, opinion=data["opinion"]),
        "record_approval": lambda: s.filing_record_approval(
            filing=filing, actor=user, reference=data["reference"], approval_date=data["approval_date"]
        ),
        "request_acceptance": lambda: s.filing_request_acceptance(
            filing=filing, actor=user, planned_on=data["planned_on"], place=data["place"], comment=data["comment"]
        ),
        "record_acceptance": lambda: s.filing_record_acceptance(
            filing=filing,
            actor=user,
            passed=data["passed"],
            held_on=data["held_on"],
            participants=data["participants"],
            authority_invited=data["authority_invited"],
            notes=data["notes"],
            warranty_end=data["warranty_end"],
        ),
        "start_operation": lambda: s.filing_start_operation(filing=filing, actor=user, started_on=data["started_on"]),
    }
    return _call(table[action_name])


class FilingViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Project filings (Art. 13). Agencies create and edit their drafts; the list is scoped in SQL."""

    lookup_field = "uuid"
    lookup_url_kwarg = "id"
    filterset_class = FilingFilter
    filter_backends = FILTER_BACKENDS
    # Indexed only: filing_created_idx, filing_due_idx (title and investment have no index).
    ordering_fields = ["created_at", "review_due_date"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return filings_visible_to(self.request.user)

    def get_serializer_class(self):
        return FilingListSerializer if self.action == "list" else FilingSerializer

    def get_object(self):
        return filing_get_for(user=self.request.user, uuid=self.kwargs["id"])

    def create(self, request, *args, **kwargs):
        serializer = FilingSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        if not agencies_acting_for(request.user):
            raise PermissionDenied("只有国家机关的经办人或负责人可以创建项目备案。")
        data = dict(serializer.validated_data)
        agency = agency_chosen_for(request.user, choice=(data.pop("agency", None) or {}).get("uuid"))
        filing = services.filing_create(actor=request.user, agency=agency, **data)
        return Response(FilingSerializer(filing, context={"request": request}).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        filing = self.get_object()
        serializer = FilingSerializer(
            filing, data=request.data, partial=kwargs.get("partial", False), context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("agency", None)  # the building agency is fixed once the filing exists
        filing = _call(services.filing_update, filing=filing, actor=request.user, **data)
        return Response(FilingSerializer(filing, context={"request": request}).data)


def _transition_action(name: str):
    @extend_schema(request=ActionSerializer, responses={200: FilingSerializer}, summary=f"Transition: {name}")
    def handler(self, request, id=None):
        filing = self.get_object()
        serializer = ActionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            filing = _run(name, filing, request.user, serializer.validated_data)
        except DjangoValidationError:
            raise
        return Response(FilingSerializer(filing, context={"request": request}).data)

    handler.__name__ = f"action_{name}"
    return action(detail=True, methods=["post"], url_path=name, url_name=name.replace("_", "-"))(handler)


for _name in (
    "submit",
    "start_review",
    "return",
    "approve",
    "approve_with_conditions",
    "reject",
    "record_approval",
    "request_acceptance",
    "record_acceptance",
    "start_operation",
):
    setattr(FilingViewSet, f"action_{_name}", _transition_action(_name))


class _ScopedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """A register read through its `*_visible_to(user)` selector, addressed by UUID."""

    lookup_field = "uuid"
    filter_backends = FILTER_BACKENDS
    visible = None  # the selector, set by each subclass

    def get_queryset(self):
        return self.visible(self.request.user)


class QualificationViewSet(_ScopedReadOnlyViewSet):
    serializer_class = QualificationSerializer
    ordering_fields = ["valid_to"]  # qual_valid_to_idx
    ordering = ["contractor__name", "domain", "level", "id"]
    visible = staticmethod(qualifications_visible_to)


class FindingViewSet(_ScopedReadOnlyViewSet):
    """Compliance findings (Art. 11 -> Art. 43) for officials."""

    serializer_class = FindingSerializer
    ordering_fields = ["detected_at"]  # finding_detected_idx
    ordering = ["-detected_at", "-id"]
    visible = staticmethod(compliance_findings_visible_to)


class ApplicationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ApplicationStatus.choices)
    district = django_filters.ChoiceFilter(choices=District.choices)


class _ApplicationViewSet(mixins.CreateModelMixin, _ScopedReadOnlyViewSet):
    lookup_url_kwarg = "id"
    filterset_class = ApplicationFilter
    ordering_fields = ["created_at"]  # netapp_created_idx, domainapp_created_idx
    ordering = ["-created_at", "-id"]
    create_service = None

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if not agencies_acting_for(request.user):
            raise PermissionDenied("只有国家机关的经办人或负责人可以提出申请。")
        data = dict(serializer.validated_data)
        agency = agency_chosen_for(request.user, choice=(data.pop("agency", None) or {}).get("uuid"))
        application = type(self).create_service(actor=request.user, agency=agency, **data)
        return Response(self.get_serializer(application).data, status=status.HTTP_201_CREATED)

    def _act(self, request, fn, **kwargs):
        application = self.get_object()
        application = _call(fn, application=application, actor=request.user, **kwargs)
        return Response(self.get_serializer(application).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def submit(self, request, id=None):
        return self._act(request, services.application_submit)

    @extend_schema(request=ActionSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, id=None):
        return self._act(request, services.application_approve, comment=str(request.data.get("comment", "")))

    @extend_schema(request=ActionSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request, id=None):
        return self._act(request, services.application_refuse, reason=str(request.data.get("comment", "")))


class NetworkApplicationViewSet(_ApplicationViewSet):
    """Applications to connect a system to the e-government network (Art. 29)."""

    serializer_class = NetworkApplicationSerializer
    create_service = staticmethod(services.network_application_create)
    visible = staticmethod(network_applications_visible_to)


class DomainApplicationViewSet(_ApplicationViewSet):
    """Domain registration reviews (Art. 30)."""

    serializer_class = DomainApplicationSerializer
    create_service = staticmethod(services.domain_application_create)
    visible = staticmethod(domain_applications_visible_to)


class PrivateNetworkViewSet(_ScopedReadOnlyViewSet):
    serializer_class = PrivateNetworkSerializer
    ordering_fields = ["migration_deadline"]  # privnet_deadline_idx
    ordering = ["migration_deadline", "id"]
    visible = staticmethod(private_networks_visible_to)


class ConnectedSystemViewSet(_ScopedReadOnlyViewSet):
    serializer_class = ConnectedSystemSerializer
    ordering_fields = ["connected_on"]  # connsys_connected_idx
    ordering = ["-connected_on", "-id"]
    visible = staticmethod(connected_systems_visible_to)


class WebsiteViewSet(_ScopedReadOnlyViewSet):
    serializer_class = WebsiteSerializer
    ordering_fields = ["domain_name"]  # unique
    ordering = ["domain_name", "id"]
    visible = staticmethod(websites_visible_to)
