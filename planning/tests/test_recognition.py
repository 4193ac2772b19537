"""Commendations (Art. 8) and showcased results (Art. 31): recorded by the authority, public once published."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from planning import services
from planning.rules import AchievementCategory, AwardeeKind
from portal.workflow import Refused

pytestmark = pytest.mark.django_db


def _commendation(actor, **extra):
    fields = {
        "year": 2025,
        "title": "信息化工作先进个人",
        "awardee_kind": AwardeeKind.PERSON,
        "person_name": "李明",
        "citation": "主持数据中心建设。",
        "conferred_by": "北京市人民政府",
        "conferred_on": date(2025, 3, 1),
    }
    return services.commendation_create(actor=actor, **(fields | extra))


def test_public_pages_show_only_published(client, official, orgs):
    published = services.recognition_publish(obj=_commendation(official, person_name="王公开"), actor=official)
    _commendation(official, person_name="张未公开")
    shown = services.achievement_create(
        actor=official,
        title="一网通办平台",
        organization=orgs["agency"],
        category=AchievementCategory.APPLICATION,
        summary="简介",
        showcased_on=date(2025, 9, 1),
    )
    services.achievement_create(
        actor=official,
        title="未公布成果",
        organization=orgs["agency"],
        category=AchievementCategory.PRODUCT,
        summary="简介",
        showcased_on=date(2025, 9, 2),
    )
    services.recognition_publish(obj=shown, actor=official)

    commendations = client.get(reverse("public-commendations")).content.decode()
    achievements = client.get(reverse("public-achievements")).content.decode()

    assert published.person_name in commendations and "张未公开" not in commendations
    assert "一网通办平台" in achievements and "未公布成果" not in achievements
    with pytest.raises(Refused):
        services.recognition_publish(obj=published, actor=official)


def test_it_needs_an_awardee(official):
    with pytest.raises(ValidationError):
        _commendation(official, awardee_kind=AwardeeKind.ORGANIZATION)


def test_clerk_may_not_record_or_publish(client, clerk, official):
    with pytest.raises(PermissionDenied):
        _commendation(clerk)
    commendation = _commendation(official)
    client.force_login(clerk)

    assert client.get(reverse("planning:recognition-manage")).status_code == 403
    assert (
        client.post(reverse("planning:recognition-publish", args=["commendation", commendation.uuid])).status_code
        == 403
    )


def test_official_records_and_publishes_on_the_page(client, official):
    client.force_login(official)

    response = client.post(
        reverse("planning:recognition-manage"),
        {
            "which": "commendation",
            "c-year": 2025,
            "c-title": "先进集体",
            "c-awardee_kind": "organization",
            "c-citation": "事迹",
            "c-conferred_by": "北京市人民政府",
            "c-conferred_on": "2025-03-01",
        },
    )

    assert response.status_code == 400 and "请选择受表彰单位" in response.content.decode()
