"""Permissioned reads of Chapter 2. Scope is applied in SQL; lists never check rows one by one.

The enforcement app reads compliance findings through `compliance_findings_since`.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import (
    BooleanField,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.access import scope_for
from portal.models import District, Level, Membership, Organization, OrganizationKind, Role, User
from portal.services.deadlines import is_past_due
from projects.models import (
    OPINION_STATES,
    AcceptanceRecord,
    AnnualPlan,
    AnnualPlanItem,
    ApplicationStatus,
    ComplianceFinding,
    ConnectedSystem,
    DomainApplication,
    FilingContractor,
    FilingStatus,
    FilingUserObjectPermission,
    NetworkAccessApplication,
    PrivateNetwork,
    ProjectFiling,
    Qualification,
    ReviewFinding,
    Website,
)
from projects.permissions import AGENCY_ROLES, is_city_official, is_deciding_official
from projects.rules import ReviewDimension

REVIEW_PERMISSION = "review_projectfiling"


def _agency_q(scope, prefix: str = "agency") -> Q:
    ids = scope.organization_ids
    return Q(**{f"{prefix}_id__in": ids}) | Q(**{f"{prefix}__parent_id__in": ids})


def _staff_q(scope) -> Q | None:
    if scope.city_wide:
        # Not Q(): an empty Q vanishes when OR-ed with another condition.
        return Q(pk__isnull=False)
    if scope.districts:
        return Q(district__in=scope.districts)
    return None


def filings_visible_to(user) -> QuerySet[ProjectFiling]:
    """Filings of the user's agency, those in an official's area (drafts stay private to the agency),
    those a reviewer is assigned to and those a contractor works on."""
    if not user.is_authenticated:
        return ProjectFiling.objects.none()
    scope = scope_for(user)
    qs = ProjectFiling.objects.select_related("agency", "reviewing_authority", "approving_department")
    not_draft = ~Q(status=FilingStatus.DRAFT)
    q = _agency_q(scope)
    staff = _staff_q(scope)
    if staff is not None:
        q |= staff & not_draft
    q |= Q(
        pk__in=FilingUserObjectPermission.objects.filter(user=user, permission__codename=REVIEW_PERMISSION).values(
            "content_object_id"
        )
    )
    contractor_ids = [org for org, role in scope.grants if role == Role.CONTRACTOR_CLERK]
    if contractor_ids:
        q |= Q(pk__in=FilingContractor.objects.filter(contractor_id__in=contractor_ids).values("filing_id")) & (
            not_draft
        )
    return qs.filter(q)


def filings_for_list(user) -> QuerySet[ProjectFiling]:
    """``filings_visible_to`` with ``caller_reviews`` on each row (is the user an assigned reviewer?), so the
    rows' ``available_actions`` need no query each (``projects.permissions.reviewer_flags_prime``)."""
    if not user.is_authenticated:
        return ProjectFiling.objects.none()
    return filings_visible_to(user).annotate(
        caller_reviews=Exists(
            FilingUserObjectPermission.objects.filter(
                user=user, permission__codename=REVIEW_PERMISSION, content_object_id=OuterRef("pk")
            )
        )
    )


def filing_get_for(*, user, uuid) -> ProjectFiling:
    try:
        return filings_visible_to(user).get(uuid=uuid)
    except (ProjectFiling.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("未找到该项目备案。") from exc


def opinions_for_liaison(user) -> QuerySet[ProjectFiling]:
    """Art. 13: decided filings routed to the user's department, for its liaison."""
    scope = scope_for(user)
    departments = [org for org, role in scope.grants if role == Role.DEPARTMENT_LIAISON]
    if not departments:
        return ProjectFiling.objects.none()
    return ProjectFiling.objects.select_related("agency", "reviewing_authority", "approving_department").filter(
        approving_department_id__in=departments, status__in=OPINION_STATES
    )


def filing_opinion_get_for(*, user, uuid) -> ProjectFiling:
    """The filing whose opinion the user may read: anyone who sees the filing, or the approving liaison."""
    try:
        filing = (filings_visible_to(user) | opinions_for_liaison(user)).distinct().get(uuid=uuid)
    except (ProjectFiling.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("未找到该审查意见。") from exc
    if filing.status not in OPINION_STATES:
        raise Http404("该项目尚未出具审查意见。")
    return filing


def review_overdue_q(today: date) -> Q:
    """Filings whose Art. 13 review is late on ``today``: the SQL twin of ``portal.services.deadlines.is_past_due``
    (late from the day after the due date), so a page never compares dates itself."""
    return Q(status=FilingStatus.IN_REVIEW, review_due_date__lt=today)


def filing_review_overdue(filing: ProjectFiling, *, today: date) -> bool:
    return filing.status == FilingStatus.IN_REVIEW and is_past_due(filing.review_due_date, today=today)


def filing_queue(user, *, filters: dict | None = None, today: date | None = None) -> QuerySet[ProjectFiling]:
    """The review queue / my filings list, filtered and with reviewers prefetched (constant queries); each
    row says whether its review is late (``review_overdue``)."""
    filters = filters or {}
    today = today or date.today()
    qs = filings_visible_to(user).annotate(
        review_overdue=ExpressionWrapper(review_overdue_q(today), output_field=BooleanField())
    )
    qs = qs.prefetch_related(
        Prefetch(
            "filinguserobjectpermission_set",
            queryset=FilingUserObjectPermission.objects.filter(permission__codename=REVIEW_PERMISSION).select_related(
                "user"
            ),
            to_attr="reviewer_grants",
        )
    )
    if filters.get("q"):
        qs = qs.filter(Q(title__icontains=filters["q"]) | Q(opinion_number__icontains=filters["q"]))
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("district"):
        qs = qs.filter(district=filters["district"])
    if filters.get("reviewer"):
        qs = qs.filter(
            pk__in=FilingUserObjectPermission.objects.filter(
                user__uuid=filters["reviewer"], permission__codename=REVIEW_PERMISSION
            ).values("content_object_id")
        )
    due = filters.get("due")
    if due == "soon":
        qs = qs.filter(
            status=FilingStatus.IN_REVIEW, review_due_date__gte=today, review_due_date__lte=today + timedelta(days=7)
        )
    elif due == "overdue":
        qs = qs.filter(review_overdue_q(today))
    if filters.get("due_before"):
        qs = qs.filter(review_due_date__lte=filters["due_before"])
    sort = filters.get("sort") or "-created"
    order = {
        "due": ["review_due_date", "id"],
        "-due": ["-review_due_date", "-id"],
        "created": ["created_at", "id"],
        "-created": ["-created_at", "-id"],
        "title": ["title", "id"],
        "investment": ["-government_investment", "id"],
    }.get(sort, ["-created_at", "-id"])
    return qs.order_by(*order)


def filing_status_counts(user) -> dict:
    """Counts by status and by district, for the dashboard (two grouped queries)."""
    visible = filings_visible_to(user).order_by()
    by_status = dict(visible.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    by_district = list(
        visible.exclude(district="").values("district").annotate(n=Count("id")).order_by("-n", "district")
    )
    return {"by_status": by_status, "by_district": by_district}


def filing_reviewers(filing: ProjectFiling) -> list:
    grants = FilingUserObjectPermission.objects.filter(
        content_object=filing, permission__codename=REVIEW_PERMISSION
    ).select_related("user")
    return [grant.user for grant in grants]


def filing_checklist(filing: ProjectFiling) -> list[dict]:
    """The six Art. 13 dimensions in order, each with its finding of the current round (or None) and the
    findings of earlier rounds (before a return and resubmission), newest first."""
    current: dict[str, ReviewFinding] = {}
    earlier: dict[str, list[ReviewFinding]] = {}
    rows = ReviewFinding.objects.filter(filing=filing).select_related("reviewer").order_by("-round", "id")
    for finding in rows:
        if finding.round == filing.review_round:
            current[finding.dimension] = finding
        else:
            earlier.setdefault(finding.dimension, []).append(finding)
    return [
        {"dimension": value, "label": label, "finding": current.get(value), "earlier": earlier.get(value, [])}
        for value, label in ReviewDimension.choices
    ]


# Roles of the deciding authority whose holders may be assigned to review a filing.
REVIEWER_ROLES = (Role.AUTHORITY_REVIEWER, Role.AUTHORITY_OFFICIAL, Role.DISTRICT_OFFICIAL)


def filing_reviewer_candidates(filing: ProjectFiling) -> list[User]:
    """Who may review this filing: staff of its deciding authority, minus anyone who also belongs to the
    filing agency or its parent (回避). One query."""
    from projects.services.filings import reviewing_authority_for

    authority_id = filing.reviewing_authority_id or getattr(reviewing_authority_for(filing), "pk", None)
    if authority_id is None:
        return []
    agency_ids = [pk for pk in (filing.agency_id, filing.agency.parent_id) if pk is not None]
    return list(
        User.objects.filter(
            is_active=True,
            pk__in=Membership.objects.filter(organization_id=authority_id, role__in=REVIEWER_ROLES).values("user_id"),
        )
        .exclude(pk__in=Membership.objects.filter(organization_id__in=agency_ids).values("user_id"))
        .order_by("full_name", "username")
    )


def filing_contractors(filing: ProjectFiling) -> QuerySet[FilingContractor]:
    return FilingContractor.objects.filter(filing=filing).select_related("contractor", "qualification")


def filing_acceptance_records(filing: ProjectFiling) -> QuerySet[AcceptanceRecord]:
    return AcceptanceRecord.objects.filter(filing=filing).select_related("recorded_by")


# --- Qualifications and findings


def qualifications_visible_to(user) -> QuerySet[Qualification]:
    """Officials and agencies see every certificate (to check a contractor); a contractor sees its own."""
    if not user.is_authenticated:
        return Qualification.objects.none()
    scope = scope_for(user)
    qs = Qualification.objects.select_related("contractor")
    if scope.is_staff_official or user.is_superuser or (scope.roles & {Role.AGENCY_CLERK, Role.AGENCY_MANAGER}):
        return qs
    return qs.filter(contractor_id__in=scope.organization_ids)


def qualification_get_for(*, user, uuid) -> Qualification:
    try:
        return qualifications_visible_to(user).get(uuid=uuid)
    except (Qualification.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("未找到该资质证书。") from exc


def valid_qualifications(*, contractor, domain: str, on: date) -> QuerySet[Qualification]:
    """Verified certificates of the contractor valid on the day in the domain, best level first (Art. 11: a
    certificate the contractor registered itself counts once an official has verified it)."""
    return Qualification.objects.filter(
        contractor=contractor, domain=domain, valid_from__lte=on, valid_to__gte=on, verified_at__isnull=False
    ).order_by("level", "-valid_to")


def compliance_findings_visible_to(user) -> QuerySet[ComplianceFinding]:
    scope = scope_for(user)
    qs = ComplianceFinding.objects.select_related("organization", "filing")
    staff = _staff_q(scope)
    if staff is None:
        return qs.none()
    return qs.filter(staff)


def compliance_findings_since(since=None) -> QuerySet[ComplianceFinding]:
    """For the enforcement app: every finding (optionally after a moment), oldest first, by index."""
    qs = ComplianceFinding.objects.select_related("organization", "filing").order_by("detected_at", "id")
    return qs.filter(detected_at__gt=since) if since is not None else qs


# --- Annual plans (Art. 12): public planning documents, readable by every signed-in user.


def annual_plans_visible_to(user) -> QuerySet[AnnualPlan]:
    if not user.is_authenticated:
        return AnnualPlan.objects.none()
    return AnnualPlan.objects.select_related("authority", "development_reform", "finance").annotate(
        item_count=Count("items")
    )


def annual_plan_get_for(*, user, uuid) -> AnnualPlan:
    try:
        return annual_plans_visible_to(user).get(uuid=uuid)
    except (AnnualPlan.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("未找到该年度计划。") from exc


def annual_plan_item_get_for(*, user, uuid) -> AnnualPlanItem:
    try:
        return (
            AnnualPlanItem.objects.select_related("plan", "agency", "filing")
            .filter(plan__in=annual_plans_visible_to(user).values("pk"))
            .get(uuid=uuid)
        )
    except (AnnualPlanItem.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("未找到该计划项目。") from exc


def annual_plan_items(plan: AnnualPlan) -> QuerySet[AnnualPlanItem]:
    return AnnualPlanItem.objects.filter(plan=plan).select_related("agency", "filing").order_by("id")


# --- E-government network and domains (Arts. 29-30)


def _scoped(model, user, *, hide_drafts_from_staff: bool = False):
    """The agency's own rows, and an official's area (drafts stay private to the agency)."""
    if not user.is_authenticated:
        return model.objects.none()
    scope = scope_for(user)
    q = _agency_q(scope)
    staff = _staff_q(scope)
    if staff is not None:
        q |= (staff & ~Q(status="draft")) if hide_drafts_from_staff else staff
    return model.objects.select_related("agency").filter(q)


def network_applications_visible_to(user) -> QuerySet[NetworkAccessApplication]:
    return _scoped(NetworkAccessApplication, user, hide_drafts_from_staff=True)


def domain_applications_visible_to(user) -> QuerySet[DomainApplication]:
    return _scoped(DomainApplication, user, hide_drafts_from_staff=True)


def private_networks_visible_to(user) -> QuerySet[PrivateNetwork]:
    return _scoped(PrivateNetwork, user)


def connected_systems_visible_to(user) -> QuerySet[ConnectedSystem]:
    return _scoped(ConnectedSystem, user)


def websites_visible_to(user) -> QuerySet[Website]:
    return _scoped(Website, user)


def _get(qs, uuid, message):
    try:
        return qs.get(uuid=uuid)
    except (qs.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(message) from exc


def network_application_get_for(*, user, uuid) -> NetworkAccessApplication:
    return _get(network_applications_visible_to(user), uuid, "未找到该接入申请。")


def domain_application_get_for(*, user, uuid) -> DomainApplication:
    return _get(domain_applications_visible_to(user), uuid, "未找到该域名申请。")


def private_network_get_for(*, user, uuid) -> PrivateNetwork:
    return _get(private_networks_visible_to(user), uuid, "未找到该专网。")


def connected_system_get_for(*, user, uuid) -> ConnectedSystem:
    return _get(connected_systems_visible_to(user).select_related("application"), uuid, "未找到该系统。")


def acceptance_record_get_for(*, filing: ProjectFiling, uuid) -> AcceptanceRecord:
    """A record of a filing the caller has already read through ``filing_get_for``."""
    return _get(AcceptanceRecord.objects.filter(filing=filing).select_related("filing"), uuid, "未找到该验收记录。")


# --- The dashboard's to-do panel: what is waiting for this user to act on


@dataclass(frozen=True)
class Task:
    """One item of the user's work queue: the object, the action it waits for, and its due date if any."""

    title: str
    url: str
    kind: str
    action: str
    agency: str
    status: str
    due_date: date | None
    waiting_since: datetime | None


@dataclass(frozen=True)
class TaskQueue:
    items: list[Task]
    total: int


TASKS_SHOWN = 10

# Agency actions by state: the next step the building agency takes (projects/services/filings.py).
AGENCY_TASKS = {
    FilingStatus.DRAFT: _("继续填写并提交"),
    FilingStatus.RETURNED: _("按审查意见修改后重新提交"),
    FilingStatus.APPROVED: _("登记审批部门的批复文号"),
    FilingStatus.APPROVED_WITH_CONDITIONS: _("登记审批部门的批复文号"),
    # Art. 14: the agency holds the acceptance, inviting the authority when government-invested.
    FilingStatus.ACCEPTANCE_REQUESTED: _("组织竣工验收并登记结果"),
    FilingStatus.RECTIFYING: _("整改后重新申请验收"),
}
TASK_START_REVIEW = _("受理并分派审查")
TASK_CHECKLIST = _("填写各项审查要点")
TASK_DECIDE = _("作出并签发审查结论")
TASK_DECIDE_APPLICATION = _("审查申请")
TASK_SUBMIT_APPLICATION = _("继续填写并提交申请")
# Shown on each row so an official can tell a filing from a network or domain application at a glance.
TASK_KINDS = {"filing": _("工程备案"), "network": _("网络接入申请"), "domain": _("域名申请")}


def _deciding_q(user, level_field: str = "level", district_field: str = "district") -> Q | None:
    """Rows whose level the user decides (Art. 13: the same-level authority), from is_deciding_official."""
    q = None
    if is_deciding_official(user, level=Level.CITY, district=""):
        q = Q(**{level_field: Level.CITY})
    districts = [d for d in District.values if is_deciding_official(user, level=Level.DISTRICT, district=d)]
    if districts:
        district_q = Q(**{level_field: Level.DISTRICT, f"{district_field}__in": districts})
        q = district_q if q is None else q | district_q
    return q


def _agency_member_q(scope) -> Q | None:
    """Rows of the agencies (or their units) where the user is a clerk or manager, as is_agency_member."""
    ids = {org for org, role in scope.grants if role in AGENCY_ROLES}
    if not ids:
        return None
    return Q(agency_id__in=ids) | Q(agency__parent_id__in=ids)


def _or(*qs: Q | None) -> Q | None:
    present = [q for q in qs if q is not None]
    if not present:
        return None
    combined = present[0]
    for q in present[1:]:
        combined |= q
    return combined


def _urgency_order():
    return [
        F("due").asc(nulls_last=True),
        F("since").asc(nulls_last=True),
        "id",
    ]


def _filing_tasks(user, scope, limit: int) -> tuple[list[Task], int]:
    dimensions = len(ReviewDimension.values)
    agency_q = _agency_member_q(scope)
    deciding_q = _deciding_q(user)
    reviewer_q = Q(
        pk__in=FilingUserObjectPermission.objects.filter(user=user, permission__codename=REVIEW_PERMISSION).values(
            "content_object_id"
        )
    )
    checklist_done = Q(findings_n__gte=dimensions)
    wanted = _or(
        agency_q & Q(status__in=list(AGENCY_TASKS)) if agency_q is not None else None,
        deciding_q & Q(status=FilingStatus.SUBMITTED) if deciding_q is not None else None,
        deciding_q & Q(status=FilingStatus.IN_REVIEW) & checklist_done if deciding_q is not None else None,
        reviewer_q & Q(status=FilingStatus.IN_REVIEW) & ~checklist_done,
    )
    findings_n = (
        ReviewFinding.objects.filter(filing=OuterRef("pk"), dimension__in=ReviewDimension.values)
        .order_by()
        .values("filing")
        .annotate(n=Count("id"))
        .values("n")
    )
    rows = list(
        filings_visible_to(user)
        .annotate(
            findings_n=Coalesce(Subquery(findings_n), 0),
            due=F("review_due_date"),
            since=Coalesce("submitted_at", "created_at"),
            total=Window(Count("id")),
        )
        .filter(wanted)
        .order_by(*_urgency_order())[:limit]
    )
    tasks = []
    for filing in rows:
        if filing.status == FilingStatus.SUBMITTED:
            action = TASK_START_REVIEW
        elif filing.status == FilingStatus.IN_REVIEW:
            action = TASK_DECIDE if filing.findings_n >= dimensions else TASK_CHECKLIST
        else:
            action = AGENCY_TASKS[filing.status]
        tasks.append(
            Task(
                title=filing.title,
                url=reverse("projects:filing-detail", kwargs={"uuid": filing.uuid}),
                kind=TASK_KINDS["filing"],
                action=action,
                agency=filing.agency.name,
                status=filing.get_status_display(),
                due_date=filing.review_due_date,
                waiting_since=filing.since,
            )
        )
    return tasks, rows[0].total if rows else 0


def _application_tasks(model, kind: str, user, scope, deciding_q: Q | None, limit: int) -> tuple[list[Task], int]:
    """Officials: submitted applications to decide; agencies: their drafts (the workflow has no 'returned')."""
    agency_q = _agency_member_q(scope)
    wanted = _or(
        agency_q & Q(status=ApplicationStatus.DRAFT) if agency_q is not None else None,
        deciding_q & Q(status=ApplicationStatus.SUBMITTED) if deciding_q is not None else None,
    )
    if wanted is None:
        return [], 0
    visible = _scoped(model, user, hide_drafts_from_staff=True)
    rows = list(
        visible.annotate(due=Value(None, output_field=DateField()), since=Coalesce("submitted_at", "created_at"))
        .annotate(total=Window(Count("id")))
        .filter(wanted)
        .order_by(*_urgency_order())[:limit]
    )
    tasks = [
        Task(
            title=str(application),
            url=reverse("projects:application-detail", kwargs={"kind": kind, "uuid": application.uuid}),
            kind=TASK_KINDS[kind],
            action=TASK_DECIDE_APPLICATION
            if application.status == ApplicationStatus.SUBMITTED
            else TASK_SUBMIT_APPLICATION,
            agency=application.agency.name,
            status=application.get_status_display(),
            due_date=None,
            waiting_since=application.since,
        )
        for application in rows
    ]
    return tasks, rows[0].total if rows else 0


def filing_tasks_for(user, *, limit: int = TASKS_SHOWN) -> TaskQueue:
    """Chapter 2 items waiting for this user, most urgent first (review due date, then waiting longest).

    At most three queries whatever the number of rows: filings, network-access and domain applications,
    each with its total from a window count; a user with no role that acts on a kind skips its query.
    """
    if not user.is_authenticated:
        return TaskQueue(items=[], total=0)
    scope = scope_for(user)
    filing_items, filing_total = _filing_tasks(user, scope, limit)
    network_items, network_total = _application_tasks(
        NetworkAccessApplication, "network", user, scope, _deciding_q(user), limit
    )
    # Art. 30: domain applications are decided by the city authority only.
    city_q = Q(pk__isnull=False) if is_city_official(user) else None
    domain_items, domain_total = _application_tasks(DomainApplication, "domain", user, scope, city_q, limit)
    far = datetime.max.replace(tzinfo=UTC)
    items = sorted(
        [*filing_items, *network_items, *domain_items],
        key=lambda t: (t.due_date is None, t.due_date or date.max, t.waiting_since or far),
    )
    return TaskQueue(items=items[:limit], total=filing_total + network_total + domain_total)


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
