"""Reading the spreadsheets people send (CSV with any usual delimiter and encoding, or
XLSX) into rows keyed by column, with headings recognised in English, French or Dutch.
Shared by every bulk import."""

import csv
import io

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _


class ImportFileError(Exception):
    """The file itself cannot be read; the message is for the coordinator."""


def _column_for(heading: str, columns: dict[str, set[str]]) -> str | None:
    heading = heading.strip().lower()
    for column, aliases in columns.items():
        if heading in aliases:
            return column
    return None


def read_rows(
    *, filename: str, content: bytes, columns: dict[str, set[str]], required: tuple[str, ...]
) -> list[dict[str, object]]:
    """The rows of a .csv or .xlsx file as {column: value}, by the headings of row 1;
    blank rows are skipped. `columns` maps each column to its accepted headings."""
    if filename.lower().endswith(".xlsx"):
        table = _read_xlsx(content)
    elif filename.lower().endswith((".csv", ".txt")):
        table = _read_csv(content)
    else:
        raise ImportFileError(_("Upload a .csv or .xlsx file."))
    if not table:
        raise ImportFileError(_("The file is empty."))
    headings = [_column_for(str(h or ""), columns) for h in table[0]]
    missing = [c for c in required if c not in headings]
    if missing:
        raise ImportFileError(
            _("These columns are missing: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    rows = []
    for values in table[1:]:
        if not any(str(v or "").strip() for v in values):
            continue
        rows.append({c: v for c, v in zip(headings, values, strict=False) if c})
    if not rows:
        raise ImportFileError(_("The file has headings but no rows."))
    return rows


def _read_csv(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                _("This file is not text: save it as CSV (UTF-8) or as an Excel workbook.")
            ) from exc
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return [row for row in csv.reader(io.StringIO(text), dialect)]
    except csv.Error as exc:  # a cell over the csv module's limit, a stray NUL...
        raise ImportFileError(
            _("This file cannot be read as CSV (a cell may be far too long).")
        ) from exc


def _read_xlsx(content: bytes) -> list[list[object]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise ImportFileError(_("This file is not a readable Excel workbook.")) from exc
    sheet = workbook.worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def choice_code(value: object, choices) -> str | None:
    """The code of a choice given as its code or its label in any of the site's languages."""
    value = str(value or "").strip().lower()
    for code, label in choices:
        if value == code.lower():
            return code
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                if value == str(label).lower():
                    return code
    return None


def form_errors(form: forms.Form) -> str:
    """A form's errors on one line, field by field, for a per-row report."""
    parts = []
    for name, errors in form.errors.items():
        label = name if name != "__all__" else ""
        parts.append(f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return "; ".join(parts)
