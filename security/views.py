"""Pages of Chapter 5: thin views over the selectors, the services and the action table."""

import csv
from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from portal.access import require, scope_for
from portal.letters import content_disposition, render_letter
from portal.models import DeadlineState, District, Organization
from portal.paginators import PAGE_SIZE
from portal.paginators import CappedPaginator as Paginator
from portal.selectors import timeline_for
from portal.selectors.deadlines import deadlines_for
from portal.workflow import Refused
from projects.selectors import filings_visible_to
from security import rules, selectors, services
from security.actions import GRADING_ACTIONS
from security.forms import (
    BulletinForm,
    DrillForm,
    EvaluationForm,
    FollowUpForm,
    GradingForm,
    GradingQueueFilterForm,
    IncidentFilterForm,
    IncidentForm,
    PlanForm,
    RectificationForm,
    SummaryForm,
    SystemFilterForm,
    SystemForm,
)
from security.models import GradingStatus, IncidentStatus
from security.pdf import CJKFontMissing, certificate_letter
from security.permissions import (
    OPERATOR_KINDS,
    authorities_acting_for,
    grading_available_actions,
    is_official_for,
    is_operator_member,
    operators_acting_for,
)

EXPORT_LIMIT = 10_000


def _filters(form) -> dict:
    return form.cleaned_data if form.is_valid() else {}


def _timeline(obj, labels: dict) -> list:
    labels = {**dict(DeadlineState.choices), **labels}  # deadline events on the record speak of deadline states
    return [
        SimpleNamespace(
            created_at=e.created_at,
            actor=e.actor,
            action=e.action,
            from_state=labels.get(e.from_state, e.from_state),
            to_state=labels.get(e.to_state, e.to_state),
            comment=e.comment,
            data=e.data,
        )
        for e in timeline_for(obj)
    ]


def _operator_from(request, operators):
    wanted = request.POST.get("operator") or request.GET.get("operator")
    return next((o for o in operators if str(o.uuid) == wanted), operators[0])


# --- systems ------------------------------------------------------------------------------------


class _Echo:
    def write(self, value):
        return value


def _systems_csv(rows) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())
    header = [
        "系统名称",
        "运行维护单位",
        "所在区",
        "等级",
        "定级日期",
        "备案编号",
        "备案期限",
        "最近测评",
        "下次测评期限",
        "状态",
    ]

    def lines():
        yield "\ufeff" + writer.writerow(header)
        for s in rows.iterator(chunk_size=500):
            yield writer.writerow(
                [
                    s.name,
                    s.operator.name,
                    s.get_district_display() or gettext("市级"),
                    s.level or "",
                    s.graded_on or "",
                    s.current_filing.filing_number if s.current_filing else "",
                    s.filing_due_date or "",
                    s.last_evaluated_on or "",
                    s.next_evaluation_due or "",
                    s.get_status_display(),
                ]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="information-systems.csv"'
    return response


@login_required
def system_list(request):
    form = SystemFilterForm(request.GET or None)
    today = timezone.localdate()
    systems = selectors.system_list(request.user, filters=_filters(form), today=today)
    if request.GET.get("export") == "csv":
        return _systems_csv(systems[:EXPORT_LIMIT])
    page = Paginator(systems, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "security/system_list.html",
        {
            "form": form,
            "page": page,
            "today": today,
            "can_create": bool(operators_acting_for(request.user)),
            "is_official": scope_for(request.user).is_staff_official,
            "query": request.GET.urlencode(),
        },
    )


@login_required
def system_overview(request):
    """Officials: systems by level and district (one grouped query)."""
    require(scope_for(request.user).is_staff_official, "只有信息化主管部门的工作人员可以查看。")
    rows = selectors.systems_by_level_and_district(request.user)
    table: dict[str, dict] = {}
    for row in rows:
        table.setdefault(row["district"], {})[row["level"]] = row["n"]
    labels = dict(District.choices)
    levels = [None, *rules.SecurityLevel.values]
    return render(
        request,
        "security/system_overview.html",
        {
            "levels": levels,
            "rows": [
                {
                    "district": district,
                    "label": labels.get(district, gettext("市级")),
                    "cells": [(level, counts.get(level, 0)) for level in levels],
                    "total": sum(counts.values()),
                }
                for district, counts in sorted(table.items())
            ],
        },
    )


@login_required
def system_new(request):
    operators = operators_acting_for(request.user)
    require(bool(operators), "只有国家机关或公共服务企业的经办人可以登记信息系统。")
    filings = filings_visible_to(request.user).filter(agency__in=operators).order_by("title")
    form = SystemForm(request.POST or None, filings=filings)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            system = services.system_create(
                actor=request.user,
                operator=_operator_from(request, operators),
                project_filing=data.pop("project_filing"),
                **data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "已登记。请为该系统定级（第三十二条）。")
            return redirect("security:grading-new", uuid=system.uuid)
    return render(
        request, "security/system_form.html", {"form": form, "operators": operators}, status=400 if form.errors else 200
    )


@login_required
def system_detail(request, uuid):
    system = selectors.system_get_for(user=request.user, uuid=uuid)
    is_operator = is_operator_member(request.user, system.operator)
    open_issues = selectors.open_issues_of(system)
    rect_form = RectificationForm(request.POST or None, open_issues=open_issues) if is_operator else None
    if request.method == "POST":
        require(is_operator, "只有运行维护单位可以登记整改。")
        if rect_form.is_valid():
            try:
                services.rectification_record(
                    actor=request.user,
                    system=system,
                    description=rect_form.cleaned_data["description"],
                    completed_on=rect_form.cleaned_data["completed_on"],
                    issues=list(rect_form.cleaned_data["issues"]),
                )
            except ValidationError as error:
                rect_form.add_error(None, error)
            else:
                messages.success(request, "已登记整改。")
                return redirect("security:system-detail", uuid=system.uuid)
    return render(
        request,
        "security/system_detail.html",
        {
            "system": system,
            "gradings": selectors.gradings_of(system),
            "evaluations": selectors.evaluations_of(system),
            "has_open_issues": open_issues.exists(),
            "rect_form": rect_form,
            "is_operator": is_operator,
            "deadlines": deadlines_for(system),
            "timeline": _timeline(system, {}),
            "today": timezone.localdate(),
            "interval": rules.evaluation_interval_months(system.level),
        },
        status=400 if rect_form is not None and rect_form.errors else 200,
    )


# --- gradings -----------------------------------------------------------------------------------


@login_required
def grading_new(request, uuid):
    """The wizard: the matrix, the two assessments, the computed level (shown live and recomputed here)."""
    system = selectors.system_get_for(user=request.user, uuid=uuid)
    require(is_operator_member(request.user, system.operator), "只有运行维护单位可以为系统定级。")
    form = GradingForm(request.POST or None)
    computed = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            computed = services.grading_compute(data)
            grading = services.grading_create(actor=request.user, system=system, **data)
        except ValidationError as error:
            form.add_error(None, error)
        except Refused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, f"已定级为第{grading.level}级。")
            return redirect("security:grading-detail", uuid=grading.uuid)
    return render(
        request,
        "security/grading_form.html",
        {
            "system": system,
            "form": form,
            "matrix": rules.matrix_rows(),
            "degrees": rules.HarmDegree.choices,
            "computed": computed,
            "matrix_source": rules.GRADING_MATRIX_SOURCE,
            "filing_days": rules.filing_period_days(),
            "filing_source": rules.FILING_SOURCE,
            "expert_min_level": rules.expert_review_min_level(),
            "expert_source": rules.EXPERT_REVIEW_SOURCE,
        },
        status=400 if form.errors else 200,
    )


@login_required
def grading_list(request):
    form = GradingQueueFilterForm(request.GET or None)
    gradings = selectors.grading_queue(request.user, filters=_filters(form))
    page = Paginator(gradings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "security/grading_list.html", {"form": form, "page": page})


def _grading_page(request, grading, *, bound=None, status=200):
    available = grading_available_actions(request.user, grading)
    action_forms = []
    for name in available:
        spec = GRADING_ACTIONS[name]
        form = None
        if spec.form is not None:
            form = bound[1] if bound and bound[0] == name else spec.form(prefix=name)
        action_forms.append({"action": name, "label": spec.label, "form": form, "confirm": spec.confirm})
    return render(
        request,
        "security/grading_detail.html",
        {
            "grading": grading,
            "system": grading.system,
            "action_forms": action_forms,
            "bound_action": bound[0] if bound else None,
            "timeline": _timeline(grading, dict(GradingStatus.choices)),
            "deadlines": deadlines_for(grading.system),
            "expert_required": rules.expert_review_required(grading.level),
            "can_certificate": bool(grading.filing_number),
        },
        status=status,
    )


@login_required
def grading_detail(request, uuid):
    return _grading_page(request, selectors.grading_get_for(user=request.user, uuid=uuid))


@login_required
@require_POST
def grading_action(request, uuid, action):
    grading = selectors.grading_get_for(user=request.user, uuid=uuid)
    if action not in GRADING_ACTIONS:
        raise Http404("没有这个操作。")
    spec = GRADING_ACTIONS[action]
    data = {}
    if spec.form is not None:
        form = spec.form(request.POST, prefix=action)
        if not form.is_valid():
            return _grading_page(request, grading, bound=(action, form), status=400)
        data = form.cleaned_data
    try:
        GRADING_ACTIONS.run(action, obj=grading, actor=request.user, data=data)
    except Refused as refused:
        messages.error(request, refused.message)
        return _grading_page(request, grading, status=409)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return _grading_page(request, grading, status=400)
    messages.success(request, gettext("已%(action)s。") % {"action": spec.label})
    return redirect("security:grading-detail", uuid=grading.uuid)


@login_required
def grading_certificate(request, uuid):
    grading = selectors.grading_get_for(user=request.user, uuid=uuid)
    if not grading.filing_number:
        raise Http404("该备案尚未通过，没有备案证明。")
    letter = certificate_letter(grading)
    try:
        content = render_letter(letter)
    except CJKFontMissing as missing:
        return render(request, "projects/pdf_font_missing.html", {"message": str(missing)}, status=503)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(letter.filename, inline=False)
    return response


# --- evaluations --------------------------------------------------------------------------------


@login_required
def evaluation_new(request, uuid):
    system = selectors.system_get_for(user=request.user, uuid=uuid)
    require(is_operator_member(request.user, system.operator), "只有运行维护单位可以登记等级测评。")
    form = EvaluationForm(request.POST or None, request.FILES or None, evaluators=selectors.evaluators())
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.evaluation_record(
                actor=request.user, system=system, conclusion=data.pop("conclusion") or None, **data
            )
        except ValidationError as error:
            form.add_error(None, error)
        except Refused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, "已登记等级测评。")
            return redirect("security:system-detail", uuid=system.uuid)
    return render(
        request,
        "security/evaluation_form.html",
        {"system": system, "form": form, "scales": rules.CONCLUSION_SCALES, "source": rules.EVALUATION_SOURCE},
        status=400 if form.errors else 200,
    )


@login_required
def evaluation_due(request):
    """Systems whose evaluation is overdue, due soon, or never done (level 3+)."""
    wanted = request.GET.get("due") or "overdue"
    if wanted not in ("overdue", "soon", "never"):
        wanted = "overdue"
    today = timezone.localdate()
    systems = selectors.system_list(request.user, filters={"evaluation": wanted}, today=today).order_by(
        "next_evaluation_due", "id"
    )
    page = Paginator(systems, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "security/evaluation_due.html",
        {"page": page, "due": wanted, "today": today, "source": rules.EVALUATION_SOURCE},
    )


# --- incidents ----------------------------------------------------------------------------------


@login_required
def incident_list(request):
    form = IncidentFilterForm(request.GET or None)
    incidents = selectors.incident_list(request.user, filters=_filters(form))
    page = Paginator(incidents, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "security/incident_list.html",
        {"form": form, "page": page, "can_report": bool(operators_acting_for(request.user))},
    )


@login_required
def incident_new(request):
    operators = operators_acting_for(request.user)
    require(bool(operators), "只有国家机关或公共服务企业的经办人可以报告安全事件。")
    systems = selectors.systems_visible_to(request.user).filter(operator__in=operators).order_by("name")
    form = IncidentForm(request.POST or None, systems=systems)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            incident = services.incident_report(
                actor=request.user,
                organization=_operator_from(request, operators),
                systems=list(data.pop("systems")),
                **data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if incident.is_late:
                messages.warning(
                    request, f"已报告。超过首报时限 {incident.report_delay_minutes} 分钟，已记录为迟报（第三十四条）。"
                )
            else:
                messages.success(request, "已报告同级信息化主管部门。请及时续报处置进展。")
            return redirect("security:incident-detail", uuid=incident.uuid)
    limits = [(level.label, rules.first_report_limit(level)) for level in rules.IncidentLevel]
    return render(
        request,
        "security/incident_form.html",
        {"form": form, "limits": limits, "operators": operators},
        status=400 if form.errors else 200,
    )


@login_required
def incident_detail(request, uuid):
    incident = selectors.incident_get_for(user=request.user, uuid=uuid)
    is_reporter = is_operator_member(request.user, incident.organization)
    forms_ = {"follow_up": FollowUpForm(prefix="f"), "close": SummaryForm(prefix="s")}
    status = 200
    if request.method == "POST":
        require(is_reporter, "只有报告单位可以续报和总结。")
        step = request.POST.get("step")
        try:
            if step == "follow_up":
                forms_["follow_up"] = form = FollowUpForm(request.POST, prefix="f")
                if form.is_valid():
                    services.incident_follow_up(incident=incident, actor=request.user, text=form.cleaned_data["text"])
                    return redirect("security:incident-detail", uuid=incident.uuid)
            elif step == "end_handling":
                services.incident_end_handling(incident=incident, actor=request.user)
                return redirect("security:incident-detail", uuid=incident.uuid)
            elif step == "close":
                forms_["close"] = form = SummaryForm(request.POST, prefix="s")
                if form.is_valid():
                    services.incident_close(incident=incident, actor=request.user, summary=form.cleaned_data["summary"])
                    return redirect("security:incident-detail", uuid=incident.uuid)
            status = 400
        except Refused as refused:
            messages.error(request, refused.message)
            status = 409
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
            status = 400
    return render(
        request,
        "security/incident_detail.html",
        {
            "incident": incident,
            "is_reporter": is_reporter,
            "forms": forms_,
            "updates": incident.updates.select_related("created_by"),
            "systems": incident.systems.all(),
            "timeline": _timeline(incident, dict(IncidentStatus.choices)),
            "deadlines": deadlines_for(incident),
        },
        status=status,
    )


# --- emergency plans and drills -----------------------------------------------------------------


@login_required
def plan_list(request):
    plans = selectors.plans_visible_to(request.user).order_by("-approved_on", "-id")
    page = Paginator(plans, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "security/plan_list.html",
        {
            "page": page,
            "today": timezone.localdate(),
            "can_create": bool(operators_acting_for(request.user)),
            "drill_months": rules.drill_interval_months(),
        },
    )


@login_required
def plan_new(request):
    operators = operators_acting_for(request.user)
    require(bool(operators), "只有国家机关或公共服务企业的经办人可以登记应急预案。")
    systems = selectors.systems_visible_to(request.user).filter(operator__in=operators).order_by("name")
    form = PlanForm(request.POST or None, systems=systems)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            plan = services.plan_create(
                actor=request.user,
                organization=_operator_from(request, operators),
                systems=list(data.pop("systems")),
                **data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "已登记应急预案。")
            return redirect("security:plan-detail", uuid=plan.uuid)
    return render(request, "security/plan_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def plan_detail(request, uuid):
    plan = selectors.plan_get_for(user=request.user, uuid=uuid)
    is_owner = is_operator_member(request.user, plan.organization)
    form = DrillForm(request.POST or None) if is_owner else None
    if request.method == "POST":
        require(is_owner, "只有本单位可以登记应急演练。")
        if form.is_valid():
            try:
                services.drill_record(actor=request.user, plan=plan, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            except Refused as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, "已登记应急演练。")
                return redirect("security:plan-detail", uuid=plan.uuid)
    return render(
        request,
        "security/plan_detail.html",
        {
            "plan": plan,
            "drills": plan.drills.all(),
            "systems": plan.systems.all(),
            "form": form,
            "deadlines": deadlines_for(plan),
            "today": timezone.localdate(),
        },
        status=400 if form is not None and form.errors else 200,
    )


# --- bulletins ----------------------------------------------------------------------------------


@login_required
def bulletin_list(request):
    page = Paginator(selectors.bulletin_list(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "security/bulletin_list.html", {"page": page, "can_issue": bool(authorities_acting_for(request.user))}
    )


@login_required
def bulletin_new(request):
    authorities = authorities_acting_for(request.user)
    require(bool(authorities), "只有信息化主管部门的工作人员可以发布信息安全通报。")
    issuer = authorities[0]
    area = Organization.objects.filter(kind__in=OPERATOR_KINDS, is_active=True).order_by("name")
    if issuer.level != "city":
        area = area.filter(district=issuer.district)
    form = BulletinForm(request.POST or None, organizations=area)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            bulletin = services.bulletin_issue(
                actor=request.user, issuer=issuer, recipients=list(data.pop("recipients")), **data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "已发布。")
            return redirect("security:bulletin-detail", uuid=bulletin.uuid)
    return render(
        request, "security/bulletin_form.html", {"form": form, "issuer": issuer}, status=400 if form.errors else 200
    )


@login_required
def bulletin_detail(request, uuid):
    bulletin = selectors.bulletin_get_for(user=request.user, uuid=uuid)
    is_issuer = is_official_for(request.user, bulletin.issuer)
    if request.method == "POST":
        step = request.POST.get("step")
        try:
            if step == "acknowledge":
                services.bulletin_acknowledge(bulletin=bulletin, actor=request.user)
                messages.success(request, "已确认收到。")
            elif step == "remind":
                n = services.bulletin_remind(bulletin=bulletin, actor=request.user)
                messages.success(request, f"已催办 {n} 个未确认的单位。")
        except Refused as refused:
            messages.error(request, refused.message)
        except PermissionDenied:
            raise
        return redirect("security:bulletin-detail", uuid=bulletin.uuid)
    return render(
        request,
        "security/bulletin_detail.html",
        {
            "bulletin": bulletin,
            "is_issuer": is_issuer,
            "recipients": selectors.bulletin_recipients(bulletin) if is_issuer else None,
            "mine": list(selectors.my_bulletin_receipts(request.user, bulletin)),
        },
    )
