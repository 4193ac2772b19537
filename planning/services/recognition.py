"""Commendations (Art. 8 para. 2) and showcased informatization results (Art. 31); published on the public site."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from planning.models import Achievement, Commendation
from planning.permissions import may_manage_recognition
from planning.rules import AwardeeKind
from portal.access import require
from portal.services import timeline_record
from portal.workflow import Refused, lock

DENIED = "只有信息化主管部门可以登记表彰和成果展示。"


@transaction.atomic
def commendation_create(
    *,
    actor,
    year: int,
    title: str,
    awardee_kind: str,
    citation: str,
    conferred_by: str,
    conferred_on: date,
    organization=None,
    person_name: str = "",
    person_affiliation: str = "",
    reference: str = "",
) -> Commendation:
    require(may_manage_recognition(actor), DENIED)
    if awardee_kind == AwardeeKind.ORGANIZATION and organization is None:
        raise ValidationError({"organization": "请选择受表彰单位。"})
    if awardee_kind == AwardeeKind.PERSON and not person_name.strip():
        raise ValidationError({"person_name": "请填写受表彰个人姓名。"})
    commendation = Commendation(
        year=year,
        title=title,
        awardee_kind=awardee_kind,
        organization=organization if awardee_kind == AwardeeKind.ORGANIZATION else None,
        person_name=person_name.strip() if awardee_kind == AwardeeKind.PERSON else "",
        person_affiliation=person_affiliation.strip() if awardee_kind == AwardeeKind.PERSON else "",
        citation=citation,
        conferred_by=conferred_by,
        reference=reference,
        conferred_on=conferred_on,
        created_by=actor,
    )
    commendation.full_clean()
    commendation.save()
    timeline_record(obj=commendation, actor=actor, action="commendation_recorded", comment=title)
    return commendation


@transaction.atomic
def achievement_create(
    *,
    actor,
    title: str,
    organization,
    category: str,
    summary: str,
    showcased_on: date,
    event: str = "",
    url: str = "",
) -> Achievement:
    require(may_manage_recognition(actor), DENIED)
    achievement = Achievement(
        title=title,
        organization=organization,
        category=category,
        summary=summary,
        showcased_on=showcased_on,
        event=event,
        url=url,
        created_by=actor,
    )
    achievement.full_clean()
    achievement.save()
    timeline_record(obj=achievement, actor=actor, action="achievement_recorded", comment=title)
    return achievement


@transaction.atomic
def recognition_publish(*, obj: Commendation | Achievement, actor) -> Commendation | Achievement:
    """Put a commendation or a showcased result on the public site (once)."""
    require(may_manage_recognition(actor), DENIED)
    locked = lock(type(obj), obj.pk)
    if locked.published_at is not None:
        raise Refused(f"已于 {timezone.localtime(locked.published_at):%Y-%m-%d} 公布。", code="already-published")
    locked.published_at = timezone.now()
    locked.save(update_fields=["published_at"])
    timeline_record(obj=locked, actor=actor, action="recognition_published")
    return locked
