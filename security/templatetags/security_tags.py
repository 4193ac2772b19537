"""Template helpers of Chapter 5: the dashboard panel's figures."""

from django import template
from django.utils import timezone

from portal.figures import area_figures
from security.rules import IncidentLevel, SecurityLevel
from security.selectors import dashboard_figures

register = template.Library()


@register.simple_tag(takes_context=True)
def security_dashboard(context) -> dict:
    """Systems per level, incidents per level (with late ones), overdue evaluations, unfiled systems (4 queries)."""
    user = context["request"].user
    figures, taken_at = area_figures("security", user, lambda: dashboard_figures(user, today=timezone.localdate()))
    by_level = figures["by_level"]
    incidents = figures["incidents"]
    chart = {
        "levels": {
            "labels": ["未定级", *SecurityLevel.labels],
            "data": [by_level.get(None, 0), *(by_level.get(v, 0) for v in SecurityLevel.values)],
        },
        "incidents": {
            "labels": list(IncidentLevel.labels),
            "data": [incidents.get(v, {}).get("n", 0) for v in IncidentLevel.values],
            "late": [incidents.get(v, {}).get("late", 0) for v in IncidentLevel.values],
        },
    }
    return {
        "total": sum(by_level.values()),
        "incidents": sum(row["n"] for row in incidents.values()),
        "late": sum(row["late"] for row in incidents.values()),
        "overdue": figures["overdue"],
        "unfiled": figures["unfiled"],
        "chart": chart,
        "taken_at": taken_at,
    }
