"""Reads of project filings (Art. 13): the scoped list and queue, one filing, what hangs off it, who
reviews it, and the authority and department of its level."""

from datetime import date, timedelta

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
)
from django.http import Http404

from portal.access import scope_for
from portal.models import Level, Membership, Organization, OrganizationKind, Role, User
from portal.paginators import filter_any, scope_to_organizations
from portal.services.deadlines import is_past_due
from projects.models import (
    OPINION_STATES,
    AcceptanceRecord,
    FilingContractor,
    FilingStatus,
    FilingUserObjectPermission,
    ProjectFiling,
    ReviewFinding,
)
from projects.permissions import REVIEWER_ROLES, reviews_by_assignment
from projects.rules import ReviewDimension, approving_department_type
from projects.selectors.scope import REVIEW_PERMISSION, _agency_q, _get, _staff_q


def reviewer_grants_q(user) -> Q:
    """Filings the user is an assigned reviewer of (guardian grants), as ``id = ANY(ARRAY(SELECT …))``: one
    InitPlan, so OR-ed with the scope it stays on the indexes (``portal.lookups``)."""
    grants = FilingUserObjectPermission.objects.filter(user=user, permission__codename=REVIEW_PERMISSION)
    return Q(pk__any_array=ArraySubquery(grants.values("content_object_id")))


def filings_visible_to(user) -> QuerySet[ProjectFiling]:
    """Filings of the user's agency, those in an official's area (drafts stay private to the agency),
    those a reviewer is assigned to and those a contractor works on."""
    if not user.is_authenticated:
        return ProjectFiling.objects.none()
    scope = scope_for(user)
    qs = ProjectFiling.objects.select_related("agency", "reviewing_authority", "approving_department")
    not_draft = ~Q(status=FilingStatus.DRAFT)
    branches = [_agency_q(scope)]
    staff = _staff_q(scope)
    if staff is not None:
        branches.append(staff & not_draft)
    if reviews_by_assignment(user):
        branches.append(reviewer_grants_q(user))
    contractor_ids = [org for org, role in scope.grants if role == Role.CONTRACTOR_CLERK]
    if contractor_ids:
        contracted = FilingContractor.objects.filter(contractor_id__in=contractor_ids).values("filing_id")
        branches.append(Q(pk__in=contracted) & not_draft)
    if len(branches) == 1:
        # A clerk's filings: their units' own, each read through filing_agency_created_idx and merged, instead
        # of sorting all of them for a page (an agency with a child unit: ``agency_id = ANY(…)``, no order).
        return scope_to_organizations(qs, "agency_id", scope.agency_ids)
    # A district official's filings are a few thousand of the city's: counted branch by branch, each on its
    # own index, not by testing the OR on every filing.
    return filter_any(qs, branches, count_by_branch=bool(scope.districts) and not scope.city_wide)


# The columns of a filing list row (``projects.api.filing_serializers.FilingListSerializer``) and of the
# checks behind ``available_actions`` (state, level, district, agency and its parent).
FILING_ROW_FIELDS = (
    "uuid",
    "title",
    "kind",
    "level",
    "district",
    "government_investment",
    "status",
    "submitted_at",
    "review_due_date",
    "review_round",
    "decided_at",
    "opinion_number",
    "created_at",
    "updated_at",
    "agency__uuid",
    "agency__name",
    "agency__parent",
    "reviewing_authority__name",
)


def filings_for_list(user) -> QuerySet[ProjectFiling]:
    """``filings_visible_to`` with ``caller_reviews`` on each row (is the user an assigned reviewer?), so the
    rows' ``available_actions`` need no query each (``projects.permissions.reviewer_flags_prime``)."""
    if not user.is_authenticated:
        return ProjectFiling.objects.none()
    # A row reads what the list shows and ``available_actions`` decides by, with its agency and reviewing
    # authority; the rest of the filing (its texts, funding, approval, acceptance) is the detail's. Each
    # column and related object read is built into every row: 26 -> 14 ms a page of 50.
    rows = (
        filings_visible_to(user)
        .select_related(None)
        .select_related("agency", "reviewing_authority")
        .only(*FILING_ROW_FIELDS)
    )
    if not reviews_by_assignment(user):
        return rows.annotate(caller_reviews=Value(False))
    return rows.annotate(
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
    qs = filings_visible_to(user).select_related(None).select_related("agency")  # the only relation a row shows
    qs = qs.annotate(review_overdue=ExpressionWrapper(review_overdue_q(today), output_field=BooleanField()))
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
    """Counts by status and by district, for the dashboard: one query grouped by both (at most 12 x 17
    rows, summed here), an index-only scan of ``filing_counts_idx``."""
    rows = filings_visible_to(user).order_by().values_list("status", "district").annotate(n=Count("id"))
    by_status: dict[str, int] = {}
    districts: dict[str, int] = {}
    for status, district, n in rows:
        by_status[status] = by_status.get(status, 0) + n
        if district:
            districts[district] = districts.get(district, 0) + n
    by_district = [
        {"district": district, "n": n} for district, n in sorted(districts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
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


def filing_reviewer_candidates(filing: ProjectFiling) -> list[User]:
    """Who may review this filing: staff of its deciding authority, minus anyone who also belongs to the
    filing agency or its parent (回避). One query."""
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


def acceptance_record_get_for(*, filing: ProjectFiling, uuid) -> AcceptanceRecord:
    """A record of a filing the caller has already read through ``filing_get_for``."""
    return _get(AcceptanceRecord.objects.filter(filing=filing).select_related("filing"), uuid, "未找到该验收记录。")


# --- The authority and department of a filing's level (Art. 13)


def _same_level(queryset, *, level: str, district: str):
    if level == Level.CITY:
        return queryset.filter(level=Level.CITY)
    return queryset.filter(level=Level.DISTRICT, district=district)


def reviewing_authority_for(filing: ProjectFiling) -> Organization | None:
    """Art. 13: the informatization authority of the same level."""
    authorities = Organization.objects.filter(kind=OrganizationKind.AUTHORITY, is_active=True).order_by("id")
    return _same_level(authorities, level=filing.level, district=filing.district).first()


def approving_department_for(filing: ProjectFiling) -> Organization | None:
    """Art. 13: development and reform for new construction, finance otherwise ("或者其他有关部门" when the
    agency names one), always of the filing's own level and district: a district filing never falls back to
    the city's department, whose liaison would then read a district opinion."""
    if filing.other_approving_department_id is not None:
        other = filing.other_approving_department
        same = other.level == filing.level and (filing.level == Level.CITY or other.district == filing.district)
        return other if same and other.is_active else None
    departments = Organization.objects.filter(
        kind=OrganizationKind.DEPARTMENT, department_type=approving_department_type(filing.kind), is_active=True
    ).order_by("id")
    return _same_level(departments, level=filing.level, district=filing.district).first()
