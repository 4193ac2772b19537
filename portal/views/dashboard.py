"""The staff dashboard."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import render

from portal.access import scope_for
from portal.models import OrganizationKind
from portal.selectors import organizations_visible_to


@login_required
def dashboard(request):
    scope = scope_for(request.user)
    organizations = organizations_visible_to(request.user)
    # One grouped query gives both the total and the breakdown.
    by_kind = {row["kind"]: row["n"] for row in organizations.order_by().values("kind").annotate(n=Count("id"))}
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
