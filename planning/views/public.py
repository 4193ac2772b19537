"""Public pages (no login): published plans (Art. 6), the standards register (Art. 7), commendations (Art. 8)
and showcased results (Art. 31). Nothing unpublished is ever read here."""

import csv

from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from planning.forms import StandardSearchForm
from planning.rules import PlanKind
from planning.selectors import (
    public_plan_document_get,
    published_achievements,
    published_commendations,
    published_plan_get,
    published_plans,
    published_version_documents,
    standard_get,
    standards_search,
)
from portal.paginators import PAGE_SIZE

EXPORT_LIMIT = 10_000


@require_GET
def plan_list(request):
    plans = published_plans()
    kind = request.GET.get("kind", "")
    if kind in PlanKind.values:
        plans = plans.filter(kind=kind)
    page = Paginator(plans, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "planning/public_plan_list.html", {"page": page, "kinds": PlanKind.choices, "kind": kind})


@require_GET
def plan_detail(request, uuid):
    plan = published_plan_get(uuid=uuid)
    conforming = published_plans().filter(conforms_to=plan)[:50]
    return render(
        request,
        "planning/public_plan_detail.html",
        {"plan": plan, "documents": published_version_documents(plan), "conforming": conforming},
    )


@require_GET
def plan_document(request, uuid):
    attachment = public_plan_document_get(uuid=uuid)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.mime_type,
    )


def _standards_filtered(request):
    form = StandardSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    standards = standards_search(q=data.get("q", ""), category=data.get("category", ""), status=data.get("status", ""))
    return form, standards


@require_GET
def standard_list(request):
    form, standards = _standards_filtered(request)
    if request.GET.get("format") == "csv":
        return _standards_csv(standards[:EXPORT_LIMIT])
    page = Paginator(standards, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "planning/public_standard_list.html", {"page": page, "form": form})


def _standards_csv(standards) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="standards.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 CSV correctly only with a BOM
    writer = csv.writer(response)
    writer.writerow(["标准编号", "标准名称", "类别", "状态", "实施日期", "废止日期", "代替标准", "发布机关"])
    for s in standards:
        writer.writerow(
            [
                s.code,
                s.title,
                s.get_category_display(),
                s.get_status_display(),
                s.effective_on.isoformat(),
                s.withdrawn_on.isoformat() if s.withdrawn_on else "",
                s.replaced_by.code if s.replaced_by else "",
                s.issued_by,
            ]
        )
    return response


@require_GET
def standard_detail(request, uuid):
    standard = standard_get(uuid=uuid)
    return render(
        request,
        "planning/public_standard_detail.html",
        {"standard": standard, "replaces": standard.replaces.order_by("code")},
    )


@require_GET
def achievement_list(request):
    page = Paginator(published_achievements(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "planning/public_achievement_list.html", {"page": page})


@require_GET
def commendation_list(request):
    page = Paginator(published_commendations(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "planning/public_commendation_list.html", {"page": page})
