"""Read shapes of a filing and of what hangs off it (checklist, contractors, acceptance records), and the
inputs of its non-transition writes (checklist, comment, contractor). Transition inputs: ``filing_inputs``."""

from django.utils import timezone
from django.utils.functional import cached_property
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal.api.rows import FastRows
from portal.api.subjects import ActorSerializer
from portal.models import Organization, OrganizationKind
from projects.models import AcceptanceRecord, ContractorRole, FilingContractor, ProjectFiling
from projects.permissions import filing_available_actions
from projects.rules import FindingResult, ReviewDimension
from projects.selectors import filing_review_overdue, filing_reviewers
from projects.services import FILING_EDITABLE_FIELDS


# What a filing row and a whole filing both show: its public id, names instead of ids, the labels of its
# codes, whether its review is late and what the caller may do now. (A comment, not a docstring: the schema
# would show a docstring as the description of every filing serializer.)
class _FilingReadFields(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    reviewing_authority = serializers.CharField(source="reviewing_authority.name", read_only=True, default=None)
    review_overdue = serializers.SerializerMethodField(help_text="审查已超过第十三条规定的期限。")
    available_actions = serializers.SerializerMethodField()

    def get_review_overdue(self, filing) -> bool:
        return filing_review_overdue(filing, today=self._today)

    @cached_property
    def _today(self):
        """The request's date, read once: a list's child serializer serves every row of the page."""
        return timezone.localdate()

    def get_available_actions(self, filing) -> list[str]:
        """What the caller may do now (state and role); lists prime the reviewer check, so no query a row."""
        request = self.context.get("request")
        if request is None:
            return []
        return filing_available_actions(request.user, filing)


class FilingSerializer(_FilingReadFields):
    # On create: in whose name the user files (required when acting for several agencies); fixed afterwards.
    agency = serializers.UUIDField(
        source="agency.uuid", required=False, allow_null=True, help_text="建设单位（同时为多个机关办理时必填）。"
    )
    approving_department = serializers.CharField(source="approving_department.name", read_only=True, default=None)
    is_classified = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text="涉密项目（第三十七条）不在本门户办理，填 true 将被拒绝。",
    )
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
            "review_overdue",
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


class FilingListSerializer(FastRows, _FilingReadFields):
    """A row of the list: what a queue shows and a client needs to pick a filing, with
    ``available_actions`` (computed without a query per row). The whole filing (funding, construction
    content, opinion, approval, acceptance) is its detail, ``GET …/filings/{id}/``: 22 fields a row instead
    of 50 keep a page of 50 rows light (issue 15)."""

    agency = serializers.UUIDField(source="agency.uuid", read_only=True)

    class Meta:
        model = ProjectFiling
        fields = [
            "id",
            "agency",
            "agency_name",
            "title",
            "kind",
            "kind_display",
            "level",
            "district",
            "government_investment",
            "status",
            "status_display",
            "reviewing_authority",
            "submitted_at",
            "review_due_date",
            "review_overdue",
            "review_round",
            "decided_at",
            "opinion_number",
            "created_at",
            "updated_at",
            "available_actions",
        ]
        read_only_fields = fields


class FilingDetailSerializer(FilingSerializer):
    reviewers = serializers.SerializerMethodField(help_text="指定的审查人员")

    class Meta(FilingSerializer.Meta):
        fields = [*FilingSerializer.Meta.fields, "reviewers"]
        read_only_fields = [*FilingSerializer.Meta.read_only_fields, "reviewers"]

    @extend_schema_field(ActorSerializer(many=True))
    def get_reviewers(self, filing) -> list[dict]:
        return ActorSerializer(filing_reviewers(filing), many=True).data


class FilingChecklistItemSerializer(serializers.Serializer):
    """One Art. 13 dimension with the reviewer's finding (null fields while not yet reviewed)."""

    dimension = serializers.ChoiceField(choices=ReviewDimension.choices)
    label = serializers.CharField()
    result = serializers.CharField(source="finding.result", default=None, allow_null=True)
    text = serializers.CharField(source="finding.text", default=None, allow_null=True)
    reviewer = ActorSerializer(source="finding.reviewer", default=None, allow_null=True)
    updated_at = serializers.DateTimeField(source="finding.updated_at", default=None, allow_null=True)


class FilingChecklistFindingInput(serializers.Serializer):
    dimension = serializers.ChoiceField(choices=ReviewDimension.choices, help_text="审查内容（第十三条第二款）")
    result = serializers.ChoiceField(choices=FindingResult.choices, help_text="结论：符合、存在问题、不符合")
    text = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="意见；结论为“存在问题”或“不符合”时必填"
    )


class FilingChecklistInput(serializers.Serializer):
    """Findings on some or all of the six dimensions; dimensions not named keep their finding."""

    findings = FilingChecklistFindingInput(many=True, allow_empty=False, max_length=len(ReviewDimension.values))

    def validate_findings(self, rows):
        dimensions = [row["dimension"] for row in rows]
        if len(set(dimensions)) != len(dimensions):
            raise serializers.ValidationError("每项审查内容只能填写一次。", code="duplicate-dimension")
        return {row["dimension"]: (row["result"], row["text"]) for row in rows}


class FilingCommentInput(serializers.Serializer):
    comment = serializers.CharField(
        help_text="意见内容", error_messages={"required": "请填写意见内容。", "blank": "请填写意见内容。"}
    )


class FilingContractorSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    contractor = serializers.UUIDField(source="contractor.uuid", read_only=True)
    contractor_name = serializers.CharField(source="contractor.name", read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)
    qualification = serializers.UUIDField(source="qualification.uuid", read_only=True, default=None)
    qualification_number = serializers.CharField(source="qualification.number", read_only=True, default=None)

    class Meta:
        model = FilingContractor
        fields = [
            "id",
            "contractor",
            "contractor_name",
            "role",
            "role_display",
            "qualification",
            "qualification_number",
            "contract_signed_on",
            "assigned_at",
        ]
        read_only_fields = fields


class FilingContractorAssignInput(serializers.Serializer):
    contractor = serializers.SlugRelatedField(
        slug_field="uuid",
        queryset=Organization.objects.filter(kind=OrganizationKind.CONTRACTOR, is_active=True),
        help_text="承建单位的 id（须持有有效资质，第十一条）",
        error_messages={"does_not_exist": "未找到该承建单位。", "invalid": "承建单位 id 格式不正确。"},
    )
    role = serializers.ChoiceField(choices=ContractorRole.choices, help_text="承建、监理或安全服务")
    signed_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="合同签订日期：已签订承建合同的填写（登记承揽，无相应资质即记录第四十三条问题）；只选定承建单位的不填。",
    )


class FilingAcceptanceRecordSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    recorded_by = ActorSerializer(read_only=True)

    class Meta:
        model = AcceptanceRecord
        fields = [
            "id",
            "result",
            "held_on",
            "participants",
            "authority_invited",
            "authority_attended",
            "attendance_confirmed_at",
            "notes",
            "warranty_end",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields
