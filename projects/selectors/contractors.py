"""Reads of contractors' qualifications (Art. 11) and the compliance findings they lead to (Art. 43)."""

from datetime import date

from django.db.models import (
    QuerySet,
)
from django.http import Http404

from portal.access import scope_for
from portal.models import Role
from projects.models import (
    ComplianceFinding,
    Qualification,
)
from projects.selectors.scope import _staff_q

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
