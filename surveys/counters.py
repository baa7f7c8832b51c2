"""The results' daily counters (DailyResult), kept in the transaction that creates or
deletes what they count, so that the results page adds up a few hundred rows instead of
grouping every invitation, response and answer.

An addition is one `INSERT … ON CONFLICT DO UPDATE` adding to the row of its key
(PostgreSQL and SQLite alike): two answers at the same moment both count. A removal
subtracts from the row, never below zero. `survey_results_rebuild` recomputes every
counter from the rows themselves: after bulk inserts (the bench), or to check them.
"""

import datetime
from collections import Counter
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Greatest, TruncDate
from django.utils import timezone

from common.dates import BRUSSELS

from .models import Answer, DailyResult, Invitation, Question, Response

Key = tuple[datetime.date, int, int, int, int]


def _day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment, BRUSSELS).date()


def _key(row, *, day: datetime.date) -> Key:
    """An invitation's or a response's key (the same fields, copied at answering)."""
    return (day, row.survey_id, row.agency_id or 0, row.incubator_id or 0, row.advisor_id or 0)


def _nps_class(nps: int | None) -> str | None:
    if nps is None:
        return None
    return "promoters" if nps >= 9 else "passives" if nps >= 7 else "detractors"


def _response_counts(response: Response, ratings: Iterable[int]) -> Counter:
    counts: Counter = Counter(responses=1)
    if response.satisfaction is not None:
        counts["satisfaction_sum"] += response.satisfaction
        counts["satisfaction_count"] += 1
    if nps_class := _nps_class(response.nps):
        counts[nps_class] += 1
    for number in ratings:
        if number is not None and 1 <= number <= 5:
            counts[f"rated_{number}"] += 1
    return counts


def _upsert_sql() -> str:
    """INSERT of a row of counters that, when its key exists, adds them to that row."""
    qn = connection.ops.quote_name
    table = qn(DailyResult._meta.db_table)
    keys = [qn(DailyResult._meta.get_field(name).column) for name in DailyResult.KEY]
    counters = [qn(name) for name in DailyResult.COUNTERS]
    return " ".join(  # only names of the model's own columns, values are parameters
        [
            f"INSERT INTO {table} ({', '.join(keys + counters)})",
            f"VALUES ({', '.join(['%s'] * (len(keys) + len(counters)))})",
            f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET",
            ", ".join(f"{c} = {table}.{c} + EXCLUDED.{c}" for c in counters),
        ]
    )


def _add(key: Key, counts: Counter) -> None:
    """Add `counts` to the row of `key`, creating it if need be, in one statement."""
    if not any(counts.values()):
        return
    with connection.cursor() as cursor:
        cursor.execute(
            _upsert_sql(), [*key, *(counts.get(name, 0) for name in DailyResult.COUNTERS)]
        )


def _subtract(key: Key, counts: Counter) -> None:
    fields = [name for name in DailyResult.COUNTERS if counts.get(name)]
    if not fields:
        return
    day, survey_id, agency, incubator, advisor = key
    DailyResult.objects.filter(
        day=day,
        survey_id=survey_id,
        agency_key=agency,
        incubator_key=incubator,
        advisor_key=advisor,
    ).update(**{name: Greatest(F(name) - counts[name], 0) for name in fields})


def invitations_counted(invitations: Iterable[Invitation]) -> None:
    """Newly created invitations (their `created_at` set)."""
    per_key = Counter(_key(i, day=_day(i.created_at)) for i in invitations)
    for key, number in per_key.items():
        _add(key, Counter(invitations=number))


def response_counted(response: Response, *, ratings: Iterable[int]) -> None:
    """A new response, with the numbers of its 1-5 rating answers."""
    _add(_key(response, day=_day(response.submitted_at)), _response_counts(response, ratings))


def invitation_uncounted(invitation: Invitation) -> None:
    """An invitation about to be deleted."""
    _subtract(_key(invitation, day=_day(invitation.created_at)), Counter(invitations=1))


def response_uncounted(response: Response) -> None:
    """A response about to be deleted (its answers still there)."""
    ratings = Answer.objects.filter(
        response=response, question__kind=Question.Kind.RATING
    ).values_list("number", flat=True)
    counts = _response_counts(response, ratings)
    _subtract(_key(response, day=_day(response.submitted_at)), counts)


def advisor_uncounted(advisor_id: int) -> None:
    """An advisor about to be deleted: their invitations and responses keep no advisor
    (SET_NULL), so their counters move to the rows without one."""
    for row in DailyResult.objects.filter(advisor_key=advisor_id):
        counts = Counter({name: getattr(row, name) for name in DailyResult.COUNTERS})
        _add((row.day, row.survey_id, row.agency_key, row.incubator_key, 0), counts)
    DailyResult.objects.filter(advisor_key=advisor_id).delete()


@transaction.atomic
def rebuild(
    *,
    invitation_model=Invitation,
    response_model=Response,
    answer_model=Answer,
    daily_model=DailyResult,
) -> int:
    """Recompute every counter from the invitations, responses and answers. The models
    are parameters so that a migration can run it on its historical models. Returns the
    number of rows written."""
    if connection.vendor == "postgresql":
        # Additions made meanwhile wait for the new rows, then add to them; the rows
        # read below include every addition that came before.
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(daily_model._meta.db_table)
            cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
    keys = ["survey_id", "agency_id", "incubator_id", "advisor_id"]
    rows: dict[Key, Counter] = {}

    def counts_of(day, survey_id, agency_id, incubator_id, advisor_id) -> Counter:
        key = (day, survey_id, agency_id or 0, incubator_id or 0, advisor_id or 0)
        return rows.setdefault(key, Counter())

    for item in (
        invitation_model.objects.annotate(day=TruncDate("created_at", tzinfo=BRUSSELS))
        .values("day", *keys)
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts_of(item["day"], *(item[k] for k in keys))["invitations"] += item["n"]
    for item in (
        response_model.objects.annotate(day=TruncDate("submitted_at", tzinfo=BRUSSELS))
        .values("day", *keys)
        .annotate(
            n=Count("pk"),
            satisfaction_sum=Sum("satisfaction"),
            satisfaction_count=Count("satisfaction"),
            promoters=Count("pk", filter=Q(nps__gte=9)),
            passives=Count("pk", filter=Q(nps__in=[7, 8])),
            detractors=Count("pk", filter=Q(nps__lte=6)),
        )
        .order_by()
    ):
        counts = counts_of(item["day"], *(item[k] for k in keys))
        counts["responses"] += item["n"]
        counts["satisfaction_sum"] += item["satisfaction_sum"] or 0
        for name in ("satisfaction_count", "promoters", "passives", "detractors"):
            counts[name] += item[name]
    for item in (
        answer_model.objects.filter(question__kind="rating", number__gte=1, number__lte=5)
        .annotate(day=TruncDate("response__submitted_at", tzinfo=BRUSSELS))
        .values("day", "number", *(f"response__{k}" for k in keys))
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts = counts_of(item["day"], *(item[f"response__{k}"] for k in keys))
        counts[f"rated_{item['number']}"] += item["n"]
    daily_model.objects.all().delete()
    daily_model.objects.bulk_create(
        (
            daily_model(
                day=day,
                survey_id=survey_id,
                agency_key=agency,
                incubator_key=incubator,
                advisor_key=advisor,
                **{name: counts.get(name, 0) for name in DailyResult.COUNTERS},
            )
            for (day, survey_id, agency, incubator, advisor), counts in rows.items()
        ),
        batch_size=1000,
    )
    return len(rows)
