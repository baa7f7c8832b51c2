import json

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.privacy import personal_data_collect, user_erase
from hackathons import services
from hackathons.models import SkillPost, Submission, Team, TeamMember


def test_the_export_holds_teams_skills_and_submissions(hackathon, participant):
    alice = participant()
    services.skill_post_save(hackathon=hackathon, user=alice, skills="Figma")
    team = services.team_create(hackathon=hackathon, user=alice, name="Les Fourmis")
    services.submission_save(
        team=team,
        user=alice,
        project_name="Fourmilière",
        description="Une app.",
        files=[SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")],
    )
    data = json.dumps(personal_data_collect(user=alice), default=str, ensure_ascii=False)
    assert "Les Fourmis" in data and "Fourmilière" in data and "Figma" in data and "a.pdf" in data


def test_erasure_removes_the_person_from_teams_and_skills_but_keeps_submissions(
    hackathon, participant
):
    alice, bob, carol = participant(), participant(), participant()
    submitted = services.team_create(hackathon=hackathon, user=alice, name="Submitted")
    services.team_join(token=submitted.invite_token, user=bob)
    services.submission_save(team=submitted, user=bob, project_name="P", description="D")
    services.skill_post_save(hackathon=hackathon, user=alice, skills="Figma")
    services.team_create(hackathon=hackathon, user=carol, name="Alone")
    user_erase(user=alice)
    user_erase(user=carol)
    assert not TeamMember.objects.filter(user__in=[alice, carol]).exists()
    assert not SkillPost.objects.exists()
    assert list(Team.objects.values_list("name", flat=True)) == ["Submitted"]
    assert Submission.objects.get().team == submitted
    assert list(submitted.members.values_list("user", flat=True)) == [bob.pk]
