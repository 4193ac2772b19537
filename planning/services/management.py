"""Agencies' informatization management (Art. 40): staff training (Art. 28) and periodic assessments (Art. 40)."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from planning.models import StaffDevelopmentRecord
from planning.permissions import may_record_development
from planning.rules import DevelopmentKind
from portal.access import require
from portal.models import Organization
from portal.services import timeline_record


@transaction.atomic
def development_record_create(
    *,
    actor,
    organization: Organization,
    kind: str,
    held_on: date,
    title: str,
    participants: int,
    hours: Decimal = Decimal("0"),
    passed: int | None = None,
    notes: str = "",
) -> StaffDevelopmentRecord:
    require(may_record_development(actor, organization), "只有本机关的经办人或负责人可以登记培训和考核记录。")
    errors = {}
    if held_on and held_on > timezone.localdate():
        errors["held_on"] = ValidationError("只能登记已经举办的培训或考核。", code="date-in-future")
    if kind == DevelopmentKind.ASSESSMENT and passed is None:
        errors["passed"] = "考核记录请填写考核合格人数。"
    if kind == DevelopmentKind.TRAINING:
        passed = None
        if not hours or hours <= 0:
            errors["hours"] = "培训记录请填写学时。"
    if errors:
        raise ValidationError(errors)
    record = StaffDevelopmentRecord(
        organization=organization,
        kind=kind,
        year=held_on.year,
        held_on=held_on,
        title=title,
        participants=participants,
        hours=hours or 0,
        passed=passed,
        notes=notes,
        created_by=actor,
    )
    record.full_clean()
    record.save()
    timeline_record(obj=organization, actor=actor, action=f"staff_{kind}_recorded", comment=title)
    return record
