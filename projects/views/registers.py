"""Pages of qualifications (Art. 11), annual plans (Art. 12), network access, private networks (Art. 29),
domains and websites (Art. 30). Lighter than filings, same conventions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django_fsm import can_proceed

from portal.access import require, scope_for
from portal.models import Level, Organization, OrganizationKind, Role
from projects import services
from projects.forms import (
    AnnualPlanForm,
    CompleteMigrationForm,
    ConnectForm,
    DecisionForm,
    DomainApplicationForm,
    NetworkApplicationForm,
    PlanItemForm,
    PrivateNetworkForm,
    QualificationForm,
)
from projects.models import ApplicationStatus, MigrationStatus
from projects.permissions import is_agency_member, is_deciding_official
from projects.selectors import (
    agencies_acting_for,
    annual_plan_get_for,
    annual_plan_items,
    annual_plans_visible_to,
    approved_network_applications_by_agency,
    compliance_findings_visible_to,
    connected_system_get_for,
    connected_systems_visible_to,
    domain_application_get_for,
    domain_applications_visible_to,
    network_application_get_for,
    network_applications_visible_to,
    private_network_get_for,
    private_networks_visible_to,
    qualification_get_for,
    qualifications_visible_to,
    websites_visible_to,
)
from projects.services import TransitionRefused
from projects.services.network import may_decide
from projects.views.filings import PAGE_SIZE, form_errors_add, timeline_display

# --- Qualifications (Art. 11)


def _manageable_contractors(user):
    scope = scope_for(user)
    contractors = Organization.objects.filter(kind=OrganizationKind.CONTRACTOR, is_active=True).order_by("name")
    if scope.is_staff_official:
        return contractors
    return contractors.filter(pk__in=[org for org, role in scope.grants if role == Role.CONTRACTOR_CLERK])


@login_required
def qualification_list(request):
    qualifications = qualifications_visible_to(request.user).order_by("contractor__name", "domain", "level", "id")
    contractors = _manageable_contractors(request.user)
    form = QualificationForm(request.POST or None, request.FILES or None, contractors=contractors)
    if request.method == "POST":
        require(contractors.exists(), "您无权登记资质证书。")
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.qualification_create(
                    actor=request.user,
                    contractor=data["contractor"],
                    domain=data["domain"],
                    level=data["level"],
                    number=data["number"],
                    issuer=data["issuer"],
                    valid_from=data["valid_from"],
                    valid_to=data["valid_to"],
                    certificate=data.get("certificate"),
                )
            except ValidationError as invalid:
                form.add_error(None, invalid)
            else:
                messages.success(request, "资质证书已登记，到期前将提醒。")
                return redirect("projects:qualification-list")
    page = Paginator(qualifications, PAGE_SIZE).get_page(request.GET.get("page"))
    findings = compliance_findings_visible_to(request.user)[:20]
    return render(
        request,
        "projects/qualification_list.html",
        {
            "page": page,
            "form": form if contractors.exists() else None,
            "findings": findings,
            "may_verify": scope_for(request.user).is_staff_official,
        },
        status=400 if form.errors else 200,
    )


# --- Annual plans (Art. 12)


def _plan_authorities(user):
    scope = scope_for(user)
    return Organization.objects.filter(pk__in=scope.organization_ids, kind=OrganizationKind.AUTHORITY)


@login_required
def plan_list(request):
    # Explicit order: Meta.ordering is dropped from the grouped (item count) query, and pages need one.
    plans = annual_plans_visible_to(request.user).order_by("-year", "level", "district", "id")
    authorities = _plan_authorities(request.user)
    may_create = scope_for(request.user).is_staff_official and authorities.exists()
    form = AnnualPlanForm(request.POST or None, authorities=authorities)
    if request.method == "POST":
        require(may_create, "只有信息化主管部门可以制定年度计划。")
        if form.is_valid():
            data = form.cleaned_data
            authority = data["scope"]
            try:
                plan = services.annual_plan_create(
                    actor=request.user,
                    year=data["year"],
                    level=authority.level,
                    district=authority.district,
                    title=data["title"],
                    authority=authority,
                    development_reform=data["development_reform"],
                    finance=data["finance"],
                    adopted_on=data["adopted_on"],
                    notes=data["notes"],
                )
            except ValidationError as invalid:
                form.add_error(None, invalid)
            else:
                return redirect("projects:plan-detail", uuid=plan.uuid)
    page = Paginator(plans, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "projects/plan_list.html",
        {"page": page, "form": form if may_create else None},
        status=400 if form.errors else 200,
    )


@login_required
def plan_detail(request, uuid):
    plan = annual_plan_get_for(user=request.user, uuid=uuid)
    may_edit = is_deciding_official(request.user, level=plan.level, district=plan.district)
    form = PlanItemForm(request.POST or None)
    if request.method == "POST":
        require(may_edit, "您无权修改该年度计划。")
        if form.is_valid():
            try:
                services.annual_plan_item_add(plan=plan, actor=request.user, **form.cleaned_data)
            except ValidationError as invalid:
                form.add_error(None, invalid)
            else:
                messages.success(request, "已添加计划项目。")
                return redirect("projects:plan-detail", uuid=plan.uuid)
    items = list(annual_plan_items(plan))
    total = sum((item.budget for item in items), 0)
    return render(
        request,
        "projects/plan_detail.html",
        {"plan": plan, "items": items, "total": total, "form": form if may_edit else None},
        status=400 if form.errors else 200,
    )


# --- Network access (Art. 29) and domains (Art. 30): one set of views for both kinds of application.

KINDS = {
    "network": {
        "visible": network_applications_visible_to,
        "get": network_application_get_for,
        "form": NetworkApplicationForm,
        "create": services.network_application_create,
        "title": _("电子政务网络接入申请"),
        "article": 29,
    },
    "domain": {
        "visible": domain_applications_visible_to,
        "get": domain_application_get_for,
        "form": DomainApplicationForm,
        "create": services.domain_application_create,
        "title": _("域名注册审核申请"),
        "article": 30,
    },
}


def _kind(kind: str) -> dict:
    if kind not in KINDS:
        raise Http404("没有这类申请。")
    return KINDS[kind]


@login_required
def application_list(request, kind):
    spec = _kind(kind)
    applications = spec["visible"](request.user)
    status = request.GET.get("status")
    if status in ApplicationStatus.values:
        applications = applications.filter(status=status)
    page = Paginator(applications.order_by("-created_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "projects/application_list.html",
        {
            "page": page,
            "kind": kind,
            "spec": spec,
            "statuses": ApplicationStatus.choices,
            "status": status,
            "can_create": bool(agencies_acting_for(request.user)),
        },
    )


@login_required
def application_new(request, kind):
    spec = _kind(kind)
    agencies = agencies_acting_for(request.user)
    require(bool(agencies), "只有国家机关的经办人或负责人可以提出申请。")
    form = spec["form"](request.POST or None)
    form.set_agencies(agencies)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("agency", None)
        try:
            with transaction.atomic():  # a refused submission leaves no draft behind
                application = spec["create"](actor=request.user, agency=form.chosen_agency(agencies), **data)
                if "submit" in request.POST:
                    application = services.application_submit(application=application, actor=request.user)
        except ValidationError as invalid:
            form_errors_add(form, invalid)
        except TransitionRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, "已提交审查。" if "submit" in request.POST else "已保存草稿。")
            return redirect("projects:application-detail", kind=kind, uuid=application.uuid)
    return render(
        request,
        "projects/application_form.html",
        {"form": form, "kind": kind, "spec": spec},
        status=400 if form.errors else 200,
    )


def _application_actions(user, application) -> list[str]:
    actions = []
    if can_proceed(application.submit) and is_agency_member(user, application.agency):
        actions.append("submit")
    if may_decide(user, application):
        actions += [a for a in ("approve", "refuse") if can_proceed(getattr(application, a))]
    return actions


@login_required
def application_detail(request, kind, uuid):
    spec = _kind(kind)
    application = spec["get"](user=request.user, uuid=uuid)
    return render(
        request,
        "projects/application_detail.html",
        {
            "application": application,
            "kind": kind,
            "spec": spec,
            "actions": _application_actions(request.user, application),
            "decision_form": DecisionForm(),
            "timeline": timeline_display(application, dict(ApplicationStatus.choices)),
        },
    )


@require_POST
@login_required
def application_action(request, kind, uuid, action):
    spec = _kind(kind)
    application = spec["get"](user=request.user, uuid=uuid)
    form = DecisionForm(request.POST)
    form.is_valid()
    reason = form.cleaned_data.get("reason", "")
    try:
        if action == "submit":
            services.application_submit(application=application, actor=request.user)
        elif action == "approve":
            services.application_approve(application=application, actor=request.user, comment=reason)
        elif action == "refuse":
            services.application_refuse(application=application, actor=request.user, reason=reason)
        else:
            raise Http404("没有这个操作。")
    except TransitionRefused as refused:
        messages.error(request, refused.message)
    except ValidationError as invalid:
        messages.error(request, "；".join(invalid.messages))
    else:
        messages.success(request, "已办理。")
    return redirect("projects:application-detail", kind=kind, uuid=application.uuid)


REGISTERS = {
    # name: (selector, order backed by an index), one register a page.
    "systems": (connected_systems_visible_to, ("-connected_on", "-id")),
    "websites": (websites_visible_to, ("domain_name", "id")),
}


@login_required
def register_list(request):
    """The registers: connected systems (Art. 29) and websites (Art. 30), one tab each, paginated."""
    register = request.GET.get("register")
    if register not in REGISTERS:
        register = "systems"
    visible, order = REGISTERS[register]
    page = Paginator(visible(request.user).order_by(*order), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "projects/register_list.html", {"register": register, "page": page})


@login_required
def private_network_list(request):
    networks = private_networks_visible_to(request.user).order_by("migration_deadline", "id")
    scope = scope_for(request.user)
    agencies = Organization.objects.filter(kind=OrganizationKind.AGENCY, is_active=True)
    if not scope.city_wide:
        agencies = agencies.filter(pk__in=[a.pk for a in agencies_acting_for(request.user)]) | agencies.filter(
            level=Level.DISTRICT, district__in=scope.districts
        )
    may_register = scope.is_staff_official or bool(agencies_acting_for(request.user))
    form = PrivateNetworkForm(request.POST or None, agencies=agencies.order_by("name"))
    if request.method == "POST":
        require(may_register, "您无权登记专用网络。")
        if form.is_valid():
            try:
                services.private_network_register(actor=request.user, **form.cleaned_data)
            except ValidationError as invalid:
                form_errors_add(form, invalid)
            else:
                messages.success(request, "已登记，迁移期限将提醒。")
                return redirect("projects:private-network-list")
    page = Paginator(networks, PAGE_SIZE).get_page(request.GET.get("page"))
    pending = [n for n in page if n.status != MigrationStatus.MIGRATED]
    approved = approved_network_applications_by_agency({n.agency_id for n in pending})  # one query a page
    for network in pending:
        network.complete_form = CompleteMigrationForm(
            applications=approved.get(network.agency_id, []), prefix=str(network.uuid)
        )
    return render(
        request,
        "projects/private_network_list.html",
        {"page": page, "form": form if may_register else None, "statuses": MigrationStatus},
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
def private_network_action(request, uuid, action):
    network = private_network_get_for(user=request.user, uuid=uuid)
    try:
        if action == "start_migration":
            services.private_network_start_migration(network=network, actor=request.user)
        elif action == "complete_migration":
            form = CompleteMigrationForm(request.POST, network=network, prefix=str(network.uuid))
            if not form.is_valid():
                for errors in form.errors.values():
                    messages.error(request, "；".join(errors))
                return redirect("projects:private-network-list")
            services.private_network_complete_migration(network=network, actor=request.user, **form.cleaned_data)
        else:
            raise Http404("没有这个操作。")
    except TransitionRefused as refused:
        messages.error(request, refused.message)
    except ValidationError as invalid:
        messages.error(request, "；".join(invalid.messages))
    else:
        messages.success(request, "已更新迁移进度。")
    return redirect("projects:private-network-list")


@require_POST
@login_required
def connected_system_connect(request, uuid):
    """Art. 29: the day an approved system was actually connected (approval is not connection)."""
    system = connected_system_get_for(user=request.user, uuid=uuid)
    form = ConnectForm(request.POST)
    if form.is_valid():
        try:
            services.connected_system_connect(system=system, actor=request.user, **form.cleaned_data)
        except TransitionRefused as refused:
            messages.error(request, refused.message)
        except ValidationError as invalid:
            messages.error(request, "；".join(invalid.messages))
        else:
            messages.success(request, "已登记接入日期。")
    else:
        for errors in form.errors.values():
            messages.error(request, "；".join(errors))
    return redirect(reverse("projects:register-list") + "?register=systems")


@require_POST
@login_required
def qualification_verify(request, uuid):
    """Art. 11: an official verifies a certificate the contractor registered itself."""
    qualification = qualification_get_for(user=request.user, uuid=uuid)
    try:
        services.qualification_verify(qualification=qualification, actor=request.user)
    except TransitionRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, "资质证书已核验，可作为承揽依据。")
    return redirect("projects:qualification-list")
