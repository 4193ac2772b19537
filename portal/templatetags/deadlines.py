"""Template helpers of the deadline engine: dashboard panels, state badges, legal-basis links."""

import re
from datetime import date, timedelta

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.citations import english_citation
from portal.language import reader_is_chinese
from portal.models import Deadline, DeadlineState
from portal.paginators import first_rows
from portal.selectors import DEADLINE_ROW_FIELDS, deadlines_visible_to
from portal.templatetags.portal_tags import TIMELINE_ACTION_LABELS, link_articles

register = template.Library()

TIMELINE_ACTION_LABELS.update(
    {
        "deadline_opened": gettext_lazy("开始计算期限"),
        "deadline_met": gettext_lazy("期限内办结"),
        "deadline_overdue": gettext_lazy("期限已逾期"),
        "deadline_extended": gettext_lazy("期限延长"),
        "deadline_waived": gettext_lazy("期限免除"),
        "deadline_expired": gettext_lazy("期限届满"),
        "deadline_paused": gettext_lazy("期限暂停"),
        "deadline_resumed": gettext_lazy("期限恢复计算"),
        "deadline_recounted": gettext_lazy("期限按正式日历重新计算"),
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
    DeadlineState.PAUSED: "bg-warning text-dark",
}
_ONLY_ARTICLE = re.compile(r"^Art\.\s?\d{1,3}$")


@register.simple_tag(takes_context=True)
def deadline_dashboard(context) -> dict:
    """Data of the two dashboard panels for the current user: 3 queries."""
    user = context["request"].user
    today = timezone.localdate()
    visible = deadlines_visible_to(user).only(*DEADLINE_ROW_FIELDS)
    soon = visible.filter(state=DeadlineState.OPEN, due_date__gte=today, due_date__lte=today + timedelta(DUE_SOON_DAYS))
    overdue = visible.filter(state=DeadlineState.OVERDUE).order_by("due_date", "id")
    return {
        "due_soon": list(first_rows(soon, PANEL_ROWS)),
        "overdue": list(first_rows(overdue, PANEL_ROWS)),
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
    if text and not reader_is_chinese():
        text = english_citation(text)
    return format_html("{}", text or "—")


def _official_years(context) -> set[int]:
    """Years whose official calendar is loaded: one query per request, and only when a page shows a
    bare due date (a ``Deadline`` carries its own mark)."""
    from portal.models import CalendarSource, CalendarYear

    request = context.get("request")
    cached = getattr(request, "_official_calendar_years", None)
    if cached is None:
        cached = set(CalendarYear.objects.exclude(source=CalendarSource.PROVISIONAL).values_list("year", flat=True))
        if request is not None:
            request._official_calendar_years = cached
    return cached


@register.simple_tag(takes_context=True)
def due_date(context, value, fmt: str = "Y-m-d") -> SafeString:
    """A due date as every page shows it: the date (and time where the law counts hours), marked
    "临时日历" when it was counted across a year whose official holiday calendar is not loaded yet
    (it will be counted again when it is), "已暂停" with the working days left when paused.

    ``value`` is a ``Deadline`` (its ``provisional`` field decides) or a date a chapter keeps on its
    record (provisional when its year's official calendar is not loaded)."""
    from django.template.defaultfilters import date as date_filter

    if value in (None, ""):
        return format_html('<span class="text-body-secondary">—</span>')
    if isinstance(value, Deadline):
        day, provisional = value.due_date, value.provisional
        text = date_filter(day, fmt) + (
            f" {date_filter(timezone.localtime(value.due_at), 'H:i')}" if value.due_at else ""
        )
        paused = value.state == DeadlineState.PAUSED
    else:
        day = value
        provisional = getattr(value, "provisional", None)
        if provisional is None:
            provisional = isinstance(day, date) and day.year not in _official_years(context)
        text, paused = date_filter(day, fmt), False
    html = format_html('<span class="text-nowrap" data-due="{}">{}</span>', day.isoformat(), text)
    if paused:
        left = value.paused_remaining or 0
        html = format_html(
            '{} <span class="badge text-bg-warning" data-testid="due-paused">{}</span>',
            html,
            _("已暂停，剩余 %(days)s 个工作日") % {"days": left} if left >= 0 else _("已暂停（已逾期）"),
        )
    if provisional:
        html = format_html(
            '{} <span class="badge text-bg-warning" data-testid="due-provisional" title="{}">{}</span>',
            html,
            _("该年度节假日安排尚未按国务院办公厅通知载入，暂按法定节假日（不含调休）计算；载入后自动重新计算。"),
            _("临时日历"),
        )
    return html
