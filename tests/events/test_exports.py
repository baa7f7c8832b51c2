"""The organiser's download of an event's registrations, CSV and XLSX, safe to open in a
spreadsheet whatever people typed."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import PersonalDataEvent
from events.models import EventQuestion, Registration
from tests.factories import UserFactory

HOSTILE = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture
def organiser(db):
    return UserFactory()


@pytest.fixture
def event(make_event, organiser):
    event = make_event(slug="demo-evening")
    event.organisers.add(organiser)
    return event


@pytest.fixture
def registrations(event):
    question = EventQuestion.objects.create(event=event, label="Your company", order=1)
    Registration.objects.create(
        event=event,
        user=UserFactory(first_name="@SUM(1+1)", last_name="Peeters", email="ana@example.org"),
        status=Registration.Status.CONFIRMED,
        answers={str(question.pk): HOSTILE},
    )
    Registration.objects.create(
        event=event,
        guest_name="+Bram",
        guest_email="bram@example.org",
        status=Registration.Status.WAITLISTED,
        waitlist_position=1,
    )
    return question


def url(event, fmt):
    return reverse("events:organiser_export", kwargs={"slug": event.slug, "fmt": fmt})


def test_the_csv_lists_every_registration_with_formulas_neutralised(
    client, event, organiser, registrations
):
    client.force_login(organiser)
    response = client.get(url(event, "csv"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="registrations-demo')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][-1] == "Your company"
    by_email = {row[1]: row for row in rows[1:]}
    assert by_email["ana@example.org"][0] == "'@SUM(1+1) Peeters"
    assert by_email["ana@example.org"][-1] == "'" + HOSTILE
    assert by_email["bram@example.org"][0] == "'+Bram"
    assert by_email["bram@example.org"][4] == "1"  # the waiting-list position
    assert PersonalDataEvent.objects.filter(kind="export", actor=organiser).exists()


def test_the_xlsx_stores_what_people_typed_as_text(client, event, organiser, registrations):
    client.force_login(organiser)
    response = client.get(url(event, "xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows())
    assert [c.value for c in rows[0]][-1] == "Your company"
    cells = {row[1].value: row for row in rows[1:]}
    ana = cells["ana@example.org"]
    assert ana[-1].value == HOSTILE and ana[-1].data_type == "s" and ana[-1].quotePrefix
    assert ana[0].value == "@SUM(1+1) Peeters" and ana[0].data_type == "s"
    assert cells["bram@example.org"][4].value == 1


def test_a_stranger_cannot_export(client, event, registrations):
    client.force_login(UserFactory())
    assert client.get(url(event, "csv")).status_code == 404
    assert client.get(url(event, "xlsx")).status_code == 404


def test_an_unknown_format_is_a_404(client, event, organiser):
    client.force_login(organiser)
    assert client.get(url(event, "pdf")).status_code == 404
