"""Who may do what with catalog resources and sharing requests. State-independent; the FSM says what the state allows.

Visible but not allowed: 403; not visible (the selectors decide): 404; the state forbids it: 409.
"""

from portal.access import scope_for
from portal.models import Level, Role

AGENCY_ROLES = (Role.AGENCY_CLERK, Role.AGENCY_MANAGER)
CITY_DECIDING_ROLES = (Role.AUTHORITY_OFFICIAL,)
DISTRICT_DECIDING_ROLES = (Role.DISTRICT_OFFICIAL, Role.AUTHORITY_OFFICIAL)


def is_agency_member(user, organization) -> bool:
    """A clerk or manager of the organization or of its parent agency."""
    if organization is None:
        return False
    scope = scope_for(user)
    return scope.has_role_in(organization.pk, *AGENCY_ROLES) or (
        organization.parent_id is not None and scope.has_role_in(organization.parent_id, *AGENCY_ROLES)
    )


def is_same_level_official(user, *, level: str, district: str) -> bool:
    """An official of the same-level authority (Art. 17: the catalog; Art. 21 para. 2: disputes)."""
    if user.is_superuser:
        return True
    scope = scope_for(user)
    if Role.AUTHORITY_OFFICIAL in scope.city_roles:
        return True  # the city authority organizes the catalog for the whole city (Art. 17 para. 3)
    if level == Level.CITY:
        return False
    return any((district, role) in scope.district_grants for role in DISTRICT_DECIDING_ROLES)


def may_publish(user, resource) -> bool:
    return is_same_level_official(user, level=resource.provider.level, district=resource.provider.district)


def may_edit_resource(user, resource) -> bool:
    return is_agency_member(user, resource.provider)


def may_decide_sharing(user, request) -> bool:
    return is_same_level_official(user, level=request.level, district=request.district)
