import io

import pytest
from django.utils import translation
from openpyxl import Workbook

from accounts.models import Role
from accounts.services import user_set_role
from needs import importing
from needs.models import Need, RoutedNeed
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

IMPORT = "/en/admin/needs/need/import/"


@pytest.fixture
def coordinator():
    return user_set_role(user=UserFactory(), role=Role.COORDINATOR)


@pytest.fixture
def people(routing_rules):
    return {
        name: UserFactory(email=f"{name}@example.org", first_name=name.title())
        for name in ("amara", "bram", "chloe")
    }


def _csv(text: str) -> bytes:
    return text.strip().encode("utf-8")


def _import(content: bytes, coordinator, filename="needs.csv", **options):
    rows = importing.read_rows(filename=filename, content=content)
    with translation.override("en"):
        return importing.needs_import(rows=rows, imported_by=coordinator, **options)


def test_it_imports_a_french_csv_and_routes_each_shared_need(people, coordinator):
    content = _csv(
        """
Courriel;Catégorie;Besoin;Urgence;Consentement
Amara@example.org;export;Vendre en Allemagne;haute;oui
bram@example.org;Financiering;Een lening voor onze machines;Within a few weeks;ja
chloe@example.org;Commercial premises and retail;A shop in Ixelles;;non
"""
    )
    report = _import(content, coordinator)
    assert report.ok, report.errors
    assert (report.rows, report.created, report.routed, report.unchanged) == (3, 3, 2, 0)
    amara = Need.objects.get(user=people["amara"])
    assert (amara.category.slug, amara.urgency, amara.consent) == ("export", "high", True)
    assert (amara.source, amara.created_by) == ("import", coordinator)
    assert [r.agency.slug for r in amara.routings.all()] == ["bie"]
    bram = Need.objects.get(user=people["bram"])
    assert (bram.category.slug, bram.urgency) == ("financing", "normal")
    assert bram.routings.exists()
    chloe = Need.objects.get(user=people["chloe"])
    assert (chloe.urgency, chloe.consent) == ("normal", False)
    assert not chloe.routings.exists()


def test_it_imports_nothing_when_one_row_is_wrong_and_says_which(people, coordinator):
    content = _csv(
        """
email,category,description,urgency,consent
amara@example.org,export,Selling in Germany,low,yes
nobody@example.org,export,Who is this?,low,yes
bram@example.org,astrology,Reading the stars,low,yes
chloe@example.org,export,Selling in Spain,whenever,maybe
"""
    )
    report = _import(content, coordinator)
    assert not report.ok
    assert [row for row, _message in report.errors] == [3, 4, 5]
    assert "nobody@example.org" in report.errors[0][1]
    assert "astrology" in report.errors[1][1]
    assert "urgency" in report.errors[2][1] and "consent" in report.errors[2][1]
    assert not Need.objects.exists()
    assert not RoutedNeed.objects.exists()


def test_a_dry_run_checks_and_writes_nothing(people, coordinator):
    content = _csv(
        """
email,category,description,consent
amara@example.org,export,Selling in Germany,1
"""
    )
    report = _import(content, coordinator, dry_run=True)
    assert report.ok
    assert (report.rows, report.created) == (1, 0)
    assert not Need.objects.exists()


def test_importing_the_same_file_twice_records_nothing_the_second_time(people, coordinator):
    content = _csv(
        """
email,category,description,consent
amara@example.org,export,Selling in Germany,yes
"""
    )
    _import(content, coordinator)
    report = _import(content, coordinator)
    assert report.ok
    assert (report.created, report.unchanged) == (0, 1)
    assert Need.objects.count() == 1


def test_a_row_twice_in_the_file_is_an_error(people, coordinator):
    content = _csv(
        """
email,category,description,consent
amara@example.org,export,Selling in Germany,yes
AMARA@example.org,Export and internationalisation,Selling in Germany,yes
"""
    )
    report = _import(content, coordinator)
    assert [row for row, _message in report.errors] == [3]
    assert not Need.objects.exists()


def test_it_reads_an_excel_workbook_with_dutch_headings(people, coordinator):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["E-mailadres", "Categorie", "Behoefte", "Urgentie", "Toestemming"])
    sheet.append(
        ["bram@example.org", "Export en internationalisering", "Naar Duitsland", "hoog", 1]
    )
    sheet.append(["chloe@example.org", "hiring", "First hire", "Urgent", False])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = _import(buffer.getvalue(), coordinator, filename="behoeften.xlsx")
    assert report.ok, report.errors
    bram = Need.objects.get(user=people["bram"])
    assert (bram.category.slug, bram.urgency, bram.consent) == ("export", "high", True)
    assert Need.objects.get(user=people["chloe"]).consent is False


def test_a_deactivated_account_is_refused(people, coordinator):
    people["amara"].is_active = False
    people["amara"].save()
    report = _import(
        _csv("email,category,description,consent\namara@example.org,export,x,yes"), coordinator
    )
    assert "deactivated" in report.errors[0][1]


def test_it_says_which_required_columns_are_missing():
    with pytest.raises(importing.ImportFileError) as excinfo:
        importing.read_rows(filename="needs.csv", content=b"email,description\na@b.org,x\n")
    assert "category" in str(excinfo.value) and "consent" in str(excinfo.value)


def test_it_refuses_a_file_that_is_not_a_spreadsheet():
    with pytest.raises(importing.ImportFileError):
        importing.read_rows(filename="needs.pdf", content=b"%PDF-1.4")
    with pytest.raises(importing.ImportFileError):
        importing.read_rows(filename="needs.xlsx", content=b"not a zip")


# --- The admin page --------------------------------------------------------------------


def _upload(text: str) -> io.BytesIO:
    upload = io.BytesIO(_csv(text))
    upload.name = "needs.csv"
    return upload


def test_the_admin_page_imports_a_valid_file(client, people, coordinator):
    client.force_login(coordinator)
    assert client.get(IMPORT).status_code == 200
    response = client.post(
        IMPORT,
        {
            "file": _upload(
                "email,category,description,consent\namara@example.org,export,Germany,yes"
            ),
            "dry_run": "",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/en/admin/needs/need/"
    assert "1 new needs, 1 routed at once" in response.content.decode()
    need = Need.objects.get()
    assert (need.source, need.created_by) == ("import", coordinator)


def test_the_admin_page_checks_only_when_asked(client, people, coordinator):
    client.force_login(coordinator)
    response = client.post(
        IMPORT,
        {
            "file": _upload(
                "email,category,description,consent\namara@example.org,export,Germany,yes"
            ),
            "dry_run": "on",
        },
    )
    assert response.status_code == 200
    assert "The file is valid: 1 row can be imported." in response.content.decode()
    assert not Need.objects.exists()


def test_the_admin_page_reports_row_errors(client, people, coordinator):
    client.force_login(coordinator)
    response = client.post(
        IMPORT,
        {
            "file": _upload(
                "email,category,description,consent\n"
                "amara@example.org,export,Germany,yes\n"
                "amara@example.org,export,Spain,perhaps\n"
            ),
            "dry_run": "",
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "1 row has an error — nothing was imported" in content
    assert response.context["report"].errors[0][0] == 3
    assert not Need.objects.exists()


def test_the_admin_page_says_when_the_file_cannot_be_read(client, coordinator):
    client.force_login(coordinator)
    upload = io.BytesIO(b"%PDF-1.4")
    upload.name = "needs.pdf"
    response = client.post(IMPORT, {"file": upload})
    assert response.status_code == 200
    assert "Upload a .csv or .xlsx file." in response.content.decode()
