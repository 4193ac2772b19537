from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from portal.access import can_change_organization, require, scope_for
from portal.api.problems import PROBLEM_CONTENT_TYPE, TITLES
from portal.attachments_views import attachment_upload
from portal.forms import AttachmentForm, OrganizationFilterForm, OrganizationForm
from portal.models import OrganizationKind
from portal.regulation import load_regulation
from portal.selectors import attachments_for, organization_get_for, organizations_visible_to, timeline_for
from portal.services import organization_update

# Public sections of the site: (title, what it holds, URL name, article). Apps add their URL names;
# a section whose URL does not exist yet is listed as coming soon rather than as a broken link.
PUBLIC_SECTIONS = [
    (_("信息化发展规划"), _("本市及各区信息化发展规划的公布文本。"), "public-plans", 6),
    (_("信息化标准"), _("本市信息化地方标准及其执行情况。"), "public-standards", 7),
    (_("政务信息公开"), _("各机关的信息公开指南、目录与依申请公开。"), "public-disclosure", 19),
    (_("公共服务企业信息"), _("供水、供电、供气、公共交通等企业公开的服务信息。"), "public-enterprises", 20),
    (_("行政处罚决定"), _("依据条例第七章作出并公开的处罚决定。"), "public-penalties", 43),
]


def _public_sections() -> list[dict]:
    sections = []
    for title, summary, url_name, article in PUBLIC_SECTIONS:
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            url = None
        sections.append({"title": title, "summary": summary, "url": url, "article": article})
    return sections


def home(request):
    regulation = load_regulation()
    return render(
        request,
        "portal/home.html",
        {
            "regulation": regulation,
            "sections": _public_sections(),
            "article_count": sum(len(chapter.articles) for chapter in regulation.chapters),
        },
    )


def regulation(request):
    return render(request, "portal/regulation.html", {"regulation": load_regulation()})


@login_required
def dashboard(request):
    scope = scope_for(request.user)
    organizations = organizations_visible_to(request.user)
    # One grouped query gives both the total and the breakdown.
    by_kind = {row["kind"]: row["n"] for row in organizations.order_by().values("kind").annotate(n=Count("id"))}
    kinds = [(label, by_kind.get(value, 0)) for value, label in OrganizationKind.choices]
    organization_count = sum(by_kind.values())
    memberships = request.user.memberships.select_related("organization").order_by("organization__name")
    return render(
        request,
        "portal/dashboard.html",
        {
            "scope": scope,
            "organization_count": organization_count,
            "organization_kinds": kinds,
            "organization_kind_max": max([n for _, n in kinds] + [1]),
            "memberships": memberships,
        },
    )


@login_required
def organization_list(request):
    form = OrganizationFilterForm(request.GET or None)
    organizations = organizations_visible_to(request.user)
    if form.is_valid():
        organizations = form.apply(organizations)
    page = Paginator(organizations.order_by("level", "district", "name", "id"), 50).get_page(request.GET.get("page"))
    return render(request, "portal/organization_list.html", {"form": form, "page": page})


def _organization_detail_response(request, organization, *, attachment_form=None, status=200):
    can_change = can_change_organization(request.user, organization)
    if attachment_form is None and can_change:
        attachment_form = AttachmentForm()
    return render(
        request,
        "portal/organization_detail.html",
        {
            "organization": organization,
            "can_change": can_change,
            "timeline": timeline_for(organization),
            "attachments": attachments_for(organization),
            "attachment_form": attachment_form,
        },
        status=status,
    )


@login_required
def organization_detail(request, uuid):
    organization = organization_get_for(user=request.user, uuid=uuid)
    return _organization_detail_response(request, organization)


@login_required
def organization_edit(request, uuid):
    organization = organization_get_for(user=request.user, uuid=uuid)
    # Visible but not editable: 403, for GET too (the service checks again on save).
    require(can_change_organization(request.user, organization), "您无权修改该单位信息。")
    form = OrganizationForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        organization_update(organization=organization, actor=request.user, **form.changes())
        messages.success(request, "单位信息已保存。")
        return redirect("organization-detail", uuid=organization.uuid)
    return render(request, "portal/organization_form.html", {"organization": organization, "form": form})


@require_POST
@login_required
def organization_attachment_create(request, uuid):
    organization = organization_get_for(user=request.user, uuid=uuid)
    require(can_change_organization(request.user, organization), "您无权为该单位上传附件。")
    form, attachment = attachment_upload(request, subject=organization)
    if attachment is None:
        return _organization_detail_response(request, organization, attachment_form=form, status=400)
    messages.success(request, f"附件“{attachment.original_name}”已上传。")
    return redirect("organization-detail", uuid=organization.uuid)


def lockout(request, original_response=None, credentials=None) -> HttpResponse:
    """django-axes lockout: problem+json for the API, the locked-out page for people (HTTP 429)."""
    status = 429
    if request.path.startswith("/api/"):
        body = {
            "type": "about:blank",
            "title": TITLES[status],
            "status": status,
            "detail": "登录失败次数过多，该账号或来源地址已被暂时锁定，请稍后再试或联系系统管理员。",
        }
        return JsonResponse(
            body, status=status, content_type=PROBLEM_CONTENT_TYPE, json_dumps_params={"ensure_ascii": False}
        )
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=status)
