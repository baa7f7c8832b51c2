"""One way to answer a CSV download, used by every export."""

import csv
from collections.abc import Iterable

from django.http import HttpResponse

# A spreadsheet reads a cell starting with one of these as a formula (CSV injection):
# such a cell gets a leading apostrophe, which Excel and LibreOffice show as text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return f"'{value}"
    return value


def csv_response(
    *, filename: str, header: Iterable[object], rows: Iterable[Iterable[object]]
) -> HttpResponse:
    """An attachment in UTF-8 with the BOM Excel needs to read accents, every text cell
    neutralised against formulas."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([csv_cell(str(h)) for h in header])
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    return response
