"""Pages of the catalog: search with facets, registration with the duplicate warning, detail and actions."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from portal.access import require, scope_for
from portal.figures import area_figures
from portal.paginators import CappedPaginator
from portal.selectors.deadlines import deadlines_for
from portal.workflow import Refused
from resources import services
from resources.actions import CATALOG_ACTIONS, resource_available_actions
from resources.catalog_permissions import may_edit_resource
from resources.forms.catalog import CatalogFilterForm, ItemFormSet, ResourceForm, items_from
from resources.models import EDITABLE_STATES, ResourceStatus
from resources.rules import (
    BULK_INLINE_MAX,
    BULK_MAX_RESOURCES,
    DUPLICATE_JUSTIFICATION_MIN_LENGTH,
    DUPLICATE_JUSTIFICATION_NEEDED,
)
from resources.selectors import (
    CATALOG_ROW_FIELDS,
    catalog_facets,
    catalog_filter,
    catalog_search,
    duplicate_registrations_for,
    resource_get_for,
    resource_items_for,
    resource_versions,
    resources_visible_to,
    stale_resources_for,
)
from resources.selectors.search import FACET_SAMPLE, FACETS
from resources.services.bulk import BulkInvalid, bulk_rows_from_csv, resources_bulk_import
from resources.views.common import (
    EXPORT_LIMIT,
    action_auto_id,
    agencies_acting_for,
    resources_csv,
    resources_xlsx,
    timeline_display,
)

PAGE_SIZE = 20


def _query_without(request, *names) -> str:
    query = request.GET.copy()
    for name in ("page", "export", *names):
        query.pop(name, None)
    return query.urlencode()


def catalog_page(request, base_qs, *, template: str, extra: dict | None = None):
    """Search, facets, pagination and exports over a scoped queryset (shared by staff and public pages)."""
    form = CatalogFilterForm(request.GET or None)
    filters = form.filters()
    filtered = catalog_filter(base_qs, filters)
    export = request.GET.get("export")
    results = catalog_search(
        filtered,
        q=filters.get("q", ""),
        sort=filters.get("sort") or "relevance",
        columns=() if export else CATALOG_ROW_FIELDS,  # an export writes every column
    )
    if export in ("csv", "xlsx"):
        rows = results[:EXPORT_LIMIT]
        return resources_csv(rows) if export == "csv" else resources_xlsx(rows)
    facets_taken_at = None
    if filters.get("q"):
        facets = catalog_facets(results)
        paginator = CappedPaginator(results, PAGE_SIZE)  # a ranked search counts its own way (SearchResults)
    else:
        if any(filters.get(name) for name in FACETS):
            facets = catalog_facets(filtered)
        else:
            # An official's whole area at a glance: an overview like the dashboard's figures, counted at most
            # once a minute (``portal.figures``). Grouping 2,000 of a district's resources six ways was 13 ms
            # of every visit at city scale, 6 ms at demo volumes; the rows themselves are always read live.
            # Anyone else's too once the facets are capped: their sample is then the city's newest published
            # resources (7 ms of a clerk's every visit). Below the cap the page's total is the facets' count,
            # and a clerk's new draft, the list's last row, must be in it: counted live.
            facets, facets_taken_at = area_figures(
                f"catalog-facets:{template}",
                request.user,
                lambda: catalog_facets(filtered),
                shared_if=lambda counted: counted.capped,
            )
        # Browsing: the facets have counted these rows up to FACET_SAMPLE + 1; the total says "2,000+"
        # past that instead of counting again to 10,000 (18 ms of a district official's page).
        paginator = CappedPaginator(results, PAGE_SIZE, count_cap=FACET_SAMPLE, counted=facets.matched)
    page = paginator.get_page(request.GET.get("page"))
    facet_links = {
        name: [(value, f"?{_query_without(request, name)}&{name}={value.key}".replace("?&", "?")) for value in values]
        for name, values in facets.groups.items()
    }
    active = {name: filters.get(name) for name in facets.groups if filters.get(name)}
    context = {
        "form": form,
        "page": page,
        "facets": facets,
        "facets_taken_at": facets_taken_at,
        "facet_links": facet_links,
        "active_filters": _active_filters(request, facets, active),
        "query": _query_without(request),
        "q": filters.get("q", ""),
        **(extra or {}),
    }
    return render(request, template, context)


def _active_filters(request, facets, active: dict) -> list[tuple[str, str, str]]:
    """The chosen facets by their labels (共享类型：有条件共享), each with the link that removes it."""
    out = []
    for name, value in active.items():
        shown = next((v.label for v in facets.groups.get(name, []) if str(v.key) == str(value)), value)
        out.append((facets.labels[name], shown, f"?{_query_without(request, name)}"))
    return out


@login_required
def resource_list(request):
    """The catalog as the user may see it: officials their scope, agencies their own plus the published catalog."""
    scope = scope_for(request.user)
    agencies = agencies_acting_for(request.user)
    base = resources_visible_to(request.user)
    mine = request.GET.get("mine") == "1"
    if mine and agencies:
        base = base.filter(provider__in=agencies)
    return catalog_page(
        request,
        base,
        template="resources/resource_list.html",
        extra={
            "section": "catalog",
            "can_create": bool(agencies),
            "is_official": scope.is_staff_official,
            "mine": mine,
        },
    )


def _duplicate_context(error) -> dict:
    return {"duplicates": [m.as_dict() for m in error.matches]}


def _save_resource(request, *, resource=None):
    """The registration form (new or edit): resource fields, items formset, the duplicate warning."""
    agencies = agencies_acting_for(request.user)
    if resource is None:
        require(bool(agencies), "只有国家机关的经办人或负责人可以登记信息资源。")
    initial_items = (
        list(
            resource.items.order_by("position").values(
                "name", "data_type", "length", "description", "share_type", "open_attribute"
            )
        )
        if resource is not None
        else []
    )
    form = ResourceForm(request.POST or None, instance=resource)
    formset = ItemFormSet(request.POST or None, initial=initial_items or None, prefix="items")
    context = {"form": form, "formset": formset, "resource": resource, "agencies": agencies, "duplicates": []}
    context["justification_min"] = DUPLICATE_JUSTIFICATION_MIN_LENGTH
    status = 200
    if request.method == "POST":
        if form.is_valid() and formset.is_valid():
            items = items_from(formset)
            justification = form.cleaned_data.get("duplicate_justification", "")
            try:
                if resource is None:
                    provider = agencies[0]
                    if len(agencies) > 1 and request.POST.get("provider"):
                        provider = next((a for a in agencies if str(a.uuid) == request.POST["provider"]), provider)
                    saved = services.resource_create(
                        actor=request.user,
                        provider=provider,
                        fields=form.resource_fields(),
                        items=items,
                        duplicate_justification=justification,
                    )
                else:
                    saved = services.resource_update(
                        resource=resource,
                        actor=request.user,
                        fields=form.resource_fields(),
                        items=items,
                        duplicate_justification=justification,
                    )
            except services.DuplicateCollection as duplicate:
                context.update(_duplicate_context(duplicate))
                form.add_error("duplicate_justification", DUPLICATE_JUSTIFICATION_NEEDED)
            except ValidationError as invalid:
                for field, errors in invalid.message_dict.items():
                    if field.startswith("items."):
                        _, index, name = [*field.split("."), ""][:3]
                        target = formset.forms[int(index)] if int(index) < len(formset.forms) else None
                        if target is not None and name in target.fields:
                            target.add_error(name, errors)
                            continue
                    form.add_error(field if field in form.fields else None, errors)
            except Refused as refused:
                messages.error(request, refused.message)
                return redirect("resources:resource-detail", uuid=resource.uuid)
            else:
                if saved.has_duplicates:
                    messages.warning(request, "已保存。该资源与已发布资源存在重复，理由已记录，主管部门审核时将看到。")
                else:
                    messages.success(request, "已保存草稿。")
                return redirect("resources:resource-detail", uuid=saved.uuid)
        status = 400
    return render(request, "resources/resource_form.html", context, status=status)


@login_required
def resource_new(request):
    return _save_resource(request)


@login_required
def resource_edit(request, uuid):
    resource = resource_get_for(user=request.user, uuid=uuid)
    require(may_edit_resource(request.user, resource), "只有资源提供单位可以修改信息资源。")
    if resource.status not in EDITABLE_STATES:
        messages.error(request, f"当前状态“{resource.get_status_display()}”不能修改；已发布的资源请“修订新版本”。")
        return redirect("resources:resource-detail", uuid=resource.uuid)
    return _save_resource(request, resource=resource)


def _detail_context(request, resource, *, bound=None, error=None) -> dict:
    user = request.user
    actions = resource_available_actions(user, resource)
    bound = bound or {}
    action_forms = [
        {
            "action": name,
            "label": CATALOG_ACTIONS[name].label,
            "confirm": CATALOG_ACTIONS[name].confirm,
            "form": bound.get(name) or CATALOG_ACTIONS[name].form(subject=resource, auto_id=action_auto_id(name)),
        }
        for name in actions
    ]
    agencies = agencies_acting_for(user)
    return {
        "resource": resource,
        "items": resource_items_for(user, resource),
        "action_forms": action_forms,
        "versions": resource_versions(resource),
        "timeline": timeline_display(resource, dict(ResourceStatus.choices)),
        "deadlines": deadlines_for(resource),
        "can_edit": resource.status in EDITABLE_STATES and may_edit_resource(user, resource),
        "can_request": resource.status == ResourceStatus.PUBLISHED
        and not resource.is_secret
        and any(a.pk != resource.provider_id for a in agencies),
        "error": error,
        "section": "catalog",
    }


@login_required
def resource_detail(request, uuid):
    resource = resource_get_for(user=request.user, uuid=uuid)
    return render(request, "resources/resource_detail.html", _detail_context(request, resource))


@require_POST
@login_required
def resource_action(request, uuid, action):
    resource = resource_get_for(user=request.user, uuid=uuid)
    if action not in CATALOG_ACTIONS:
        raise Http404("没有这个操作。")
    spec = CATALOG_ACTIONS[action]
    form = spec.form(request.POST, subject=resource, auto_id=action_auto_id(action))
    if form.is_valid():
        try:
            result = CATALOG_ACTIONS.run(action, obj=resource, actor=request.user, data=form.cleaned_data)
        except Refused as refused:
            return render(
                request,
                "resources/resource_detail.html",
                _detail_context(request, resource, error=refused.message),
                status=409,
            )
        except ValidationError as invalid:
            for field, errors in getattr(invalid, "message_dict", {None: invalid.messages}).items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, gettext("已%(action)s。") % {"action": spec.label})
            return redirect("resources:resource-detail", uuid=result.uuid)
    resource = resource_get_for(user=request.user, uuid=uuid)
    return render(
        request, "resources/resource_detail.html", _detail_context(request, resource, bound={action: form}), status=400
    )


@login_required
def stale_list(request):
    """Art. 17: published resources past their declared update cycle, in the user's scope."""
    rows = stale_resources_for(request.user)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request, "resources/stale_list.html", {"page": page, "today": timezone.localdate(), "section": "stale"}
    )


@login_required
def duplicate_list(request):
    """Arts. 17, 46(1): registrations the duplicate check flagged, with the agencies' justifications."""
    require(scope_for(request.user).is_staff_official, "只有信息化主管部门可以查看重复采集清单。")
    page = Paginator(duplicate_registrations_for(request.user), 25).get_page(request.GET.get("page"))
    return render(request, "resources/duplicate_list.html", {"page": page, "section": "duplicates"})


@login_required
def resource_import(request):
    """The agency's bulk import (JSON, or the two CSV files): all or nothing, every bad row listed."""
    agencies = agencies_acting_for(request.user)
    require(bool(agencies), "只有国家机关的经办人或负责人可以批量登记信息资源。")
    context = {"errors": [], "limit": BULK_MAX_RESOURCES, "inline_max": BULK_INLINE_MAX, "section": "import"}
    if request.method == "POST":
        try:
            upload = request.FILES.get("resources")
            if upload is None:
                raise BulkInvalid([{"row": 0, "field": "resources", "message": "请选择资源文件（JSON 或 CSV）。"}])
            if upload.name.lower().endswith(".json"):
                try:
                    data = json.loads(upload.read().decode("utf-8-sig"))
                except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                    raise BulkInvalid([{"row": 0, "field": "resources", "message": f"JSON 无法解析：{exc}"}]) from exc
                rows = data.get("resources") if isinstance(data, dict) else data
            else:
                rows = bulk_rows_from_csv(upload, request.FILES.get("items"))
            if isinstance(rows, list) and len(rows) > BULK_INLINE_MAX:
                from resources.tasks import resources_bulk_import_task

                task = resources_bulk_import_task.delay(actor_id=request.user.pk, provider_id=agencies[0].pk, rows=rows)
                return redirect("resources:resource-import-status", task_id=task.id)
            created = resources_bulk_import(actor=request.user, provider=agencies[0], rows=rows)
        except BulkInvalid as invalid:
            context["errors"] = invalid.errors
            return render(request, "resources/resource_import.html", context, status=400)
        messages.success(request, f"已导入{len(created)}个资源草稿。")
        return redirect(reverse("resources:resource-list") + "?mine=1")
    return render(request, "resources/resource_import.html", context)


@login_required
def resource_import_status(request, task_id):
    """Progress of a large import run by Celery (the page refreshes itself until it is done)."""
    from celery.result import AsyncResult

    require(bool(agencies_acting_for(request.user)), "只有国家机关的经办人或负责人可以查看导入进度。")
    result = AsyncResult(task_id)
    info = result.info if isinstance(result.info, dict) else {}
    if info.get("owner") not in (None, request.user.pk):
        raise Http404("没有这个导入任务。")
    return render(
        request,
        "resources/resource_import_status.html",
        {"state": result.state, "info": info, "section": "import"},
    )
