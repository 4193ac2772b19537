"""Read shapes of the registers of Chapter 2 and Arts. 29-30, and the inputs of their actions."""

from rest_framework import serializers

from projects.models import (
    ComplianceFinding,
    ConnectedSystem,
    DomainApplication,
    NetworkAccessApplication,
    PrivateNetwork,
    Qualification,
    Website,
)


class QualificationSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    contractor = serializers.UUIDField(source="contractor.uuid", read_only=True)
    contractor_name = serializers.CharField(source="contractor.name", read_only=True)

    class Meta:
        model = Qualification
        fields = [
            "id",
            "contractor",
            "contractor_name",
            "domain",
            "level",
            "number",
            "issuer",
            "valid_from",
            "valid_to",
            "verified_at",
        ]
        read_only_fields = fields


class ComplianceFindingSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    organization = serializers.UUIDField(source="organization.uuid", read_only=True)
    filing = serializers.UUIDField(source="filing.uuid", read_only=True, default=None)

    class Meta:
        model = ComplianceFinding
        fields = [
            "id",
            "kind",
            "article",
            "sanction_article",
            "organization",
            "filing",
            "district",
            "description",
            "detected_at",
        ]
        read_only_fields = fields


class _ApplicationSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    agency = serializers.UUIDField(
        source="agency.uuid", required=False, allow_null=True, help_text="申请单位（同时为多个机关办理时必填）。"
    )
    is_classified = serializers.BooleanField(
        write_only=True, required=False, default=False, help_text="涉密事项（第三十七条）不在本门户办理。"
    )
    status = serializers.CharField(read_only=True)
    base_fields = [
        "id",
        "agency",
        "is_classified",
        "level",
        "district",
        "status",
        "submitted_at",
        "decided_at",
        "decision_reason",
        "created_at",
    ]


class NetworkApplicationSerializer(_ApplicationSerializer):
    class Meta:
        model = NetworkAccessApplication
        fields = [
            *_ApplicationSerializer.base_fields,
            "system_name",
            "purpose",
            "internet_unsuitable_reason",
            "security_level",
            "bandwidth_mbps",
        ]
        read_only_fields = _ApplicationSerializer.base_fields


class DomainApplicationSerializer(_ApplicationSerializer):
    class Meta:
        model = DomainApplication
        fields = [*_ApplicationSerializer.base_fields, "domain_name", "website_name", "purpose", "links_to_city_portal"]
        read_only_fields = _ApplicationSerializer.base_fields
        extra_kwargs = {"domain_name": {"validators": []}}


# A read-only register row of one agency (private networks, connected systems, websites). A comment, not a
# docstring: drf-spectacular would copy a docstring into every subclass's component description.
class _AgencyRegisterSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    agency = serializers.UUIDField(source="agency.uuid", read_only=True)


class PrivateNetworkSerializer(_AgencyRegisterSerializer):
    class Meta:
        model = PrivateNetwork
        fields = [
            "id",
            "agency",
            "name",
            "description",
            "built_year",
            "migration_plan",
            "migration_deadline",
            "status",
            "migrated_on",
        ]
        read_only_fields = fields


class ConnectedSystemSerializer(_AgencyRegisterSerializer):
    class Meta:
        model = ConnectedSystem
        fields = ["id", "agency", "name", "level", "district", "security_level", "approved_on", "connected_on"]
        read_only_fields = fields


class WebsiteSerializer(_AgencyRegisterSerializer):
    class Meta:
        model = Website
        fields = ["id", "agency", "name", "domain_name", "links_to_city_portal", "level", "district", "registered_on"]
        read_only_fields = fields


class ApplicationApproveInput(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, help_text="审查意见")


class ApplicationRefuseInput(serializers.Serializer):
    reason = serializers.CharField(
        help_text="不予同意的理由",
        error_messages={"required": "请写明不予同意的理由。", "blank": "请写明不予同意的理由。"},
    )


class ConnectInput(serializers.Serializer):
    connected_on = serializers.DateField(help_text="实际接入日期", error_messages={"required": "请填写接入日期。"})
