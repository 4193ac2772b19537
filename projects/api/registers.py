"""REST API of the registers of Chapter 2 and Arts. 29-30: qualifications, compliance findings, network and
domain applications, private networks, connected systems and websites. Read through each ``*_visible_to``
selector (scoped in SQL), addressed by ``{id}`` (the object's public UUID)."""

import django_filters
from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from portal.api.ordering import FILTER_BACKENDS
from portal.api.transitions import TransitionMixin
from portal.models import District
from portal.workflow import Action, ActionTable
from projects import services
from projects.api.register_serializers import (
    ApplicationApproveInput,
    ApplicationRefuseInput,
    ComplianceFindingSerializer,
    ConnectedSystemSerializer,
    ConnectInput,
    DomainApplicationSerializer,
    NetworkApplicationSerializer,
    PrivateNetworkSerializer,
    QualificationSerializer,
    WebsiteSerializer,
)
from projects.models import ApplicationStatus
from projects.selectors import (
    agencies_acting_for,
    agency_chosen_for,
    compliance_findings_visible_to,
    connected_systems_visible_to,
    domain_applications_visible_to,
    network_applications_visible_to,
    private_networks_visible_to,
    qualifications_visible_to,
    websites_visible_to,
)


class _ScopedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """A register read through its `*_visible_to(user)` selector, addressed by UUID."""

    lookup_field = "uuid"
    lookup_url_kwarg = "id"
    filter_backends = FILTER_BACKENDS
    visible = None  # the selector, set by each subclass

    def get_queryset(self):
        return self.visible(self.request.user)


QUALIFICATION_ACTIONS = ActionTable(
    Action("verify", "核验资质证书", services.qualification_verify), object_arg="qualification"
)
CONNECTED_SYSTEM_ACTIONS = ActionTable(
    Action("connect", "登记接入日期", services.connected_system_connect, ConnectInput), object_arg="system"
)


class QualificationViewSet(TransitionMixin, _ScopedReadOnlyViewSet):
    serializer_class = QualificationSerializer
    ordering_fields = ["valid_to"]  # qual_valid_to_idx
    ordering = ["contractor__name", "domain", "level", "id"]
    visible = staticmethod(qualifications_visible_to)
    action_table = QUALIFICATION_ACTIONS

    @extend_schema(request=None, summary="核验资质证书（第十一条）")
    @action(detail=True, methods=["post"])
    def verify(self, request, id=None):
        """An official verifies a certificate the contractor registered itself; only then does it count.
        409 ``qualification-already-verified``."""
        return self.transition(request, "verify")


class FindingViewSet(_ScopedReadOnlyViewSet):
    """Compliance findings (Art. 11 -> Art. 43) for officials."""

    serializer_class = ComplianceFindingSerializer
    ordering_fields = ["detected_at"]  # finding_detected_idx
    ordering = ["-detected_at", "-id"]
    visible = staticmethod(compliance_findings_visible_to)


class ApplicationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ApplicationStatus.choices)
    district = django_filters.ChoiceFilter(choices=District.choices)


APPLICATION_ACTIONS = ActionTable(
    Action("submit", "提交", services.application_submit),
    Action("approve", "审查同意", services.application_approve, ApplicationApproveInput),
    Action("refuse", "不予同意", services.application_refuse, ApplicationRefuseInput),
    object_arg="application",
)


class _ApplicationViewSet(TransitionMixin, mixins.CreateModelMixin, _ScopedReadOnlyViewSet):
    filterset_class = ApplicationFilter
    ordering_fields = ["created_at"]  # netapp_created_idx, domainapp_created_idx
    ordering = ["-created_at", "-id"]
    create_service = None
    action_table = APPLICATION_ACTIONS

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if not agencies_acting_for(request.user):
            raise PermissionDenied("只有国家机关的经办人或负责人可以提出申请。")
        data = dict(serializer.validated_data)
        agency = agency_chosen_for(request.user, choice=(data.pop("agency", None) or {}).get("uuid"))
        application = type(self).create_service(actor=request.user, agency=agency, **data)
        return Response(self.get_serializer(application).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def submit(self, request, id=None):
        return self.transition(request, "submit")

    @extend_schema(request=ApplicationApproveInput)
    @action(detail=True, methods=["post"])
    def approve(self, request, id=None):
        return self.transition(request, "approve")

    @extend_schema(request=ApplicationRefuseInput)
    @action(detail=True, methods=["post"])
    def refuse(self, request, id=None):
        """``reason`` is required."""
        return self.transition(request, "refuse")


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


class ConnectedSystemViewSet(TransitionMixin, _ScopedReadOnlyViewSet):
    serializer_class = ConnectedSystemSerializer
    ordering_fields = ["connected_on"]  # connsys_connected_idx
    ordering = ["-connected_on", "-id"]
    visible = staticmethod(connected_systems_visible_to)
    action_table = CONNECTED_SYSTEM_ACTIONS

    @extend_schema(request=ConnectInput, summary="登记实际接入日期（第二十九条）")
    @action(detail=True, methods=["post"])
    def connect(self, request, id=None):
        """Approval is not connection: the day the approved system was actually connected. 409
        ``already-connected``."""
        return self.transition(request, "connect")


class WebsiteViewSet(_ScopedReadOnlyViewSet):
    serializer_class = WebsiteSerializer
    ordering_fields = ["domain_name"]  # unique
    ordering = ["domain_name", "id"]
    visible = staticmethod(websites_visible_to)
