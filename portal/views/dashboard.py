"""The staff dashboard."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import render

from portal.access import scope_for
from portal.figures import area_figures
from portal.models import OrganizationKind
from portal.selectors import organizations_visible_to


def _organizations_by_kind(user) -> dict:
    """One grouped query gives both the total and the breakdown."""
    rows = organizations_visible_to(user).order_by().values("kind").annotate(n=Count("id"))
    return {row["kind"]: row["n"] for row in rows}


@login_required
def dashboard(request):
    scope = scope_for(request.user)
    by_kind = {}
    if scope.is_staff_official or request.user.is_superuser:  # the only ones shown the directory's figures
        by_kind, _ = area_figures("organizations", request.user, lambda: _organizations_by_kind(request.user))
    kinds = [(label, by_kind.get(value, 0)) for value, label in OrganizationKind.choices]
    organization_count = sum(by_kind.values())
    memberships = request.user.memberships.select_related("organization").order_by("organization__name")
    return render(
        request,
        "portal/dashboard.html",
        {
            "scope": scope,
            "organization_count": organization_count,
            "organization_kinds": kinds,
            "organization_kind_max": max([n for _, n in kinds] + [1]),
            "memberships": memberships,
        },
    )
