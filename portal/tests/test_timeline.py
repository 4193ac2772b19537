"""The timeline is append-only in the database; organization changes leave history and a timeline event."""

import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse

from portal.models import TimelineEvent
from portal.selectors import timeline_for
from portal.services import organization_update, timeline_record

pytestmark = pytest.mark.django_db


def test_it_refuses_to_update_a_timeline_event(orgs, official):
    event = timeline_record(obj=orgs["agency"], actor=official, action="checked")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        TimelineEvent.objects.filter(pk=event.pk).update(comment="rewritten")
    event.refresh_from_db()
    assert event.comment == ""


def test_it_refuses_to_delete_a_timeline_event(orgs, official):
    event = timeline_record(obj=orgs["agency"], actor=official, action="checked")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        event.delete()
    assert TimelineEvent.objects.filter(pk=event.pk).exists()


def test_it_records_the_creation_of_an_organization(orgs):
    assert list(timeline_for(orgs["agency"]).values_list("action", flat=True)) == ["organization_created"]


def test_it_keeps_history_and_a_timeline_event_for_an_update(orgs, official):
    agency = orgs["agency"]
    history_before = agency.history.count()
    organization_update(organization=agency, actor=official, phone="010-66668888")
    assert agency.history.count() == history_before + 1
    latest = agency.history.latest()
    assert latest.phone == "010-66668888"
    assert latest.history_change_reason == "organization_update"
    event = timeline_for(agency).last()
    assert event.action == "organization_updated"
    assert event.actor == official
    assert event.data == {"changed": {"phone": ["", "010-66668888"]}}


def test_it_attributes_history_to_the_user_of_the_request(client, official, orgs):
    from portal.forms.organizations import OrganizationForm

    client.force_login(official)
    data = OrganizationForm(instance=orgs["agency"]).initial | {"address": "北京市通州区"}
    client.post(reverse("organization-edit", args=[orgs["agency"].uuid]), data)
    assert orgs["agency"].history.latest().history_user == official


def test_it_writes_no_event_when_nothing_changed(orgs, official):
    organization_update(organization=orgs["agency"], actor=official, phone="")
    assert timeline_for(orgs["agency"]).count() == 1


def test_it_refuses_fields_that_may_not_be_edited(orgs, official):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        organization_update(organization=orgs["agency"], actor=official, uscc="x")
    assert "uscc" in error.value.message_dict


def test_it_refuses_an_update_by_someone_who_may_not_change(orgs, clerk):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        organization_update(organization=orgs["agency"], actor=clerk, phone="1")


def test_it_shows_the_timeline_on_the_detail_page(client, official, orgs):
    organization_update(organization=orgs["agency"], actor=official, phone="010-66668888")
    client.force_login(official)
    page = client.get(reverse("organization-detail", args=[orgs["agency"].uuid])).content.decode()
    assert 'data-testid="timeline"' in page
    assert "创建单位" in page
    assert "修改单位信息" in page
