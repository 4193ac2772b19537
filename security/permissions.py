"""Who may do what in Chapter 5. State-independent checks (403); the FSM decides what the state allows (409)."""

from portal.access import scope_for
from portal.models import Level, Organization, OrganizationKind, Role
from portal.workflow import actions_the_state_allows
from projects.permissions import is_deciding_official

# Operating organizations are agencies and public enterprises (Art. 32: 建设单位和运行维护单位).
OPERATOR_ROLES = (Role.AGENCY_CLERK, Role.AGENCY_MANAGER, Role.PUBLIC_ENTERPRISE_CLERK)
OPERATOR_KINDS = (OrganizationKind.AGENCY, OrganizationKind.PUBLIC_ENTERPRISE)
SUPERVISOR_ROLES = (Role.AGENCY_MANAGER,)

GRADING_TRANSITIONS = {
    "submit": "submit",
    "supervisor_approve": "supervisor_approve",
    "approve": "approve",
    "return": "return_for_revision",
}
GRADING_ACTION_LABELS = {
    "submit": "提交备案",
    "supervisor_approve": "主管部门审核同意",
    "approve": "准予备案",
    "return": "退回修改",
}


def is_operator_member(user, organization: Organization) -> bool:
    """A clerk or manager of the operating organization, or of its parent."""
    scope = scope_for(user)
    return scope.has_role_in(organization.pk, *OPERATOR_ROLES) or (
        organization.parent_id is not None and scope.has_role_in(organization.parent_id, *OPERATOR_ROLES)
    )


def is_official_for(user, organization: Organization) -> bool:
    """An official of the same-level authority (city for city units, the district's for district units)."""
    return is_deciding_official(user, level=organization.level, district=organization.district)


def may_act_on_grading(user, grading, action: str) -> bool:
    operator = grading.system.operator
    if action in ("edit", "submit"):
        return is_operator_member(user, operator)
    if action == "supervisor_approve":
        return grading.supervisor_id is not None and scope_for(user).has_role_in(
            grading.supervisor_id, *SUPERVISOR_ROLES
        )
    if action in ("approve", "return"):
        return is_official_for(user, operator)
    return False


def grading_available_actions(user, grading) -> list[str]:
    return [
        action
        for action in actions_the_state_allows(grading, GRADING_TRANSITIONS)
        if may_act_on_grading(user, grading, action)
    ]


def operators_acting_for(user) -> list[Organization]:
    """Organizations in whose name this user files systems, gradings, evaluations and incidents."""
    ids = [org for org, role in scope_for(user).grants if role in OPERATOR_ROLES]
    return list(Organization.objects.filter(pk__in=ids, kind__in=OPERATOR_KINDS, is_active=True).order_by("name"))


def authorities_acting_for(user) -> list[Organization]:
    """The authorities in whose name this user issues bulletins (officials only)."""
    scope = scope_for(user)
    ids = [org for org, role in scope.grants if role in (Role.AUTHORITY_OFFICIAL, Role.DISTRICT_OFFICIAL)]
    return list(
        Organization.objects.filter(pk__in=ids, kind=OrganizationKind.AUTHORITY, is_active=True).order_by(
            "level", "name"
        )
    )


def same_level_authority(organization: Organization) -> Organization | None:
    """Art. 34: 同级信息化主管部门."""
    authorities = Organization.objects.filter(kind=OrganizationKind.AUTHORITY, is_active=True).order_by("id")
    if organization.level == Level.CITY or not organization.district:
        return authorities.filter(level=Level.CITY).first()
    return authorities.filter(level=Level.DISTRICT, district=organization.district).first()
