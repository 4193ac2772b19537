"""API shapes of plans and standards, and one input serializer per plan transition."""

from rest_framework import serializers

from planning.models import Plan, PlanVersion, Standard


class PlanVersionSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)

    class Meta:
        model = PlanVersion
        fields = ["id", "number", "note", "created_at"]


class PlanSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    organization = serializers.UUIDField(source="organization.uuid", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    conforms_to = serializers.SlugRelatedField(slug_field="uuid", read_only=True)
    published_version = PlanVersionSerializer(read_only=True)

    class Meta:
        model = Plan
        fields = [
            "id",
            "kind",
            "title",
            "organization",
            "organization_name",
            "district",
            "period_start",
            "period_end",
            "summary",
            "conforms_to",
            "status",
            "review_due_date",
            "review_opinion",
            "approved_by_body",
            "approval_reference",
            "approval_date",
            "published_on",
            "published_version",
        ]
        read_only_fields = fields


class PlanCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Plan._meta.get_field("kind").choices)
    organization = serializers.UUIDField(help_text="编制单位的公开标识")
    title = serializers.CharField(max_length=200)
    period_start = serializers.IntegerField(min_value=2000, max_value=2100)
    period_end = serializers.IntegerField(min_value=2000, max_value=2100)
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    conforms_to = serializers.UUIDField(required=False, allow_null=True, default=None)


class SubmitForReviewInput(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class OpinionInput(serializers.Serializer):
    opinion = serializers.CharField()


class ApprovalInput(serializers.Serializer):
    approved_by_body = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    approval_reference = serializers.CharField(max_length=60)
    approval_date = serializers.DateField()


class PublishInput(serializers.Serializer):
    published_on = serializers.DateField(required=False, allow_null=True, default=None)


class StandardSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    replaced_by = serializers.SlugRelatedField(slug_field="code", read_only=True)
    is_mandatory = serializers.BooleanField(read_only=True)

    class Meta:
        model = Standard
        fields = [
            "id",
            "code",
            "title",
            "category",
            "is_mandatory",
            "scope",
            "issued_by",
            "status",
            "effective_on",
            "withdrawn_on",
            "replaced_by",
            "url",
        ]
        read_only_fields = ["id", "category", "is_mandatory", "status", "withdrawn_on", "replaced_by"]


class StandardWithdrawInput(serializers.Serializer):
    withdrawn_on = serializers.DateField()
    replaced_by = serializers.CharField(required=False, allow_blank=True, default="", help_text="代替标准的编号")
