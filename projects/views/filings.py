"""Pages of project filings: the agency's step form, the officials' queue and review page, the PDF."""

from types import SimpleNamespace

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.access import require, scope_for
from portal.forms.common import AttachmentForm, missing_links
from portal.letters import content_disposition
from portal.models import Organization, OrganizationKind, Role
from portal.models.deadlines import DeadlineState
from portal.paginators import PAGE_SIZE, SEARCH_COUNT_CAP
from portal.paginators import CappedPaginator as Paginator
from portal.selectors import attachments_for, timeline_for
from portal.selectors.deadlines import deadlines_for
from projects import services
from projects.actions import FILING_ACTIONS
from projects.exports import filings_csv, filings_xlsx
from projects.forms import (
    STEP_FIELDS,
    STEP_LABELS,
    AttendanceForm,
    ChecklistForm,
    CommentForm,
    ContractorAssignForm,
    FilingQueueFilterForm,
    FilingStepForm,
    reviewer_candidates,
)
from projects.models import OPINION_STATES, FilingStatus
from projects.pdf import CJKFontMissing, opinion_filename, opinion_pdf
from projects.permissions import (
    filing_available_actions,
    is_agency_member,
    is_deciding_official,
    may_act_on_filing,
)
from projects.selectors import (
    acceptance_record_get_for,
    agencies_acting_for,
    agency_chosen_for,
    filing_acceptance_records,
    filing_checklist,
    filing_contractors,
    filing_get_for,
    filing_opinion_get_for,
    filing_queue,
    filing_review_overdue,
    filing_reviewer_candidates,
    filing_reviewers,
    opinions_for_liaison,
)
from projects.services import TransitionRefused

# The queue's columns (projects/filing_list.html): a row reads these, not the whole filing.
QUEUE_ROW_FIELDS = (
    "uuid",
    "title",
    "opinion_number",
    "kind",
    "district",
    "government_investment",
    "status",
    "review_due_date",
    "agency__name",
)
EXPORT_LIMIT = 100_000  # streamed (projects/exports.py): memory stays constant
STEP_KEYS = [key for key, _ in STEP_LABELS]


def timeline_display(obj, labels: dict) -> list:
    """Timeline events with states in words, for templates/partials/timeline.html."""
    labels = {**dict(DeadlineState.choices), **labels}
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


def _user_authority(user) -> Organization | None:
    scope = scope_for(user)
    return (
        Organization.objects.filter(pk__in=scope.organization_ids, kind=OrganizationKind.AUTHORITY)
        .order_by("level", "id")
        .first()
    )


@login_required
def filing_list(request):
    """Officials: the review queue. Agencies: their filings. Same scoped selector."""
    scope = scope_for(request.user)
    is_official = scope.is_staff_official
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        # No reviewer candidates (the form is not shown) and no reviewer prefetch (not a column): the
        # reviewer filter is taken as any UUID, which can only narrow the user's scoped rows.
        form = FilingQueueFilterForm(request.GET, reviewers=())
        form.fields["reviewer"] = forms.UUIDField(required=False)
        filters = form.cleaned_data if form.is_valid() else {}
        rows = filing_queue(request.user, filters=filters, today=timezone.localdate()).prefetch_related(None)
        rows = rows[:EXPORT_LIMIT]
        return filings_csv(rows) if export == "csv" else filings_xlsx(rows)
    reviewers = reviewer_candidates(_user_authority(request.user)) if is_official else []
    form = FilingQueueFilterForm(request.GET or None, reviewers=reviewers)
    filters = form.cleaned_data if form.is_valid() else {}
    filings = filing_queue(request.user, filters=filters, today=timezone.localdate()).only(*QUEUE_ROW_FIELDS)
    count_cap = SEARCH_COUNT_CAP if filters.get("q") else None
    page = Paginator(filings, PAGE_SIZE, count_cap=count_cap).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    return render(
        request,
        "projects/filing_list.html",
        {
            "form": form,
            "page": page,
            "is_official": is_official,
            "can_create": bool(agencies_acting_for(request.user)),
            "query": query.urlencode(),
            "show_liaison_link": any(role == Role.DEPARTMENT_LIAISON for _, role in scope.grants),
        },
    )


@login_required
def filing_new(request):
    agencies = agencies_acting_for(request.user)
    require(bool(agencies), "只有国家机关的经办人或负责人可以创建项目备案。")
    form_class = FilingStepForm.for_step("basic")
    form = form_class(request.POST or None, agencies=agencies)
    agency_error = ""
    if request.method == "POST" and form.is_valid():
        try:
            # Acting for several agencies: the user says which (never the first alphabetically).
            agency = agency_chosen_for(request.user, choice=request.POST.get("agency") or None)
            filing = services.filing_create(actor=request.user, agency=agency, **form.changes())
        except ValidationError as error:
            if hasattr(error, "error_dict") and "agency" in error.error_dict:
                agency_error = error.message_dict["agency"][0]
            else:
                form_errors_add(form, error)
        else:
            messages.success(request, "已保存草稿。请继续填写需求与效益。")
            return redirect("projects:filing-edit", uuid=filing.uuid, step="needs")
    return render(
        request,
        "projects/filing_form.html",
        {
            "form": form,
            "step": "basic",
            "steps": [(key, label, 0) for key, label in STEP_LABELS],
            "filing": None,
            "agencies": agencies,
            "agency_error": agency_error,
            "chosen_agency": request.POST.get("agency", ""),
        },
        status=400 if form.errors or agency_error else 200,
    )


@login_required
def filing_edit(request, uuid, step):
    filing = filing_get_for(user=request.user, uuid=uuid)
    if step not in STEP_KEYS:
        raise Http404("没有这一步。")
    require(may_act_on_filing(request.user, filing, "edit"), "只有建设单位可以修改项目备案。")
    editable = filing.status in (FilingStatus.DRAFT, FilingStatus.RETURNED)
    context = {"filing": filing, "step": step, "editable": editable}
    form = None
    if step in STEP_FIELDS:
        form = FilingStepForm.for_step(step)(request.POST or None, instance=filing)
        if request.method == "POST":
            if not editable:
                messages.error(request, f"当前状态“{filing.get_status_display()}”不能修改。")
                return redirect("projects:filing-detail", uuid=filing.uuid)
            if form.is_valid():
                try:
                    services.filing_update(filing=filing, actor=request.user, **form.changes())
                except ValidationError as error:
                    form_errors_add(form, error)
                except TransitionRefused as refused:
                    messages.error(request, refused.message)
                    return redirect("projects:filing-detail", uuid=filing.uuid)
                else:
                    if "assign_contractor" in request.POST:
                        # The assign button belongs to the step form: what was typed is saved first.
                        _assign_contractor(request, filing)
                        return redirect("projects:filing-edit", uuid=filing.uuid, step=step)
                    goto = request.POST.get("goto")
                    if goto in STEP_KEYS:  # a step tab clicked with unsaved input (static/portal/portal.js)
                        messages.success(request, _("已保存草稿。"))
                        return redirect("projects:filing-edit", uuid=filing.uuid, step=goto)
                    if "next" in request.POST:
                        next_step = STEP_KEYS[STEP_KEYS.index(step) + 1]
                        messages.success(request, _("已保存。"))
                        return redirect("projects:filing-edit", uuid=filing.uuid, step=next_step)
                    messages.success(request, _("已保存草稿。"))
                    return redirect("projects:filing-edit", uuid=filing.uuid, step=step)
    if step == "contracting" or step == "documents":
        context["contractors"] = filing_contractors(filing)
        contractor_form = ContractorAssignForm()
        for field in contractor_form.fields.values():
            field.widget.attrs["form"] = "filing-form"  # submitted with the step form, see filing_form.html
        context["contractor_form"] = contractor_form
    if step == "documents":
        context["attachments"] = attachments_for(filing)
        context["attachment_form"] = AttachmentForm()
        context["attachment_upload_url"] = reverse("projects:filing-document", args=[filing.uuid])
        context["missing"] = services.filing_missing_fields(filing)
        context["missing_links"] = _missing_links(filing, context["missing"])
        context["submit_confirm"] = FILING_ACTIONS["submit"].confirm
        context["can_submit"] = "submit" in filing_available_actions(request.user, filing)
    context["form"] = form
    counts = _missing_by_step(filing)
    context["steps"] = [(key, label, counts.get(key, 0)) for key, label in STEP_LABELS]
    context["review_days"] = settings.PROJECT_REVIEW_WORKING_DAYS
    return render(
        request, "projects/filing_form.html", context, status=400 if form is not None and form.errors else 200
    )


def form_errors_add(form, error: ValidationError) -> None:
    """A service's errors on the form: on their field where the form has it, else above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _missing_links(filing, missing: dict) -> list[dict]:
    """The "still missing" list, each entry a link to its field on its step."""

    def url(name: str) -> str | None:
        step = next((key for key, fields in STEP_FIELDS.items() if name in fields), None)
        if step is None:
            return None
        return reverse("projects:filing-edit", args=[filing.uuid, step]) + f"#id_{name}"

    return missing_links(missing, url)


def _missing_by_step(filing) -> dict:
    missing = services.filing_missing_fields(filing)
    return {key: sum(1 for name in missing if name in fields) for key, fields in STEP_FIELDS.items()}


def _detail_context(request, filing, *, bound_forms=None, error=None) -> dict:
    user = request.user
    actions = filing_available_actions(user, filing)
    bound_forms = bound_forms or {}
    action_forms = []
    for action in actions:
        form = bound_forms.get(action) or _action_form(action, filing)
        if action == "record_acceptance" and action not in bound_forms:
            form.initial = {"held_on": timezone.localdate(), "authority_invited": filing.is_government_invested}
        spec = FILING_ACTIONS[action]
        action_forms.append({"action": action, "label": spec.label, "form": form, "confirm": spec.confirm})
    checklist = filing_checklist(filing)
    may_checklist = filing.status == FilingStatus.IN_REVIEW and may_act_on_filing(user, filing, "checklist")
    checklist_form = bound_forms.get("checklist") or (ChecklistForm(checklist=checklist) if may_checklist else None)
    may_upload = may_act_on_filing(user, filing, "upload")
    missing = (
        services.filing_missing_fields(filing) if filing.status in (FilingStatus.DRAFT, FilingStatus.RETURNED) else {}
    )
    return {
        "filing": filing,
        "action_forms": action_forms,
        "bound_action": next(iter(bound_forms), None),
        "checklist": checklist,
        "checklist_form": checklist_form,
        "contractors": filing_contractors(filing),
        "acceptance_records": filing_acceptance_records(filing),
        "may_confirm_attendance": is_deciding_official(user, level=filing.level, district=filing.district),
        "reviewers": filing_reviewers(filing),
        "attachments": attachments_for(filing),
        "attachment_form": bound_forms.get("upload") or (AttachmentForm() if may_upload else None),
        "attachment_upload_url": reverse("projects:filing-document", args=[filing.uuid]),
        "deadlines": deadlines_for(filing),
        "timeline": timeline_display(filing, dict(FilingStatus.choices)),
        "comment_form": bound_forms.get("comment")
        or (CommentForm() if may_act_on_filing(user, filing, "comment") else None),
        "can_edit": filing.status in (FilingStatus.DRAFT, FilingStatus.RETURNED)
        and is_agency_member(user, filing.agency),
        "has_opinion": filing.status in OPINION_STATES,
        "missing": missing,
        "missing_links": _missing_links(filing, missing),
        "receipt": request.GET.get("receipt") == "1" and filing.status == FilingStatus.SUBMITTED,
        "review_days": settings.PROJECT_REVIEW_WORKING_DAYS,
        "error": error,
        "review_overdue": filing_review_overdue(filing, today=timezone.localdate()),
    }


@login_required
def filing_detail(request, uuid):
    filing = filing_get_for(user=request.user, uuid=uuid)
    return render(request, "projects/filing_detail.html", _detail_context(request, filing))


def _action_form(action: str, filing, data=None):
    """The page form of an action; the reviewer choice lists the reviewers the filing may have (回避)."""
    kwargs = {"candidates": filing_reviewer_candidates(filing)} if action == "start_review" else {}
    return FILING_ACTIONS[action].form(data, **kwargs)


@require_POST
@login_required
def filing_action(request, uuid, action):
    filing = filing_get_for(user=request.user, uuid=uuid)
    if action not in FILING_ACTIONS:
        raise Http404("没有这个操作。")
    spec = FILING_ACTIONS[action]
    require(may_act_on_filing(request.user, filing, action), f"您无权对该项目执行“{spec.label}”。")
    form = _action_form(action, filing, request.POST)
    error = None
    if form.is_valid():
        try:
            FILING_ACTIONS.run(action, obj=filing, actor=request.user, data=form.cleaned_data)
        except TransitionRefused as refused:
            context = _detail_context(request, filing, error=refused.message)
            return render(request, "projects/filing_detail.html", context, status=409)
        except ValidationError as invalid:
            if action == "submit":
                error = "提交前请补全以下内容：" + "；".join(invalid.messages)
            elif hasattr(invalid, "error_dict"):
                for field, errors in invalid.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, invalid)
        else:
            messages.success(request, _("已%(action)s。") % {"action": spec.label})
            if action == "submit":  # the receipt: number, time, what happens next and by when
                return redirect(reverse("projects:filing-detail", args=[filing.uuid]) + "?receipt=1")
            return redirect("projects:filing-detail", uuid=filing.uuid)
    filing = filing_get_for(user=request.user, uuid=uuid)
    context = _detail_context(request, filing, bound_forms={action: form}, error=error)
    return render(request, "projects/filing_detail.html", context, status=400)


@require_POST
@login_required
def filing_checklist_save(request, uuid):
    filing = filing_get_for(user=request.user, uuid=uuid)
    require(may_act_on_filing(request.user, filing, "checklist"), "您不是该项目的审查人员。")
    form = ChecklistForm(request.POST, checklist=filing_checklist(filing))
    if form.is_valid():
        try:
            services.filing_checklist_save(filing=filing, actor=request.user, findings=form.findings())
        except TransitionRefused as refused:
            return render(
                request,
                "projects/filing_detail.html",
                _detail_context(request, filing, error=refused.message),
                status=409,
            )
        except ValidationError as invalid:
            for dimension, errors in invalid.message_dict.items():
                field = f"text_{dimension}"
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, "审查要点意见已保存。")
            return redirect(reverse("projects:filing-detail", args=[filing.uuid]) + "#checklist")
    context = _detail_context(request, filing, bound_forms={"checklist": form})
    return render(request, "projects/filing_detail.html", context, status=400)


@require_POST
@login_required
def filing_document_upload(request, uuid):
    filing = filing_get_for(user=request.user, uuid=uuid)
    require(may_act_on_filing(request.user, filing, "upload"), "您无权为该项目上传附件。")
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.filing_document_add(
                filing=filing,
                actor=request.user,
                uploaded=form.cleaned_data["file"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as invalid:
            form.add_error(None, invalid)
        else:
            messages.success(request, f"已上传附件“{form.cleaned_data['file'].name}”。")
            if request.POST.get("next") == "documents" or "/edit/documents/" in request.headers.get("Referer", ""):
                return redirect("projects:filing-edit", uuid=filing.uuid, step="documents")
            return redirect("projects:filing-detail", uuid=filing.uuid)
    context = _detail_context(request, filing, bound_forms={"upload": form})
    return render(request, "projects/filing_detail.html", context, status=400)


@require_POST
@login_required
def filing_contractor_assign(request, uuid):
    filing = filing_get_for(user=request.user, uuid=uuid)
    _assign_contractor(request, filing)
    step = request.POST.get("step") if request.POST.get("step") in STEP_KEYS else "contracting"
    return redirect("projects:filing-edit", uuid=filing.uuid, step=step)


def _assign_contractor(request, filing) -> None:
    require(may_act_on_filing(request.user, filing, "assign_contractor"), "只有建设单位可以指定承建单位。")
    form = ContractorAssignForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["signed_on"]:  # a contract taken on (承揽): recorded as a fact, Art. 43 if unqualified
                services.filing_contract_record(
                    filing=filing,
                    actor=request.user,
                    contractor=data["contractor"],
                    role=data["role"],
                    signed_on=data["signed_on"],
                )
            else:
                services.filing_contractor_assign(
                    filing=filing, actor=request.user, contractor=data["contractor"], role=data["role"]
                )
        except (ValidationError, TransitionRefused) as refused:
            text = refused.message if isinstance(refused, TransitionRefused) else "；".join(refused.messages)
            messages.error(request, text)
        else:
            messages.success(request, _("已指定%(name)s。") % {"name": form.cleaned_data["contractor"].name})
    else:
        messages.error(request, _("请选择承建单位和角色。"))


@require_POST
@login_required
def filing_comment(request, uuid):
    filing = filing_get_for(user=request.user, uuid=uuid)
    require(may_act_on_filing(request.user, filing, "comment"), "您无权对该项目发表意见。")
    form = CommentForm(request.POST)
    if form.is_valid():
        services.filing_comment(filing=filing, actor=request.user, comment=form.cleaned_data["comment"])
        messages.success(request, "意见已记录。")
        return redirect(reverse("projects:filing-detail", args=[filing.uuid]) + "#timeline-heading")
    context = _detail_context(request, filing, bound_forms={"comment": form})
    return render(request, "projects/filing_detail.html", context, status=400)


@require_POST
@login_required
def filing_attendance_confirm(request, uuid, record):
    """Art. 14: the authority confirms whether it attended the acceptance (not the agency)."""
    filing = filing_get_for(user=request.user, uuid=uuid)
    require(may_act_on_filing(request.user, filing, "confirm_attendance"), "只有信息化主管部门可以确认是否出席验收。")
    acceptance = acceptance_record_get_for(filing=filing, uuid=record)
    form = AttendanceForm(request.POST)
    if form.is_valid():
        try:
            services.filing_acceptance_attendance_confirm(
                record=acceptance, actor=request.user, attended=form.cleaned_data["attended"]
            )
        except TransitionRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, "已确认出席情况。")
    else:
        messages.error(request, "请选择是否出席。")
    return redirect(reverse("projects:filing-detail", args=[filing.uuid]) + "#acceptance")


@login_required
def filing_opinion_pdf(request, uuid):
    filing = filing_opinion_get_for(user=request.user, uuid=uuid)
    try:
        content = opinion_pdf(filing, filing_checklist(filing))
    except CJKFontMissing as missing:
        return render(
            request, "projects/pdf_font_missing.html", {"message": str(missing), "filing": filing}, status=503
        )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(opinion_filename(filing))
    return response


@login_required
def opinion_list(request):
    """Art. 13: the approving department's liaison reads the opinions it relies on."""
    filings = opinions_for_liaison(request.user).order_by("-decided_at", "-id")
    if not scope_for(request.user).roles & {Role.DEPARTMENT_LIAISON}:
        raise PermissionDenied("只有审批部门的联络员可以查看此页。")
    page = Paginator(filings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "projects/opinion_list.html", {"page": page})
