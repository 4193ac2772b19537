from rest_framework import serializers

from portal.api.rows import FastRows
from portal.models import Organization


class OrganizationSerializer(FastRows, serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    parent = serializers.UUIDField(source="parent.uuid", read_only=True, allow_null=True, default=None)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    district_display = serializers.CharField(source="get_district_display", read_only=True)

    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "short_name",
            "kind",
            "kind_display",
            "department_type",
            "sector",
            "level",
            "district",
            "district_display",
            "parent",
            "uscc",
            "responsible_leader",
            "responsible_unit",
            "address",
            "phone",
            "is_active",
        ]
        read_only_fields = fields
