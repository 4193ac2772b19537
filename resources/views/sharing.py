"""Pages of sharing requests (Art. 21): the request form, the negotiation page, the lists, revoking a grant."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from portal.access import require, scope_for
from portal.paginators import PAGE_SIZE
from portal.selectors.deadlines import deadlines_for
from portal.workflow import Refused
from resources import services
from resources.actions import SHARING_ACTIONS, sharing_available_actions
from resources.forms.catalog import ReasonForm
from resources.forms.sharing import SharingRequestForm
from resources.models import GrantStatus, SharingGrant, SharingStatus
from resources.rules import sharing_reply_working_days
from resources.selectors import (
    grant_get_for,
    own_organization_ids,
    resource_get_for,
    sharing_request_get_for,
    sharing_requests_visible_to,
    sharing_rounds,
)
from resources.views.common import action_auto_id, agencies_acting_for, timeline_display


@login_required
def sharing_new(request, uuid):
    resource = resource_get_for(user=request.user, uuid=uuid)
    agencies = [a for a in agencies_acting_for(request.user) if a.pk != resource.provider_id]
    require(bool(agencies), "只有其他国家机关的经办人或负责人可以申请共享该资源。")
    form = SharingRequestForm(request.POST or None, subject=resource)
    if request.method == "POST" and form.is_valid():
        try:
            sharing = services.sharing_request_create(
                actor=request.user, requester=agencies[0], resource=resource, **form.cleaned_data
            )
        except (ValidationError, Refused) as error:
            form.add_error(None, getattr(error, "message", None) or "；".join(error.messages))
        else:
            messages.success(request, f"已提出共享申请，提供单位应于{sharing.reply_due_date:%Y-%m-%d}前答复。")
            return redirect("resources:sharing-detail", uuid=sharing.uuid)
    return render(
        request,
        "resources/sharing_form.html",
        {"resource": resource, "form": form, "reply_days": sharing_reply_working_days(), "section": "sharing"},
        status=400 if form.errors else 200,
    )


@login_required
def sharing_list(request):
    """Outgoing and incoming requests of the user's agencies; officials: the escalated disputes in scope."""
    rows = sharing_requests_visible_to(request.user).order_by("-created_at", "-id")
    box = request.GET.get("box", "")
    own = own_organization_ids(request.user)
    if box == "incoming":
        rows = rows.filter(provider_id__in=own)
    elif box == "outgoing":
        rows = rows.filter(requester_id__in=own)
    elif box == "escalated":
        rows = rows.filter(status=SharingStatus.ESCALATED)
    status = request.GET.get("status")
    if status in SharingStatus.values:
        rows = rows.filter(status=status)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    grants = (
        SharingGrant.objects.filter(grantee_id__in=own, status=GrantStatus.ACTIVE)
        .select_related("resource", "resource__provider")
        .prefetch_related("items")
        .order_by("ends_on", "id")[:50]
        if own
        else []
    )
    return render(
        request,
        "resources/sharing_list.html",
        {
            "page": page,
            "box": box,
            "status": status,
            "statuses": SharingStatus.choices,
            "grants": grants,
            "is_official": scope_for(request.user).is_staff_official,
            "section": "sharing",
        },
    )


def _detail_context(request, sharing, *, bound=None, error=None) -> dict:
    user = request.user
    bound = bound or {}
    action_forms = [
        {
            "action": name,
            "label": SHARING_ACTIONS[name].label,
            "confirm": SHARING_ACTIONS[name].confirm,
            "form": bound.get(name) or SHARING_ACTIONS[name].form(subject=sharing, auto_id=action_auto_id(name)),
        }
        for name in sharing_available_actions(user, sharing)
    ]
    grant = SharingGrant.objects.filter(request=sharing).prefetch_related("items").first()
    own = own_organization_ids(user)
    return {
        "sharing": sharing,
        "items": list(sharing.items.order_by("position")),
        "rounds": sharing_rounds(sharing),
        "grant": grant,
        "grant_items": list(grant.items.order_by("position")) if grant else [],
        "can_revoke": grant is not None
        and grant.status == GrantStatus.ACTIVE
        and not grant.by_decision
        and sharing.provider_id in own,
        "revoke_form": ReasonForm(auto_id=action_auto_id("revoke")),
        "action_forms": action_forms,
        "deadlines": deadlines_for(sharing),
        "timeline": timeline_display(sharing, dict(SharingStatus.choices)),
        "error": error,
        "section": "sharing",
    }


@login_required
def sharing_detail(request, uuid):
    sharing = sharing_request_get_for(user=request.user, uuid=uuid)
    return render(request, "resources/sharing_detail.html", _detail_context(request, sharing))


@require_POST
@login_required
def sharing_action(request, uuid, action):
    sharing = sharing_request_get_for(user=request.user, uuid=uuid)
    if action not in SHARING_ACTIONS:
        raise Http404("没有这个操作。")
    spec = SHARING_ACTIONS[action]
    form = spec.form(request.POST, subject=sharing, auto_id=action_auto_id(action))
    if form.is_valid():
        data = dict(form.cleaned_data)
        if "items" in data and data["items"] is not None:
            data["items"] = list(data["items"])
        try:
            SHARING_ACTIONS.run(action, obj=sharing, actor=request.user, data=data)
        except Refused as refused:
            return render(
                request,
                "resources/sharing_detail.html",
                _detail_context(request, sharing, error=refused.message),
                status=409,
            )
        except ValidationError as invalid:
            for field, errors in getattr(invalid, "message_dict", {None: invalid.messages}).items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, gettext("已%(action)s。") % {"action": spec.label})
            return redirect("resources:sharing-detail", uuid=sharing.uuid)
    sharing = sharing_request_get_for(user=request.user, uuid=uuid)
    return render(
        request, "resources/sharing_detail.html", _detail_context(request, sharing, bound={action: form}), status=400
    )


@require_POST
@login_required
def grant_revoke(request, uuid):
    grant = grant_get_for(user=request.user, uuid=uuid)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.grant_revoke(grant=grant, actor=request.user, reason=form.cleaned_data["reason"])
        except (Refused, ValidationError) as error:
            messages.error(request, getattr(error, "message", None) or "；".join(error.messages))
        else:
            messages.success(request, "已撤销共享授权。")
    else:
        messages.error(request, "请写明撤销理由。")
    return redirect("resources:sharing-detail", uuid=grant.request.uuid)
