"""Organizations: scoped list, detail with timeline and attachments, edit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from portal.access import can_change_organization, require
from portal.forms.common import AttachmentForm
from portal.forms.organizations import OrganizationFilterForm, OrganizationForm
from portal.paginators import CappedPaginator as Paginator
from portal.selectors import attachments_for, organization_get_for, organizations_visible_to, timeline_for
from portal.services import organization_update
from portal.views.attachments import attachment_upload


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
