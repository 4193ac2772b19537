"""The security audit log for the auditor role (group ``security_auditor``): filter, page, export CSV."""

import csv
from datetime import datetime, time, timedelta

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.forms.common import BootstrapMixin
from portal.models import SecurityEvent, SecurityEventKind

EXPORT_HEADER = ["时间", "事件", "用户名", "来源地址", "方法", "路径", "响应状态", "详情"]


class SecurityEventFilterForm(BootstrapMixin, forms.Form):
    small = True
    kind = forms.ChoiceField(label=_("事件"), required=False, choices=[("", _("全部")), *SecurityEventKind.choices])
    username = forms.CharField(label=_("用户名"), required=False, max_length=150)
    at_from = forms.DateField(label=_("日期自"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    at_to = forms.DateField(label=_("日期至"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def apply(self, events):
        data = self.cleaned_data
        if data.get("kind"):
            events = events.filter(kind=data["kind"])  # securityevent_kind_idx
        if data.get("username"):
            events = events.filter(username=data["username"])  # securityevent_username_idx
        # Ranges on `at` itself (securityevent_at_idx), from local midnight to local midnight.
        if data.get("at_from"):
            events = events.filter(at__gte=_midnight(data["at_from"]))
        if data.get("at_to"):
            events = events.filter(at__lt=_midnight(data["at_to"] + timedelta(days=1)))
        return events


def _midnight(day):
    return timezone.make_aware(datetime.combine(day, time.min))


class _Echo:
    def write(self, value):
        return value


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")


@login_required
def security_event_list(request):
    if not request.user.has_perm("portal.view_securityevent"):
        raise PermissionDenied
    form = SecurityEventFilterForm(request.GET or None)
    events = SecurityEvent.objects.order_by("-at", "-id")
    if form.is_bound:
        events = form.apply(events) if form.is_valid() else events.none()
    if request.GET.get("export") == "csv":
        if not request.user.has_perm("portal.export_securityevent"):
            raise PermissionDenied
        writer = csv.writer(_Echo())

        def rows():
            yield "\ufeff"
            yield writer.writerow(EXPORT_HEADER)
            for e in events.iterator(chunk_size=2000):
                yield writer.writerow(
                    [
                        _local(e.at),
                        e.get_kind_display(),
                        e.username,
                        e.ip_address or "",
                        e.method,
                        e.path,
                        e.status or "",
                        e.detail,
                    ]
                )

        response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="security-audit-{timezone.localdate():%Y%m%d}.csv"'
        return response
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    return render(request, "portal/security_audit.html", {"form": form, "page": page, "query": query.urlencode()})


urlpatterns = [path("", security_event_list, name="security-audit")]
