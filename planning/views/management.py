"""Agencies' informatization management (Art. 40): staff training (Art. 28) and periodic assessments (Art. 40)
per agency with a yearly summary; the authority's view of agencies missing either."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from planning import services
from planning.forms import DevelopmentRecordForm
from planning.permissions import AGENCY_ROLES
from planning.rules import development_minimum_per_year
from planning.selectors import agencies_missing_development, development_records_visible_to, development_summary
from planning.views.plans import _add_errors
from portal.access import require, scope_for
from portal.models import Organization, OrganizationKind
from portal.paginators import PAGE_SIZE


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def _recording_agencies(user):
    ids = [org for org, role in scope_for(user).grants if role in AGENCY_ROLES]
    return Organization.objects.filter(pk__in=ids, kind=OrganizationKind.AGENCY, is_active=True).order_by("name")


@login_required
def development_list(request):
    """An agency's own records with this year's summary; staff officials see every agency in scope."""
    year = _year(request)
    agencies = _recording_agencies(request.user)
    form = DevelopmentRecordForm(request.POST or None, organizations=agencies)
    if request.method == "POST":
        require(agencies.exists(), "只有国家机关的经办人或负责人可以登记培训和考核记录。")
        if form.is_valid():
            try:
                services.development_record_create(actor=request.user, **form.cleaned_data)
            except ValidationError as invalid:
                _add_errors(form, invalid)
            else:
                messages.success(request, "已登记。")
                return redirect("planning:development-list")
    records = development_records_visible_to(request.user).filter(year=year).order_by("-held_on", "-id")
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    summary = development_summary(request.user, year=year).filter(pk__in=agencies) if agencies.exists() else []
    return render(
        request,
        "planning/development_list.html",
        {
            "page": page,
            "form": form if agencies.exists() else None,
            "year": year,
            "summary": summary,
            "minimum": development_minimum_per_year(),
            "is_staff_official": scope_for(request.user).is_staff_official,
        },
        status=400 if form.errors else 200,
    )


@login_required
def development_compliance(request):
    """The authority sees, per agency in its scope, the year's trainings and assessments, and who is missing either."""
    require(scope_for(request.user).is_staff_official, "只有信息化主管部门可以查看各机关的培训和考核情况。")
    year = _year(request)
    missing_only = request.GET.get("missing") == "1"
    rows = (
        agencies_missing_development(request.user, year=year)
        if missing_only
        else development_summary(request.user, year=year)
    )
    if request.GET.get("format") == "csv":
        return _compliance_csv(rows, year)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "planning/development_compliance.html",
        {
            "page": page,
            "year": year,
            "missing_only": missing_only,
            "minimum": development_minimum_per_year(),
            "missing_count": agencies_missing_development(request.user, year=year).count(),
        },
    )


def _compliance_csv(rows, year: int) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="staff-development-{year}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(["机关", "所在区", "培训次数", "培训人次", "考核次数", "考核人次", "考核合格人次"])
    for org in rows[:10_000]:
        writer.writerow(
            [
                org.name,
                org.get_district_display(),
                org.training_count,
                org.training_participants,
                org.assessment_count,
                org.assessed,
                org.assessment_passed,
            ]
        )
    return response
