"""Who may do what with plans, standards and the Art. 28/40 records. State-independent; the FSM says what the
state allows. Visible but not allowed: 403; the state refusing: 409."""

from planning.models import Plan
from planning.rules import PlanKind
from portal.access import scope_for
from portal.models import Level, OrganizationKind, Role
from portal.workflow import actions_the_state_allows

AGENCY_ROLES = (Role.AGENCY_CLERK, Role.AGENCY_MANAGER)

# action -> (model transition method, label)
PLAN_TRANSITIONS = {
    "submit_for_review": "submit_for_review",
    "confirm_conformity": "confirm_conformity",
    "return_for_revision": "return_for_revision",
    "record_approval": "record_approval",
    "publish": "publish",
}


def is_city_official(user) -> bool:
    """An official of the city authority (Art. 6: drafts the city plan, reviews district plans; Art. 7 register)."""
    if user.is_superuser:
        return True
    return Role.AUTHORITY_OFFICIAL in scope_for(user).city_roles


def is_district_official(user, district: str) -> bool:
    if user.is_superuser:
        return True
    scope = scope_for(user)
    return (district, Role.DISTRICT_OFFICIAL) in scope.district_grants or (
        district,
        Role.AUTHORITY_OFFICIAL,
    ) in scope.district_grants


def is_agency_member(user, organization) -> bool:
    scope = scope_for(user)
    return scope.has_role_in(organization.pk, *AGENCY_ROLES) or (
        organization.parent_id is not None and scope.has_role_in(organization.parent_id, *AGENCY_ROLES)
    )


def may_draft_plan(user, *, kind: str, organization) -> bool:
    """Art. 6: the city authority drafts the city plan, a district authority its district's, an agency its own."""
    if kind == PlanKind.CITY:
        return (
            organization.kind == OrganizationKind.AUTHORITY
            and organization.level == Level.CITY
            and (is_city_official(user))
        )
    if kind == PlanKind.DISTRICT:
        return (
            organization.kind == OrganizationKind.AUTHORITY
            and organization.level == Level.DISTRICT
            and is_district_official(user, organization.district)
        )
    return organization.kind in (OrganizationKind.AGENCY, OrganizationKind.DEPARTMENT) and (
        is_agency_member(user, organization) or scope_for(user).has_role_in(organization.pk, Role.DEPARTMENT_LIAISON)
    )


def is_plan_owner(user, plan: Plan) -> bool:
    return may_draft_plan(user, kind=plan.kind, organization=plan.organization)


def may_act_on_plan(user, plan: Plan, action: str) -> bool:
    """Whether the user's role lets them take this action on this plan, whatever its state."""
    if action in ("confirm_conformity", "return_for_revision"):
        return is_city_official(user)  # Art. 6 para. 2: 经市信息化主管部门审核
    if action in ("edit", "add_version", "submit_for_review", "record_approval", "publish"):
        return is_plan_owner(user, plan)
    return False


def plan_available_actions(user, plan: Plan) -> list[str]:
    """Exactly the transitions this user can perform now."""
    return [name for name in actions_the_state_allows(plan, PLAN_TRANSITIONS) if may_act_on_plan(user, plan, name)]


def may_manage_standards(user) -> bool:
    """Art. 7: the register is kept by the city authority (with the market-regulation department's standards)."""
    if is_city_official(user):
        return True
    scope = scope_for(user)
    return any(role == Role.DEPARTMENT_LIAISON for _, role in scope.grants) and _is_market_regulation_liaison(user)


def _is_market_regulation_liaison(user) -> bool:
    from portal.models import DepartmentType, Organization

    scope = scope_for(user)
    org_ids = [org for org, role in scope.grants if role == Role.DEPARTMENT_LIAISON]
    return Organization.objects.filter(pk__in=org_ids, department_type=DepartmentType.MARKET_REGULATION).exists()


def may_record_development(user, organization) -> bool:
    """Arts. 28, 40: the agency records its own training and assessments."""
    return organization.kind == OrganizationKind.AGENCY and (is_agency_member(user, organization) or user.is_superuser)


def may_manage_recognition(user) -> bool:
    """Arts. 8, 31: the authorities record commendations and organise showcases."""
    scope = scope_for(user)
    return user.is_superuser or Role.AUTHORITY_OFFICIAL in scope.city_roles or bool(scope.district_grants)
