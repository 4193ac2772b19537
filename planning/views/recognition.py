"""Staff page of commendations (Art. 8) and showcased results (Art. 31): record, then publish."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from planning import services
from planning.forms import AchievementForm, CommendationForm
from planning.models import Achievement, Commendation
from planning.permissions import may_manage_recognition
from planning.selectors import achievements_for_staff, commendations_for_staff
from planning.views.plans import _add_errors
from portal.access import require
from portal.models import Organization
from portal.paginators import PAGE_SIZE
from portal.workflow import Refused

ACHIEVEMENTS_SHOWN = 50
DENIED = "只有信息化主管部门可以登记表彰和成果展示。"


@login_required
def recognition_manage(request):
    require(may_manage_recognition(request.user), DENIED)
    organizations = Organization.objects.filter(is_active=True).order_by("name")
    which = request.POST.get("which") if request.method == "POST" else None
    commendation_form = CommendationForm(
        request.POST if which == "commendation" else None, organizations=organizations, prefix="c"
    )
    achievement_form = AchievementForm(
        request.POST if which == "achievement" else None, organizations=organizations, prefix="a"
    )
    form, service = {
        "commendation": (commendation_form, services.commendation_create),
        "achievement": (achievement_form, services.achievement_create),
    }.get(which, (None, None))
    if form is not None and form.is_valid():
        try:
            service(actor=request.user, **form.cleaned_data)
        except ValidationError as invalid:
            _add_errors(form, invalid)
        else:
            messages.success(request, "已登记，核对后请公布。")
            return redirect("planning:recognition-manage")
    return render(
        request,
        "planning/recognition_manage.html",
        {
            "commendations": Paginator(commendations_for_staff(), PAGE_SIZE).get_page(request.GET.get("page")),
            # The latest ones; the public page lists them all, paginated.
            "achievements": achievements_for_staff()[:ACHIEVEMENTS_SHOWN],
            "commendation_form": commendation_form,
            "achievement_form": achievement_form,
        },
        status=400 if form is not None and form.errors else 200,
    )


@require_POST
@login_required
def recognition_publish(request, kind, uuid):
    require(may_manage_recognition(request.user), DENIED)
    model = {"commendation": Commendation, "achievement": Achievement}.get(kind)
    if model is None:
        raise Http404
    obj = get_object_or_404(model, uuid=uuid)
    try:
        services.recognition_publish(obj=obj, actor=request.user)
    except Refused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, f"已公布：{obj.title}")
    return redirect("planning:recognition-manage")
