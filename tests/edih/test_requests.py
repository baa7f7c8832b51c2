import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from edih import services
from edih.models import TestRequest
from edih.services import RequestRefused
from needs.models import RoutedNeed
from notifications.models import Notification
from tests.factories import AdvisorFactory, AgencyFactory, CompanyFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/en/test-before-invest/request/"


def test_a_request_is_routed_to_the_edih_and_lands_in_its_needs_inbox(
    client, founder, form_data, edih_advisor
):
    client.force_login(founder)
    response = client.post(URL, form_data, follow=True)
    assert "Your request was sent to the advisers of: EDIH." in response.content.decode()
    test_request = TestRequest.objects.get(user=founder)
    assert test_request.company_name == "Pixelforge"
    need = test_request.need
    assert need.category.slug == "test-before-invest"
    assert [r.agency.slug for r in need.routings.all()] == ["edih"]
    # The description carries the structured fields, readably.
    for text in (
        "Artificial intelligence",
        "Pixelforge",
        "Within three months",
        "Can a vision model sort our returned parcels?",
        "Confidential business data",
        "12 000 labelled photos",
    ):
        assert text in need.description
    # The EDIH's staff are told, and find it in their inbox like any need.
    assert Notification.objects.filter(recipient=edih_advisor.user, kind="need_routed").exists()
    client.force_login(edih_advisor.user)
    inbox = client.get("/en/agency/needs/").content.decode()
    assert founder.get_full_name() in inbox
    routed = need.routings.get()
    detail = client.get(f"/en/agency/needs/{routed.pk}/").content.decode()
    assert "Can a vision model sort our returned parcels?" in detail


def test_the_timeline_sets_the_needs_urgency(ask, founder, edih_data):
    assert ask(founder, timeline="month").need.urgency == "high"
    assert ask(founder, timeline="open").need.urgency == "low"


def test_a_founder_without_a_company_names_it(client, form_data, edih_data):
    user = UserFactory()
    client.force_login(user)
    form = client.get(URL).content.decode()
    assert 'name="company"' not in form
    data = {**form_data, "company": "", "company_name": ""}
    response = client.post(URL, data)
    assert response.status_code == 200
    assert not TestRequest.objects.exists()
    client.post(URL, {**data, "company_name": "Solo SRL"})
    assert TestRequest.objects.get().company_name == "Solo SRL"


def test_another_technology_must_be_named(client, founder, form_data, edih_data):
    client.force_login(founder)
    response = client.post(URL, {**form_data, "technology": "other"})
    assert "Say which technology you want to test." in response.content.decode()
    assert not TestRequest.objects.exists()
    client.post(URL, {**form_data, "technology": "other", "technology_other": "Quantum"})
    assert TestRequest.objects.get().technology_label == "Quantum"


def test_the_form_speaks_french(client, founder, form_data, edih_data):
    client.force_login(founder)
    response = client.post(URL.replace("/en/", "/fr/"), {**form_data, "goal": "", "consent": ""})
    content = response.content.decode()
    assert "Ce champ est obligatoire." in content
    assert "Sans votre consentement" in content
    assert "Demander un test" in content


def test_someone_elses_company_is_refused(client, founder, form_data, edih_data):
    other = CompanyFactory(name="Not mine")
    client.force_login(founder)
    response = client.post(URL, {**form_data, "company": other.pk})
    assert response.status_code == 200
    assert not TestRequest.objects.exists()


def test_without_consent_nothing_is_recorded(ask, founder, edih_data):
    with pytest.raises(RequestRefused):
        ask(founder, consent=False)
    assert not TestRequest.objects.exists()


def test_the_entrepreneur_sees_the_status_and_the_edihs_answer(client, ask, founder, edih_advisor):
    from needs.services import routed_need_answer

    test_request = ask(founder)
    routed = test_request.need.routings.get()
    routed_need_answer(routed=routed, by=edih_advisor.user, body="Send us 100 photos first.")
    client.force_login(founder)
    page = client.get(f"/en/me/test-requests/{test_request.pk}/").content.decode()
    assert "Send us 100 photos first." in page
    assert "Acknowledged" in page
    assert f"/en/me/needs/{test_request.need.pk}/" in page
    listing = client.get("/en/test-before-invest/").content.decode()
    assert test_request.get_absolute_url() in listing


def test_someone_elses_request_is_a_404(client, ask, founder, edih_advisor):
    test_request = ask(founder)
    client.force_login(UserFactory())
    assert client.get(f"/en/me/test-requests/{test_request.pk}/").status_code == 404
    # Agency pages: an entrepreneur, and another agency's advisor, get a 404.
    assert client.get("/en/agency/test-requests/").status_code == 404
    assert client.get(f"/en/agency/test-requests/{test_request.pk}/").status_code == 404
    other = AdvisorFactory(agency=AgencyFactory())
    client.force_login(other.user)
    assert client.get("/en/agency/test-requests/").status_code == 200
    assert client.get(f"/en/agency/test-requests/{test_request.pk}/").status_code == 404
    response = client.post(
        f"/en/agency/test-requests/{test_request.pk}/outcome/", {"outcome": "test_done"}
    )
    assert response.status_code == 404
    test_request.refresh_from_db()
    assert test_request.outcome == ""


def test_a_withdrawn_consent_hides_the_request_from_the_edih(client, ask, founder, edih_advisor):
    from needs.services import need_set_consent

    test_request = ask(founder)
    need_set_consent(need=test_request.need, consent=False, by=founder)
    client.force_login(edih_advisor.user)
    assert client.get(f"/en/agency/test-requests/{test_request.pk}/").status_code == 404


def test_the_edih_records_the_outcome_and_the_entrepreneur_sees_it(
    client, ask, founder, edih_advisor
):
    test_request = ask(founder)
    client.force_login(edih_advisor.user)
    listing = client.get("/en/agency/test-requests/").content.decode()
    assert "Pixelforge" in listing
    response = client.post(
        f"/en/agency/test-requests/{test_request.pk}/outcome/",
        {"outcome": "test_done", "note": "The model sorts 94% of the parcels."},
        follow=True,
    )
    assert "The outcome is recorded." in response.content.decode()
    test_request.refresh_from_db()
    assert test_request.outcome == "test_done"
    assert test_request.outcome_by == edih_advisor.user
    routed = test_request.need.routings.get()
    assert routed.status == RoutedNeed.Status.RESOLVED
    # needs' own notice tells the entrepreneur.
    assert Notification.objects.filter(recipient=founder, kind="need_updated").exists()
    client.force_login(founder)
    page = client.get(f"/en/me/test-requests/{test_request.pk}/").content.decode()
    assert "Test done" in page
    assert "The model sorts 94% of the parcels." in page


def test_not_feasible_declines_the_need_and_needs_a_reason(client, ask, founder, edih_advisor):
    test_request = ask(founder)
    client.force_login(edih_advisor.user)
    url = f"/en/agency/test-requests/{test_request.pk}/outcome/"
    response = client.post(url, {"outcome": "not_feasible", "note": " "})
    assert response.status_code == 400
    assert "Say why the test is not feasible" in response.content.decode()
    client.post(url, {"outcome": "not_feasible", "note": "Too few images to train on."})
    test_request.refresh_from_db()
    assert test_request.outcome == "not_feasible"
    assert test_request.need.routings.get().status == RoutedNeed.Status.DECLINED


def test_an_outcome_is_recorded_once(ask, founder, edih_advisor):
    test_request = ask(founder)
    agency = edih_advisor.agency
    services.test_request_record_outcome(
        test_request=test_request, agency=agency, by=edih_advisor.user, outcome="referred"
    )
    with pytest.raises(RequestRefused):
        services.test_request_record_outcome(
            test_request=test_request, agency=agency, by=edih_advisor.user, outcome="test_done"
        )
    test_request.refresh_from_db()
    assert test_request.outcome == "referred"


def test_an_outcome_after_the_inbox_closed_the_need_keeps_its_status(ask, founder, edih_advisor):
    from needs.services import routed_need_resolve

    test_request = ask(founder)
    routed = test_request.need.routings.get()
    routed_need_resolve(routed=routed, by=edih_advisor.user)
    services.test_request_record_outcome(
        test_request=test_request,
        agency=edih_advisor.agency,
        by=edih_advisor.user,
        outcome="referred",
        note="Sent to the HPC centre.",
    )
    routed.refresh_from_db()
    assert routed.status == RoutedNeed.Status.RESOLVED
    assert TestRequest.objects.get().outcome == "referred"


def test_the_database_refuses_an_unnamed_technology_and_an_outcome_without_time(
    ask, founder, edih_data
):
    test_request = ask(founder)
    with pytest.raises(IntegrityError), transaction.atomic():
        TestRequest.objects.filter(pk=test_request.pk).update(technology="other")
    with pytest.raises(IntegrityError), transaction.atomic():
        TestRequest.objects.filter(pk=test_request.pk).update(outcome="test_done")
    with pytest.raises(IntegrityError), transaction.atomic():
        TestRequest.objects.filter(pk=test_request.pk).update(timeline="tomorrow")
    with pytest.raises(IntegrityError), transaction.atomic():
        TestRequest.objects.filter(pk=test_request.pk).update(company_name="")
    TestRequest.objects.filter(pk=test_request.pk).update(
        outcome="test_done", outcome_at=timezone.now()
    )


def test_the_request_form_is_rate_limited(client, founder, form_data, edih_data, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "landing": "2/h/user"}
    client.force_login(founder)
    assert client.post(URL, form_data).status_code == 302
    assert client.post(URL, form_data).status_code == 302
    assert client.post(URL, form_data).status_code == 429
    assert TestRequest.objects.count() == 2


def test_anonymous_visitors_see_the_page_and_are_asked_to_log_in(client, edih_data):
    page = client.get("/fr/test-before-invest/")
    assert page.status_code == 200
    assert "Tester avant d&#x27;investir" in page.content.decode()
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    "path",
    [
        "/en/me/test-requests/99999999999999999999/",
        "/en/me/test-requests/0/",
        "/en/agency/test-requests/99999999999999999999/",
        "/en/test-before-invest/?x=%00",
        "/en/test-before-invest/request/?company=%00",
    ],
)
def test_hostile_urls_never_answer_a_500(client, founder, edih_advisor, path):
    client.force_login(founder)
    assert client.get(path).status_code in (200, 404)
    client.force_login(edih_advisor.user)
    assert client.get(path).status_code in (200, 404)


@pytest.mark.parametrize(
    "changes",
    [
        {"technology": "x" * 500},
        {"company": "abc"},
        {"company": "99999999999999999999"},
        {"company": "-1"},
        {"goal": "a\x00b"},
        {"data_sensitivity": "secret"},
        {"timeline": ""},
        {"goal": "x" * 5000},
        {"technology_other": "y" * 300, "technology": "other"},
    ],
)
def test_hostile_form_input_never_answers_a_500(client, founder, form_data, edih_data, changes):
    client.force_login(founder)
    response = client.post(URL, {**form_data, **changes})
    assert response.status_code == 200
    assert not TestRequest.objects.exists()


@pytest.mark.parametrize(
    "data", [{}, {"outcome": "won"}, {"outcome": ""}, {"outcome": "test_done", "note": "x" * 3000}]
)
def test_hostile_outcome_input_never_answers_a_500(client, ask, founder, edih_advisor, data):
    test_request = ask(founder)
    client.force_login(edih_advisor.user)
    response = client.post(f"/en/agency/test-requests/{test_request.pk}/outcome/", data)
    assert response.status_code == 400
    assert client.get(f"/en/agency/test-requests/{test_request.pk}/outcome/").status_code == 405


def test_the_dutch_test_before_invest_page_is_titled_in_dutch(client):
    content = client.get("/nl/test-before-invest/").content.decode()
    assert "<h1" in content and "Testen voor u investeert</h1>" in content
