from calls.models import Application, Assignment, Call
from calls.selectors import public_calls, ranking
from demo.calls import CLOSED_SLUG, OPEN_SLUG, load_calls
from demo.data import load_demo_data
from notifications.models import Notification


def test_the_demo_has_an_open_call_scored_and_a_closed_one_decided(db, reference_data):
    assert load_demo_data()["calls"] == 5
    open_call = Call.objects.get(slug=OPEN_SLUG)
    closed_call = Call.objects.get(slug=CLOSED_SLUG)
    assert public_calls() == [open_call, closed_call]
    assert open_call.applications.filter(status="draft").count() == 1
    assert Assignment.objects.filter(application__call=open_call, conflict=True).count() == 1
    assert [row.scores_count for row in ranking(call=open_call)] == [2, 1]
    assert closed_call.decisions_published_at is not None
    assert Notification.objects.filter(kind="call_decision").count() == 2
    assert load_calls() == 0  # running it again changes nothing
    assert Application.objects.count() == 5
