"""Every permissioned read of Chapters 6-7, scoped in SQL (not visible -> 404)."""

from django.db.models import Count, F, Q, QuerySet, Sum, Window
from django.db.models.functions import Rank
from django.http import Http404

from enforcement.models import (
    OPEN_CASE_STATES,
    Case,
    Finding,
    FindingStatus,
    Inspection,
    PerformanceEvaluation,
    ServiceEvaluation,
)
from enforcement.permissions import CITY_ENFORCING_ROLES, DISTRICT_ENFORCING_ROLES
from portal.access import scope_for


def _staff_q(user) -> Q | None:
    """Rows of the districts the user enforces in (everything for the city authority); None: no staff scope."""
    if user.is_superuser:
        return Q()
    scope = scope_for(user)
    if scope.city_roles & CITY_ENFORCING_ROLES:
        return Q()
    districts = {d for d, role in scope.district_grants if role in DISTRICT_ENFORCING_ROLES}
    if districts:
        return Q(district__in=districts)
    return None


def findings_visible_to(user) -> QuerySet[Finding]:
    """Findings are internal to the authorities: the parties see cases, not leads."""
    q = _staff_q(user)
    if q is None:
        return Finding.objects.none()
    return Finding.objects.filter(q).select_related("party", "case")


def finding_get_for(*, user, uuid) -> Finding:
    finding = findings_visible_to(user).filter(uuid=uuid).first()
    if finding is None:
        raise Http404("没有找到该违法线索。")
    return finding


def cases_visible_to(user) -> QuerySet[Case]:
    """Officials see their districts' cases; a party's members see the party's own cases."""
    if not user.is_authenticated:
        return Case.objects.none()
    q = _staff_q(user)
    scope = scope_for(user)
    party_q = Q(party_organization_id__in=scope.organization_ids) if scope.organization_ids else None
    base = Case.objects.select_related("party_organization", "authority")
    if q is not None and not q:  # city-wide (an empty Q would vanish in an OR)
        return base
    if q is None and party_q is None:
        return Case.objects.none()
    combined = q if party_q is None else (party_q if q is None else q | party_q)
    return base.filter(combined)


def case_get_for(*, user, uuid) -> Case:
    case = cases_visible_to(user).filter(uuid=uuid).first()
    if case is None:
        raise Http404("没有找到该案件。")
    return case


def published_decisions() -> QuerySet[Case]:
    """Public: decisions published and not withdrawn (partial index case_published_idx)."""
    return (
        Case.objects.filter(published_at__isnull=False, withdrawn_at__isnull=True)
        .select_related("party_organization", "authority")
        .prefetch_related("sanctions")
        .order_by("-published_at", "-id")
    )


def published_decision_get(*, uuid) -> Case:
    case = published_decisions().filter(uuid=uuid).first()
    if case is None:
        raise Http404("没有找到该处罚决定。")
    return case


def case_dashboard(user) -> dict:
    """Open cases by state, fines decided and paid, in two aggregate queries."""
    cases = cases_visible_to(user)
    by_state = dict(cases.filter(status__in=OPEN_CASE_STATES).values_list("status").annotate(n=Count("id")).order_by())
    fines = cases.filter(fine_total__gt=0).aggregate(
        decided=Sum("fine_total"),
        paid=Sum("paid_amount"),
        unpaid=Count("id", filter=Q(paid_on__isnull=True, status__in=["decided", "served", "executing"])),
    )
    return {"by_state": by_state, "fines": fines}


def inspections_visible_to(user) -> QuerySet[Inspection]:
    q = _staff_q(user)
    if q is None:
        return Inspection.objects.none()
    return Inspection.objects.filter(q).select_related("subject", "authority", "case")


def performance_ranking(*, year: int, published_only: bool = True) -> QuerySet[PerformanceEvaluation]:
    qs = PerformanceEvaluation.objects.filter(year=year)
    if published_only:
        qs = qs.filter(published=True)
    return (
        qs.select_related("agency")
        .annotate(rank=Window(expression=Rank(), order_by=[F("score").desc()]))
        .order_by("-score", "id")
    )


def published_service_evaluations() -> QuerySet[ServiceEvaluation]:
    return (
        ServiceEvaluation.objects.filter(published_at__isnull=False)
        .select_related("enterprise", "sector_authority")
        .order_by("-year", "-score", "id")
    )


def finding_counts(user) -> dict[str, int]:
    return dict(
        findings_visible_to(user)
        .filter(status=FindingStatus.OPEN)
        .values_list("rule")
        .annotate(n=Count("id"))
        .order_by()
    )


def performance_years() -> QuerySet:
    return (
        PerformanceEvaluation.objects.filter(published=True).values_list("year", flat=True).distinct().order_by("-year")
    )
