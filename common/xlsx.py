"""One way to answer an XLSX download, the spreadsheet twin of csv.csv_response.

A text cell is always stored as text: openpyxl would otherwise take a string starting
with "=" for a formula and write it as one (spreadsheet formula injection). Text that a
spreadsheet would read as a formula if someone edited the cell is also marked "quote
prefix", Excel's own flag for "this is text", so it stays text when edited. Times are
written in Brussels time (a spreadsheet cell has no time zone) and characters XML
refuses are dropped instead of failing the whole download.
"""

import datetime
import io
from collections.abc import Iterable

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from .csv import FORMULA_START

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(sheet, value: object, *, bold: bool = False) -> WriteOnlyCell:
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.make_naive(value, timezone.get_default_timezone())
    elif not isinstance(value, (str, int, float, bool, datetime.date, type(None))):
        value = str(value)
    if isinstance(value, bool):
        value = int(value)
    text = isinstance(value, str)
    if text:
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(sheet, value=value)
    if text:
        cell.data_type = "s"  # never "f", whatever the text starts with
        if value.startswith(FORMULA_START):
            cell.quotePrefix = True
    if isinstance(value, datetime.datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, datetime.date):
        cell.number_format = "yyyy-mm-dd"
    if bold:
        cell.font = Font(bold=True)
    return cell


def xlsx_bytes(
    *, header: Iterable[object], rows: Iterable[Iterable[object]], title: str = "Export"
) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=ILLEGAL_CHARACTERS_RE.sub("", title)[:31] or "Export")
    sheet.append([_cell(sheet, str(h), bold=True) for h in header])
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(
    *,
    filename: str,
    header: Iterable[object],
    rows: Iterable[Iterable[object]],
    title: str = "Export",
) -> HttpResponse:
    """An attachment with one sheet: the header in bold, then the rows."""
    response = HttpResponse(
        xlsx_bytes(header=header, rows=rows, title=title), content_type=CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
