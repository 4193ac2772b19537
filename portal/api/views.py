import django_filters
from rest_framework import viewsets

from portal.models import District, Organization, OrganizationKind
from portal.selectors import organizations_visible_to
from portal.serializers import OrganizationSerializer


class OrganizationFilter(django_filters.FilterSet):
    # The suggestions of every organization filter box (``OrganizationSearchField``).
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", max_length=100, label="名称包含")
    kind = django_filters.ChoiceFilter(choices=OrganizationKind.choices)
    district = django_filters.ChoiceFilter(choices=District.choices)

    class Meta:
        model = Organization
        fields = ["kind", "district", "level"]


class OrganizationViewSet(viewsets.ReadOnlyModelViewSet):
    """Organizations the caller may see (scoped in SQL by organization and district)."""

    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilter
    lookup_field = "uuid"
    lookup_url_kwarg = "id"  # one path parameter name across the API
    ordering_fields = ["name", "district"]
    ordering = ["level", "district", "name", "id"]

    def get_queryset(self):
        return organizations_visible_to(self.request.user)
