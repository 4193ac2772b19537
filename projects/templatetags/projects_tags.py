"""Template helpers of Chapter 2: status badges and the dashboard panels' data."""

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from portal.figures import area_figures
from portal.models import District
from portal.services.deadlines import is_past_due
from portal.workdays import MissingCalendarYear, add_working_days
from projects.models import FilingStatus
from projects.selectors import filing_status_counts, filing_tasks_for

register = template.Library()

STATUS_CSS = {
    FilingStatus.DRAFT: "text-bg-light border",
    FilingStatus.SUBMITTED: "text-bg-info",
    FilingStatus.IN_REVIEW: "text-bg-primary",
    FilingStatus.RETURNED: "text-bg-warning",
    FilingStatus.APPROVED: "text-bg-success",
    FilingStatus.APPROVED_WITH_CONDITIONS: "text-bg-success",
    FilingStatus.REJECTED: "text-bg-danger",
    FilingStatus.UNDER_CONSTRUCTION: "text-bg-secondary",
    FilingStatus.ACCEPTANCE_REQUESTED: "text-bg-info",
    FilingStatus.RECTIFYING: "text-bg-warning",
    FilingStatus.ACCEPTED: "text-bg-success",
    FilingStatus.IN_OPERATION: "text-bg-dark",
    "submitted": "text-bg-info",
    "approved": "text-bg-success",
    "refused": "text-bg-danger",
    "registered": "text-bg-warning",
    "migrating": "text-bg-info",
    "migrated": "text-bg-success",
}


@register.filter
def status_badge(obj) -> SafeString:
    """A coloured badge with the object's status in words."""
    return format_html(
        '<span class="badge {}" data-testid="status">{}</span>',
        STATUS_CSS.get(obj.status, "text-bg-light"),
        obj.get_status_display(),
    )


@register.simple_tag(takes_context=True)
def projects_dashboard(context) -> dict:
    """Counts by status and district of the filings the user may see (2 queries)."""
    user = context["request"].user
    counts, taken_at = area_figures("filings", user, lambda: filing_status_counts(user))
    by_status = [
        {"value": value, "label": label, "n": counts["by_status"].get(value, 0)}
        for value, label in FilingStatus.choices
        if counts["by_status"].get(value)
    ]
    districts = dict(District.choices)
    by_district = [
        {"value": row["district"], "label": districts.get(row["district"], row["district"]), "n": row["n"]}
        for row in counts["by_district"]
    ]
    return {
        "by_status": by_status,
        "by_district": by_district,
        "total": sum(counts["by_status"].values()),
        "max_district": max((row["n"] for row in by_district), default=1),
        "in_review": counts["by_status"].get(FilingStatus.IN_REVIEW, 0)
        + counts["by_status"].get(FilingStatus.SUBMITTED, 0),
        "taken_at": taken_at,
    }


# A due date this close (in working days) is shown amber on the to-do panel.
TASK_DUE_SOON_WORKING_DAYS = 3


@register.simple_tag(takes_context=True)
def projects_tasks(context) -> dict:
    """The user's Chapter 2 to-do list (1 query, plus 1 for the calendar when a task has a due date)."""
    queue = filing_tasks_for(context["request"].user)
    today = timezone.localdate()
    soon_until = None
    if any(task.due_date for task in queue.items):
        try:
            soon_until = add_working_days(today, TASK_DUE_SOON_WORKING_DAYS)
        except MissingCalendarYear:
            soon_until = None  # no guess past the loaded calendar: only overdue is marked
    rows = []
    for task in queue.items:
        urgency = ""
        if task.due_date is not None:
            if is_past_due(task.due_date, today=today):
                urgency = "overdue"
            elif soon_until is not None and task.due_date <= soon_until:
                urgency = "soon"
        rows.append({"task": task, "urgency": urgency})
    return {
        "rows": rows,
        "total": f"{queue.total}+" if queue.capped else queue.total,
        "more": queue.total - len(rows),
        "soon_days": TASK_DUE_SOON_WORKING_DAYS,
    }


@register.filter
def lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
