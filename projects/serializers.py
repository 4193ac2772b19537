from rest_framework import serializers

from portal.models import Organization, OrganizationKind
from projects.models import (
    ComplianceFinding,
    ConnectedSystem,
    DomainApplication,
    NetworkAccessApplication,
    PrivateNetwork,
    ProjectFiling,
    Qualification,
    Website,
)
from projects.permissions import filing_available_actions
from projects.services import FILING_EDITABLE_FIELDS


class FilingSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    # On create: in whose name the user files (required when acting for several agencies); fixed afterwards.
    agency = serializers.UUIDField(
        source="agency.uuid", required=False, allow_null=True, help_text="建设单位（同时为多个机关办理时必填）。"
    )
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    reviewing_authority = serializers.CharField(source="reviewing_authority.name", read_only=True, default=None)
    approving_department = serializers.CharField(source="approving_department.name", read_only=True, default=None)
    is_classified = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text="涉密项目（第三十七条）不在本门户办理，填 true 将被拒绝。",
    )
    available_actions = serializers.SerializerMethodField()
    # Public identifiers, never database ids (the service checks they are the agency's own / a department).
    previous_filing = serializers.SlugRelatedField(
        slug_field="uuid", queryset=ProjectFiling.objects.all(), required=False, allow_null=True
    )
    other_approving_department = serializers.SlugRelatedField(
        slug_field="uuid",
        queryset=Organization.objects.filter(kind=OrganizationKind.DEPARTMENT, is_active=True),
        required=False,
        allow_null=True,
    )

    class Meta:
        model = ProjectFiling
        fields = [
            "id",
            "agency",
            "agency_name",
            *FILING_EDITABLE_FIELDS,
            "is_classified",
            "level",
            "district",
            "status",
            "status_display",
            "kind_display",
            "reviewing_authority",
            "approving_department",
            "submitted_at",
            "review_due_date",
            "decided_at",
            "opinion_number",
            "conditions",
            "opinion_summary",
            "approval_reference",
            "approval_date",
            "review_round",
            "acceptance_planned_on",
            "acceptance_place",
            "accepted_on",
            "warranty_end",
            "operation_started_on",
            "created_at",
            "updated_at",
            "available_actions",
        ]
        read_only_fields = [f for f in fields if f not in (*FILING_EDITABLE_FIELDS, "is_classified", "agency")]

    def get_available_actions(self, filing) -> list[str]:
        request = self.context.get("request")
        if request is None or self.context.get("list"):
            return []
        return filing_available_actions(request.user, filing)


class FilingListSerializer(FilingSerializer):
    """The list omits available_actions (it needs per-row permission checks); read them on the detail."""

    class Meta(FilingSerializer.Meta):
        fields = [f for f in FilingSerializer.Meta.fields if f != "available_actions"]


class ActionSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    opinion = serializers.CharField(required=False, allow_blank=True, default="")
    conditions = serializers.CharField(required=False, allow_blank=True, default="")
    reviewers = serializers.ListField(child=serializers.UUIDField(), required=False, default=list)
    self_review = serializers.BooleanField(required=False, default=False)
    planned_on = serializers.DateField(required=False, allow_null=True, default=None)
    place = serializers.CharField(required=False, allow_blank=True, default="")
    reference = serializers.CharField(required=False, allow_blank=True, default="")
    approval_date = serializers.DateField(required=False, allow_null=True, default=None)
    passed = serializers.BooleanField(required=False, default=True)
    held_on = serializers.DateField(required=False, allow_null=True, default=None)
    participants = serializers.CharField(required=False, allow_blank=True, default="")
    authority_invited = serializers.BooleanField(required=False, default=False)
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    warranty_end = serializers.DateField(required=False, allow_null=True, default=None)
    started_on = serializers.DateField(required=False, allow_null=True, default=None)


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
        ]
        read_only_fields = fields


class FindingSerializer(serializers.ModelSerializer):
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


class PrivateNetworkSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    agency = serializers.UUIDField(source="agency.uuid", read_only=True)

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


class ConnectedSystemSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    agency = serializers.UUIDField(source="agency.uuid", read_only=True)

    class Meta:
        model = ConnectedSystem
        fields = ["id", "agency", "name", "level", "district", "security_level", "approved_on", "connected_on"]
        read_only_fields = fields


class WebsiteSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    agency = serializers.UUIDField(source="agency.uuid", read_only=True)

    class Meta:
        model = Website
        fields = ["id", "agency", "name", "domain_name", "links_to_city_portal", "level", "district", "registered_on"]
        read_only_fields = fields
