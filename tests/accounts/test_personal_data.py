import datetime
import json

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.core import mail
from django.db import models
from django.db.models import Avg, Count
from django.utils import timezone

from accounts.models import PersonalDataEvent, Role, User
from accounts.privacy import ErasureRefused, personal_data_collect, user_erase
from accounts.services import user_set_role
from incubators.models import Advisor, Company
from needs.models import Need, NeedMessage, RoutedNeed
from permanences.models import Booking, Slot
from surveys.models import Invitation, Response
from tests.accounts.everything import person_with_everything
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def zoe(make_slot, book):
    return person_with_everything(make_slot=make_slot, book=book, tag="Zoe")


@pytest.fixture
def other(make_slot, book):
    return person_with_everything(make_slot=make_slot, book=book, tag="Otto")


def _texts_in_database() -> str:
    """Every text, email and JSON value of every row the portal's models hold."""
    chunks = []
    for model in apps.get_models():
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField, models.JSONField))
        ]
        if fields:
            for row in model.objects.values_list(*fields):
                chunks.append(" ".join(str(value) for value in row))
    return "\n".join(chunks)


def _statistics():
    return {
        "bookings": Booking.objects.count(),
        "attended": Booking.objects.filter(status="attended").count(),
        "needs": dict(Need.objects.values_list("category__slug").annotate(n=Count("pk"))),
        "routed": RoutedNeed.objects.count(),
        "messages": NeedMessage.objects.count(),
        "invitations": Invitation.objects.count(),
        "answered": Invitation.objects.filter(answered_at__isnull=False).count(),
        "responses": Response.objects.aggregate(n=Count("pk"), s=Avg("satisfaction"), p=Avg("nps")),
    }


# --- Access -------------------------------------------------------------------------------


def test_the_export_holds_every_kind_of_data_of_the_person_and_nothing_of_another(zoe, other):
    text = json.dumps(personal_data_collect(user=zoe.user), ensure_ascii=False)
    for marker in zoe.markers:
        assert marker in text, marker
    for marker in other.markers:
        assert marker not in text, marker
    sections = personal_data_collect(user=zoe.user)["sections"]
    assert {
        "profile",
        "companies",
        "company_join_requests",
        "bookings",
        "calendar_feed",
        "needs",
        "survey_invitations",
        "notifications",
    } <= set(sections)
    assert sections["notifications"]["data"], "the booking confirmations are listed"
    assert sections["needs"]["data"][0]["consent"] is True


def test_a_person_downloads_their_data_as_json_and_the_download_is_logged(client, zoe):
    client.force_login(zoe.user)
    response = client.get("/nl/me/data/my-data.json")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["sections"]["profile"]["data"]["email"] == zoe.user.email
    event = PersonalDataEvent.objects.get(kind="access")
    assert (event.actor, event.subject) == (zoe.user, zoe.user)


def test_the_my_data_page_shows_the_data_readably_in_the_persons_language(client, zoe):
    client.force_login(zoe.user)
    page = client.get("/nl/me/data/").content.decode()
    assert "Zoe-need-text" in page and "Zoe-my-reply" in page and "Zoe Solo SRL" in page
    assert 'lang="nl"' in page


def test_the_export_needs_a_signed_in_person(client):
    assert client.get("/en/me/data/my-data.json").status_code == 302


# --- Erasure ------------------------------------------------------------------------------


def test_erasure_leaves_no_personal_field_anywhere_in_the_database(zoe, other):
    user_erase(user=zoe.user)
    everything = _texts_in_database()
    for marker in zoe.markers:
        assert marker not in everything, marker
    for marker in other.markers:  # the other person is untouched
        assert marker in everything, marker


def test_erasure_keeps_the_statistics(zoe, other):
    before = _statistics()
    user_erase(user=zoe.user)
    assert _statistics() == before


def test_the_erased_account_cannot_sign_in_and_holds_no_address(client, zoe):
    user_erase(user=zoe.user)
    user = User.objects.get(pk=zoe.user.pk)
    assert user.email == f"erased-{user.pk}@invalid"
    assert (user.first_name, user.last_name, user.is_active) == ("", "", False)
    assert not user.has_usable_password()
    assert not EmailAddress.objects.filter(user=user).exists()
    assert user.get_full_name() == "Erased person"
    assert not client.login(email="zoe.private@example.org", password=PASSWORD)


def test_erasure_through_the_page_needs_the_password_then_ends_the_session_and_mails(
    client, zoe, django_capture_on_commit_callbacks
):
    client.force_login(zoe.user)
    wrong = client.post("/nl/me/data/delete/", {"password": "not-it"})
    assert wrong.status_code == 200 and User.objects.get(pk=zoe.user.pk).erased_at is None
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post("/nl/me/data/delete/", {"password": PASSWORD})
    assert done.status_code == 302
    assert User.objects.get(pk=zoe.user.pk).erased_at is not None
    assert client.get("/nl/me/").status_code == 302  # signed out
    goodbye = [m for m in mail.outbox if m.to == ["zoe.private@example.org"]]
    assert len(goodbye) == 1 and "hub.eu" in goodbye[0].subject
    assert PersonalDataEvent.objects.filter(kind="erasure", subject=zoe.user).exists()
    # The address lives on in the sent email only, not in the database.
    assert "zoe.private@example.org" not in _texts_in_database()


def test_a_company_with_other_people_stays_and_a_company_of_the_person_alone_goes(zoe):
    user_erase(user=zoe.user)
    assert Company.objects.filter(pk=zoe.objects["shared_company"].pk).exists()
    assert not Company.objects.filter(pk=zoe.objects["own_company"].pk).exists()


def test_coming_bookings_are_cancelled_and_their_place_freed(zoe):
    coming = zoe.objects["coming"]
    user_erase(user=zoe.user)
    assert Booking.objects.get(pk=coming.pk).status == "cancelled"
    assert Slot.objects.get(pk=coming.slot_id).booked_count == 0
    assert Booking.objects.get(pk=zoe.objects["past"].pk).status == "attended"


def test_the_agency_no_longer_sees_the_person(client, zoe):
    advisor = zoe.advisor
    client.force_login(advisor.user)
    assert "Zoefirst" in client.get("/en/agency/needs/").content.decode()
    user_erase(user=zoe.user)
    inbox = client.get("/en/agency/needs/").content.decode()
    assert "Zoefirst" not in inbox and "Erased person" not in inbox  # not listed at all
    routed = zoe.objects["routed"]
    assert client.get(f"/en/agency/needs/{routed.pk}/").status_code == 404
    booking = client.get(f"/en/advisor/bookings/{zoe.objects['past'].pk}/").content.decode()
    assert "Erased person" in booking and "Zoefirst" not in booking
    assert "Zoe-topic-past" not in booking and "Zoe-outcome" not in booking
    assert "@invalid" not in booking and "mailto:" not in booking


def test_an_advisor_who_leaves_keeps_an_inactive_blank_record_for_the_results(zoe):
    advisor = Advisor.objects.get(pk=zoe.advisor.pk)
    advisor.job_title = "Senior advisor"
    advisor.save()
    user_erase(user=advisor.user)
    advisor.refresh_from_db()
    assert (advisor.is_active, advisor.job_title) == (False, "")
    assert str(advisor.user) == "Erased person"


def test_a_coordinator_account_is_not_erased_by_itself(client):
    coordinator = user_set_role(user=UserFactory(), role=Role.COORDINATOR)
    with pytest.raises(ErasureRefused):
        user_erase(user=coordinator)
    client.force_login(coordinator)
    client.post("/en/me/data/delete/", {"password": PASSWORD})
    assert User.objects.get(pk=coordinator.pk).is_active


# --- Retention ----------------------------------------------------------------------------


def test_retention_anonymises_only_what_is_older_than_its_setting(settings, zoe, other):
    from accounts.privacy import personal_data_purge, retention_preview

    settings.PERSONAL_DATA_RETENTION_DAYS = {
        "needs": 30,
        "messages": 30,
        "bookings": 30,
        "notifications": 30,
    }
    old = timezone.now() - datetime.timedelta(days=40)
    need = zoe.objects["need"]
    RoutedNeed.objects.filter(need=need).update(status="resolved", closed_at=old)
    Need.objects.filter(pk=need.pk).update(created_at=old)
    NeedMessage.objects.filter(routed__need=need).update(created_at=old)
    Booking.objects.filter(pk=zoe.objects["past"].pk).update(
        starts_at=old, ends_at=old + datetime.timedelta(minutes=30)
    )
    due = {row.code: row.due_now for row in retention_preview()}
    assert due["needs"] == 1 and due["messages"] == 2 and due["bookings"] == 1

    before = _statistics()
    done = personal_data_purge()
    assert done["needs"] == 1 and done["bookings"] == 1
    everything = _texts_in_database()
    for marker in ("Zoe-need-text", "Zoe-agency-answer", "Zoe-my-reply", "Zoe-topic-past"):
        assert marker not in everything, marker
    # Younger data stays, of this person and of the other.
    for marker in ("Zoe-topic-coming", "Otto-need-text", "Otto-my-reply", "Otto-topic-past"):
        assert marker in everything, marker
    assert _statistics() == before
    assert personal_data_purge() == {"needs": 0, "messages": 0, "bookings": 0, "notifications": 0}
    # The needs rule took their messages along: one line per rule that anonymised something.
    assert PersonalDataEvent.objects.filter(kind="retention").count() == 2


def test_no_retention_setting_keeps_everything(settings, zoe):
    from accounts.privacy import personal_data_purge

    settings.PERSONAL_DATA_RETENTION_DAYS = {}
    assert personal_data_purge() == {}


def test_notice_details_older_than_the_setting_are_blanked(settings):
    from accounts.privacy import personal_data_purge
    from notifications.models import Notification

    settings.PERSONAL_DATA_RETENTION_DAYS = {"notifications": 10}
    user = UserFactory()
    old, young = (
        Notification.objects.create(
            kind="booking_confirmed",
            recipient=user,
            key=f"k{n}",
            state="sent",
            context={"hours": 24},
            last_error="boom",
        )
        for n in range(2)
    )
    Notification.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=11)
    )
    personal_data_purge()
    old.refresh_from_db()
    young.refresh_from_db()
    assert (old.context, old.last_error) == ({}, "")
    assert young.context == {"hours": 24}


# --- Accountability -----------------------------------------------------------------------


def test_the_coordinator_sees_the_log_and_what_retention_will_take(client, settings, zoe):
    settings.PERSONAL_DATA_RETENTION_DAYS = {"needs": 30}
    coordinator = user_set_role(user=UserFactory(language="en"), role=Role.COORDINATOR)
    user_erase(user=zoe.user)
    client.force_login(coordinator)
    page = client.get("/en/me/personal-data/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Erasure (a person deleted their account)" in text
    assert "30 days" in text
    client.force_login(zoe.advisor.user)
    assert client.get("/en/me/personal-data/").status_code == 404


def test_staff_csv_exports_write_a_log_line(client, reference_data):
    coordinator = user_set_role(user=UserFactory(language="en"), role=Role.COORDINATOR)
    client.force_login(coordinator)
    assert client.get("/en/coordination/overview/members.csv").status_code == 200
    assert client.get("/en/coordination/surveys/?format=csv").status_code == 200
    assert client.get("/en/coordination/surveys/?format=suggestions-csv").status_code == 200
    events = PersonalDataEvent.objects.filter(kind="export", actor=coordinator)
    assert events.count() == 3
    assert any("members" in e.what for e in events)


def test_the_beat_runs_the_retention_task_nightly_with_a_period_for_each_rule():
    from django.conf import settings

    from accounts.personal_data import retentions
    from accounts.tasks import purge_personal_data

    entry = settings.CELERY_BEAT_SCHEDULE["purge-personal-data"]
    assert entry["task"] == purge_personal_data.name
    assert {r.code for r in retentions()} == set(settings.PERSONAL_DATA_RETENTION_DAYS)
