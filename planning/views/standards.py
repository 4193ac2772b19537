"""Staff page of the standards register (Art. 7): the searchable list, registering and withdrawing standards."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from planning import services
from planning.forms import StandardForm, StandardWithdrawForm
from planning.models import Standard
from planning.permissions import may_manage_standards
from planning.rules import normalize_standard_code
from planning.selectors import standard_get
from planning.views.plans import _add_errors
from planning.views.public import PAGE_SIZE, _standards_filtered
from portal.access import require
from portal.workflow import Refused


@login_required
def standard_manage(request):
    require(may_manage_standards(request.user), "只有市信息化主管部门或市场监督管理部门可以维护标准目录（第七条）。")
    search, standards = _standards_filtered(request)
    form = StandardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            standard = services.standard_create(actor=request.user, **form.cleaned_data)
        except ValidationError as invalid:
            _add_errors(form, invalid)
        else:
            messages.success(request, f"已登记 {standard.code}。")
            return redirect("planning:standard-manage")
    page = Paginator(standards, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "planning/standard_manage.html",
        {"page": page, "search": search, "form": form, "withdraw_form": StandardWithdrawForm()},
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
def standard_withdraw(request, uuid):
    require(may_manage_standards(request.user), "您无权废止信息化标准。")
    standard = standard_get(uuid=uuid)
    form = StandardWithdrawForm(request.POST)
    if form.is_valid():
        code = form.cleaned_data["replaced_by"]
        replaced_by = Standard.objects.filter(code=normalize_standard_code(code)).first() if code else None
        if code and replaced_by is None:
            form.add_error("replaced_by", f"标准目录中没有 {code}，请先登记代替标准。")
        else:
            try:
                services.standard_withdraw(
                    standard=standard,
                    actor=request.user,
                    withdrawn_on=form.cleaned_data["withdrawn_on"],
                    replaced_by=replaced_by,
                )
            except Refused as refused:
                messages.error(request, refused.message)
                return redirect("planning:standard-manage")
            except ValidationError as invalid:
                _add_errors(form, invalid)
            else:
                messages.success(request, f"已废止 {standard.code}。")
                return redirect("planning:standard-manage")
    messages.error(request, "；".join(f"{e}" for errors in form.errors.values() for e in errors))
    return redirect("planning:standard-manage")
