"""The results read daily counters kept by the services: on varied data (several surveys
and kinds, days around midnight in Brussels and the changes of time, every filter and
grouping) they give the very figures computed from the invitations, responses and answers
themselves, also after an erasure, a retention purge and deletions; and two answers at the
same moment both count."""

import datetime
import itertools
import threading
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.models import Avg, Count, Q
from django.utils import timezone

from accounts.privacy import personal_data_purge, user_erase
from common.dates import day_start, days_bounds
from surveys import counters
from surveys.defaults import standard_survey_create
from surveys.events import event_survey_create
from surveys.models import Answer, DailyResult, Invitation, Question, Response, Survey
from surveys.selectors import MIN_GROUP, ResultFilters, ResultRow, _hide, results
from surveys.services import Answered, response_submit, survey_results_rebuild
from tests.factories import AdvisorFactory, AgencyFactory, IncubatorFactory, UserFactory

BRUSSELS = ZoneInfo("Europe/Brussels")
UTC = datetime.UTC

# Around midnight in Brussels, in winter, in summer and across both changes of time
# (29 March 2026 02:00 -> 03:00, 25 October 2026 03:00 -> 02:00).
MOMENTS = [
    datetime.datetime(2026, 1, 14, 22, 59, tzinfo=UTC),  # 23:59 in Brussels, the 14th
    datetime.datetime(2026, 1, 14, 23, 0, tzinfo=UTC),  # 00:00, the 15th
    datetime.datetime(2026, 3, 28, 22, 30, tzinfo=UTC),  # 23:30, the 28th
    datetime.datetime(2026, 3, 29, 0, 30, tzinfo=UTC),  # 01:30, the 29th, before the change
    datetime.datetime(2026, 3, 29, 1, 30, tzinfo=UTC),  # 03:30, after it
    datetime.datetime(2026, 6, 30, 21, 59, tzinfo=UTC),  # 23:59, the 30th
    datetime.datetime(2026, 6, 30, 22, 0, tzinfo=UTC),  # 00:00, 1 July
    datetime.datetime(2026, 10, 24, 22, 30, tzinfo=UTC),  # 00:30, the 25th
    datetime.datetime(2026, 10, 25, 0, 30, tzinfo=UTC),  # 02:30 the first time
    datetime.datetime(2026, 10, 25, 1, 30, tzinfo=UTC),  # 02:30 the second time
    datetime.datetime(2026, 10, 25, 22, 59, tzinfo=UTC),  # 23:59, the 25th
    datetime.datetime(2026, 10, 25, 23, 0, tzinfo=UTC),  # 00:00, the 26th
]


def _from_rows(filters: ResultFilters, labels: dict) -> tuple[ResultRow, list[ResultRow]]:
    """The results as the page computed them before the counters: grouping the rows."""
    group = filters.group
    key = f"{group}_id"

    def filtered(qs, date_field, prefix=""):
        q = Q()
        for name in ("survey", "agency", "incubator", "advisor"):
            if value := getattr(filters, name):
                q &= Q(**{f"{prefix}{name}_id": value})
        if not filters.survey:
            q &= ~Q(**{f"{prefix}survey__kind": Survey.Kind.AFTER_EVENT})
        if filters.since:
            q &= Q(**{f"{date_field}__gte": day_start(filters.since)})
        if filters.until:
            q &= Q(**{f"{date_field}__lt": days_bounds(filters.until)[1]})
        return qs.filter(q)

    rows: dict = {}

    def row(k):
        if k not in rows:
            rows[k] = ResultRow(key=k, label=labels.get(k, "—") if k else "—")
        return rows[k]

    invitations = filtered(Invitation.objects.all(), "created_at")
    for item in invitations.values(key).annotate(n=Count("pk")).order_by():
        row(item[key]).invitations = item["n"]
    responses = filtered(Response.objects.all(), "submitted_at")
    for item in (
        responses.values(key)
        .annotate(
            n=Count("pk"),
            avg=Avg("satisfaction"),
            promoters=Count("pk", filter=Q(nps__gte=9)),
            passives=Count("pk", filter=Q(nps__in=[7, 8])),
            detractors=Count("pk", filter=Q(nps__lte=6)),
        )
        .order_by()
    ):
        target = row(item[key])
        target.responses = item["n"]
        target.satisfaction = round(item["avg"], 2) if item["avg"] is not None else None
        target.promoters = item["promoters"]
        target.passives = item["passives"]
        target.detractors = item["detractors"]
    answers = filtered(
        Answer.objects.filter(question__kind=Question.Kind.RATING, number__isnull=False),
        "response__submitted_at",
        prefix="response__",
    )
    for item in answers.values(f"response__{key}", "number").annotate(n=Count("pk")).order_by():
        if 1 <= item["number"] <= 5:
            row(item[f"response__{key}"]).distribution[item["number"] - 1] += item["n"]
    total = ResultRow(key=None, label="")
    for r in rows.values():
        total.invitations += r.invitations
        total.responses += r.responses
        total.promoters += r.promoters
        total.passives += r.passives
        total.detractors += r.detractors
        total.distribution = [a + b for a, b in zip(total.distribution, r.distribution)]
    weighted = [(r.satisfaction, r.responses) for r in rows.values() if r.satisfaction is not None]
    if weighted:
        rated = sum(n for _s, n in weighted)
        total.satisfaction = round(sum(s * n for s, n in weighted) / rated, 2)
    for r in [total, *rows.values()]:
        if r.responses < MIN_GROUP:
            _hide(r)
    return total, sorted(rows.values(), key=lambda r: (r.label == "—", r.label))


def _invite(survey, *, at, agency, incubator, advisor=None, user=None) -> Invitation:
    invitation = Invitation.objects.create(
        survey=survey,
        user=user or UserFactory(),
        agency=agency,
        incubator=incubator,
        advisor=advisor,
        expires_at=timezone.now() + datetime.timedelta(days=365),
    )
    Invitation.objects.filter(pk=invitation.pk).update(created_at=at)
    invitation.refresh_from_db()
    counters.invitations_counted([invitation])  # as the services do
    return invitation


def _answer(invitation, *, at, ratings, nps, named=False) -> Response:
    """A response as response_submit records it, at a chosen moment."""
    questions = Question.objects.filter(section__survey=invitation.survey)
    rating_questions = list(questions.filter(kind=Question.Kind.RATING).order_by("pk"))
    response = Response.objects.create(
        invitation=invitation,
        survey=invitation.survey,
        agency=invitation.agency,
        incubator=invitation.incubator,
        advisor=invitation.advisor,
        user=invitation.user if named else None,
        submitted_at=at,
        satisfaction=sum(ratings) / len(ratings) if ratings else None,
        nps=nps,
    )
    for question, number in zip(rating_questions, ratings):
        Answer.objects.create(response=response, question=question, number=number)
    nps_question = questions.filter(kind=Question.Kind.NPS).first()
    if nps is not None and nps_question:
        Answer.objects.create(response=response, question=nps_question, number=nps)
    text = questions.filter(kind=Question.Kind.TEXT).first()
    if named and text:
        Answer.objects.create(response=response, question=text, text="Mon nom est Jean")
    Invitation.objects.filter(pk=invitation.pk).update(answered_at=at)
    counters.response_counted(response, ratings=ratings)
    return response


@pytest.fixture
def varied(reference_data):
    agencies = [AgencyFactory(short_name=name) for name in ("Alpha", "Beta", "Gamma")]
    places = [IncubatorFactory(name=name) for name in ("North", "South")]
    advisors = [AdvisorFactory(agency=agencies[n % 2]) for n in range(3)]
    surveys = [
        standard_survey_create(kind=Survey.Kind.AFTER_BOOKING),
        standard_survey_create(kind=Survey.Kind.AFTER_BOOKING, agency=agencies[0]),
        standard_survey_create(kind=Survey.Kind.PERIODIC, incubator=places[0]),
        event_survey_create(),
    ]
    named = standard_survey_create(kind=Survey.Kind.AFTER_BOOKING, anonymous=False)
    surveys.append(named)
    cycle = itertools.count()
    people = []
    for n, (survey, moment) in enumerate(itertools.product(surveys, MOMENTS)):
        for extra in range(3 if n % 4 else 6):  # some groups reach MIN_GROUP, some not
            i = next(cycle)
            agency = (
                None if survey.kind == Survey.Kind.AFTER_EVENT and i % 3 == 0 else (agencies[i % 3])
            )
            advisor = advisors[i % 4] if i % 4 < 3 else None
            invited_at = moment - datetime.timedelta(hours=(i % 3) * 12)
            invitation = _invite(
                survey,
                at=invited_at,
                agency=agency,
                incubator=places[i % 2] if i % 5 else None,
                advisor=advisor,
            )
            people.append(invitation.user)
            if i % 7 == 6:
                continue  # not answered
            ratings = [1 + i % 5, 1 + (i * 3) % 5] if i % 9 else []
            _answer(
                invitation,
                at=moment + datetime.timedelta(minutes=extra),
                ratings=ratings,
                nps=None if i % 11 == 0 else i % 11,
                named=survey is named,
            )
    return {"agencies": agencies, "places": places, "advisors": advisors, "surveys": surveys}


def _labels(varied, group):
    if group == "agency":
        return {a.pk: a.short_name for a in varied["agencies"]}
    if group == "incubator":
        return {p.pk: p.name for p in varied["places"]}
    return {a.pk: str(a.user) for a in varied["advisors"]}


def _filters(varied):
    surveys, agencies = varied["surveys"], varied["agencies"]
    places, advisors = varied["places"], varied["advisors"]
    days = [
        None,
        datetime.date(2026, 1, 15),
        datetime.date(2026, 3, 29),
        datetime.date(2026, 10, 25),
    ]
    yield from (ResultFilters(group=group) for group in ("agency", "incubator", "advisor"))
    for survey in [None, *surveys]:
        for since, until in [
            (None, None),
            *zip(days[1:], days[1:]),
            (days[2], None),
            (None, days[2]),
        ]:
            for group in ("agency", "incubator", "advisor"):
                yield ResultFilters(
                    survey=survey.pk if survey else None, since=since, until=until, group=group
                )
    for agency, place, advisor in itertools.product([None, *agencies], [None, *places], advisors):
        yield ResultFilters(
            agency=agency and agency.pk, incubator=place and place.pk, group="advisor"
        )
        yield ResultFilters(advisor=advisor.pk, incubator=place and place.pk, group="agency")


def _assert_same(varied):
    compared = 0
    for filters in _filters(varied):
        labels = _labels(varied, filters.group)
        expected = _from_rows(filters, labels)
        assert results(filters=filters, labels=labels) == expected, filters
        compared += 1
    return compared


@pytest.mark.django_db
def test_the_counters_give_the_figures_of_the_rows_for_every_filter_and_group(varied):
    assert _assert_same(varied) > 100
    # Some groups are shown, some hidden: the comparison covers both.
    total, rows = results(filters=ResultFilters(), labels=_labels(varied, "agency"))
    assert not total.hidden and total.satisfaction is not None
    assert any(not r.hidden for r in rows)


@pytest.mark.django_db
def test_a_rebuild_gives_the_counters_the_services_kept(varied):
    kept = sorted(DailyResult.objects.values_list(*DailyResult.KEY, *DailyResult.COUNTERS))
    survey_results_rebuild()
    assert sorted(DailyResult.objects.values_list(*DailyResult.KEY, *DailyResult.COUNTERS)) == kept


@pytest.mark.django_db
def test_a_day_is_a_day_in_brussels(varied):
    # 00:30 on 29 March in Brussels is the 29th, though it is still the 28th in UTC.
    invitation = Invitation.objects.filter(created_at=MOMENTS[3]).first()
    assert DailyResult.objects.filter(
        day=datetime.date(2026, 3, 29), survey=invitation.survey, invitations__gt=0
    ).exists()


@pytest.mark.django_db
def test_the_figures_stay_right_after_an_erasure_a_purge_and_deletions(varied):
    named = Response.objects.filter(user__isnull=False).first()
    user_erase(user=named.user)
    personal_data_purge(now=timezone.now() + datetime.timedelta(days=3650))
    _assert_same(varied)

    # Deleting a person deletes their invitations and responses (cascade).
    Invitation.objects.filter(response__isnull=False).first().user.delete()
    Invitation.objects.filter(response__isnull=True).first().user.delete()
    # An advisor who leaves: their rows keep no advisor.
    varied["advisors"][0].delete()
    varied["advisors"] = varied["advisors"][1:]
    # A response deleted in the admin, alone.
    Response.objects.filter(satisfaction__isnull=False).last().delete()
    _assert_same(varied)


@pytest.mark.django_db
def test_the_services_count_what_they_record(client, reference_data):
    survey = standard_survey_create(kind=Survey.Kind.AFTER_BOOKING)
    agency, place = AgencyFactory(short_name="Solo"), IncubatorFactory()
    ratings = list(Question.objects.filter(section__survey=survey, kind="rating"))
    nps = Question.objects.get(section__survey=survey, kind="nps")
    for n in range(MIN_GROUP):
        invitation = Invitation.objects.create(
            survey=survey,
            user=UserFactory(),
            agency=agency,
            incubator=place,
            expires_at=timezone.now() + datetime.timedelta(days=30),
        )
        counters.invitations_counted([invitation])
        response_submit(
            invitation=invitation,
            answers=[Answered(question=q, number=1 + n) for q in ratings]
            + [Answered(question=nps, number=10)],
        )
    total, [row] = results(filters=ResultFilters(), labels={agency.pk: "Solo"})
    assert (row.invitations, row.responses, row.satisfaction, row.nps) == (5, 5, 3.0, 100)
    assert row.distribution == [len(ratings)] * 5
    assert (total, [row]) == _from_rows(ResultFilters(), {agency.pk: "Solo"})


@pytest.mark.django_db(transaction=True)
def test_two_answers_at_the_same_moment_both_count(reference_data):
    survey = standard_survey_create(kind=Survey.Kind.AFTER_BOOKING)
    agency, place = AgencyFactory(), IncubatorFactory()
    rating = Question.objects.filter(section__survey=survey, kind="rating").first()
    invitations = [
        Invitation.objects.create(
            survey=survey,
            user=UserFactory(),
            agency=agency,
            incubator=place,
            expires_at=timezone.now() + datetime.timedelta(days=30),
        )
        for _n in range(6)
    ]
    barrier = threading.Barrier(len(invitations))
    errors = []

    def answer(invitation):
        try:
            barrier.wait()
            response_submit(invitation=invitation, answers=[Answered(question=rating, number=4)])
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=answer, args=(i,)) for i in invitations]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    [row] = DailyResult.objects.filter(survey=survey)
    assert (row.responses, row.satisfaction_count, row.rated_4) == (6, 6, 6)


@pytest.mark.django_db
def test_the_periodic_invitations_are_counted_once(make_schedule):
    from surveys.notices import periodic_invitations_plan
    from tests.factories import CompanyFactory, MembershipFactory

    place = make_schedule().incubator
    make_schedule(incubator=place)  # a second agency holds permanences there
    survey = standard_survey_create(kind=Survey.Kind.PERIODIC, incubator=place)
    company = CompanyFactory()
    company.people.add(UserFactory(), UserFactory())
    MembershipFactory(company=company, incubator=place, status="confirmed")

    assert periodic_invitations_plan(now=timezone.now()) == 4
    assert periodic_invitations_plan(now=timezone.now()) == 0
    total, rows = results(filters=ResultFilters(survey=survey.pk), labels={})
    assert (total.invitations, len(rows)) == (4, 2)
    assert (total, rows) == _from_rows(ResultFilters(survey=survey.pk), {})
