"""Staff pages of plans (Art. 6): the list with the drafting form, the detail page with versions and the
transitions the user may take now, dispatched through PLAN_ACTIONS."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from planning import services
from planning.actions import PLAN_ACTIONS
from planning.forms import PlanForm, PlanVersionForm
from planning.models import PlanStatus
from planning.permissions import may_act_on_plan, plan_available_actions
from planning.rules import PlanKind
from planning.selectors import city_plans_to_conform_to, plan_get_for, plan_versions, plans_visible_to
from planning.services.plans import EDITABLE_STATES
from portal.access import require, scope_for
from portal.models import Level, Organization, OrganizationKind
from portal.paginators import PAGE_SIZE
from portal.selectors import timeline_for
from portal.selectors.deadlines import deadlines_for
from portal.workflow import Refused


def _drafting_organizations(user):
    """Organizations in whose name the user may draft some plan (Art. 6)."""
    scope = scope_for(user)
    if user.is_superuser:
        return Organization.objects.filter(
            kind__in=[OrganizationKind.AUTHORITY, OrganizationKind.AGENCY, OrganizationKind.DEPARTMENT], is_active=True
        ).order_by("level", "district", "name")
    q = Organization.objects.none()
    ids = {org for org, _ in scope.grants}
    if scope.city_wide:
        ids |= set(
            Organization.objects.filter(kind=OrganizationKind.AUTHORITY, level=Level.CITY).values_list("pk", flat=True)
        )
    if ids:
        q = Organization.objects.filter(pk__in=ids, is_active=True).exclude(
            kind__in=[OrganizationKind.CONTRACTOR, OrganizationKind.EVALUATOR, OrganizationKind.PUBLIC_ENTERPRISE]
        )
    return q.order_by("level", "district", "name")


@login_required
def plan_list(request):
    plans = plans_visible_to(request.user).order_by("-period_start", "kind", "id")
    kind, status = request.GET.get("kind", ""), request.GET.get("status", "")
    if kind in PlanKind.values:
        plans = plans.filter(kind=kind)
    if status in PlanStatus.values:
        plans = plans.filter(status=status)
    organizations = _drafting_organizations(request.user)
    form = PlanForm(request.POST or None, organizations=organizations, city_plans=city_plans_to_conform_to())
    if request.method == "POST":
        require(organizations.exists(), "您无权编制信息化发展规划。")
        if form.is_valid():
            try:
                plan = services.plan_create(actor=request.user, **form.cleaned_data)
            except ValidationError as invalid:
                _add_errors(form, invalid)
            else:
                messages.success(request, "规划已创建，请上传规划文本。")
                return redirect("planning:plan-detail", uuid=plan.uuid)
    page = Paginator(plans, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "planning/plan_list.html",
        {
            "page": page,
            "form": form if organizations.exists() else None,
            "kinds": PlanKind.choices,
            "statuses": PlanStatus.choices,
            "kind": kind,
            "status": status,
        },
        status=400 if form.errors else 200,
    )


def _detail_context(request, plan, *, bound=None, version_form=None, error=None) -> dict:
    bound = bound or {}
    actions = [
        {"name": name, "spec": PLAN_ACTIONS[name], "form": bound.get(name) or PLAN_ACTIONS[name].form()}
        for name in plan_available_actions(request.user, plan)
        if name in PLAN_ACTIONS
    ]
    may_add_version = plan.status in EDITABLE_STATES and may_act_on_plan(request.user, plan, "add_version")
    return {
        "plan": plan,
        "versions": plan_versions(plan),
        "actions": actions,
        "version_form": version_form or (PlanVersionForm() if may_add_version else None),
        "timeline": timeline_for(plan),
        "deadlines": deadlines_for(plan),
        "error": error,
    }


@login_required
def plan_detail(request, uuid):
    plan = plan_get_for(user=request.user, uuid=uuid)
    return render(request, "planning/plan_detail.html", _detail_context(request, plan))


def _add_errors(form, invalid: ValidationError) -> None:
    if hasattr(invalid, "error_dict"):
        for field, errors in invalid.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, invalid)


@require_POST
@login_required
def plan_action(request, uuid, action):
    plan = plan_get_for(user=request.user, uuid=uuid)
    if action not in PLAN_ACTIONS:
        raise Http404("没有这个操作。")
    spec = PLAN_ACTIONS[action]
    require(may_act_on_plan(request.user, plan, action), f"您无权对该规划执行“{spec.label}”。")
    form = spec.form(request.POST)
    if form.is_valid():
        try:
            PLAN_ACTIONS.run(action, obj=plan, actor=request.user, data=form.cleaned_data)
        except Refused as refused:
            return render(
                request, "planning/plan_detail.html", _detail_context(request, plan, error=refused.message), status=409
            )
        except ValidationError as invalid:
            _add_errors(form, invalid)
        else:
            messages.success(request, gettext("已%(action)s。") % {"action": spec.label})
            return redirect("planning:plan-detail", uuid=plan.uuid)
    return render(
        request, "planning/plan_detail.html", _detail_context(request, plan, bound={action: form}), status=400
    )


@require_POST
@login_required
def plan_version_add(request, uuid):
    plan = plan_get_for(user=request.user, uuid=uuid)
    require(may_act_on_plan(request.user, plan, "add_version"), "您无权修改该规划。")
    form = PlanVersionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            version = services.plan_version_add(
                plan=plan, actor=request.user, note=form.cleaned_data["note"], document=form.cleaned_data["document"]
            )
        except Refused as refused:
            return render(
                request, "planning/plan_detail.html", _detail_context(request, plan, error=refused.message), status=409
            )
        except ValidationError as invalid:
            _add_errors(form, invalid)
        else:
            messages.success(request, f"已上传第{version.number}版。")
            return redirect("planning:plan-detail", uuid=plan.uuid)
    return render(request, "planning/plan_detail.html", _detail_context(request, plan, version_form=form), status=400)
