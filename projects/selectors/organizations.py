"""Who acts for whom: the agencies a user files for (members holding a role: ``portal.selectors``)."""

from django.core.exceptions import PermissionDenied, ValidationError

from portal.access import scope_for
from portal.models import Organization, OrganizationKind
from projects.permissions import AGENCY_ROLES


def agencies_acting_for(user) -> list[Organization]:
    """The agencies in whose name this user may file and apply (clerk or manager there)."""
    ids = [org for org, role in scope_for(user).grants if role in AGENCY_ROLES]
    return list(Organization.objects.filter(pk__in=ids, kind=OrganizationKind.AGENCY, is_active=True).order_by("name"))


def agency_chosen_for(user, *, choice=None) -> Organization:
    """The agency in whose name the user acts now: the one they chose (an Organization or its UUID), or
    their only one. Several and no choice is an error, never a silent pick of the first."""
    agencies = agencies_acting_for(user)
    if not agencies:
        raise PermissionDenied("只有国家机关的经办人或负责人可以以机关名义办理。")
    if choice in (None, ""):
        if len(agencies) == 1:
            return agencies[0]
        raise ValidationError(
            {
                "agency": ValidationError(
                    "您同时为多个机关办理业务，请选择以哪个机关的名义办理："
                    + "、".join(a.name for a in agencies)
                    + "。",
                    code="agency-required",
                )
            }
        )
    key = str(getattr(choice, "uuid", choice))
    for agency in agencies:
        if str(agency.uuid) == key:
            return agency
    raise ValidationError({"agency": ValidationError("您不能以所选机关的名义办理。", code="agency-not-allowed")})
