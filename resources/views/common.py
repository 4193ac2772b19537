"""Helpers shared by the catalog pages: timelines in words, exports, the agency a clerk acts for."""

import csv
from io import BytesIO, StringIO
from types import SimpleNamespace

from django.http import HttpResponse
from django.utils import timezone

from portal.models import DeadlineState, Organization, OrganizationKind
from portal.selectors import timeline_for
from resources.selectors import own_organization_ids

EXPORT_LIMIT = 10_000
EXPORT_HEADERS = [
    "资源代码",
    "资源名称",
    "资源提供方",
    "资源分类",
    "共享类型",
    "开放属性",
    "更新周期",
    "基础数据库",
    "发布日期",
    "状态",
]


def timeline_display(obj, labels: dict) -> list:
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


def action_auto_id(action: str) -> str:
    """Element ids of one action's form (id_escalate-reason): a detail page shows several action forms with
    the same fields, and with Django's plain ids (id_reason) every label but the first pointed at another
    form's field. The field names (what is posted) stay the same."""
    return f"id_{action}-%s"


def agencies_acting_for(user) -> list[Organization]:
    ids = own_organization_ids(user)
    if not ids:
        return []
    return list(Organization.objects.filter(pk__in=ids, kind=OrganizationKind.AGENCY).order_by("id"))


def _rows(resources):
    for r in resources:
        yield [
            r.code,
            r.name,
            r.provider.name,
            f"{r.classification.code} {r.classification.name}",
            r.get_share_type_display(),
            r.get_open_attribute_display(),
            r.get_update_cycle_display(),
            r.base_database.name if r.base_database_id else "",
            r.published_on.isoformat() if r.published_on else "",
            r.get_status_display(),
        ]


def _safe(value):
    # Spreadsheet formula injection: text starting with = + - @ is shown as text.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def resources_csv(resources) -> HttpResponse:
    buffer = StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_HEADERS)
    for row in _rows(resources):
        writer.writerow([_safe(v) for v in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="catalog-{timezone.localdate():%Y%m%d}.csv"'
    return response


def resources_xlsx(resources) -> HttpResponse:
    from openpyxl import Workbook  # 18 MB, loaded by the exports only
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "政务信息资源目录"
    sheet.append(EXPORT_HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in _rows(resources):
        sheet.append([_safe(v) for v in row])
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="catalog-{timezone.localdate():%Y%m%d}.xlsx"'
    return response
