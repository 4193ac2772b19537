from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from portal.access import can_change_organization, scope_for
from portal.forms import OrganizationFilterForm, OrganizationForm
from portal.regulation import load_regulation
from portal.selectors import organization_get_for, organizations_visible_to, timeline_for
from portal.services import organization_update


def home(request):
    return render(request, "portal/home.html", {"regulation": load_regulation()})


def regulation(request):
    return render(request, "portal/regulation.html", {"regulation": load_regulation()})


@login_required
def dashboard(request):
    scope = scope_for(request.user)
    organizations = organizations_visible_to(request.user)
    return render(
        request,
        "portal/dashboard.html",
        {"scope": scope, "organization_count": organizations.count()},
    )


@login_required
def organization_list(request):
    form = OrganizationFilterForm(request.GET or None)
    organizations = organizations_visible_to(request.user)
    if form.is_valid():
        organizations = form.apply(organizations)
    page = Paginator(organizations.order_by("level", "district", "name", "id"), 50).get_page(request.GET.get("page"))
    return render(request, "portal/organization_list.html", {"form": form, "page": page})


@login_required
def organization_detail(request, uuid):
    organization = organization_get_for(user=request.user, uuid=uuid)
    return render(
        request,
        "portal/organization_detail.html",
        {
            "organization": organization,
            "can_change": can_change_organization(request.user, organization),
            "timeline": timeline_for(organization),
        },
    )


@login_required
def organization_edit(request, uuid):
    organization = organization_get_for(user=request.user, uuid=uuid)
    # Visible but not editable: 403 inside the service; checked first so GET is refused too.
    from portal.access import require

    require(can_change_organization(request.user, organization), "您无权修改该单位信息。")
    form = OrganizationForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        organization_update(organization=organization, actor=request.user, **form.changes())
        return redirect("organization-detail", uuid=organization.uuid)
    return render(request, "portal/organization_form.html", {"organization": organization, "form": form})
