"""Pages of Chapters 6-7: findings inbox, case files, the enforcement dashboard, the credit export, PDFs,
and the public pages (published decisions, evaluation results). Thin: selectors read, services write."""

import csv
from datetime import date
from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from enforcement import rules, services
from enforcement.actions import CASE_ACTIONS, FINDING_ACTIONS, case_available_actions, finding_available_actions
from enforcement.forms import (
    CaseFilterForm,
    EvidenceForm,
    FindingFilterForm,
    InspectionForm,
    PerformanceEvaluationForm,
    ServiceEvaluationForm,
    SurchargeForm,
)
from enforcement.models import OPEN_CASE_STATES, CaseStatus, FindingStatus
from enforcement.permissions import may_enforce, may_enforce_anywhere
from enforcement.rules import SanctionKind
from enforcement.selectors import (
    case_dashboard,
    case_get_for,
    cases_visible_to,
    finding_counts,
    finding_get_for,
    findings_visible_to,
    inspections_visible_to,
    performance_ranking,
    performance_years,
    published_decision_get,
    published_decisions,
    published_service_evaluations,
)
from portal.figures import area_figures
from portal.models import Deadline
from portal.models.deadlines import DeadlineState
from portal.paginators import PAGE_SIZE
from portal.paginators import CappedPaginator as Paginator
from portal.selectors import attachments_for, timeline_for
from portal.selectors.deadlines import deadlines_for
from portal.workflow import Refused

STATE_LABELS = {**dict(CaseStatus.choices), **dict(FindingStatus.choices), **dict(DeadlineState.choices)}


def timeline_display(obj) -> list:
    """Timeline events with states in words, for templates/partials/timeline.html."""
    return [
        SimpleNamespace(
            created_at=e.created_at,
            actor=e.actor,
            action=e.action,
            from_state=STATE_LABELS.get(e.from_state, e.from_state),
            to_state=STATE_LABELS.get(e.to_state, e.to_state),
            comment=e.comment,
            data=e.data,
        )
        for e in timeline_for(obj).select_related("actor")
    ]


PENALTY_DEADLINE_KINDS = (
    "penalty_decision",
    "penalty_hearing_request",
    "penalty_payment",
    "penalty_publication",
    "penalty_correction",
)


def _staff_only(request) -> None:
    """Findings, inspections and the dashboard are internal: outsiders get a 404, as for a missing page."""
    if not may_enforce_anywhere(request.user):
        raise Http404("没有找到该页面。")


@login_required
def finding_list(request):
    _staff_only(request)
    form = FindingFilterForm(request.GET or None)
    qs = findings_visible_to(request.user)
    status = FindingStatus.OPEN
    if form.is_valid():
        data = form.cleaned_data
        status = data.get("status") or ("" if "status" in request.GET else FindingStatus.OPEN)
        if data.get("rule"):
            qs = qs.filter(rule=data["rule"])
        if data.get("district"):
            qs = qs.filter(district=data["district"])
    if status:
        qs = qs.filter(status=status)
    page = Paginator(qs.order_by("-detected_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "enforcement/finding_list.html",
        {"form": form, "page": page, "counts": finding_counts(request.user), "section": "findings"},
    )


def _finding_context(request, finding, bound=None, error=None):
    actions = finding_available_actions(request.user, finding)
    forms = [(a, (bound or {}).get(a.name) or a.form()) for a in actions]
    return {
        "finding": finding,
        "actions": forms,
        "error": error,
        "timeline": timeline_display(finding),
        "section": "findings",
    }


@login_required
def finding_detail(request, uuid):
    finding = finding_get_for(user=request.user, uuid=uuid)
    return render(request, "enforcement/finding_detail.html", _finding_context(request, finding))


def _apply_errors(form, invalid: ValidationError) -> None:
    if hasattr(invalid, "error_dict"):
        for field, errors in invalid.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, invalid)


@require_POST
@login_required
def finding_action(request, uuid, action):
    finding = finding_get_for(user=request.user, uuid=uuid)
    if action not in FINDING_ACTIONS:
        raise Http404("没有这个操作。")
    spec = FINDING_ACTIONS[action]
    form = spec.form(request.POST)
    if form.is_valid():
        try:
            result = FINDING_ACTIONS.run(action, obj=finding, actor=request.user, data=form.to_service())
        except Refused as refused:
            return render(
                request,
                "enforcement/finding_detail.html",
                _finding_context(request, finding, error=refused.message),
                status=409,
            )
        except ValidationError as invalid:
            _apply_errors(form, invalid)
        else:
            messages.success(request, gettext("已%(action)s。") % {"action": spec.label})
            if result.case_id:
                return redirect("enforcement:case-detail", uuid=result.case.uuid)
            return redirect("enforcement:finding-detail", uuid=finding.uuid)
    context = _finding_context(request, finding, bound={action: form})
    return render(request, "enforcement/finding_detail.html", context, status=400)


@login_required
def case_list(request):
    form = CaseFilterForm(request.GET or None)
    qs = cases_visible_to(request.user)
    if form.is_valid():
        data = form.cleaned_data
        if data.get("status"):
            qs = qs.filter(status=data["status"])
        if data.get("article"):
            qs = qs.filter(sanctioning_article=data["article"])
        if data.get("district"):
            qs = qs.filter(district=data["district"])
    page = Paginator(qs.order_by("-registered_on", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "enforcement/case_list.html",
        {"form": form, "page": page, "section": "cases", "is_staff": may_enforce_anywhere(request.user)},
    )


def _surcharge_context(request, case) -> dict:
    if not case.payment_due or case.fine_total <= 0:
        return {}
    form = SurchargeForm(request.GET if "on" in request.GET else {"on": timezone.localdate()})
    on = form.cleaned_data["on"] if form.is_valid() else timezone.localdate()
    owed = rules.surcharge(fine=case.fine_total, payment_due=case.payment_due, on=on)
    return {"surcharge_form": form, "surcharge_on": on, "surcharge": owed, "surcharge_total": case.fine_total + owed}


def _case_context(request, case, bound=None, error=None):
    actions = case_available_actions(request.user, case)
    staff = may_enforce(request.user, district=case.district)
    return {
        "case": case,
        "actions": [(a, (bound or {}).get(a.name) or a.form()) for a in actions],
        "error": error,
        "timeline": timeline_display(case) if staff else [],
        "proposed": [(SanctionKind(p["kind"]).label, p.get("amount")) for p in case.proposed_sanctions],
        "deadlines": deadlines_for(case).select_related("kind"),
        "attachments": attachments_for(case) if staff else [],
        "attachment_form": EvidenceForm() if staff else None,
        "sanctions": list(case.sanctions.all()),
        "article_text": rules.article_body(case.sanctioning_article),
        "is_staff": staff,
        "hearing_window_end": services.hearing_request_window_end(case),
        "rules": rules,
        "section": "cases",
        **_surcharge_context(request, case),
    }


@login_required
def case_detail(request, uuid):
    case = case_get_for(user=request.user, uuid=uuid)
    return render(request, "enforcement/case_detail.html", _case_context(request, case))


@require_POST
@login_required
def case_action(request, uuid, action):
    case = case_get_for(user=request.user, uuid=uuid)
    if action not in CASE_ACTIONS:
        raise Http404("没有这个操作。")
    spec = CASE_ACTIONS[action]
    form = spec.form(request.POST)
    if form.is_valid():
        try:
            CASE_ACTIONS.run(action, obj=case, actor=request.user, data=form.to_service())
        except Refused as refused:
            return render(
                request, "enforcement/case_detail.html", _case_context(request, case, error=refused.message), status=409
            )
        except ValidationError as invalid:
            _apply_errors(form, invalid)
        else:
            messages.success(request, gettext("已%(action)s。") % {"action": spec.label})
            return redirect("enforcement:case-detail", uuid=case.uuid)
    case = case_get_for(user=request.user, uuid=uuid)
    return render(
        request, "enforcement/case_detail.html", _case_context(request, case, bound={action: form}), status=400
    )


@require_POST
@login_required
def case_evidence(request, uuid):
    case = case_get_for(user=request.user, uuid=uuid)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.case_attach_evidence(
                case=case,
                actor=request.user,
                uploaded=form.cleaned_data["file"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as invalid:
            _apply_errors(form, invalid)
        else:
            messages.success(request, "已上传证据材料。")
            return redirect("enforcement:case-detail", uuid=case.uuid)
    context = _case_context(request, case)
    context["attachment_form"] = form
    return render(request, "enforcement/case_detail.html", context, status=400)


def _pdf_response(request, letter) -> HttpResponse:
    from portal.letters import CJKFontMissing, content_disposition, render_letter

    try:
        data = render_letter(letter)
    except CJKFontMissing as missing:
        return render(request, "projects/pdf_font_missing.html", {"message": str(missing)}, status=503)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(letter.filename)
    return response


@login_required
def case_notice_pdf(request, uuid):
    from enforcement.pdf import notice_letter

    case = case_get_for(user=request.user, uuid=uuid)
    if case.notified_on is None:
        raise Http404("该案件尚未告知。")
    return _pdf_response(request, notice_letter(case))


@login_required
def case_decision_pdf(request, uuid):
    from enforcement.pdf import decision_letter

    case = case_get_for(user=request.user, uuid=uuid)
    if case.decided_on is None:
        raise Http404("该案件尚未作出决定。")
    return _pdf_response(request, decision_letter(case))


class _Echo:
    def write(self, value):
        return value


CREDIT_COLUMNS = [
    "案号",
    "当事人",
    "统一社会信用代码",
    "违反条款",
    "罚则条款",
    "处罚种类",
    "罚款金额（元）",
    "决定日期",
    "作出机关",
    "公开状态",
]


@login_required
def credit_export(request):
    """Art. 42: decisions for the credit information system, streamed as CSV (decided, not revoked)."""
    _staff_only(request)
    qs = (
        cases_visible_to(request.user)
        .filter(status__in=[CaseStatus.DECIDED, CaseStatus.SERVED, CaseStatus.EXECUTING, CaseStatus.CLOSED])
        .prefetch_related("sanctions")
        .order_by("-decided_on", "-id")
    )

    def rows():
        writer = csv.writer(_Echo())
        yield "\ufeff" + writer.writerow(CREDIT_COLUMNS)
        for case in qs.iterator(chunk_size=500):
            yield writer.writerow(
                [
                    case.number,
                    case.party_name,
                    case.party_organization.uscc if case.party_organization_id else "",
                    f"Art. {case.article_breached}",
                    case.article_label,
                    "、".join(s.get_kind_display() for s in case.sanctions.all()),
                    f"{case.fine_total:.2f}",
                    case.decided_on.isoformat() if case.decided_on else "",
                    case.authority.name,
                    "已公开" if case.is_published else "未公开",
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="penalty-decisions-{date.today():%Y%m%d}.csv"'
    return response


@login_required
def enforcement_dashboard(request):
    _staff_only(request)
    # Open cases by state, fines and open findings over an official's whole area: an overview, counted at
    # most once a minute (``portal.figures``; the sums read all 10,000 cases of a city, 8 ms of every visit).
    # The deadlines below are what the official acts on: always read live.
    (stats, open_findings), taken_at = area_figures(
        "enforcement", request.user, lambda: (case_dashboard(request.user), sum(finding_counts(request.user).values()))
    )
    case_ids = cases_visible_to(request.user).filter(status__in=OPEN_CASE_STATES).values("pk")
    deadlines = (
        Deadline.objects.filter(
            kind_id__in=PENALTY_DEADLINE_KINDS,
            state__in=[DeadlineState.OPEN, DeadlineState.OVERDUE],
            object_id__in=case_ids,
        )
        .select_related("kind")
        .order_by("due_date", "id")[:20]
    )
    return render(
        request,
        "enforcement/dashboard.html",
        {
            "by_state": [
                (label, stats["by_state"].get(value, 0))
                for value, label in CaseStatus.choices
                if value in OPEN_CASE_STATES
            ],
            "fines": stats["fines"],
            "deadlines": deadlines,
            "open_findings": open_findings,
            "figures_taken_at": taken_at,
            "section": "dashboard",
        },
    )


@login_required
def inspection_list(request):
    """Inspections (Arts. 38-39) and the form to record one; a violation found becomes a finding."""
    _staff_only(request)
    form = InspectionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.inspection_record(actor=request.user, **form.to_service())
            except ValidationError as invalid:
                _apply_errors(form, invalid)
            else:
                messages.success(request, "已登记监督检查。")
                return redirect("enforcement:inspection-list")
        status = 400
    page = Paginator(inspections_visible_to(request.user).order_by("-planned_on", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "enforcement/inspection_list.html",
        {"page": page, "form": form, "section": "inspections"},
        status=status,
    )


@login_required
def evaluation_manage(request):
    """Art. 38 performance evaluations of agencies and Art. 41 service evaluations of public enterprises."""
    _staff_only(request)
    which = request.POST.get("which")
    perf = PerformanceEvaluationForm(request.POST if which == "performance" else None, prefix="perf")
    service = ServiceEvaluationForm(request.POST if which == "service" else None, prefix="svc")
    status = 200
    if request.method == "POST":
        form = perf if which == "performance" else service
        if form.is_valid():
            try:
                if which == "performance":
                    services.performance_evaluation_record(actor=request.user, **form.cleaned_data)
                else:
                    services.service_evaluation_record(actor=request.user, **form.cleaned_data)
            except ValidationError as invalid:
                _apply_errors(form, invalid)
            else:
                messages.success(request, "已登记评估结果。")
                return redirect("enforcement:evaluations")
        status = 400
    year = timezone.localdate().year - 1
    return render(
        request,
        "enforcement/evaluations.html",
        {
            "perf_form": perf,
            "service_form": service,
            "year": year,
            "ranking": performance_ranking(year=year, published_only=False),
            "section": "evaluations",
        },
        status=status,
    )


# --- public -----------------------------------------------------------------------------------------------------


def public_penalties(request):
    page = Paginator(published_decisions(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "enforcement/public_penalties.html", {"page": page})


def public_penalty_detail(request, uuid):
    case = published_decision_get(uuid=uuid)
    return render(
        request,
        "enforcement/public_penalty_detail.html",
        {"case": case, "article_text": rules.article_body(case.sanctioning_article)},
    )


def public_evaluations(request):
    years = list(performance_years())
    year = request.GET.get("year")
    year = int(year) if year and year.isdigit() else (years[0] if years else timezone.localdate().year - 1)
    return render(
        request,
        "enforcement/public_evaluations.html",
        {
            "year": year,
            "years": years,
            "ranking": performance_ranking(year=year),
            "service_page": Paginator(published_service_evaluations(), PAGE_SIZE).get_page(request.GET.get("page")),
        },
    )
