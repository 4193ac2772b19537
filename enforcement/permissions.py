"""Who may triage findings and act on penalty cases (every check goes through these helpers)."""

from portal.access import scope_for
from portal.models import Role

CITY_ENFORCING_ROLES = frozenset({Role.AUTHORITY_OFFICIAL, Role.ENFORCEMENT_OFFICER})
DISTRICT_ENFORCING_ROLES = frozenset({Role.AUTHORITY_OFFICIAL, Role.ENFORCEMENT_OFFICER, Role.DISTRICT_OFFICIAL})
PARTY_ROLES = (Role.AGENCY_CLERK, Role.AGENCY_MANAGER, Role.CONTRACTOR_CLERK, Role.PUBLIC_ENTERPRISE_CLERK)


def may_enforce(user, *, district: str) -> bool:
    """Officials of the city authority act on every case; district officials on their district's."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    scope = scope_for(user)
    if scope.city_roles & CITY_ENFORCING_ROLES:
        return True
    return bool(district) and any((district, role) in scope.district_grants for role in DISTRICT_ENFORCING_ROLES)


def may_enforce_anywhere(user) -> bool:
    scope = scope_for(user)
    return user.is_superuser or bool(scope.city_roles & CITY_ENFORCING_ROLES) or bool(scope.district_grants)


def is_party_member(user, case) -> bool:
    if case.party_organization_id is None:
        return False
    scope = scope_for(user)
    return scope.has_role_in(case.party_organization_id, *PARTY_ROLES)


# Actions the party itself takes; every other case action is the officials'.
PARTY_ACTIONS = frozenset({"request_hearing"})


def may_act_on_case(user, case, action: str) -> bool:
    if action in PARTY_ACTIONS:
        return is_party_member(user, case) or may_enforce(user, district=case.district)
    return may_enforce(user, district=case.district)
