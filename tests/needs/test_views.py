import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from incubators.models import Agency, NeedCategory
from needs import services
from needs.models import RoutedNeed
from tests.factories import AdvisorFactory, UserFactory

pytestmark = pytest.mark.django_db


def _need(user=None, slug="export"):
    return services.need_create(
        user=user or UserFactory(),
        category=NeedCategory.objects.get(slug=slug),
        description="Which grant for our first trade fair abroad?",
        consent=True,
    )


@pytest.fixture
def bie_advisor(routing_rules):
    return AdvisorFactory(agency=Agency.objects.get(slug="bie"))


@pytest.fixture
def atrium_advisor(routing_rules):
    return AdvisorFactory(agency=Agency.objects.get(slug="atrium"))


def test_an_entrepreneur_declares_a_need_and_sees_where_it_went(client, routing_rules):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        "/en/me/needs/new/",
        {
            "category": NeedCategory.objects.get(slug="export").pk,
            "description": "Selling to Germany",
            "urgency": "normal",
            "consent": "on",
        },
        follow=True,
    )
    content = response.content.decode()
    assert "Your need was sent to BIE." in content
    assert user.needs.get().routings.get().agency.slug == "bie"


def test_the_need_form_refuses_without_consent_in_dutch(client, routing_rules):
    client.force_login(UserFactory())
    response = client.post(
        "/nl/me/needs/new/",
        {
            "category": NeedCategory.objects.get(slug="export").pk,
            "description": "x",
            "urgency": "low",
        },
    )
    assert response.status_code == 200
    assert "Zonder uw toestemming" in response.content.decode()


def test_the_inbox_lists_the_agencys_needs_with_counts(client, bie_advisor):
    for _ in range(3):
        _need()
    client.force_login(bie_advisor.user)
    content = client.get("/en/agency/needs/").content.decode()
    assert content.count("/en/agency/needs/") >= 3
    assert "Open: <strong>3</strong>" in content


def test_the_inbox_keeps_a_constant_number_of_queries(client, bie_advisor):
    _need()
    client.force_login(bie_advisor.user)

    def count():
        client.get("/en/agency/needs/")  # the filter options are cached after one visit
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/en/agency/needs/").status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for _ in range(12):
        _need(user=UserFactory())
    assert count() == few


def test_an_advisor_acknowledges_answers_and_resolves_a_need(client, bie_advisor):
    routed = _need().routings.get()
    client.force_login(bie_advisor.user)
    base = f"/en/agency/needs/{routed.pk}/"
    assert client.get(base).status_code == 200
    client.post(base + "acknowledge/", {"note": "On it"})
    client.post(base + "answer/", {"body": "Apply to the trade-fair grant."})
    client.post(base + "resolve/", {"note": ""})
    routed.refresh_from_db()
    assert routed.status == "resolved"
    assert routed.messages.get().body == "Apply to the trade-fair grant."


def test_the_entrepreneur_reads_the_answer(client, bie_advisor):
    user = UserFactory()
    routed = _need(user).routings.get()
    services.routed_need_answer(routed=routed, by=bie_advisor.user, body="Call us on Monday.")
    client.force_login(user)
    content = client.get(f"/en/me/needs/{routed.need.pk}/").content.decode()
    assert "Call us on Monday." in content
    assert "Acknowledged" in content


def test_every_url_of_another_agencys_need_is_a_404(client, bie_advisor, atrium_advisor):
    routed = _need().routings.get()
    client.force_login(atrium_advisor.user)
    assert client.get(f"/en/agency/needs/{routed.pk}/").status_code == 404
    for action in ("acknowledge", "start", "resolve", "decline", "transfer", "assign", "answer"):
        response = client.post(
            f"/en/agency/needs/{routed.pk}/{action}/", {"note": "x", "body": "x"}
        )
        assert response.status_code == 404, action
    routed.refresh_from_db()
    assert (routed.status, routed.messages.count()) == ("new", 0)
    listing = client.get("/en/agency/needs/?status=all").content.decode()
    assert f"/en/agency/needs/{routed.pk}/" not in listing


def test_a_need_without_consent_is_a_404_for_its_agency(client, bie_advisor):
    routed = _need().routings.get()
    services.need_set_consent(need=routed.need, consent=False, by=routed.need.user)
    client.force_login(bie_advisor.user)
    assert client.get(f"/en/agency/needs/{routed.pk}/").status_code == 404


def test_someone_elses_need_is_a_404_for_an_entrepreneur(client, routing_rules):
    need = _need()
    client.force_login(UserFactory())
    assert client.get(f"/en/me/needs/{need.pk}/").status_code == 404
    assert client.post(f"/en/me/needs/{need.pk}/consent/", {"consent": "0"}).status_code == 404
    routed = need.routings.get()
    assert (
        client.post(f"/en/me/needs/{need.pk}/reply/{routed.pk}/", {"body": "x"}).status_code == 404
    )
    need.refresh_from_db()
    assert need.consent


def test_entrepreneurs_cannot_open_the_inbox(client, routing_rules):
    client.force_login(UserFactory())
    assert client.get("/en/agency/needs/").status_code == 404
    assert RoutedNeed.objects.count() == 0


def test_a_booking_can_carry_a_need_to_the_permanences_agency(client, routing_rules, make_slot):
    slot = make_slot(days=2)
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        f"/en/permanences/slots/{slot.pk}/book/",
        {
            "category": NeedCategory.objects.get(slug="financing").pk,
            "topic": "A loan for our first van",
            "language": "fr",
            "consent_share_profile": "on",
            "follow_up": "on",
        },
    )
    assert response.status_code == 302
    need = user.needs.get()
    assert (need.source, need.booking.slot, need.description) == (
        "booking",
        slot,
        "A loan for our first van",
    )
    assert [r.agency for r in need.routings.all()] == [slot.agency]


def _status_options(content: str) -> list[tuple[str, str]]:
    select = re.search(r'<select[^>]*name="status".*?</select>', content, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)


def test_the_status_filter_has_one_all_that_shows_transferred_needs_too(client, bie_advisor):
    moved = _need().routings.get()
    services.routed_need_transfer(
        routed=moved,
        to_agency=Agency.objects.get(slug="atrium"),
        by=bie_advisor.user,
        reason="A shop",
    )
    still_open = _need().routings.get()
    client.force_login(bie_advisor.user)

    options = _status_options(client.get("/en/agency/needs/").content.decode())
    assert [label for _, label in options].count("All") == 1
    assert options[:3] == [("", "Open"), ("all", "All"), ("new", "New")]
    assert ("transferred", "Transferred") in options

    everything = client.get("/en/agency/needs/?status=all").content.decode()
    assert f"/en/agency/needs/{moved.pk}/" in everything
    assert f"/en/agency/needs/{still_open.pk}/" in everything
    by_default = client.get("/en/agency/needs/?status=").content.decode()
    assert f"/en/agency/needs/{moved.pk}/" not in by_default
    assert f"/en/agency/needs/{still_open.pk}/" in by_default


def test_the_need_statuses_agree_with_each_other_in_french(client, bie_advisor):
    client.force_login(bie_advisor.user)
    options = dict(_status_options(client.get("/fr/agency/needs/").content.decode()))
    assert [options[s] for s in ("new", "acknowledged", "resolved", "declined", "transferred")] == [
        "Nouveau",
        "Reçu",
        "Résolu",
        "Refusé",
        "Transféré",
    ]


def test_each_text_area_of_a_needs_page_has_its_own_id_and_label(client, bie_advisor):
    routed = _need().routings.get()
    client.force_login(bie_advisor.user)
    content = client.get(f"/en/agency/needs/{routed.pk}/").content.decode()
    ids = re.findall(r'<textarea[^>]*\bid="([^"]+)"', content)
    assert len(ids) == len(set(ids)) == 3
    assert 'for="id_transfer_note"' in content
    assert re.search(r'<label[^>]*for="id_transfer_note"[^>]*>\s*Reason', content)
    assert re.search(r'<textarea[^>]*name="note"[^>]*id="id_transfer_note"', content) or re.search(
        r'<textarea[^>]*id="id_transfer_note"[^>]*name="note"', content
    )


def test_the_transfer_and_step_notes_still_reach_their_actions(client, bie_advisor):
    routed = _need().routings.get()
    client.force_login(bie_advisor.user)
    base = f"/en/agency/needs/{routed.pk}/"
    client.post(base + "acknowledge/", {"note": "Seen it"})
    atrium = Agency.objects.get(slug="atrium")
    client.post(base + "transfer/", {"to_agency": atrium.pk, "note": "It is about a shop"})
    assert [e.note for e in routed.events.order_by("pk")][1:] == ["Seen it", "It is about a shop"]


def test_the_transfer_button_does_not_wrap(client, bie_advisor):
    routed = _need().routings.get()
    client.force_login(bie_advisor.user)
    content = client.get(f"/en/agency/needs/{routed.pk}/").content.decode()
    assert re.search(r'<button class="[^"]*text-nowrap[^"]*">Transfer</button>', content)


def test_the_time_to_acknowledge_shows_only_while_the_need_is_new(client, bie_advisor):
    routed = _need().routings.get()
    client.force_login(bie_advisor.user)
    url = f"/en/agency/needs/{routed.pk}/"
    assert "to acknowledge by" in client.get(url).content.decode()
    services.routed_need_acknowledge(routed=routed, by=bie_advisor.user)
    assert "to acknowledge by" not in client.get(url).content.decode()


def test_system_notes_of_the_history_read_in_the_readers_language(client, bie_advisor):
    with translation.override("nl"):
        routed = _need().routings.get()
        services.routed_need_assign(routed=routed, advisor=bie_advisor, by=bie_advisor.user)
        services.routed_need_answer(routed=routed, by=bie_advisor.user, body="Bel ons maandag.")
    client.force_login(bie_advisor.user)

    french = client.get(f"/fr/agency/needs/{routed.pk}/").content.decode()
    assert "Transmis selon les règles." in french
    assert f"Attribué à {bie_advisor.user}." in french
    assert "Réponse envoyée." in french
    assert "Doorgestuurd" not in french and "Beantwoord" not in french
    dutch = client.get(f"/nl/agency/needs/{routed.pk}/").content.decode()
    assert "Doorgestuurd volgens de regels." in dutch
    assert "Beantwoord." in dutch


def test_a_transfer_reads_in_the_readers_language_with_the_reason_as_typed(
    client, bie_advisor, atrium_advisor
):
    routed = _need().routings.get()
    with translation.override("nl"):
        new = services.routed_need_transfer(
            routed=routed,
            to_agency=atrium_advisor.agency,
            by=bie_advisor.user,
            reason="Het gaat over een winkel",
        )
    client.force_login(atrium_advisor.user)
    french = client.get(f"/fr/agency/needs/{new.pk}/").content.decode()
    assert "Transféré depuis BIE. — Het gaat over een winkel" in french
    client.force_login(bie_advisor.user)
    english = client.get(f"/en/agency/needs/{routed.pk}/").content.decode()
    assert "Transferred to Atrium. — Het gaat over een winkel" in english


def test_the_need_page_keeps_a_constant_number_of_queries(client, bie_advisor, make_slot, book):
    bie = bie_advisor.agency
    user = UserFactory()
    routed = _need(user).routings.get()
    slots = [make_slot(days=day, agency=bie) for day in range(2, 13)]
    # One of each thing the page lists, then many.
    services.routed_need_answer(routed=routed, by=bie_advisor.user, body="Answer")
    services.routed_need_offer_slots(routed=routed, slots=slots[:1], by=bie_advisor.user)
    client.force_login(bie_advisor.user)
    url = f"/en/agency/needs/{routed.pk}/"

    def count():
        client.get(url)  # the directory's labels are cached after one visit
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    book(slots[-1], user)
    for _ in range(3):
        AdvisorFactory(agency=bie)
    _need(user)  # an earlier need with the agency
    other = services.need_create(
        user=user,
        category=NeedCategory.objects.get(slug="business-plan"),
        description="A plan",
        consent=True,
    ).routings.get()
    services.routed_need_transfer(routed=other, to_agency=bie, by=bie_advisor.user, reason="Export")
    for index in range(3):
        services.routed_need_answer(routed=routed, by=bie_advisor.user, body=f"Answer {index}")
        services.need_reply(routed=routed, by=user, body=f"Reply {index}")
        services.routed_need_offer_slots(
            routed=routed, slots=slots[1 + index * 3 : 4 + index * 3], by=bie_advisor.user
        )
    services.routed_need_assign(routed=routed, advisor=bie_advisor, by=bie_advisor.user)
    content = client.get(url).content.decode()
    assert content.count("Reply ") == 3
    assert content.count("Waiting for the entrepreneur") == 10
    assert count() == few
