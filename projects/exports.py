"""CSV and XLSX exports of the review queue (streamed rows, one query)."""

import csv
from io import BytesIO, StringIO

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

HEADERS = [
    "项目名称",
    "建设单位",
    "建设性质",
    "所在区",
    "政府投资（万元）",
    "其他资金（万元）",
    "状态",
    "审查期限",
    "审查意见文号",
    "提交时间",
]


def _rows(filings):
    for f in filings:
        yield [
            f.title,
            f.agency.name,
            f.get_kind_display(),
            f.get_district_display() or "市级",
            float(f.government_investment),
            float(f.other_funding),
            f.get_status_display(),
            f.review_due_date.isoformat() if f.review_due_date else "",
            f.opinion_number,
            timezone.localtime(f.submitted_at).strftime("%Y-%m-%d %H:%M") if f.submitted_at else "",
        ]


def _safe(value):
    # Spreadsheet formula injection: text starting with = + - @ is shown as text.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def filings_csv(filings) -> HttpResponse:
    buffer = StringIO()
    buffer.write("\ufeff")  # Excel opens UTF-8 CSV correctly only with a BOM.
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    for row in _rows(filings):
        writer.writerow([_safe(v) for v in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="project-filings-{timezone.localdate():%Y%m%d}.csv"'
    return response


def filings_xlsx(filings) -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "项目备案"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in _rows(filings):
        sheet.append([_safe(v) for v in row])
    for column, width in zip("ABCDEFGHIJ", (40, 28, 10, 10, 14, 14, 14, 12, 22, 18), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="project-filings-{timezone.localdate():%Y%m%d}.xlsx"'
    return response
