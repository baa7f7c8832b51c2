import io

import pytest
from django.utils import translation
from openpyxl import Workbook

from incubators import importing
from incubators.models import Company, Membership
from tests.factories import IncubatorFactory, UserFactory, enterprise_number

pytestmark = pytest.mark.django_db


@pytest.fixture
def incubator():
    return IncubatorFactory(slug="icab", name="ICAB")


@pytest.fixture
def coordinator():
    return UserFactory()


def _csv(text: str) -> bytes:
    return text.strip().encode("utf-8")


def test_it_imports_a_valid_semicolon_csv_in_one_go(incubator, coordinator):
    content = _csv(
        f"""
Société;Numéro d'entreprise;Pays;Secteur;Stade;Incubateur;Membre depuis
Pixelforge;{enterprise_number(1)};BE;ict;early;icab;01/02/2026
Lumo Health;;Nigeria;health;growth;ICAB;2026-03-01
"""
    )
    rows = importing.read_rows(filename="members.csv", content=content)
    report = importing.members_import(rows=rows, imported_by=coordinator)
    assert report.ok, report.errors
    assert (report.companies_created, report.memberships_created) == (2, 2)
    assert Company.objects.get(name="Lumo Health").country == "NG"
    assert set(Membership.objects.values_list("status", flat=True)) == {"confirmed"}


def test_it_imports_nothing_when_one_row_is_wrong_and_says_which(incubator, coordinator):
    content = _csv(
        f"""
company,enterprise_number,country,sector,stage,incubator,member_since
Good One,{enterprise_number(2)},BE,ict,early,icab,2026-01-01
Bad Number,0417.497.107,BE,ict,early,icab,2026-01-01
Unknown Place,{enterprise_number(3)},BE,ict,early,nowhere,2026-01-01
"""
    )
    rows = importing.read_rows(filename="members.csv", content=content)
    with translation.override("en"):
        report = importing.members_import(rows=rows, imported_by=coordinator)
    assert not report.ok
    assert [row for row, _message in report.errors] == [3, 4]
    assert "check digits" in report.errors[0][1]
    assert "nowhere" in report.errors[1][1]
    assert Company.objects.count() == 0
    assert Membership.objects.count() == 0


def test_importing_the_same_file_twice_changes_nothing_the_second_time(incubator, coordinator):
    content = _csv(
        f"""
company,enterprise_number,sector,stage,incubator,member_since
Pixelforge,{enterprise_number(4)},ict,early,icab,2026-01-01
"""
    )
    rows = importing.read_rows(filename="members.csv", content=content)
    importing.members_import(rows=rows, imported_by=coordinator)
    report = importing.members_import(rows=rows, imported_by=coordinator)
    assert report.ok
    assert (report.companies_created, report.memberships_created, report.unchanged) == (0, 0, 1)
    assert Membership.objects.count() == 1


def test_a_dry_run_checks_and_writes_nothing(incubator, coordinator):
    content = _csv(
        f"""
company,enterprise_number,sector,stage,incubator,member_since
Pixelforge,{enterprise_number(5)},ict,early,icab,2026-01-01
"""
    )
    rows = importing.read_rows(filename="members.csv", content=content)
    report = importing.members_import(rows=rows, imported_by=coordinator, dry_run=True)
    assert report.ok
    assert Company.objects.count() == 0


def test_it_reads_an_excel_workbook(incubator, coordinator):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Bedrijf", "Ondernemingsnummer", "Sector", "Fase", "Incubator", "Lid sinds"])
    sheet.append(
        ["Groene Kring", enterprise_number(6), "Circular economy", "idea", "icab", "2026-02-01"]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    rows = importing.read_rows(filename="leden.xlsx", content=buffer.getvalue())
    report = importing.members_import(rows=rows, imported_by=coordinator)
    assert report.ok, report.errors
    assert Company.objects.get().sector == "circular"


def test_it_says_which_required_columns_are_missing():
    with pytest.raises(importing.ImportFileError) as excinfo:
        importing.read_rows(filename="members.csv", content=b"company,sector\nA,ict\n")
    assert "incubator" in str(excinfo.value)


def test_it_refuses_a_file_that_is_not_a_spreadsheet():
    with pytest.raises(importing.ImportFileError):
        importing.read_rows(filename="members.pdf", content=b"%PDF-1.4")
    with pytest.raises(importing.ImportFileError):
        importing.read_rows(filename="members.xlsx", content=b"not a zip")


def test_the_admin_import_page_reports_row_errors(client, incubator):
    from accounts.models import Role
    from accounts.services import user_set_role

    coordinator = UserFactory()
    user_set_role(user=coordinator, role=Role.COORDINATOR)
    client.force_login(coordinator)
    upload = io.BytesIO(
        b"company,enterprise_number,sector,stage,incubator,member_since\n"
        b"Bad,0417497107,ict,early,icab,2026-01-01\n"
    )
    upload.name = "members.csv"
    response = client.post(
        "/en/admin/incubators/membership/import/", {"file": upload, "dry_run": ""}
    )
    assert response.status_code == 200
    assert b"nothing was imported" in response.content
    assert Company.objects.count() == 0
