"""Template helpers of the deadline engine: dashboard panels, state badges, legal-basis links."""

import re
from datetime import timedelta

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from portal.models import DeadlineState
from portal.selectors import deadlines_visible_to
from portal.templatetags.portal_tags import TIMELINE_ACTION_LABELS, link_articles

register = template.Library()

TIMELINE_ACTION_LABELS.update(
    {
        "deadline_opened": "开始计算期限",
        "deadline_met": "期限内办结",
        "deadline_overdue": "期限已逾期",
        "deadline_extended": "期限延长",
        "deadline_waived": "期限免除",
        "deadline_expired": "期限届满",
    }
)

DUE_SOON_DAYS = 7  # calendar days ahead shown as "due soon" on the dashboard
PANEL_ROWS = 8
STATE_CSS = {
    DeadlineState.OPEN: "bg-primary",
    DeadlineState.MET: "bg-success",
    DeadlineState.OVERDUE: "bg-danger",
    DeadlineState.WAIVED: "bg-secondary",
    DeadlineState.EXPIRED: "bg-info text-dark",
}
_ONLY_ARTICLE = re.compile(r"^Art\.\s?\d{1,3}$")


@register.simple_tag(takes_context=True)
def deadline_dashboard(context) -> dict:
    """Data of the two dashboard panels for the current user: 3 queries."""
    user = context["request"].user
    today = timezone.localdate()
    visible = deadlines_visible_to(user)
    soon = visible.filter(state=DeadlineState.OPEN, due_date__gte=today, due_date__lte=today + timedelta(DUE_SOON_DAYS))
    overdue = visible.filter(state=DeadlineState.OVERDUE).order_by("due_date", "id")
    return {
        "due_soon": list(soon[:PANEL_ROWS]),
        "overdue": list(overdue[:PANEL_ROWS]),
        "today": today,
        "soon_until": today + timedelta(DUE_SOON_DAYS),
        "days": DUE_SOON_DAYS,
    }


@register.filter
def deadline_state_badge(deadline) -> SafeString:
    return format_html(
        '<span class="badge {}">{}</span>', STATE_CSS.get(deadline.state, "bg-light"), deadline.get_state_display()
    )


@register.filter
def legal_basis(text: str) -> SafeString:
    """ "Art. 13" links to the regulation; other laws (e.g. "政府信息公开条例 Art. 33") are shown as text."""
    text = (text or "").strip()
    if _ONLY_ARTICLE.match(text):
        return link_articles(text)
    return format_html("{}", text or "—")
