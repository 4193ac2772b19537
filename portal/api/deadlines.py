"""Deadlines and the caller's notifications over the API (read-only; writes happen through services)."""

import django_filters
from rest_framework import mixins, serializers, viewsets

from portal.api.ordering import FILTER_BACKENDS
from portal.api.rows import FastRows
from portal.models import Deadline, DeadlineState, District, Notification
from portal.selectors import deadlines_visible_to, notifications_for


class DeadlineSerializer(FastRows, serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    kind = serializers.CharField(source="kind_id")
    kind_label = serializers.CharField(source="kind.label")
    organization = serializers.UUIDField(source="organization.uuid")
    organization_name = serializers.CharField(source="organization.name")
    state_display = serializers.CharField(source="get_state_display")

    class Meta:
        model = Deadline
        fields = [
            "id",
            "title",
            "kind",
            "kind_label",
            "legal_basis",
            "organization",
            "organization_name",
            "due_date",
            "due_at",
            "original_due_date",
            "provisional",
            "paused_remaining",
            "state",
            "state_display",
            "opened_at",
            "met_at",
            "overdue_at",
            "waived_at",
        ]
        read_only_fields = fields


class DeadlineFilter(django_filters.FilterSet):
    kind = django_filters.CharFilter(field_name="kind_id")
    organization = django_filters.UUIDFilter(field_name="organization__uuid")
    district = django_filters.ChoiceFilter(field_name="district", choices=District.choices)
    state = django_filters.ChoiceFilter(choices=DeadlineState.choices)
    due_from = django_filters.DateFilter(field_name="due_date", lookup_expr="gte")
    due_to = django_filters.DateFilter(field_name="due_date", lookup_expr="lte")

    class Meta:
        model = Deadline
        fields = ["kind", "organization", "district", "state", "due_from", "due_to"]


class DeadlineViewSet(viewsets.ReadOnlyModelViewSet):
    """Deadlines of the organizations in the caller's scope."""

    serializer_class = DeadlineSerializer
    filterset_class = DeadlineFilter
    lookup_field = "uuid"
    lookup_url_kwarg = "id"  # one path parameter name across the API
    filter_backends = FILTER_BACKENDS
    # deadline_due_idx (due_date, id); opened_at has no index, so it is not offered.
    ordering_fields = ["due_date"]
    ordering = ["due_date", "id"]

    def get_queryset(self):
        return deadlines_visible_to(self.request.user)


class NotificationSerializer(FastRows, serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "link", "created_at", "read_at"]
        read_only_fields = fields


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The caller's own notifications, newest first."""

    serializer_class = NotificationSerializer
    filterset_fields = []
    filter_backends = FILTER_BACKENDS
    ordering_fields = ["created_at"]  # notification_inbox_idx (recipient, -created_at)
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return notifications_for(self.request.user)
