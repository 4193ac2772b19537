"""Deadline pages: list with filters and export, month calendar, detail with extend/waive."""

import calendar as month_calendar
import csv
from collections import defaultdict
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.http import HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from portal.forms.deadlines import DeadlineExtendForm, DeadlineFilterForm, DeadlineWaiveForm
from portal.models import CalendarDay, TimelineEvent
from portal.paginators import PAGE_SIZE
from portal.paginators import CappedPaginator as Paginator
from portal.selectors import (
    DEADLINE_ROW_FIELDS,
    deadline_get_for,
    deadlines_visible_to,
)
from portal.services import deadline_extend, deadline_waive
from portal.services.deadlines import deadline_can_manage
from portal.workdays import DATE_MAX, DATE_MIN, calendar_coverage, loaded_years, years_label

EXPORT_HEADER = [
    "事项",
    "类型",
    "责任单位",
    "所在区",
    "截止日期",
    "截止时间",
    "状态",
    "法律依据",
    "开始时间",
    "完成时间",
    "逾期时间",
    "届满时间",
]


def _export_row(d) -> list:
    def local(value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""

    return [
        d.title,
        d.kind.display_label,
        d.organization.name,
        d.get_district_display(),
        d.due_date.isoformat(),
        local(d.due_at),
        d.get_state_display(),
        d.legal_basis,
        local(d.opened_at),
        local(d.met_at),
        local(d.overdue_at),
        local(d.expired_at),
    ]


class _Echo:
    def write(self, value):
        return value


def _export_csv(deadlines) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def rows():
        yield "\ufeff"  # Excel opens UTF-8 CSV correctly only with a BOM
        yield writer.writerow(EXPORT_HEADER)
        for deadline in deadlines.iterator(chunk_size=2000):
            yield writer.writerow(_export_row(deadline))

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="deadlines-{timezone.localdate():%Y%m%d}.csv"'
    return response


def _export_xlsx(deadlines) -> HttpResponse:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("期限")
    sheet.append(EXPORT_HEADER)
    for deadline in deadlines.iterator(chunk_size=2000):
        sheet.append(_export_row(deadline))
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="deadlines-{timezone.localdate():%Y%m%d}.xlsx"'
    workbook.save(response)
    return response


@login_required
def deadline_list(request):
    form = DeadlineFilterForm(request.GET or None)
    deadlines = deadlines_visible_to(request.user)
    if form.is_bound and form.is_valid():
        deadlines = form.apply(deadlines)
    elif form.is_bound:
        deadlines = deadlines.none()
    export = request.GET.get("export")
    if export == "csv":
        return _export_csv(deadlines)
    if export == "xlsx":
        return _export_xlsx(deadlines)
    page = Paginator(deadlines.only(*DEADLINE_ROW_FIELDS), PAGE_SIZE).get_page(request.GET.get("page"))
    years, provisional = calendar_coverage()
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    return render(
        request,
        "deadlines/list.html",
        {"form": form, "page": page, "query": query.urlencode(), "years": years, "provisional_years": provisional},
    )


def _month_arg(value: str | None) -> date:
    """The month asked for, or this month when the value is malformed or outside the calendar's years
    (a month at the edge of Python's date range would overflow building the weeks: issue 8, defect 6)."""
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        first = date(year, month, 1)
    except (ValueError, OverflowError):
        return today.replace(day=1)
    return first if DATE_MIN <= first <= DATE_MAX else today.replace(day=1)


CALENDAR_DAY_LIMIT = 5  # deadlines shown in one day's cell; the rest behind "另有 K 项"
CALENDAR_FILTERS = ("kind", "organization", "district", "state")


def _calendar_filters(request):
    """The list page's filters except the date range (the month is the range): the filtered queryset
    function and the active filters as a query string, for the month links and each day's list link."""
    params = QueryDict(mutable=True)
    for name in CALENDAR_FILTERS:
        if request.GET.get(name):
            params[name] = request.GET[name]
    if not params:
        return (lambda qs: qs), ""
    form = DeadlineFilterForm(params)
    if not form.is_valid():
        return (lambda qs: qs.none()), params.urlencode()
    return form.apply, params.urlencode()


def _calendar_deadlines(deadlines, start, end, limit):
    """{day: (first `limit` deadlines, how many more)} in two queries whatever the month holds: the count
    per day (GROUP BY due_date) and the first `limit` of each day (ROW_NUMBER() OVER (PARTITION BY
    due_date ORDER BY id)), in the deadline list's order so a day's list link starts with the ones shown."""
    in_range = deadlines.filter(due_date__range=(start, end))
    counts = dict(in_range.order_by().values("due_date").annotate(n=Count("id")).values_list("due_date", "n"))
    firsts = defaultdict(list)
    ranked = in_range.annotate(
        day_rank=Window(RowNumber(), partition_by=[F("due_date")], order_by=[F("id").asc()])
    ).filter(day_rank__lte=limit)
    for deadline in ranked.order_by("due_date", "id"):
        firsts[deadline.due_date].append(deadline)
    return {day: (firsts[day], n - len(firsts[day])) for day, n in counts.items()}


@login_required
def deadline_calendar(request):
    first = _month_arg(request.GET.get("month"))
    weeks = month_calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    start, end = weeks[0][0], weeks[-1][-1]
    apply_filters, filter_query = _calendar_filters(request)
    by_day = _calendar_deadlines(apply_filters(deadlines_visible_to(request.user)), start, end, CALENDAR_DAY_LIMIT)
    days = {row.day: row for row in CalendarDay.objects.filter(day__range=(start, end))}
    list_url = reverse("deadline-list")

    def cell(day):
        items, more = by_day.get(day, ([], 0))
        more_url = f"{list_url}?due_from={day:%Y-%m-%d}&due_to={day:%Y-%m-%d}" + (
            f"&{filter_query}" if filter_query else ""
        )
        return (day, days.get(day), items, more, more_url)

    years = loaded_years()
    previous_month = (first - timedelta(days=1)).replace(day=1)
    next_month = (first + timedelta(days=32)).replace(day=1)
    return render(
        request,
        "deadlines/calendar.html",
        {
            "first": first,
            "weeks": [[cell(day) for day in week] for week in weeks],
            "previous_month": previous_month,
            "next_month": next_month,
            "today": timezone.localdate(),
            "years": years_label(years),
            "month_loaded": first.year in years,
            "filter_query": filter_query,
            "day_limit": CALENDAR_DAY_LIMIT,
        },
    )


@login_required
def deadline_detail(request, uuid):
    deadline = deadline_get_for(user=request.user, uuid=uuid)
    events = TimelineEvent.objects.filter(
        content_type_id=deadline.content_type_id, object_id=deadline.object_id, data__deadline=str(deadline.uuid)
    ).select_related("actor")
    can_manage = deadline_can_manage(request.user, deadline)
    return render(
        request,
        "deadlines/detail.html",
        {
            "deadline": deadline,
            "reminders": deadline.reminders.order_by("scheduled_for"),
            "timeline": events,
            "can_manage": can_manage and deadline.is_active,
            "extend_form": DeadlineExtendForm(),
            "waive_form": DeadlineWaiveForm(),
        },
    )


def _action(request, uuid, form_class, perform):
    deadline = deadline_get_for(user=request.user, uuid=uuid)
    if not deadline_can_manage(request.user, deadline):
        raise PermissionDenied("您无权调整该期限。")
    form = form_class(request.POST)
    if form.is_valid():
        try:
            perform(deadline, form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, "已保存。")
            return redirect("deadline-detail", uuid=deadline.uuid)
    for error in form.errors.values():
        messages.error(request, "；".join(error))
    return redirect("deadline-detail", uuid=deadline.uuid)


@login_required
@require_POST
def deadline_extend_view(request, uuid):
    return _action(
        request,
        uuid,
        DeadlineExtendForm,
        lambda deadline, data: deadline_extend(
            deadline=deadline,
            new_due_date=data["new_due_date"],
            reason=data["reason"],
            approved_by=request.user,
            actor=request.user,
        ),
    )


@login_required
@require_POST
def deadline_waive_view(request, uuid):
    return _action(
        request,
        uuid,
        DeadlineWaiveForm,
        lambda deadline, data: deadline_waive(deadline=deadline, reason=data["reason"], actor=request.user),
    )


urlpatterns = [
    path("", deadline_list, name="deadline-list"),
    path("calendar/", deadline_calendar, name="deadline-calendar"),
    path("<uuid:uuid>/", deadline_detail, name="deadline-detail"),
    path("<uuid:uuid>/extend/", deadline_extend_view, name="deadline-extend"),
    path("<uuid:uuid>/waive/", deadline_waive_view, name="deadline-waive"),
]
