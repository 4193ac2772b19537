"""REST API of sharing requests (Art. 21) and grants: ``/api/v1/resources/sharing-requests/``, ``…/grants/``."""

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from portal.api.ordering import FILTER_BACKENDS
from portal.api.transitions import TransitionMixin
from portal.workflow import Action, ActionTable
from resources import services
from resources.actions import SHARING_ACTIONS
from resources.api.catalog import TRANSITION_ERRORS, agency_for
from resources.api.catalog_serializers import ReasonInput
from resources.api.sharing_serializers import (
    AgreeInput,
    CounterInput,
    DecideInput,
    EscalateInput,
    GrantSerializer,
    RefuseInput,
    ReviseInput,
    SharingRequestDetailSerializer,
    SharingRequestInput,
    SharingRequestSerializer,
    WithdrawInput,
)
from resources.models import SharingStatus
from resources.selectors import (
    grant_get_for,
    grants_visible_to,
    resource_get_for,
    sharing_request_get_for,
    sharing_requests_visible_to,
)


class SharingFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=SharingStatus.choices)


class SharingRequestViewSet(TransitionMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Requests to use another agency's resource; the provider answers within 10 working days (Art. 21)."""

    lookup_field = "uuid"
    lookup_url_kwarg = "id"
    filterset_class = SharingFilter
    filter_backends = FILTER_BACKENDS
    ordering_fields = ["created_at"]  # share_created_idx
    ordering = ["-created_at", "-id"]
    action_table = SHARING_ACTIONS
    detail_serializer_class = SharingRequestDetailSerializer

    def get_queryset(self):
        return sharing_requests_visible_to(self.request.user)

    def get_serializer_class(self):
        return SharingRequestSerializer if self.action == "list" else SharingRequestDetailSerializer

    def get_object(self):
        return sharing_request_get_for(user=self.request.user, uuid=self.kwargs["id"])

    @extend_schema(request=SharingRequestInput, responses={201: SharingRequestDetailSerializer, **TRANSITION_ERRORS})
    def create(self, request, *args, **kwargs):
        serializer = SharingRequestInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        resource = resource_get_for(user=request.user, uuid=data.pop("resource"))
        requester = agency_for(request)
        sharing = services.sharing_request_create(actor=request.user, requester=requester, resource=resource, **data)
        return Response(
            SharingRequestDetailSerializer(sharing, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=AgreeInput, responses={200: SharingRequestDetailSerializer, **TRANSITION_ERRORS})
    @action(detail=True, methods=["post"])
    def agree(self, request, id=None):
        return self.transition(request, "agree")

    @extend_schema(request=CounterInput, responses={200: SharingRequestDetailSerializer, **TRANSITION_ERRORS})
    @action(detail=True, methods=["post"])
    def counter(self, request, id=None):
        return self.transition(request, "counter")

    @extend_schema(request=RefuseInput, responses={200: SharingRequestDetailSerializer, **TRANSITION_ERRORS})
    @action(detail=True, methods=["post"])
    def refuse(self, request, id=None):
        """400 ``unconditional-cannot-refuse`` for an unconditional resource (Art. 21)."""
        return self.transition(request, "refuse")

    @extend_schema(request=AgreeInput, responses={200: SharingRequestDetailSerializer, **TRANSITION_ERRORS})
    @action(detail=True, methods=["post"])
    def accept(self, request, id=None):
        return self.transition(request, "accept")

    @extend_schema(request=ReviseInput, responses={200: SharingRequestDetailSerializer, **TRANSITION_ERRORS})
    @action(detail=True, methods=["post"])
    def revise(self, request, id=None):
        return self.transition(request, "revise")

    @extend_schema(request=EscalateInput, responses={200: SharingRequestDetailSerializer, **TRANSITION_ERRORS})
    @action(detail=True, methods=["post"])
    def escalate(self, request, id=None):
        return self.transition(request, "escalate")

    @extend_schema(request=DecideInput, responses={200: SharingRequestDetailSerializer, **TRANSITION_ERRORS})
    @action(detail=True, methods=["post"])
    def decide(self, request, id=None):
        return self.transition(request, "decide")

    @extend_schema(request=WithdrawInput, responses={200: SharingRequestDetailSerializer, **TRANSITION_ERRORS})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, id=None):
        return self.transition(request, "withdraw")


GRANT_ACTIONS = ActionTable(Action("revoke", "撤销共享授权", services.grant_revoke, ReasonInput), object_arg="grant")


class GrantViewSet(TransitionMixin, viewsets.ReadOnlyModelViewSet):
    """Sharing grants in force: the grantee sees exactly these items."""

    lookup_field = "uuid"
    lookup_url_kwarg = "id"
    serializer_class = GrantSerializer
    filter_backends = FILTER_BACKENDS
    ordering_fields = ["created_at"]
    ordering = ["-created_at", "-id"]
    action_table = GRANT_ACTIONS

    def get_queryset(self):
        return grants_visible_to(self.request.user).prefetch_related("items")

    def get_object(self):
        return grant_get_for(user=self.request.user, uuid=self.kwargs["id"])

    @extend_schema(request=ReasonInput, responses={200: GrantSerializer, **TRANSITION_ERRORS})
    @action(detail=True, methods=["post"])
    def revoke(self, request, id=None):
        return self.transition(request, "revoke")
