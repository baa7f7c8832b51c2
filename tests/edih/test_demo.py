from demo.data import load_demo_data
from demo.edih import ADVISOR_EMAIL, load_edih
from edih.models import TestRequest
from needs.models import RoutedNeed


def test_the_demo_has_an_edih_advisor_and_a_request_in_progress_once(db, reference_data):
    created = load_demo_data()
    assert created["EDIH"] == 2  # the advisor and the request
    test_request = TestRequest.objects.get()
    routed = test_request.need.routings.get()
    assert routed.agency.slug == "edih"
    assert routed.status == RoutedNeed.Status.IN_PROGRESS
    assert routed.messages.count() == 1
    assert "Intelligence artificielle" in test_request.need.description  # in French
    advisor = routed.agency.advisors.get()
    assert advisor.user.email == ADVISOR_EMAIL
    assert advisor.user.check_password("hub-demo-2026")
    assert load_edih() == 0
    assert TestRequest.objects.count() == 1
    assert RoutedNeed.objects.filter(agency__slug="edih").count() == 1
