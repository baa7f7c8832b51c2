import pytest
from django.urls import reverse

from accounts.models import Role
from accounts.services import user_set_role
from hackathons import services
from hackathons.models import Submission
from tests.factories import UserFactory


@pytest.fixture
def coordinator_client(client, db):
    coordinator = user_set_role(user=UserFactory(), role=Role.COORDINATOR)
    client.force_login(coordinator)
    return client


def test_the_coordinator_edits_hackathons_with_challenges_and_criteria_inline(
    coordinator_client, hackathon
):
    for name, args in [
        ("admin:hackathons_hackathon_changelist", []),
        ("admin:hackathons_hackathon_add", []),
        ("admin:hackathons_hackathon_change", [hackathon.pk]),
        ("admin:hackathons_challenge_changelist", []),
        ("admin:hackathons_partner_changelist", []),
        ("admin:hackathons_team_changelist", []),
        ("admin:hackathons_submission_changelist", []),
    ]:
        response = coordinator_client.get(reverse(name, args=args))
        assert response.status_code == 200, name
    page = coordinator_client.get(
        reverse("admin:hackathons_hackathon_change", args=[hackathon.pk])
    ).content.decode()
    assert "Open data" in page and "Impact" in page


def test_submissions_are_read_only_in_the_admin(coordinator_client, hackathon, participant):
    person = participant()
    team = services.team_create(hackathon=hackathon, user=person, name="T")
    submission = services.submission_save(
        team=team, user=person, project_name="Mine", description="D"
    )
    url = reverse("admin:hackathons_submission_change", args=[submission.pk])
    page = coordinator_client.get(url)
    assert page.status_code == 200
    assert b'name="project_name"' not in page.content
    coordinator_client.post(url, {"project_name": "Changed", "description": "X"})
    assert Submission.objects.get().project_name == "Mine"


def test_the_event_page_of_a_hackathon_leads_to_its_challenges_and_teams(client, hackathon):
    page = client.get(f"/en/events/{hackathon.event.slug}/").content.decode()
    assert f'href="/en/hackathons/{hackathon.event.slug}/"' in page
