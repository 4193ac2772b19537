"""Who may see and do what. Every permission decision in the portal goes through these helpers.

Deny by default: a user with no membership sees nothing. Scope comes from memberships
(organization, its level and district, the role); django-guardian adds object grants that
scope can't express.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Q

from portal.models import Level, OrganizationKind, Role

# Officials of a city-level authority see the whole city.
CITY_WIDE_ROLES = frozenset({Role.AUTHORITY_OFFICIAL, Role.AUTHORITY_REVIEWER, Role.ENFORCEMENT_OFFICER})
# Officials of a district authority see their district.
DISTRICT_ROLES = frozenset(
    {Role.DISTRICT_OFFICIAL, Role.AUTHORITY_OFFICIAL, Role.AUTHORITY_REVIEWER, Role.ENFORCEMENT_OFFICER}
)
STAFF_ROLES = CITY_WIDE_ROLES | DISTRICT_ROLES


@dataclass(frozen=True)
class Scope:
    """What one user's memberships open up. Computed once per request (one query)."""

    city_wide: bool = False
    districts: frozenset[str] = field(default_factory=frozenset)
    organization_ids: frozenset[int] = field(default_factory=frozenset)
    roles: frozenset[str] = field(default_factory=frozenset)
    # (organization_id, role) pairs: a role counts only in the organization that gave it.
    grants: frozenset[tuple[int, str]] = field(default_factory=frozenset)
    # (district, role) pairs from district authorities: a role counts only in its own district.
    district_grants: frozenset[tuple[str, str]] = field(default_factory=frozenset)
    # Roles held in the city authority itself (not in some other organization).
    city_roles: frozenset[str] = field(default_factory=frozenset)
    # The user's organizations and their direct children (an agency sees its subordinate units' rows).
    agency_ids: frozenset[int] = field(default_factory=frozenset)
    # (parent, child) pairs of those children, for ``units_of``.
    children: frozenset[tuple[int, int]] = field(default_factory=frozenset)
    # ``agency_ids`` and every organization of the districts an official covers: what
    # ``organization_scope_q`` opens up (unused when ``city_wide``). Resolved in the same query as the
    # memberships, so a scope filter is ``organization_id IN (…)`` on an index, not an OR over a join.
    visible_organization_ids: frozenset[int] = field(default_factory=frozenset)
    # Every organization of the districts an official covers (part of ``visible_organization_ids``).
    district_organization_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_staff_official(self) -> bool:
        return self.city_wide or bool(self.districts)

    @property
    def sole_district(self) -> str:
        """The one district that is this user's whole scope, or "": a district official whose own units all
        lie in it. A table that copies its organization's district then scopes on that column, one index
        range in the list's order, instead of ``organization_id IN (…)`` over every organization of the
        district (89 at city scale, read one by one)."""
        if self.city_wide or len(self.districts) != 1 or not self.agency_ids <= self.district_organization_ids:
            return ""
        return next(iter(self.districts))

    def has_role_in(self, organization_id: int, *roles: str) -> bool:
        return any((organization_id, role) in self.grants for role in roles)

    def has_authority_role(self, *, level: str, district: str, roles) -> bool:
        """One of ``roles`` held in the informatization authority of this level (and district): a role held
        in another organization, or in another district's authority, does not count."""
        if level == Level.CITY:
            return any(role in self.city_roles for role in roles)
        return bool(district) and any((district, role) in self.district_grants for role in roles)

    def units_of(self, organization_ids) -> list[int]:
        """``organization_ids`` (some of the user's organizations) and their direct children, for
        ``<fk>_id IN (…)`` filters that use an index instead of OR-ing ``<fk>__parent_id``."""
        ids = set(organization_ids)
        return sorted(ids | {child for parent, child in self.children if parent in ids})

    def covers_district(self, district: str) -> bool:
        return self.city_wide or (bool(district) and district in self.districts)


NO_SCOPE = Scope()

# Every request of a signed-in user runs this, so it is written once as SQL: built through the ORM (two
# array subqueries and a CASE over a join) it cost about 6 ms of Python per request, the query 1-2 ms.
# Per membership: the organization, the role, the organization's kind, level and district, its direct
# children, and for a district authority's official roles every organization of the district (CASE is lazy
# in PostgreSQL: the second array is read only for those rows).
_MEMBERSHIP_ROWS_SQL = """
    SELECT m.organization_id, m.role, o.kind, o.level, o.district,
           ARRAY(SELECT c.id FROM portal_organization c WHERE c.parent_id = m.organization_id),
           CASE WHEN o.kind = %(authority)s AND o.level = %(district_level)s AND o.district <> ''
                     AND m.role = ANY(%(district_roles)s)
                THEN ARRAY(SELECT d.id FROM portal_organization d WHERE d.district = o.district)
                ELSE '{}'::bigint[] END
    FROM portal_membership m JOIN portal_organization o ON o.id = m.organization_id
    WHERE m.user_id = %(user)s AND o.is_active
"""


def _membership_rows(user_id: int) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            _MEMBERSHIP_ROWS_SQL,
            {
                "user": user_id,
                "authority": OrganizationKind.AUTHORITY.value,
                "district_level": Level.DISTRICT.value,
                "district_roles": sorted(role.value for role in DISTRICT_ROLES),
            },
        )
        return cursor.fetchall()


def scope_for(user) -> Scope:
    if not user.is_authenticated or not user.is_active:
        return NO_SCOPE
    cached = getattr(user, "_portal_scope", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        scope = Scope(city_wide=True)
    else:
        rows = _membership_rows(user.pk)
        city_wide, districts, org_ids, roles, grants = False, set(), set(), set(), set()
        district_grants, city_roles, agency_ids, visible, child_pairs = set(), set(), set(), set(), set()
        for org_id, role, kind, level, district, children, district_orgs in rows:
            org_ids.add(org_id)
            roles.add(role)
            grants.add((org_id, role))
            agency_ids.add(org_id)
            agency_ids.update(children or ())
            child_pairs.update((org_id, child) for child in children or ())
            visible.update(district_orgs or ())
            if kind == OrganizationKind.AUTHORITY:
                if level == Level.CITY and role in CITY_WIDE_ROLES:
                    city_wide = True
                    city_roles.add(role)
                elif level == Level.DISTRICT and role in DISTRICT_ROLES and district:
                    districts.add(district)
                    district_grants.add((district, role))
        scope = Scope(
            city_wide=city_wide,
            districts=frozenset(districts),
            organization_ids=frozenset(org_ids),
            roles=frozenset(roles),
            grants=frozenset(grants),
            district_grants=frozenset(district_grants),
            city_roles=frozenset(city_roles),
            agency_ids=frozenset(agency_ids),
            children=frozenset(child_pairs),
            visible_organization_ids=frozenset(agency_ids | visible),
            district_organization_ids=frozenset(visible),
        )
    user._portal_scope = scope
    return scope


def organization_scope_q(user, *, prefix: str = "") -> Q:
    """SQL filter for rows belonging to organizations in the user's scope.

    ``prefix`` points at the organization from another model, e.g. ``"agency__"``.
    The user's own organizations, their direct children, and for a district official every organization
    of the district, as one ``organization_id IN (…)`` resolved with the scope (an index, no join).
    """
    scope = scope_for(user)
    if scope.city_wide:
        return Q()
    return Q(**{f"{prefix}pk__in": sorted(scope.visible_organization_ids)})


def require(allowed: bool, message: str = "") -> None:
    """Visible but not allowed: 403."""
    if not allowed:
        raise PermissionDenied(message or "您无权执行此操作。")


def can_change_organization(user, organization) -> bool:
    scope = scope_for(user)
    if user.is_superuser or Role.AUTHORITY_OFFICIAL in scope.city_roles:
        return True
    # A district official edits the units of their own district, but not the authorities themselves.
    if (
        organization.kind != OrganizationKind.AUTHORITY
        and (organization.district, Role.DISTRICT_OFFICIAL) in scope.district_grants
    ):
        return True
    if scope.has_role_in(organization.pk, Role.AGENCY_MANAGER):
        return True
    return user.has_perm("portal.change_organization", organization)
