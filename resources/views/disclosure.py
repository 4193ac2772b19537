"""Pages of disclosure: public (guides, catalog, apply, track, enterprises, reports) and staff (handling)."""

import csv

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST
from django_fsm import can_proceed

from portal.access import require
from portal.letters import content_disposition, render_letter
from portal.paginators import CappedPaginator as Paginator
from portal.redis_guard import ratelimited  # fails open when Redis is down (issue 8)
from portal.selectors import timeline_for
from portal.workflow import Refused
from resources import rules_disclosure as rules
from resources.actions_disclosure import APPLICATION_ACTIONS, FSM_METHODS
from resources.forms import disclosure as forms
from resources.letters_disclosure import CJKFontMissing, annual_report_letter, reply_letter
from resources.models.disclosure import AnnualReport, ApplicationStatus
from resources.selectors import disclosure as sel
from resources.services import disclosure as services

PAGE_SIZE = 20


def _page(request, queryset, size: int = PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def _limited(request, group: str, rate: str) -> bool:
    return ratelimited(request=request, group=group, key="ip", rate=rate, increment=True)


def _too_many(request):
    return render(request, "disclosure/too_many.html", status=429)


# --- public ------------------------------------------------------------------------------------------


def index(request):
    guides = sel.guides_current().order_by("agency__level", "agency__district", "agency__name", "id")
    return render(request, "disclosure/index.html", {"page": _page(request, guides, 50)})


def catalog_search(request):
    q = request.GET.get("q", "").strip()[:100]
    category = request.GET.get("category", "").strip()[:60]
    page = _page(request, sel.catalog_public(q=q, category=category))
    return render(request, "disclosure/catalog_search.html", {"page": page, "q": q, "category": category})


def agency_detail(request, uuid):
    agency = sel.agency_public_get(uuid=uuid)
    q = request.GET.get("q", "").strip()[:100]
    page = _page(request, sel.catalog_public(agency=agency, q=q))
    staff = request.user.is_authenticated and services.is_disclosure_staff(request.user, agency)
    return render(
        request,
        "disclosure/agency.html",
        {"agency": agency, "guide": sel.guide_current_for(agency), "page": page, "q": q, "staff": staff},
    )


def guide_versions(request, uuid):
    agency = sel.agency_public_get(uuid=uuid)
    return render(
        request, "disclosure/guide_versions.html", {"agency": agency, "guides": sel.guide_versions_for(agency)}
    )


def catalog_entry(request, uuid, index_number):
    agency = sel.agency_public_get(uuid=uuid)
    entry = sel.catalog_public(agency=agency).filter(index_number=index_number).first()
    if entry is None:
        raise Http404
    return render(request, "disclosure/catalog_entry.html", {"agency": agency, "entry": entry})


def apply(request):
    form = forms.PublicApplicationForm(request.POST or None, initial={"agency": request.GET.get("agency")})
    if request.method == "POST":
        if _limited(request, "disclosure-apply", settings.DISCLOSURE_APPLY_RATE):
            return _too_many(request)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k in services.APPLICANT_FIELDS}
            try:
                application, code = services.application_submit_public(agency=form.cleaned_data["agency"], **data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                # Shown once: this response is never cached and the code is stored only as a hash.
                response = render(request, "disclosure/applied.html", {"application": application, "code": code})
                response["Cache-Control"] = "no-store"
                return response
        return render(request, "disclosure/apply.html", {"form": form, "rules": rules}, status=400)
    return render(request, "disclosure/apply.html", {"form": form, "rules": rules})


def track(request):
    """Status look-up by number and code (POST, so the code stays out of URLs and logs)."""
    form = forms.TrackForm(request.POST or None)
    if request.method == "POST":
        if _limited(request, "disclosure-track", settings.DISCLOSURE_TRACK_RATE):
            return _too_many(request)
        application = None
        if form.is_valid():
            application = sel.application_track(number=form.cleaned_data["number"], code=form.cleaned_data["code"])
        if application is None:
            # The same answer for a wrong number, a wrong code or malformed input: nothing is revealed.
            return render(request, "disclosure/track.html", {"form": form, "not_found": True}, status=404)
        response = render(
            request,
            "disclosure/track_result.html",
            {"application": application, "form": form, "correction_form": forms.CorrectionSubmitForm()},
        )
        response["Cache-Control"] = "no-store"
        return response
    return render(request, "disclosure/track.html", {"form": form})


@require_POST
def track_correction(request):
    """The applicant sends the corrected request from the tracking page (number and code again)."""
    if _limited(request, "disclosure-track", settings.DISCLOSURE_TRACK_RATE):
        return _too_many(request)
    form = forms.TrackForm(request.POST)
    application = form.is_valid() and sel.application_track(
        number=form.cleaned_data["number"], code=form.cleaned_data["code"]
    )
    if not application:
        return render(request, "disclosure/track.html", {"form": form, "not_found": True}, status=404)
    correction = forms.CorrectionSubmitForm(request.POST)
    if correction.is_valid():
        try:
            application = services.application_correction_submit(
                application=application, text=correction.cleaned_data["text"]
            )
        except Refused as refused:
            messages.error(request, refused.message)
        except ValidationError as error:
            correction.add_error("text", error.message_dict.get("text", error.messages))
        else:
            correction = None
            messages.success(request, "补正内容已提交，受理机关确认收到后重新计算答复期限。")
    response = render(
        request,
        "disclosure/track_result.html",
        {
            "application": application,
            "form": form,
            "correction": correction,
            "correction_form": forms.CorrectionSubmitForm(),
        },
        status=200 if correction is None or correction.is_valid() else 400,
    )
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def track_letter(request):
    if _limited(request, "disclosure-track", settings.DISCLOSURE_TRACK_RATE):
        return _too_many(request)
    form = forms.TrackForm(request.POST)
    application = form.is_valid() and sel.application_track(
        number=form.cleaned_data["number"], code=form.cleaned_data["code"]
    )
    if not application or application.status != ApplicationStatus.REPLIED:
        return render(request, "disclosure/track.html", {"form": form, "not_found": True}, status=404)
    return _pdf_response(request, application)


def _pdf_response(request, application):
    try:
        letter = reply_letter(application)
        content = render_letter(letter)
    except CJKFontMissing as missing:
        return HttpResponse(str(missing), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(letter.filename, inline=False)
    response["Cache-Control"] = "no-store"
    return response


def enterprises(request):
    page = _page(request, sel.enterprises_public())
    return render(request, "disclosure/enterprises.html", {"page": page})


def enterprise_detail(request, uuid):
    enterprise = sel.enterprise_public_get(uuid=uuid)
    staff = request.user.is_authenticated and (
        services.is_enterprise_staff(request.user, enterprise)
        or services.is_supervising_official(request.user, enterprise)
    )
    return render(
        request,
        "disclosure/enterprise.html",
        {
            "enterprise": enterprise,
            "items": sel.enterprise_items(enterprise),
            "staff": staff,
            "stale_days": rules.enterprise_stale_days(),
        },
    )


def reports(request):
    page = _page(request, sel.reports_published().order_by("-year", "agency__name", "id"))
    return render(request, "disclosure/reports.html", {"page": page})


def report_detail(request, uuid):
    report = sel.reports_published().filter(uuid=uuid).first()
    if report is None:
        raise Http404
    rows = [(label, report.figures.get(code, 0)) for code, label in rules.ANNUAL_REPORT_ROWS]
    return render(request, "disclosure/report.html", {"report": report, "rows": rows})


def report_pdf(request, uuid):
    report = sel.reports_published().filter(uuid=uuid).first()
    if report is None:
        raise Http404
    letter = annual_report_letter(report)
    try:
        content = render_letter(letter)
    except CJKFontMissing as missing:
        return HttpResponse(str(missing), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(letter.filename)
    return response


# --- staff -------------------------------------------------------------------------------------------


class _Echo:
    def write(self, value):
        return value


@login_required
def application_list(request):
    applications = sel.applications_visible_to(request.user)
    status = request.GET.get("status", "")
    if status in ApplicationStatus.values:
        applications = applications.filter(status=status)
    applications = applications.order_by("-created_at", "-id")
    if request.GET.get("format") == "csv":
        writer = csv.writer(_Echo())
        header = [
            "查询编号",
            "受理机关",
            "申请人",
            "提交方式",
            "状态",
            "收到申请之日",
            "答复期限",
            "答复类型",
            "答复日",
        ]
        rows = (
            [
                a.tracking_number,
                a.agency.name,
                a.applicant_name,
                a.get_channel_display(),
                a.get_status_display(),
                a.received_on or "",
                a.reply_due_date or "",
                a.get_response_type_display(),
                a.replied_on or "",
            ]
            for a in applications.iterator(chunk_size=500)
        )
        response = StreamingHttpResponse(_csv_stream(writer, header, rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="disclosure-applications.csv"'
        return response
    return render(
        request,
        "disclosure/application_list.html",
        {
            "page": _page(request, applications),
            "status": status,
            "statuses": ApplicationStatus.choices,
            "can_record": sel.agencies_staffed_by(request.user).exists(),
        },
    )


def _csv_stream(writer, header, rows):
    yield "\ufeff"  # Excel reads UTF-8 only with a BOM
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow(row)


@login_required
def application_record(request):
    agencies = sel.agencies_staffed_by(request.user)
    if not agencies.exists():
        raise PermissionDenied("只有机关经办人或负责人可以登记申请。")
    form = forms.RecordApplicationForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            application, code = services.application_record(
                actor=request.user,
                agency=data.pop("agency"),
                channel=data.pop("channel"),
                received_on=data.pop("received_on"),
                **data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, f"已登记。查询编号 {application.tracking_number}，查询码 {code}（仅显示一次，请告知申请人）。"
            )
            return redirect("disclosure:application-detail", uuid=application.uuid)
    status = 400 if request.method == "POST" else 200
    return render(request, "disclosure/application_form.html", {"form": form, "rules": rules}, status=status)


def _detail_context(request, application, bound: dict | None = None) -> dict:
    staff = services.is_disclosure_staff(request.user, application.agency)
    actions = []
    if staff:
        for name, spec in APPLICATION_ACTIONS.items():
            if can_proceed(getattr(application, FSM_METHODS[name])):
                form = (bound or {}).get(name) or spec.form(prefix=name)
                actions.append({"name": name, "label": spec.label, "form": form, "confirm": spec.confirm})
    return {
        "application": application,
        "actions": actions,
        "timeline": timeline_for(application),
        "rules": rules,
        "reason": rules.reason_label(application.response_type, application.response_reason),
        "fee_tiers": rules.fee_tiers_table(),
    }


@login_required
def application_detail(request, uuid):
    application = sel.application_get_for(user=request.user, uuid=uuid)
    return render(request, "disclosure/application_detail.html", _detail_context(request, application))


@require_POST
@login_required
def application_action(request, uuid, action):
    application = sel.application_get_for(user=request.user, uuid=uuid)
    if action not in APPLICATION_ACTIONS:
        raise Http404
    require(services.is_disclosure_staff(request.user, application.agency), "只有受理机关的经办人或负责人可以办理。")
    spec = APPLICATION_ACTIONS[action]
    form = spec.form(request.POST, prefix=action)
    if form.is_valid():
        try:
            APPLICATION_ACTIONS.run(action, obj=application, actor=request.user, data=form.cleaned_data)
        except Refused as refused:
            messages.error(request, refused.message)
            context = _detail_context(request, application, {action: form})
            return render(request, "disclosure/application_detail.html", context, status=409)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, gettext("已%(action)s。") % {"action": spec.label})
            return redirect("disclosure:application-detail", uuid=application.uuid)
    context = _detail_context(request, application, {action: form})
    return render(request, "disclosure/application_detail.html", context, status=400)


@login_required
def application_letter(request, uuid):
    application = sel.application_get_for(user=request.user, uuid=uuid)
    if application.status != ApplicationStatus.REPLIED:
        raise Http404
    return _pdf_response(request, application)


@login_required
def supervision(request):
    """Art. 19 / Art. 20 para. 2: what the authority follows up (inputs of Art. 45(1) findings)."""
    from portal.access import scope_for

    scope = scope_for(request.user)
    if not scope.is_staff_official and not request.user.is_superuser:
        raise PermissionDenied("只有信息化主管部门工作人员可以查看。")
    return render(
        request,
        "disclosure/supervision.html",
        {
            "without_guide": sel.agencies_without_guide()[:200],
            "stale_catalogs": sel.agencies_with_stale_catalog()[:200],
            "late": sel.applications_answered_late().order_by("reply_due_date", "id")[:200],
            "enterprises": sel.enterprises_needing_attention(),
            "catalog_days": rules.catalog_stale_days(),
            "enterprise_days": rules.enterprise_stale_days(),
        },
    )


@require_POST
@login_required
def enterprise_remind(request, uuid):
    enterprise = sel.enterprise_public_get(uuid=uuid)
    sent = services.enterprise_remind(
        actor=request.user, enterprise=enterprise, message=request.POST.get("message", "")
    )
    messages.success(request, f"已向{enterprise.name}的 {sent} 名经办人发送提醒。")
    return redirect("disclosure:supervision")


@login_required
def enterprise_edit(request, uuid):
    enterprise = sel.enterprise_public_get(uuid=uuid)
    require(
        services.is_enterprise_staff(request.user, enterprise)
        or services.is_supervising_official(request.user, enterprise),
        "只有本单位经办人可以更新公开事项。",
    )
    form = forms.EnterpriseItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.enterprise_item_update(actor=request.user, enterprise=enterprise, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "公开事项已更新。")
            return redirect("disclosure:enterprise", uuid=enterprise.uuid)
    return render(request, "disclosure/simple_form.html", {"form": form, "title": f"更新公开事项：{enterprise.name}"})


@login_required
def guide_edit(request, uuid):
    agency = sel.agency_public_get(uuid=uuid)
    require(services.is_disclosure_staff(request.user, agency), "只有本机关的经办人或负责人可以发布公开指南。")
    current = sel.guide_current_for(agency)
    form = forms.GuideForm(
        request.POST or None, instance=None, initial=current and forms.GuideForm(instance=current).initial
    )
    if request.method == "POST" and form.is_valid():
        services.guide_publish(actor=request.user, agency=agency, **form.cleaned_data)
        messages.success(request, "新版公开指南已发布。")
        return redirect("disclosure:agency", uuid=agency.uuid)
    return render(request, "disclosure/simple_form.html", {"form": form, "title": f"发布公开指南：{agency.name}"})


@login_required
def catalog_entry_create(request, uuid):
    agency = sel.agency_public_get(uuid=uuid)
    require(services.is_disclosure_staff(request.user, agency), "只有本机关的经办人或负责人可以登记公开目录。")
    form = forms.CatalogEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.catalog_entry_create(actor=request.user, agency=agency, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "目录条目已发布。")
            return redirect("disclosure:catalog-entry", uuid=agency.uuid, index_number=entry.index_number)
    return render(request, "disclosure/simple_form.html", {"form": form, "title": f"登记公开目录：{agency.name}"})


@login_required
def report_manage(request):
    reports_ = sel.reports_visible_to(request.user).order_by("-year", "agency__name", "id")
    agencies = sel.agencies_staffed_by(request.user)
    if request.method == "POST":
        op = request.POST.get("op")
        try:
            if op == "generate":
                agency = agencies.filter(uuid=request.POST.get("agency")).first()
                if agency is None:
                    raise PermissionDenied("只能为本机关编制年度报告。")
                services.annual_report_generate(actor=request.user, agency=agency, year=int(request.POST["year"]))
            else:
                report = reports_.filter(uuid=request.POST.get("report")).first()
                if report is None:
                    raise Http404
                if op == "review":
                    services.annual_report_review(report=report, actor=request.user)
                elif op == "publish":
                    services.annual_report_publish(report=report, actor=request.user)
        except (Refused, ValueError, KeyError) as error:
            messages.error(request, getattr(error, "message", "请求有误。"))
        else:
            messages.success(request, "已办理。")
        return redirect("disclosure:report-manage")
    return render(
        request,
        "disclosure/report_manage.html",
        {"reports": _page(request, reports_), "agencies": agencies, "statuses": AnnualReport},
    )


def staff_home(request):
    return redirect(reverse("disclosure:application-list"))
