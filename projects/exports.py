"""CSV and XLSX exports of the review queue: one query read through a server-side cursor, constant memory.

The CSV is streamed as it is written (the first bytes leave before the last row is read); the XLSX is
written row by row by openpyxl's write-only workbook into a temporary file (spilled to disk past 8 MB)
and served from it. 100,000 rows stay under 150 MB of peak memory (``make bench``, pages section).
"""

import csv
import tempfile

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone

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


CHUNK = 2_000


def _rows(filings):
    for f in filings.iterator(chunk_size=CHUNK) if hasattr(filings, "iterator") else filings:
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


class _Line:
    """A file-like object whose ``write`` returns what was written (csv.writer into a generator)."""

    def write(self, value: str) -> str:
        return value


def _csv_stream(filings):
    writer = csv.writer(_Line())
    yield ("\ufeff" + writer.writerow(HEADERS)).encode("utf-8")  # Excel reads UTF-8 CSV only with a BOM.
    batch = []
    for row in _rows(filings):
        batch.append(writer.writerow([_safe(v) for v in row]))
        if len(batch) == 500:
            yield "".join(batch).encode("utf-8")
            batch = []
    if batch:
        yield "".join(batch).encode("utf-8")


def filings_csv(filings) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_csv_stream(filings), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="project-filings-{timezone.localdate():%Y%m%d}.csv"'
    return response


def filings_xlsx(filings) -> FileResponse:
    # openpyxl (18 MB) is imported by the export that needs it, not by every worker at start.
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("项目备案")
    for column, width in zip("ABCDEFGHIJ", (40, 28, 10, 10, 14, 14, 14, 12, 22, 18), strict=True):
        sheet.column_dimensions[column].width = width
    bold = Font(bold=True)
    header = []
    for title in HEADERS:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in _rows(filings):
        sheet.append([_safe(v) for v in row])
    buffer = tempfile.SpooledTemporaryFile(max_size=8 * 2**20)  # noqa: SIM115 (FileResponse closes it)
    workbook.save(buffer)
    buffer.seek(0)
    return FileResponse(
        buffer,
        as_attachment=True,
        filename=f"project-filings-{timezone.localdate():%Y%m%d}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
