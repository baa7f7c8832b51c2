"""The agency's needs inbox with 100 and with 50,000 needs in the database, routed round
the four agencies: the same number of queries, and the latency of the large one; the
same for the API's list of the agency's needs (with an agency token)."""

import datetime
import statistics

from django.db import connection
from django.test import Client
from django.utils import timezone

from accounts.models import Role
from api.services import token_issue
from incubators.models import Advisor, Agency, NeedCategory
from needs.models import Need, RoutedNeed
from tools.bench.common import (
    TIMED_REQUESTS,
    WARM_UP_REQUESTS,
    BenchError,
    Run,
    analyze,
    entrepreneurs_create,
    http,
    latency_against_blank,
    page_queries,
    queries_compare,
    session_cookie,
)

INBOX_PATH = "/en/agency/needs/"
API_PATH = "/api/v1/needs/"
NEEDS_SMALL = 100
NEEDS_LARGE = 50_000


def measure(run: Run, base_url: str, *, agencies: list[Agency]) -> None:
    run.phase(f"needs inbox with {NEEDS_SMALL} and {NEEDS_LARGE:,} needs")
    (advisor_user,) = entrepreneurs_create(prefix="inbox-advisor", count=1)
    advisor_user.role = Role.ADVISOR
    advisor_user.save(update_fields=["role"])
    agency = agencies[0]
    Advisor.objects.create(user=advisor_user, agency=agency)
    people = entrepreneurs_create(prefix="needy", count=500)
    categories = list(NeedCategory.objects.order_by("pk"))
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(advisor_user)

    def add_needs(start: int, stop: int) -> None:
        now = timezone.now()
        for batch_start in range(start, stop, 5000):
            numbers = range(batch_start, min(batch_start + 5000, stop))
            needs = Need.objects.bulk_create(
                Need(
                    user=people[n % len(people)],
                    category=categories[n % len(categories)],
                    description=f"Bench need {n}",
                    consent=True,
                    consent_changed_at=now,
                )
                for n in numbers
            )
            RoutedNeed.objects.bulk_create(
                RoutedNeed(
                    need=need,
                    agency=agencies[n % len(agencies)],
                    ack_due_at=now + datetime.timedelta(hours=48 - n % 96),
                )
                for n, need in zip(numbers, needs, strict=True)
            )

    _token, key = token_issue(agency=agency, name="bench")
    authorization = f"Bearer {key}"
    api_client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=authorization)

    add_needs(0, NEEDS_SMALL)
    small = page_queries(client, INBOX_PATH, what="The inbox")
    api_small = page_queries(api_client, API_PATH, what="The API's list of needs")
    add_needs(NEEDS_SMALL, NEEDS_LARGE)
    # The triggers kept the inbox counts through the bulk inserts (needs_inboxcount); a
    # table that has just taken 50,000 rows is vacuumed, as autovacuum soon would, so
    # the overdue count reads its index alone, as it does in production.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) needs_routedneed")
    analyze()
    large = page_queries(client, INBOX_PATH, what="The inbox")
    queries_compare(run, key="needs_inbox", small=small, large=large, what="The needs inbox")
    latency_against_blank(
        run, base_url, INBOX_PATH, key="needs_inbox", cookie=session_cookie(advisor_user)
    )
    api_large = page_queries(api_client, API_PATH, what="The API's list of needs")
    queries_compare(
        run, key="api_needs_list", small=api_small, large=api_large, what="The API's needs list"
    )
    timings = []
    for n in range(WARM_UP_REQUESTS + TIMED_REQUESTS):
        response = http(base_url + API_PATH, authorization=authorization)
        if response.status != 200:
            raise BenchError(f"GET {API_PATH} answered {response.status} from gunicorn.")
        if n >= WARM_UP_REQUESTS:
            timings.append(response.ms)
    run.add("api_needs_list_p50_ms_large", round(statistics.median(timings), 2), "ms", "50 a page")
