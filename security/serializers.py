"""Input shape and output of the Chapter 5 API; the services decide the law."""

from rest_framework import serializers

from portal.api.rows import FastRows
from security.models import (
    Bulletin,
    Evaluation,
    GradingFiling,
    GradingReason,
    Incident,
    InformationSystem,
    IssueSeverity,
    Network,
    SystemStatus,
)
from security.rules import Conclusion, HarmDegree, HarmObject, IncidentLevel, ReportVersion


class SystemSerializer(FastRows, serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    operator = serializers.UUIDField(source="operator.uuid", read_only=True)
    operator_name = serializers.CharField(source="operator.name", read_only=True)
    network = serializers.ChoiceField(choices=Network.choices)
    status = serializers.ChoiceField(choices=SystemStatus.choices, default=SystemStatus.IN_OPERATION)
    project_filing = serializers.UUIDField(
        source="project_filing.uuid",
        required=False,
        allow_null=True,
        default=None,
        help_text="建设该系统的项目备案（第二章）",
    )
    filing_number = serializers.CharField(source="current_filing.filing_number", read_only=True, default=None)

    class Meta:
        model = InformationSystem
        fields = [
            "id",
            "operator",
            "operator_name",
            "name",
            "builder",
            "purpose",
            "users_served",
            "network",
            "status",
            "project_filing",
            "district",
            "level",
            "graded_on",
            "filing_due_date",
            "filing_number",
            "last_evaluated_on",
            "next_evaluation_due",
            "created_at",
        ]
        read_only_fields = [
            "district",
            "level",
            "graded_on",
            "filing_due_date",
            "last_evaluated_on",
            "next_evaluation_due",
            "created_at",
        ]
        # The (operator, name) uniqueness is checked by the service, which knows the operator.
        validators = []


class GradingSerializer(FastRows, serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    system = serializers.UUIDField(source="system.uuid", help_text="信息系统的 id")
    system_name = serializers.CharField(source="system.name", read_only=True)
    business_harm_object = serializers.ChoiceField(choices=HarmObject.choices)
    business_harm_degree = serializers.ChoiceField(choices=HarmDegree.choices)
    service_harm_object = serializers.ChoiceField(choices=HarmObject.choices)
    service_harm_degree = serializers.ChoiceField(choices=HarmDegree.choices)
    level = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=5,
        help_text="可选：申报的等级。与定级矩阵计算结果不一致时返回 400。响应中为计算所得等级。",
    )
    reason = serializers.ChoiceField(choices=GradingReason.choices, default=GradingReason.INITIAL)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = GradingFiling
        fields = [
            "id",
            "system",
            "system_name",
            "reason",
            "business_harm_object",
            "business_harm_degree",
            "service_harm_object",
            "service_harm_degree",
            "business_level",
            "service_level",
            "level",
            "graded_on",
            "change_description",
            "expert_reviewed_on",
            "expert_opinion",
            "status",
            "status_display",
            "filing_number",
            "submitted_at",
            "decided_at",
            "return_reason",
            "created_at",
        ]
        read_only_fields = [
            "business_level",
            "service_level",
            "status",
            "filing_number",
            "submitted_at",
            "decided_at",
            "return_reason",
            "created_at",
        ]
        extra_kwargs = {"graded_on": {"required": False}}


class IssueInput(serializers.Serializer):
    description = serializers.CharField(max_length=2000)
    severity = serializers.ChoiceField(choices=IssueSeverity.choices)


class EvaluationSerializer(FastRows, serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    system = serializers.UUIDField(source="system.uuid")
    system_name = serializers.CharField(source="system.name", read_only=True)
    evaluator = serializers.UUIDField(source="evaluator.uuid", help_text="测评机构（单位）的 id")
    evaluator_name = serializers.CharField(source="evaluator.name", read_only=True)
    report_version = serializers.ChoiceField(choices=ReportVersion.choices)
    conclusion = serializers.ChoiceField(
        choices=Conclusion.choices,
        required=False,
        allow_null=True,
        help_text="可选；与报告版本的结论等级不符时返回 400。",
    )
    issues = IssueInput(many=True, required=False, write_only=True)

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "system",
            "system_name",
            "evaluator",
            "evaluator_name",
            "evaluated_on",
            "report_version",
            "score",
            "high_risk_remaining",
            "conclusion",
            "level",
            "report_number",
            "issues",
            "created_at",
        ]
        read_only_fields = ["level", "created_at"]


class IncidentSerializer(FastRows, serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    organization = serializers.UUIDField(source="organization.uuid", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    level = serializers.ChoiceField(choices=IncidentLevel.choices)
    systems = serializers.ListField(child=serializers.UUIDField(), required=False, write_only=True)
    is_late = serializers.BooleanField(read_only=True)

    class Meta:
        model = Incident
        fields = [
            "id",
            "organization",
            "organization_name",
            "title",
            "level",
            "occurred_at",
            "discovered_at",
            "reported_at",
            "systems",
            "description",
            "measures",
            "records_preserved",
            "report_limit_minutes",
            "report_delay_minutes",
            "is_late",
            "status",
            "handling_ended_at",
            "summary_due_date",
            "final_summary",
        ]
        read_only_fields = [
            "reported_at",
            "report_limit_minutes",
            "report_delay_minutes",
            "status",
            "handling_ended_at",
            "summary_due_date",
            "final_summary",
        ]


class FollowUpInput(serializers.Serializer):
    text = serializers.CharField(max_length=5000)


class EndHandlingInput(serializers.Serializer):
    ended_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class SummaryInput(serializers.Serializer):
    summary = serializers.CharField(max_length=20000)


class BulletinSerializer(FastRows, serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    issuer_name = serializers.CharField(source="issuer.name", read_only=True)
    recipients = serializers.ListField(child=serializers.UUIDField(), required=False, write_only=True)
    recipient_count = serializers.IntegerField(read_only=True, required=False)
    pending_count = serializers.IntegerField(read_only=True, required=False)

    class Meta:
        model = Bulletin
        fields = [
            "id",
            "issuer_name",
            "kind",
            "title",
            "body",
            "to_all",
            "recipients",
            "issued_at",
            "recipient_count",
            "pending_count",
        ]
        read_only_fields = ["issued_at"]


class BulkRowSerializer(serializers.Serializer):
    """One row of the bulk import (JSON objects or CSV columns of the same names)."""

    name = serializers.CharField()
    builder = serializers.CharField()
    purpose = serializers.CharField()
    users_served = serializers.CharField()
    network = serializers.ChoiceField(choices=Network.choices)
    status = serializers.ChoiceField(choices=SystemStatus.choices, required=False)
    project_filing = serializers.UUIDField(required=False, allow_null=True)
    business_harm_object = serializers.ChoiceField(choices=HarmObject.choices)
    business_harm_degree = serializers.ChoiceField(choices=HarmDegree.choices)
    service_harm_object = serializers.ChoiceField(choices=HarmObject.choices)
    service_harm_degree = serializers.ChoiceField(choices=HarmDegree.choices)
    level = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=5)
    graded_on = serializers.DateField(required=False, allow_null=True)
    expert_reviewed_on = serializers.DateField(required=False, allow_null=True)
    expert_opinion = serializers.CharField(required=False, allow_blank=True)


class SystemBulkInput(serializers.Serializer):
    rows = BulkRowSerializer(many=True)
