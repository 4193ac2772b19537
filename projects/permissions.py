"""Who may do what with Chapter 2 objects. State-independent checks; the FSM says what the state allows.

A user who may see a filing but not act gets 403; the state refusing an action gets 409.
"""

from django.utils.translation import gettext_lazy as _

from portal.access import scope_for
from portal.models import Level, OrganizationKind, Role
from portal.workflow import actions_the_state_allows
from projects.models import OPINION_STATES, ProjectFiling

# The roles of Chapter 2, in one place. Each is held in one organization (``Scope.grants``): a role counts
# only for the organization, or the district, it was granted in.
AGENCY_ROLES = (Role.AGENCY_CLERK, Role.AGENCY_MANAGER)
# Art. 13: the same-level authority decides. A city filing: the city authority's officials; a district
# filing: that district authority's officials (the city authority's officials also hold the district level).
DECIDING_ROLES_CITY = (Role.AUTHORITY_OFFICIAL,)
DECIDING_ROLES_DISTRICT = (Role.DISTRICT_OFFICIAL, Role.AUTHORITY_OFFICIAL)
# Everyone who decides at some level: told when a filing reaches their authority.
DECIDING_ROLES = (Role.AUTHORITY_OFFICIAL, Role.DISTRICT_OFFICIAL)
# Staff of the deciding authority who may be assigned to review a filing (never the filing agency's: 回避).
REVIEWER_ROLES = (Role.AUTHORITY_REVIEWER, *DECIDING_ROLES)

# action -> model transition method
FILING_TRANSITIONS = {
    "submit": "submit",
    "start_review": "start_review",
    "return": "return_for_revision",
    "approve": "approve",
    "approve_with_conditions": "approve_with_conditions",
    "reject": "reject",
    "record_approval": "record_approval",
    "request_acceptance": "request_acceptance",
    "record_acceptance": "record_acceptance",
    "start_operation": "start_operation",
}
FILING_ACTION_LABELS = {
    "submit": _("提交审查"),
    "start_review": _("受理并分派审查"),
    "return": _("退回修改"),
    "approve": _("审查通过"),
    "approve_with_conditions": _("有条件通过"),
    "reject": _("不予通过"),
    "record_approval": _("登记批复"),
    "request_acceptance": _("申请竣工验收"),
    "record_acceptance": _("登记验收结果"),
    "start_operation": _("投入使用"),
}


def is_agency_member(user, agency) -> bool:
    """A clerk or manager of the agency or of its parent agency."""
    scope = scope_for(user)
    return scope.has_role_in(agency.pk, *AGENCY_ROLES) or (
        agency.parent_id is not None and scope.has_role_in(agency.parent_id, *AGENCY_ROLES)
    )


def is_deciding_official(user, *, level: str, district: str) -> bool:
    """An official of the same-level authority (Art. 13: 同级信息化主管部门)."""
    if user.is_superuser:
        return True
    roles = DECIDING_ROLES_CITY if level == Level.CITY else DECIDING_ROLES_DISTRICT
    return scope_for(user).has_authority_role(level=level, district=district, roles=roles)


def may_edit_annual_plan(user, plan) -> bool:
    """Art. 12: the same-level authority keeps its annual plan; everyone signed in reads it."""
    return is_deciding_official(user, level=plan.level, district=plan.district)


def is_city_official(user) -> bool:
    return is_deciding_official(user, level=Level.CITY, district="")


def reviews_by_assignment(user) -> bool:
    """Whether the user's assignments as a reviewer count: only while they hold a reviewer role somewhere.
    A reviewer is chosen from the deciding authority's staff (``filing_reviewer_candidates``); one who has
    since left every authority role keeps the grant in the table, but no longer sees or reviews the filing
    (deny unless allowed). It also keeps a clerk's filing lists on their agency's ordered index: OR-ed with
    the grants, PostgreSQL read and sorted all of the agency's filings for a page (1.35 ms at 412 filings).
    A superuser holds every permission, as before; an anonymous user has no roles."""
    return user.is_superuser or not scope_for(user).roles.isdisjoint(REVIEWER_ROLES)


def is_assigned_reviewer(user, filing: ProjectFiling) -> bool:
    cache = getattr(user, "_portal_reviewer_of", None)
    if cache is None:
        cache = user._portal_reviewer_of = {}
    if filing.pk not in cache:
        cache[filing.pk] = reviews_by_assignment(user) and user.has_perm("projects.review_projectfiling", filing)
    return cache[filing.pk]


def reviewer_flags_prime(user, filings) -> None:
    """Fill the reviewer cache from rows annotated with ``caller_reviews`` (``selectors.filings_for_list``),
    so ``filing_available_actions`` over a page of rows asks the database nothing more."""
    if not user.is_authenticated:
        return
    cache = getattr(user, "_portal_reviewer_of", None)
    if cache is None:
        cache = user._portal_reviewer_of = {}
    for filing in filings:
        flag = getattr(filing, "caller_reviews", None)
        if flag is not None:
            cache[filing.pk] = flag


def is_approving_liaison(user, filing: ProjectFiling) -> bool:
    """The approving department's liaison reads the opinion (Art. 13 para. 3), nothing else."""
    return (
        filing.approving_department_id is not None
        and filing.status in OPINION_STATES
        and scope_for(user).has_role_in(filing.approving_department_id, Role.DEPARTMENT_LIAISON)
    )


AGENCY_ACTIONS = frozenset(
    ("edit", "submit", "assign_contractor", "request_acceptance", "record_acceptance", "start_operation")
)
OFFICIAL_ACTIONS = frozenset(("start_review", "approve", "approve_with_conditions", "reject"))
REVIEWER_ACTIONS = frozenset(("return", "checklist", "confirm_attendance"))  # officials or assigned reviewers


def _role_allows(action: str, *, official: bool, agency: bool, reviewer) -> bool:
    """The rule of ``may_act_on_filing``; ``reviewer()`` is asked only when the answer depends on it."""
    if action in AGENCY_ACTIONS:
        return agency
    if action in OFFICIAL_ACTIONS:
        return official
    if action in REVIEWER_ACTIONS:
        return official or reviewer()
    if action == "record_approval":
        return agency or official
    if action in ("upload", "comment"):
        return agency or official or reviewer()
    return False


def _standing(user, filing: ProjectFiling) -> dict:
    """The user's standing towards the filing, as ``_role_allows`` takes it (the reviewer question is cached
    per user and filing by ``is_assigned_reviewer``)."""
    return {
        "official": is_deciding_official(user, level=filing.level, district=filing.district),
        "agency": is_agency_member(user, filing.agency),
        "reviewer": lambda: is_assigned_reviewer(user, filing),
    }


def may_act_on_filing(user, filing: ProjectFiling, action: str) -> bool:
    """Whether the user's role lets them take this action on this filing, whatever its state."""
    return _role_allows(action, **_standing(user, filing))


def filing_available_actions(user, filing: ProjectFiling) -> list[str]:
    """Exactly the transitions this user can perform now. The user's standing towards the filing (official,
    agency member) is worked out once, not once per transition: a list page asks this for 50 rows."""
    standing = _standing(user, filing)
    # The state first: the role check may ask whether the user is an assigned reviewer, a query on a filing
    # whose list did not prime the answer, and only a state that allows the action needs that answer.
    return [a for a in actions_the_state_allows(filing, FILING_TRANSITIONS) if _role_allows(a, **standing)]


def may_verify_qualifications(user, contractor) -> bool:
    """Art. 11: officials of the contractor's same-level authority, or of the city, verify certificates."""
    if contractor.kind != OrganizationKind.CONTRACTOR:
        return False
    return is_deciding_official(user, level=contractor.level, district=contractor.district) or is_city_official(user)


def may_manage_qualifications(user, contractor) -> bool:
    if contractor.kind != OrganizationKind.CONTRACTOR:
        return False
    return (
        scope_for(user).has_role_in(contractor.pk, Role.CONTRACTOR_CLERK)
        or is_deciding_official(user, level=contractor.level, district=contractor.district)
        or is_city_official(user)
    )
