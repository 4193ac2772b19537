"""Pieces every Chapter 3 service uses: notifications to the right people, working-day periods."""

from datetime import date

from django.core.exceptions import ValidationError

from portal.models import Level, Membership, OrganizationKind, Role, User
from portal.services import notification_create
from portal.workdays import MissingCalendarYear, add_working_days
from resources.catalog_permissions import AGENCY_ROLES


def working_days_after(start: date, days: int) -> date:
    try:
        return add_working_days(start, days)
    except MissingCalendarYear as exc:
        raise ValidationError(
            f"工作日历尚未载入{start.year}年后的节假日安排，无法计算期限，请联系系统管理员。", code="calendar-missing"
        ) from exc


def agency_people(organization) -> list[int]:
    """Ids of the active clerks and managers of an organization (one query)."""
    return list(
        Membership.objects.filter(organization=organization, role__in=AGENCY_ROLES, user__is_active=True)
        .values_list("user_id", flat=True)
        .distinct()
    )


def officials_for(*, level: str, district: str) -> list[int]:
    """Ids of the officials of the same-level authority (one query)."""
    memberships = Membership.objects.filter(user__is_active=True, organization__kind=OrganizationKind.AUTHORITY)
    if level == Level.CITY:
        memberships = memberships.filter(organization__level=Level.CITY, role=Role.AUTHORITY_OFFICIAL)
    else:
        memberships = memberships.filter(
            organization__level=Level.DISTRICT,
            organization__district=district,
            role__in=(Role.DISTRICT_OFFICIAL, Role.AUTHORITY_OFFICIAL),
        )
    return list(memberships.values_list("user_id", flat=True).distinct())


def notify(*, recipients, kind: str, title: str, body: str = "", subject, link: str, actor: User | None) -> int:
    """Outbox notifications in the caller's transaction; the actor is not told of their own action."""
    skip = getattr(actor, "pk", None)
    ids = sorted({pk for pk in recipients if pk is not None and pk != skip})
    if not ids:
        return 0
    return len(notification_create(recipients=ids, kind=kind, title=title, body=body, link=link, subject=subject))
