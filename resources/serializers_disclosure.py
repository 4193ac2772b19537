"""Serializers of the disclosure API: shapes only; the services validate the law."""

from rest_framework import serializers

from resources import rules_disclosure as rules
from resources.models.disclosure import CatalogEntry, DisclosureApplication, DisclosureGuide
from resources.selectors.disclosure import disclosing_agencies

STANDARD_CORRECTION = "请补充所需政府信息的名称、文号或者便于行政机关查询的其他特征性描述。"


class GuideSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    agency = serializers.UUIDField(source="agency.uuid", read_only=True)
    agency_name = serializers.CharField(source="agency.name", read_only=True)

    class Meta:
        model = DisclosureGuide
        fields = [
            "id",
            "agency",
            "agency_name",
            "version",
            "categories",
            "arrangement",
            "how_to_obtain",
            "office_name",
            "office_address",
            "office_hours",
            "phone",
            "fax",
            "online_contact",
            "published_at",
        ]


class CatalogEntrySerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    agency = serializers.UUIDField(source="agency.uuid", read_only=True)
    agency_name = serializers.CharField(source="agency.name", read_only=True)

    class Meta:
        model = CatalogEntry
        fields = ["id", "agency", "agency_name", "index_number", "name", "summary", "generated_on", "category", "link"]


class ApplicationSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    agency = serializers.UUIDField(source="agency.uuid", read_only=True)
    agency_name = serializers.CharField(source="agency.name", read_only=True)

    class Meta:
        model = DisclosureApplication
        fields = [
            "id",
            "tracking_number",
            "agency",
            "agency_name",
            "applicant_kind",
            "applicant_name",
            "contact",
            "email",
            "description",
            "channel",
            "status",
            "received_on",
            "reply_due_date",
            "correction_notice_by",
            "correction_requested_on",
            "correction_received_on",
            "extended_on",
            "extension_days",
            "consultation_started_on",
            "consultation_due_date",
            "response_type",
            "response_reason",
            "replied_on",
            "replied_late",
            "fee_method",
            "fee_quantity",
            "fee_amount",
            "created_at",
        ]
        read_only_fields = fields


class ApplicationCreateSerializer(serializers.Serializer):
    agency = serializers.SlugRelatedField(slug_field="uuid", queryset=disclosing_agencies())
    applicant_kind = serializers.ChoiceField(choices=rules.ApplicantKind.choices)
    applicant_name = serializers.CharField(max_length=120)
    contact = serializers.CharField(max_length=200)
    description = serializers.CharField()
    channel = serializers.ChoiceField(choices=rules.Channel.choices)
    received_on = serializers.DateField()
    email = serializers.EmailField(required=False, allow_blank=True)
    id_type = serializers.ChoiceField(choices=rules.IdType.choices, required=False, allow_blank=True)
    id_number = serializers.CharField(max_length=40, required=False, allow_blank=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    delivery_form = serializers.ChoiceField(choices=rules.DeliveryForm.choices, required=False)
    delivery_channel = serializers.ChoiceField(choices=rules.DeliveryChannel.choices, required=False)


class ApplicationCreatedSerializer(ApplicationSerializer):
    """The answer to a recorded application: the access code appears here once and never again."""

    access_code = serializers.CharField(read_only=True)

    class Meta(ApplicationSerializer.Meta):
        fields = [*ApplicationSerializer.Meta.fields, "access_code"]
        read_only_fields = fields


class ConfirmReceiptInput(serializers.Serializer):
    received_on = serializers.DateField(required=False, help_text="条例第三十一条：双方确认之日；默认今天。")


class CorrectionNoticeInput(serializers.Serializer):
    request = serializers.CharField(required=False, default=STANDARD_CORRECTION, help_text="需要补正的事项")
    on = serializers.DateField(required=False, help_text="告知日；默认今天。")


class CorrectionReceivedInput(serializers.Serializer):
    received_on = serializers.DateField(help_text="收到补正后申请之日：答复期限由此重新计算。")


class ExtendInput(serializers.Serializer):
    reason = serializers.CharField()
    days = serializers.IntegerField(
        required=False,
        default=rules.EXTENSION_MAX_WORKING_DAYS,
        min_value=1,
        max_value=rules.EXTENSION_MAX_WORKING_DAYS,
    )
    approved_by = serializers.CharField(required=False, allow_blank=True, default="")
    on = serializers.DateField(required=False)


class ConsultInput(serializers.Serializer):
    party = serializers.CharField(required=False, default="第三方")
    third_party = serializers.BooleanField(required=False, default=True)
    on = serializers.DateField(required=False)


class ConsultationAnsweredInput(serializers.Serializer):
    answered_on = serializers.DateField(required=False)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ReplyInput(serializers.Serializer):
    response_type = serializers.ChoiceField(choices=rules.ResponseType.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    text = serializers.CharField(required=False, allow_blank=True, default="")
    fee_method = serializers.ChoiceField(choices=rules.FeeMethod.choices, required=False, allow_blank=True, default="")
    fee_quantity = serializers.IntegerField(required=False, allow_null=True, min_value=1, default=None)
    on = serializers.DateField(required=False)


class TrackSerializer(serializers.Serializer):
    """What the applicant sees: status and dates, never staff notes."""

    tracking_number = serializers.CharField()
    agency_name = serializers.CharField(source="agency.name")
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    received_on = serializers.DateField()
    reply_due_date = serializers.DateField()
    correction_request = serializers.CharField()
    extended_on = serializers.DateField()
    response_type = serializers.CharField()
    replied_on = serializers.DateField()
