"""How Chapter 2 reads are scoped in SQL: the agency's own rows, an official's area, the lookup that 404s."""

from django.db.models import (
    Q,
)
from django.http import Http404

from portal.access import scope_for

REVIEW_PERMISSION = "review_projectfiling"


def _agency_q(scope, prefix: str = "agency") -> Q:
    """The user's organizations and their direct children, resolved with the scope: ``agency_id IN (…)``
    on an index rather than an OR over a join to the organization."""
    return Q(**{f"{prefix}_id__in": sorted(scope.agency_ids)})


def _staff_q(scope) -> Q | None:
    if scope.city_wide:
        # Not Q(): an empty Q vanishes when OR-ed with another condition.
        return Q(pk__isnull=False)
    if scope.districts:
        return Q(district__in=scope.districts)
    return None


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


def _get(qs, uuid, message):
    try:
        return qs.get(uuid=uuid)
    except (qs.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(message) from exc
