import csv
import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from accounts.models import Role
from accounts.services import user_set_role
from incubators.models import Company, NeedCategory
from incubators.selectors import incubator_list_public
from needs import overview
from tests.factories import (
    AgencyFactory,
    CompanyFactory,
    IncubatorFactory,
    MembershipFactory,
    NeedFactory,
    RoutedNeedFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

OVERVIEW = "/en/coordination/overview/"


@pytest.fixture
def coordinator(client):
    user = user_set_role(user=UserFactory(), role=Role.COORDINATOR)
    client.force_login(user)
    return user


def _member(incubator, *, sector="ict", stage="early", status="confirmed", **dates):
    return MembershipFactory(
        company=CompanyFactory(sector=sector, stage=stage),
        incubator=incubator,
        status=status,
        **dates,
    )


def _at(need_or_routed, when):
    """Backdate a row's auto_now_add creation time."""
    type(need_or_routed).objects.filter(pk=need_or_routed.pk).update(created_at=when)
    need_or_routed.created_at = when
    return need_or_routed


def _routed(agency, *, status="new", created, ack_after=None, closed_after=None, **extra):
    routed = RoutedNeedFactory(
        agency=agency,
        status=status,
        ack_due_at=extra.pop("ack_due_at", created + datetime.timedelta(hours=48)),
        acknowledged_at=created + ack_after if ack_after else None,
        closed_at=created + closed_after if closed_after else None,
        **extra,
    )
    return _at(routed, created)


# --- Members per incubator -------------------------------------------------------------


def test_it_counts_confirmed_current_members_of_active_incubators_by_sector_and_stage():
    today = timezone.localdate()
    first = IncubatorFactory(name="A first")
    second = IncubatorFactory(name="B second")
    closed = IncubatorFactory(name="C closed", is_active=False)
    _member(first, sector="ict", stage="early")
    _member(first, sector="health", stage="growth")
    _member(first, status="pending")
    _member(first, start=today - datetime.timedelta(days=90), end=today - datetime.timedelta(1))
    _member(first, start=today + datetime.timedelta(days=1))
    _member(second, sector="food", stage="idea", end=today + datetime.timedelta(days=30))
    _member(closed)

    members = overview.members_by_incubator()

    rows = {row.incubator.name: row for row in members.rows}
    assert set(rows) == {"A first", "B second"}
    sectors = [code for code, _label in members.sectors]
    stages = [code for code, _label in members.stages]
    assert rows["A first"].total == 2
    assert rows["A first"].by_sector[sectors.index("ict")] == 1
    assert rows["A first"].by_sector[sectors.index("health")] == 1
    assert rows["A first"].by_stage[stages.index("early")] == 1
    assert rows["A first"].by_stage[stages.index("growth")] == 1
    assert (rows["B second"].total, sum(rows["B second"].by_sector)) == (1, 1)
    assert rows["B second"].by_stage[stages.index("idea")] == 1
    assert members.total == 3
    assert members.total_by_sector[sectors.index("ict")] == 1
    assert [members.sectors[i][0] for i in members.used_sector_indexes()] == [
        "ict",
        "health",
        "food",
    ]


def test_a_company_with_two_current_memberships_at_one_place_counts_once():
    place = IncubatorFactory()
    company = CompanyFactory()
    today = timezone.localdate()
    MembershipFactory(
        company=company,
        incubator=place,
        start=today - datetime.timedelta(days=60),
        end=today + datetime.timedelta(days=60),
        status="confirmed",
    )
    MembershipFactory(
        company=company, incubator=place, start=today - datetime.timedelta(10), status="confirmed"
    )
    assert overview.members_by_incubator().rows[0].total == 1
    [public] = incubator_list_public()
    assert public.member_count == 1


def test_the_public_member_count_agrees_with_the_coordinators_overview():
    place = IncubatorFactory()
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    MembershipFactory(incubator=place, status="confirmed")  # current
    MembershipFactory(incubator=place, status="confirmed", end=today)  # ends today: current
    MembershipFactory(incubator=place, status="confirmed", start=today - 90 * day, end=today - day)
    MembershipFactory(incubator=place, status="confirmed", start=today + day)  # not yet
    MembershipFactory(incubator=place, status="pending")
    MembershipFactory(incubator=place, status="rejected")

    [public] = incubator_list_public()
    [row] = overview.members_by_incubator().rows
    assert public.member_count == row.total == 2


# --- Needs by category × incubator -----------------------------------------------------


@pytest.fixture
def needs_data(reference_data):
    export = NeedCategory.objects.get(slug="export")
    financing = NeedCategory.objects.get(slug="financing")
    first = IncubatorFactory(name="A first")
    second = IncubatorFactory(name="B second")
    person = UserFactory()
    NeedFactory.create_batch(2, user=person, category=export, incubator=first)
    NeedFactory(user=person, category=export, incubator=None)
    NeedFactory(user=person, category=financing, incubator=second)
    _at(
        NeedFactory(user=person, category=financing, incubator=first),
        timezone.now() - datetime.timedelta(days=40),
    )
    return {"export": export, "financing": financing, "first": first, "second": second}


def test_it_counts_needs_by_category_and_incubator_with_totals(needs_data):
    matrix = overview.needs_matrix()

    assert [i.name for i in matrix.incubators] == ["A first", "B second"]
    rows = {row.category.slug: row for row in matrix.rows}
    assert (rows["export"].counts, rows["export"].total) == ([2, 0, 1], 3)
    assert (rows["financing"].counts, rows["financing"].total) == ([1, 1, 0], 2)
    assert rows["hiring"].counts == [0, 0, 0]
    assert set(rows) == set(NeedCategory.objects.values_list("slug", flat=True))
    assert (matrix.column_totals, matrix.total) == ([3, 1, 1], 5)


def test_the_period_narrows_the_needs_counted(needs_data):
    today = timezone.localdate()
    recent = overview.needs_matrix(period=overview.Period(since=today - datetime.timedelta(10)))
    old = overview.needs_matrix(period=overview.Period(until=today - datetime.timedelta(30)))
    assert recent.total == 4
    assert old.total == 1
    assert {r.category.slug: r.counts for r in old.rows}["financing"] == [1, 0, 0]


def test_an_inactive_incubator_with_needs_keeps_its_column(needs_data):
    needs_data["second"].is_active = False
    needs_data["second"].save()
    assert "B second" in [i.name for i in overview.needs_matrix().incubators]


# --- Routing health --------------------------------------------------------------------


@pytest.fixture
def agency():
    return AgencyFactory(short_name="BIE-test", order=0)


@pytest.fixture
def routed_data(agency):
    now = timezone.now()
    created = now - datetime.timedelta(days=5)
    hours = datetime.timedelta(hours=1)
    person = UserFactory()
    _routed(agency, created=created, ack_due_at=now - hours, need__user=person)  # overdue
    _routed(agency, created=created, ack_due_at=now + hours, need__user=person)  # new, in time
    _routed(agency, status="acknowledged", created=created, ack_after=2 * hours, need__user=person)
    _routed(
        agency,
        status="resolved",
        created=created,
        ack_after=4 * hours,
        closed_after=72 * hours,
        need__user=person,
    )
    _routed(
        agency,
        status="resolved",
        created=created,
        ack_after=6 * hours,
        closed_after=24 * hours,
        need__user=person,
    )
    _routed(agency, status="declined", created=created, closed_after=hours, need__user=person)
    _routed(agency, status="transferred", created=created, closed_after=hours, need__user=person)
    # Overdue, but its owner withdrew consent: out of the agency's inbox, not its fault.
    _routed(
        agency,
        created=created,
        ack_due_at=now - hours,
        need=NeedFactory(user=person, consent=False),
    )
    # Routed long ago: outside a recent period.
    _routed(
        agency,
        status="resolved",
        created=now - datetime.timedelta(days=60),
        ack_after=100 * hours,
        closed_after=200 * hours,
        need__user=person,
    )
    return agency


def test_it_measures_routing_health_per_agency(routed_data):
    since = timezone.localdate() - datetime.timedelta(days=30)
    health = {
        item.agency.pk: item
        for item in overview.routing_health(period=overview.Period(since=since))
    }
    item = health[routed_data.pk]
    assert (item.routed, item.open, item.overdue) == (8, 3, 1)
    assert (item.resolved, item.declined, item.transferred) == (2, 1, 1)
    assert item.median_to_acknowledge == datetime.timedelta(hours=4)
    assert item.median_to_resolve == datetime.timedelta(hours=48)


def test_without_a_period_routing_health_covers_all_history(routed_data):
    item = next(i for i in overview.routing_health() if i.agency == routed_data)
    assert (item.routed, item.resolved) == (9, 3)
    assert item.median_to_acknowledge == datetime.timedelta(hours=5)  # 2, 4, 6, 100
    assert item.median_to_resolve == datetime.timedelta(hours=72)  # 24, 72, 200


def test_an_agency_with_nothing_routed_shows_zeros_and_no_median(agency):
    item = next(i for i in overview.routing_health() if i.agency == agency)
    assert (item.routed, item.open, item.overdue) == (0, 0, 0)
    assert item.median_to_acknowledge is None


def test_durations_read_in_minutes_hours_or_days():
    with translation.override("en"):
        assert overview.duration_readable(None) == "—"
        assert overview.duration_readable(datetime.timedelta(minutes=20)) == "20 minutes"
        assert overview.duration_readable(datetime.timedelta(hours=5)) == "5.0 h"
        assert overview.duration_readable(datetime.timedelta(hours=60)) == "2.5 days"
    assert overview.duration_hours(datetime.timedelta(minutes=90)) == "1.5"


# --- The page --------------------------------------------------------------------------


def test_the_page_shows_the_three_tables(client, coordinator, needs_data, routed_data):
    _member(needs_data["first"], sector="ict")
    response = client.get(OVERVIEW)
    assert response.status_code == 200
    page = response.content.decode()
    for table in ("members-table", "needs-table", "routing-table"):
        assert f'id="{table}"' in page
    assert "Digital and ICT" in page
    assert "BIE-test" in page
    assert "5.0 h" in page and "3.0 days" in page  # medians over all history
    for table in ("members", "needs", "routing"):
        assert f"/en/coordination/overview/{table}.csv" in page


def test_each_table_scrolls_inside_a_labelled_region_that_takes_the_keyboard_focus(
    client, coordinator, needs_data
):
    page = client.get("/nl/coordination/overview/").content.decode()

    for table, label in [
        ("members-table", "Leden per incubator"),
        ("needs-table", "Behoeften per categorie en incubator"),
        ("routing-table", "Stand van de doorverwijzingen per agentschap"),
    ]:
        region = re.search(rf'<div ([^>]*)>\s*<table [^>]*id="{table}"', page).group(1)
        assert 'tabindex="0"' in region and 'role="region"' in region, table
        assert f'aria-label="{label}"' in region, table


def test_the_period_filter_reaches_the_tables_and_the_downloads(client, coordinator, needs_data):
    since = (timezone.localdate() - datetime.timedelta(days=10)).isoformat()
    response = client.get(OVERVIEW, {"since": since})
    assert response.context["matrix"].total == 4
    assert f"needs.csv?since={since}" in response.content.decode()


def test_a_period_that_ends_before_it_starts_is_refused(client, coordinator, needs_data):
    response = client.get(OVERVIEW, {"since": "2026-03-01", "until": "2026-02-01"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert response.context["matrix"].total == 5  # no filter applied


def _grow(times: int) -> None:
    """Members, needs and routed needs at `times` the base amount, in new places."""
    export = NeedCategory.objects.get(slug="export")
    person = UserFactory()  # one person for all: hashing passwords is what is slow here
    for _ in range(times):
        place = IncubatorFactory()
        agency = AgencyFactory()
        _member(place, sector="ict")
        _member(place, sector="health", stage="growth")
        NeedFactory(user=person, category=export, incubator=place)
        NeedFactory(user=person, category=export, incubator=None)
        created = timezone.now() - datetime.timedelta(days=2)
        _routed(agency, created=created, need__user=person)
        _routed(
            agency,
            status="resolved",
            created=created,
            ack_after=datetime.timedelta(hours=3),
            closed_after=datetime.timedelta(hours=30),
            need__user=person,
        )


def test_the_page_runs_as_many_queries_with_five_times_the_data(
    client, coordinator, reference_data
):
    _grow(1)
    with CaptureQueriesContext(connection) as small:
        assert client.get(OVERVIEW).status_code == 200
    _grow(4)
    with CaptureQueriesContext(connection) as large:
        response = client.get(OVERVIEW)
    assert response.context["matrix"].total == 20  # two needs and two routed needs per place
    assert len(large.captured_queries) == len(small.captured_queries)


@pytest.mark.parametrize("table", ["members", "needs", "routing"])
def test_each_download_runs_as_many_queries_with_five_times_the_data(
    client, coordinator, reference_data, table
):
    url = f"/en/coordination/overview/{table}.csv"
    _grow(1)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    _grow(4)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_selectors_run_a_fixed_number_of_queries(reference_data, django_assert_num_queries):
    _grow(3)
    with django_assert_num_queries(2):
        overview.members_by_incubator()
    with django_assert_num_queries(3):
        overview.needs_matrix()
    with django_assert_num_queries(3):
        overview.routing_health()


# --- Who may see it --------------------------------------------------------------------


@pytest.mark.parametrize(
    "role, is_staff",
    [
        (Role.ENTREPRENEUR, False),
        (Role.ADVISOR, False),
        (Role.INCUBATOR_MANAGER, False),
        (Role.COORDINATOR, False),  # the role without the admin (staff) flag
        (Role.ENTREPRENEUR, True),  # staff, but not the coordinator
    ],
)
@pytest.mark.parametrize("url", [OVERVIEW, "/en/coordination/overview/needs.csv"])
def test_anyone_but_the_coordinator_gets_a_404(client, role, is_staff, url):
    client.force_login(UserFactory(role=role, is_staff=is_staff))
    assert client.get(url).status_code == 404


def test_a_visitor_is_sent_to_log_in(client):
    response = client.get(OVERVIEW)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# --- CSV -------------------------------------------------------------------------------


def _read_csv(response) -> list[list[str]]:
    body = response.content
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_needs_download_is_a_utf8_csv_with_a_header_and_the_date(
    client, coordinator, needs_data
):
    needs_data["second"].name = "Écurie des Créateurs"
    needs_data["second"].save()
    response = client.get("/en/coordination/overview/needs.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"hub-eu-needs-{timezone.localdate().isoformat()}.csv" in disposition
    rows = _read_csv(response)
    assert rows[0] == ["Category", "A first", "Écurie des Créateurs", "No incubator", "Total"]
    by_name = {row[0]: row[1:] for row in rows[1:]}
    assert by_name["Export and internationalisation"] == ["2", "0", "1", "3"]
    assert by_name["Total"] == ["3", "1", "1", "5"]


def test_the_members_download_has_one_column_per_sector_and_stage(client, coordinator):
    place = IncubatorFactory(name="ICAB")
    _member(place, sector="circular", stage="idea")
    rows = _read_csv(client.get("/en/coordination/overview/members.csv"))
    header = rows[0]
    assert header[:2] == ["Incubator", "Member companies"]
    assert len(header) == 2 + len(Company.Sector.choices) + len(Company.Stage.choices)
    icab = dict(zip(header, rows[1], strict=True))
    assert icab["Incubator"] == "ICAB"
    assert icab["Sector: Circular economy"] == "1"
    assert icab["Stage: Idea"] == "1"
    assert rows[-1][0] == "Total"


def test_the_routing_download_gives_medians_in_hours_for_the_period(
    client, coordinator, routed_data
):
    since = (timezone.localdate() - datetime.timedelta(days=30)).isoformat()
    rows = _read_csv(client.get("/en/coordination/overview/routing.csv", {"since": since}))
    assert rows[0][-2:] == ["Median hours to acknowledge", "Median hours to resolve"]
    line = next(row for row in rows if row[0] == "BIE-test")
    assert line[1:] == ["8", "3", "1", "2", "1", "1", "4.0", "48.0"]


def test_a_download_is_translated(client, coordinator, reference_data):
    rows = _read_csv(client.get("/fr/coordination/overview/needs.csv"))
    assert "Financement" in [row[0] for row in rows]


def test_a_name_that_a_spreadsheet_would_run_as_a_formula_is_defused(client, coordinator):
    IncubatorFactory(name="=HYPERLINK(1)")
    rows = _read_csv(client.get("/en/coordination/overview/members.csv"))
    assert rows[1][0] == "'=HYPERLINK(1)"


def test_an_unknown_table_is_a_404(client, coordinator):
    assert client.get("/en/coordination/overview/secrets.csv").status_code == 404
