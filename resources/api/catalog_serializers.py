"""Serializers of the catalog API: read shapes, the registration input (for the schema), transition inputs."""

from rest_framework import serializers

from portal.api.rows import FastRows
from resources.models import CatalogResource, ResourceItem
from resources.rules import DataType, OpenAttribute, ResourceFormat, ShareMethod, ShareType, UpdateCycle


class ItemSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    granted = serializers.BooleanField(read_only=True, default=False, help_text="由共享授权向本单位开放。")

    class Meta:
        model = ResourceItem
        fields = [
            "id",
            "position",
            "name",
            "data_type",
            "length",
            "description",
            "share_type",
            "open_attribute",
            "granted",
        ]


class ResourceListSerializer(FastRows, serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    classification = serializers.CharField(source="classification.code", read_only=True)
    classification_name = serializers.CharField(source="classification.name", read_only=True)
    provider = serializers.UUIDField(source="provider.uuid", read_only=True)
    provider_name = serializers.CharField(source="provider.name", read_only=True)
    base_database = serializers.CharField(source="base_database.code", read_only=True, default=None)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = CatalogResource
        fields = [
            "id",
            "code",
            "name",
            "summary",
            "classification",
            "classification_name",
            "provider",
            "provider_name",
            "format",
            "share_type",
            "share_method",
            "open_attribute",
            "update_cycle",
            "base_database",
            "published_on",
            "last_updated_on",
            "status",
            "status_display",
            "version",
        ]


class ResourceSerializer(ResourceListSerializer):
    revision_of = serializers.UUIDField(source="revision_of.uuid", read_only=True, default=None)
    items = serializers.SerializerMethodField()
    available_actions = serializers.SerializerMethodField()

    class Meta(ResourceListSerializer.Meta):
        fields = [
            *ResourceListSerializer.Meta.fields,
            "collection_basis",
            "share_condition",
            "share_basis",
            "stale_after",
            "revision_of",
            "has_duplicates",
            "duplicate_justification",
            "justification_status",
            "duplicate_matches",
            "items",
            "available_actions",
        ]

    def get_items(self, resource) -> list[dict]:
        from resources.selectors import resource_items_for

        request = self.context.get("request")
        return ItemSerializer(resource_items_for(request.user, resource), many=True).data

    def get_available_actions(self, resource) -> list[str]:
        from resources.actions import resource_available_actions

        return resource_available_actions(self.context["request"].user, resource)


class ItemInput(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    data_type = serializers.ChoiceField(choices=DataType.choices)
    length = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    description = serializers.CharField(required=False, allow_blank=True, max_length=300)
    share_type = serializers.ChoiceField(choices=ShareType.choices, required=False, help_text="缺省同资源。")
    open_attribute = serializers.ChoiceField(choices=OpenAttribute.choices, required=False, help_text="缺省同资源。")


class ResourceInput(serializers.Serializer):
    """What an agency registers (编制指南 metadata). Checked by the same code as the pages and the bulk import."""

    classification = serializers.CharField(max_length=20, help_text="资源分类代码，如 201。")  # Classification.code
    name = serializers.CharField(max_length=200)
    summary = serializers.CharField()
    format = serializers.ChoiceField(choices=ResourceFormat.choices)
    collection_basis = serializers.CharField(help_text="采集依据（第十七条）。")
    share_type = serializers.ChoiceField(choices=ShareType.choices)
    share_condition = serializers.CharField(required=False, allow_blank=True)
    share_basis = serializers.CharField(required=False, allow_blank=True, help_text="有条件共享、不予共享时必填。")
    share_method = serializers.ChoiceField(choices=ShareMethod.choices)
    open_attribute = serializers.ChoiceField(choices=OpenAttribute.choices)
    update_cycle = serializers.ChoiceField(choices=UpdateCycle.choices)
    last_updated_on = serializers.DateField(required=False, allow_null=True)
    base_database = serializers.CharField(required=False, allow_blank=True, help_text="基础数据库代码（第十八条）。")
    items = ItemInput(many=True)
    duplicate_justification = serializers.CharField(
        required=False, allow_blank=True, help_text="与其他单位已发布资源重复时必填：重复采集的正当理由（第十七条）。"
    )


class DuplicateSerializer(serializers.Serializer):
    resource = serializers.UUIDField()
    name = serializers.CharField()
    code = serializers.CharField()
    provider = serializers.CharField()
    base_database = serializers.CharField()
    overlapping_items = serializers.ListField(child=serializers.CharField())
    overlap = serializers.FloatField()


class DuplicateCheckInput(serializers.Serializer):
    items = ItemInput(many=True)


class CommentInput(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField()


class RecordUpdateInput(serializers.Serializer):
    updated_on = serializers.DateField()


class BulkInput(serializers.Serializer):
    """JSON: ``{"resources": [...]}`` (items nested), or multipart CSV files ``resources`` and ``items``."""

    resources = ResourceInput(many=True)


class BulkError(serializers.Serializer):
    row = serializers.IntegerField()
    field = serializers.CharField()
    message = serializers.CharField()


class JustificationReviewInput(serializers.Serializer):
    accepted = serializers.BooleanField(help_text="重复采集的理由是否成立；不成立即为第十七条违法线索。")
    comment = serializers.CharField(required=False, allow_blank=True, default="")
