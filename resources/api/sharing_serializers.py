"""Serializers of the sharing API: one input per action (the schema names each)."""

from rest_framework import serializers

from portal.api.rows import FastRows
from resources.models import ResourceItem, SharingGrant, SharingRequest, SharingRound
from resources.rules import ShareMethod


class ItemRefsField(serializers.ListField):
    """Item UUIDs -> ResourceItem rows in one query; the service checks they belong to the resource."""

    child = serializers.UUIDField()

    def to_internal_value(self, data):
        uuids = super().to_internal_value(data)
        rows = list(ResourceItem.objects.filter(uuid__in=uuids))
        if len(rows) != len(set(uuids)):
            raise serializers.ValidationError("有信息项不存在。")
        return rows


class RoundSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.__str__", read_only=True, default=None)

    class Meta:
        model = SharingRound
        fields = [
            "number",
            "party",
            "action",
            "item_names",
            "scope",
            "purpose",
            "method",
            "period_end",
            "reason",
            "actor",
            "created_at",
        ]


class SharingRequestSerializer(FastRows, serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    resource = serializers.UUIDField(source="resource.uuid", read_only=True)
    resource_name = serializers.CharField(source="resource.name", read_only=True)
    requester = serializers.CharField(source="requester.name", read_only=True)
    provider = serializers.CharField(source="provider.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = SharingRequest
        fields = [
            "id",
            "resource",
            "resource_name",
            "requester",
            "provider",
            "scope",
            "purpose",
            "method",
            "period_end",
            "status",
            "status_display",
            "reply_due_date",
            "escalated_at",
            "decided_at",
            "created_at",
        ]


class SharingRequestDetailSerializer(SharingRequestSerializer):
    items = serializers.SerializerMethodField()
    rounds = serializers.SerializerMethodField()
    available_actions = serializers.SerializerMethodField()

    class Meta(SharingRequestSerializer.Meta):
        fields = [*SharingRequestSerializer.Meta.fields, "items", "rounds", "available_actions"]

    def get_items(self, request) -> list[str]:
        return [i.name for i in request.items.order_by("position")]

    def get_rounds(self, request) -> list[dict]:
        return RoundSerializer(request.rounds.select_related("actor").order_by("number"), many=True).data

    def get_available_actions(self, request) -> list[str]:
        from resources.actions import sharing_available_actions

        return sharing_available_actions(self.context["request"].user, request)


class SharingRequestInput(serializers.Serializer):
    resource = serializers.UUIDField(help_text="申请共享的信息资源。")
    items = ItemRefsField(help_text="申请的信息项（UUID）。")
    scope = serializers.CharField(help_text="共享范围。")
    purpose = serializers.CharField(help_text="用途。")
    method = serializers.ChoiceField(choices=ShareMethod.choices)
    period_end = serializers.DateField(help_text="使用期限至。")


class AgreeInput(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class CounterInput(serializers.Serializer):
    items = ItemRefsField()
    scope = serializers.CharField(required=False, allow_blank=True, default="")
    method = serializers.ChoiceField(choices=ShareMethod.choices)
    period_end = serializers.DateField()
    reason = serializers.CharField()


class RefuseInput(serializers.Serializer):
    reason = serializers.CharField(help_text="拒绝理由和依据；无条件共享的资源不得拒绝。")


class ReviseInput(serializers.Serializer):
    items = ItemRefsField()
    scope = serializers.CharField()
    purpose = serializers.CharField()
    method = serializers.ChoiceField(choices=ShareMethod.choices)
    period_end = serializers.DateField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class EscalateInput(serializers.Serializer):
    reason = serializers.CharField(help_text="协商未达成一致的情况（第二十一条第二款）。")


class DecideInput(serializers.Serializer):
    grant = serializers.BooleanField(help_text="true：决定共享；false：决定不予共享。")
    reason = serializers.CharField()
    items = ItemRefsField(required=False, help_text="决定共享的信息项；缺省为申请中的信息项。")
    period_end = serializers.DateField(required=False)


class WithdrawInput(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class GrantSerializer(FastRows, serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    resource = serializers.UUIDField(source="resource.uuid", read_only=True)
    resource_name = serializers.CharField(source="resource.name", read_only=True)
    grantee = serializers.CharField(source="grantee.name", read_only=True)
    items = serializers.SerializerMethodField()

    class Meta:
        model = SharingGrant
        fields = [
            "id",
            "resource",
            "resource_name",
            "grantee",
            "items",
            "purpose",
            "method",
            "ends_on",
            "status",
            "by_decision",
            "revoke_reason",
            "created_at",
        ]

    def get_items(self, grant) -> list[str]:
        return [i.name for i in grant.items.all()]
