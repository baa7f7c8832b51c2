"""The inbox's counts per agency and status (InboxCount), kept by database triggers on
the routed needs whatever writes them, against a recount of the rows."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from incubators.models import Agency, Consent, NeedCategory
from incubators.services import consent_withdraw
from needs import personal_data, services
from needs.models import InboxCount, Need, RoutedNeed
from needs.selectors import inbox_counts
from tests.factories import AdvisorFactory, NeedFactory, UserFactory

pytestmark = pytest.mark.django_db


def _kept() -> dict[tuple[int, str], int]:
    return {(row.agency_id, row.status): row.total for row in InboxCount.objects.all() if row.total}


def _recount() -> dict[tuple[int, str], int]:
    rows = (
        RoutedNeed.objects.filter(shared=True)
        .order_by()
        .values_list("agency_id", "status")
        .annotate(total=Count("pk"))
    )
    return {(agency_id, status): total for agency_id, status, total in rows}


def _declare(user, slug="export", **extra) -> Need:
    return services.need_create(
        user=user,
        category=NeedCategory.objects.get(slug=slug),
        description="We want to sell in Germany.",
        consent=True,
        **extra,
    )


def test_the_counts_equal_a_recount_after_every_kind_of_change(routing_rules):
    entrepreneur = UserFactory()
    bie, atrium = Agency.objects.get(slug="bie"), Agency.objects.get(slug="atrium")
    advisor = AdvisorFactory(agency=bie)

    def check(step: str) -> None:
        assert _kept() == _recount(), f"after {step}"

    first = _declare(entrepreneur).routings.get()
    second = _declare(entrepreneur, slug="financing", agency=bie).routings.get()
    third = _declare(UserFactory()).routings.get()
    check("routing")
    assert _kept()[(bie.pk, "new")] == 3

    services.routed_need_acknowledge(routed=first, by=advisor.user)
    check("acknowledge")
    services.routed_need_start(routed=first, by=advisor.user)
    check("start")
    services.routed_need_resolve(routed=first, by=advisor.user)
    check("resolve")
    services.routed_need_answer(routed=third, by=advisor.user, body="Call us.")
    check("answer (acknowledges)")
    services.routed_need_decline(routed=third, by=advisor.user, note="Not for us.")
    check("decline")
    moved = services.routed_need_transfer(
        routed=second, to_agency=atrium, by=advisor.user, reason="A shop"
    )
    check("transfer")
    services.routed_need_assign(routed=moved, advisor=AdvisorFactory(agency=atrium), by=None)
    check("assign")
    services.route_override(need=first.need, agency=atrium, by=UserFactory())
    check("coordinator's routing")

    services.need_set_consent(need=first.need, consent=False, by=entrepreneur)
    check("consent withdrawn on the need")
    services.need_set_consent(need=first.need, consent=True, by=entrepreneur)
    check("consent given again")
    consent = Consent.objects.get(user=entrepreneur, agency=atrium, purpose=Consent.Purpose.NEED)
    consent_withdraw(consent=consent, by=entrepreneur)
    check("consent withdrawn from one agency")

    RoutedNeed.objects.filter(pk=moved.pk).update(agency=bie)
    check("agency changed by an update")
    RoutedNeed.objects.bulk_create(
        RoutedNeed(need=NeedFactory(), agency=agency, ack_due_at=timezone.now())
        for agency in (bie, bie, atrium)
    )
    check("bulk insert")
    personal_data.erase(entrepreneur)
    check("erasure")
    Need.objects.filter(pk=third.need_id).delete()
    check("cascading delete")
    RoutedNeed.objects.all().delete()
    check("delete all")
    assert _kept() == {}


def test_a_count_cannot_go_below_zero(routing_rules):
    routed = _declare(UserFactory()).routings.get()
    InboxCount.objects.filter(agency=routed.agency).update(total=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        routed.delete()


def test_the_rebuild_command_repairs_wrong_counts(routing_rules):
    for slug in ("export", "financing", "hiring"):
        _declare(UserFactory(), slug=slug)
    right = _recount()
    InboxCount.objects.update(total=7)
    InboxCount.objects.first().delete()
    out = io.StringIO()
    call_command("needs_inbox_counts_rebuild", stdout=out)
    assert "rebuilt" in out.getvalue()
    assert _kept() == right


def test_the_inbox_counts_read_the_counters_and_count_the_overdue_needs(routing_rules):
    bie = Agency.objects.get(slug="bie")
    advisor = AdvisorFactory(agency=bie)
    routed = [_declare(UserFactory()).routings.get() for _ in range(4)]
    services.routed_need_acknowledge(routed=routed[0], by=advisor.user)
    services.routed_need_resolve(routed=routed[1], by=advisor.user)
    RoutedNeed.objects.filter(pk=routed[2].pk).update(
        ack_due_at=timezone.now() - datetime.timedelta(hours=1)
    )
    counts = inbox_counts(agency=bie)
    assert (counts["open"], counts["new"], counts["overdue"], counts["resolved"]) == (3, 2, 1, 1)
    assert counts["acknowledged"] == 1 and counts["declined"] == 0
    assert inbox_counts(agency=Agency.objects.get(slug="atrium"))["open"] == 0
