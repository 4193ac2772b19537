"""API shapes of Chapters 6-7: one input serializer per action (shape only; the services decide the law)."""

from rest_framework import serializers

from enforcement.models import Case, Finding, Sanction
from enforcement.rules import ReferralBody, SanctionKind
from portal.api.rows import FastRows
from portal.models import User


class EnforcementFindingSerializer(FastRows, serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    party = serializers.UUIDField(source="party.uuid", read_only=True, default=None)
    party_name = serializers.CharField(source="party.name", read_only=True, default=None)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    case = serializers.UUIDField(source="case.uuid", read_only=True, default=None)
    case_number = serializers.CharField(source="case.number", read_only=True, default=None)

    class Meta:
        model = Finding
        fields = [
            "id",
            "rule",
            "title",
            "article_breached",
            "sanctioning_article",
            "party",
            "party_name",
            "level",
            "district",
            "evidence",
            "status",
            "status_display",
            "dismiss_reason",
            "case",
            "case_number",
            "detected_at",
            "triaged_at",
        ]
        read_only_fields = fields


class SanctionSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Sanction
        fields = ["kind", "kind_display", "amount", "serious_reasons", "correction_due", "reinspected_on", "corrected"]
        read_only_fields = fields


class CaseSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    authority = serializers.CharField(source="authority.name", read_only=True)
    party_organization = serializers.UUIDField(source="party_organization.uuid", read_only=True, default=None)
    party_name = serializers.CharField(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    sanctions = SanctionSerializer(many=True, read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "authority",
            "level",
            "district",
            "party_organization",
            "party_name",
            "article_breached",
            "sanctioning_article",
            "sanctioning_item",
            "competent_department",
            "facts",
            "status",
            "status_display",
            "registered_on",
            "notified_on",
            "proposed_sanctions",
            "hearing_eligible",
            "hearing_requested_on",
            "hearing_date",
            "decided_on",
            "decision_text",
            "fine_total",
            "served_on",
            "payment_due",
            "paid_on",
            "paid_amount",
            "closed_on",
            "outcome_reason",
            "referral_body",
            "published_at",
            "withdrawn_at",
            "sanctions",
        ]
        read_only_fields = fields


class CaseListSerializer(FastRows, serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    party_name = serializers.CharField(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "party_name",
            "article_breached",
            "sanctioning_article",
            "status",
            "status_display",
            "registered_on",
            "decided_on",
            "fine_total",
        ]
        read_only_fields = fields


class PublishedDecisionSerializer(serializers.ModelSerializer):
    """What the public sees: no person's ID number, no internal notes."""

    id = serializers.UUIDField(source="uuid", read_only=True)
    authority = serializers.CharField(source="authority.name", read_only=True)
    party_name = serializers.CharField(read_only=True)
    sanctions = SanctionSerializer(many=True, read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "authority",
            "party_name",
            "article_breached",
            "sanctioning_article",
            "sanctioning_item",
            "facts",
            "decided_on",
            "fine_total",
            "sanctions",
            "published_at",
        ]
        read_only_fields = fields


# --- action inputs --------------------------------------------------------------------------------------------


class SanctionInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=SanctionKind.choices)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, allow_null=True)
    serious_reasons = serializers.CharField(required=False, allow_blank=True, default="")


class DismissInput(serializers.Serializer):
    reason = serializers.CharField(help_text="不予立案的理由。")


class OpenCaseInput(serializers.Serializer):
    officers = serializers.ListField(
        child=serializers.UUIDField(),
        min_length=2,
        help_text="执法人员（用户 id），不少于2人（行政处罚法第四十二条）。",
    )
    facts = serializers.CharField(required=False, allow_blank=True, default="")
    competent_department = serializers.CharField(required=False, allow_blank=True, default="")

    def validate_officers(self, value):
        users = list(User.objects.filter(uuid__in=value, is_active=True))
        if len(users) != len(set(value)):
            raise serializers.ValidationError("有执法人员不存在或已停用。")
        return users


class NoInput(serializers.Serializer):
    pass


class NotifyInput(serializers.Serializer):
    sanctions = SanctionInput(many=True, help_text="拟作出的处罚。")
    statement = serializers.CharField(required=False, allow_blank=True, default="")


class ScheduleHearingInput(serializers.Serializer):
    hearing_date = serializers.DateField()


class HoldHearingInput(serializers.Serializer):
    record = serializers.CharField()


class CaseDecideInput(serializers.Serializer):
    sanctions = SanctionInput(many=True, help_text="决定的处罚；超出罚则条款的处罚返回 400 并引用条文。")
    decision_text = serializers.CharField(required=False, allow_blank=True, default="")
    correction_due = serializers.DateField(required=False, allow_null=True, default=None)


class ServeInput(serializers.Serializer):
    served_on = serializers.DateField(required=False, allow_null=True, default=None)


class PaymentInput(serializers.Serializer):
    paid_on = serializers.DateField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)


class ReinspectionInput(serializers.Serializer):
    corrected = serializers.BooleanField()
    result = serializers.CharField()


class CaseReasonInput(serializers.Serializer):
    reason = serializers.CharField()


class ReferInput(serializers.Serializer):
    body = serializers.ChoiceField(choices=ReferralBody.choices)
    reason = serializers.CharField()


class CaseExtendInput(serializers.Serializer):
    new_due_date = serializers.DateField()
    reason = serializers.CharField()
    approval_reference = serializers.CharField()
