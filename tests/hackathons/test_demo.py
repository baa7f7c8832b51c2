from demo.data import load_demo_data
from demo.hackathons import SLUG, load_hackathons
from hackathons.models import Assignment, Challenge, Hackathon, Partner, Submission, Team


def test_the_demo_hackathon_has_three_challenges_three_teams_and_one_submission(db, reference_data):
    assert load_demo_data()["hackathon teams"] == 3
    hackathon = Hackathon.objects.get(event__slug=SLUG)
    assert set(Challenge.objects.values_list("partner__kind", flat=True)) == {
        Partner.Kind.EU_INSTITUTION,
        Partner.Kind.REGION,
        Partner.Kind.COMPANY,
    }
    assert Team.objects.filter(hackathon=hackathon).count() == 3
    assert Submission.objects.count() == 1
    assert Assignment.objects.count() == 2  # both jurors on the one submission
    assert load_hackathons() == 0  # running it again changes nothing
    assert Team.objects.count() == 3
