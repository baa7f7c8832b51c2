import datetime
import io
import zipfile

from django.utils import timezone
from openpyxl import load_workbook

from common.xlsx import CONTENT_TYPE, xlsx_response

HOSTILE = ['=HYPERLINK("http://evil","x")', "+1+1", "-2", "@SUM(A1)", "\tTab", "plain"]


def _sheet(response):
    return load_workbook(io.BytesIO(response.content)).active


def test_it_answers_an_attachment_with_the_header_then_the_rows():
    response = xlsx_response(filename="r.xlsx", header=["name", "n"], rows=[["Ana", 3]])
    assert response["Content-Type"] == CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="r.xlsx"'
    rows = list(_sheet(response).values)
    assert rows == [("name", "n"), ("Ana", 3)]


def test_it_stores_text_that_looks_like_a_formula_as_text():
    response = xlsx_response(filename="r.xlsx", header=HOSTILE, rows=[HOSTILE])
    sheet = _sheet(response)
    for row in sheet.iter_rows():
        for cell, text in zip(row, HOSTILE, strict=True):
            assert cell.data_type == "s"
            assert cell.value == text
    for row in sheet.iter_rows(min_row=2):
        assert [c.quotePrefix for c in row] == [True, True, True, True, True, False]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml


def test_it_writes_times_in_brussels_time_and_survives_control_characters():
    moment = datetime.datetime(2026, 7, 1, 8, 30, tzinfo=datetime.UTC)
    response = xlsx_response(
        filename="r.xlsx", header=["at", "text"], rows=[[moment, "a\x00b\x07c"]]
    )
    row = list(_sheet(response).values)[1]
    assert row[0] == datetime.datetime(2026, 7, 1, 10, 30)
    assert row[1] == "abc"
    assert timezone.is_aware(moment)
