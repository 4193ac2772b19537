"""FastRows (portal.api.rows): list rows read without DRF's generic path, and exactly what DRF would give."""

import pytest
from rest_framework import serializers

from portal.api.rows import FastRows
from portal.models import Organization
from portal.serializers import OrganizationSerializer

pytestmark = pytest.mark.django_db


class _Probe(FastRows, serializers.ModelSerializer):
    """One field of each kind FastRows reads itself or hands to DRF."""

    id = serializers.UUIDField(source="uuid", read_only=True)
    parent_name = serializers.CharField(source="parent.name", read_only=True, default=None)  # None half-way
    parent_phone = serializers.CharField(source="parent.phone", read_only=True, required=False)  # skipped then
    parent_null = serializers.CharField(source="parent.address", read_only=True, allow_null=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)  # a method, called
    shout = serializers.SerializerMethodField()
    parent_pk = serializers.PrimaryKeyRelatedField(source="parent", read_only=True)  # DRF's own path
    whole = serializers.SerializerMethodField()

    class Meta:
        model = Organization
        fields = ["id", "name", "level", "is_active", "created_at", "parent_name", "parent_phone", "parent_null"]
        fields += ["kind_display", "shout", "parent_pk", "whole"]

    def get_shout(self, organization) -> str:
        return organization.name + "！"

    def get_whole(self, organization) -> int:
        return self.context["n"]


def drf(serializer, instance) -> dict:
    """What DRF's own Serializer.to_representation gives for the same serializer and row."""
    return serializers.ModelSerializer.to_representation(serializer, instance)


def test_each_row_is_what_drf_gives_whether_the_path_is_whole_or_broken_half_way(orgs):
    child = Organization.objects.filter(parent__isnull=False).select_related("parent").first()
    root = Organization.objects.filter(parent__isnull=True).first()
    serializer = _Probe([child, root], many=True, context={"n": 7})
    rows = serializer.data
    probe = serializer.child
    assert rows == [drf(probe, child), drf(probe, root)]
    by_uuid = {row["id"]: row for row in rows}
    assert by_uuid[str(child.uuid)]["parent_name"] == child.parent.name
    assert by_uuid[str(root.uuid)]["parent_name"] is None  # the field's default
    assert "parent_phone" not in by_uuid[str(root.uuid)]  # DRF skips a missing optional field
    assert by_uuid[str(root.uuid)]["parent_null"] is None
    assert by_uuid[str(child.uuid)]["kind_display"] == child.get_kind_display()
    assert by_uuid[str(child.uuid)]["shout"] == child.name + "！" and rows[0]["whole"] == 7
    assert by_uuid[str(child.uuid)]["parent_pk"] == child.parent_id


def test_the_plan_reads_plain_fields_itself_and_leaves_related_fields_to_drf(orgs):
    plan = {field.field_name: how for how, field, _ in _Probe(context={"n": 0})._row_plan()}
    assert plan["name"] == plan["parent_name"] == plan["created_at"] == "scalar"
    assert plan["kind_display"] == "display"  # Django's get_kind_display: one label per value, not per row
    assert plan["shout"] == "method"
    assert plan["parent_pk"] == "generic"


def test_a_real_list_serializer_matches_drf_row_for_row(orgs):
    rows = list(Organization.objects.select_related("parent").order_by("id"))
    serializer = OrganizationSerializer(rows, many=True)
    assert serializer.data == [drf(serializer.child, row) for row in rows]
    assert any(row["parent"] is None for row in serializer.data) and any(row["parent"] for row in serializer.data)


def test_a_mapping_row_goes_drf_s_way():
    class Plain(FastRows, serializers.Serializer):
        name = serializers.CharField()

    assert Plain({"name": "甲"}).data == {"name": "甲"}


def test_a_class_builds_its_fields_once_and_each_serializer_gets_its_own_copy(monkeypatch):
    class Row(FastRows, serializers.ModelSerializer):
        class Meta:
            model = Organization
            fields = ["name", "level", "created_at"]

    class WiderRow(Row):
        class Meta(Row.Meta):
            fields = [*Row.Meta.fields, "is_active"]

    built = []
    original = serializers.ModelSerializer.get_fields
    monkeypatch.setattr(serializers.ModelSerializer, "get_fields", lambda self: built.append(1) or original(self))

    first, second = Row(), Row(many=True).child
    assert list(first.fields) == list(second.fields) == ["name", "level", "created_at"]
    assert first.fields["name"] is not second.fields["name"] and second.fields["name"].parent is second
    assert list(WiderRow().fields) == ["name", "level", "created_at", "is_active"]  # its own, not its parent's
    assert len(built) == 2
    assert {k: type(v) for k, v in original(Row()).items()} == {k: type(v) for k, v in first.fields.items()}


@pytest.mark.parametrize("zone", ["UTC", "Asia/Shanghai"])
def test_date_times_are_drf_s_text_in_the_request_s_time_zone(orgs, zone):
    from django.utils import timezone

    rows = list(Organization.objects.select_related("parent").order_by("id")[:3])
    with timezone.override(zone):
        serializer = _Probe(rows, many=True, context={"n": 0})
        data = serializer.data
        assert data == [drf(serializer.child, row) for row in rows]
    assert data[0]["created_at"].endswith("Z" if zone == "UTC" else "+08:00")


def test_a_label_is_shown_for_each_row_of_a_list_though_translated_once_per_value(orgs):
    rows = list(Organization.objects.select_related("parent").order_by("id"))
    serializer = _Probe(rows, many=True, context={"n": 0})
    assert [row["kind_display"] for row in serializer.data] == [row.get_kind_display() for row in rows]
    assert len({row.kind for row in rows}) > 1
