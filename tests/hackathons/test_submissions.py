import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hackathons import services
from hackathons.models import Submission, SubmissionFile
from tests.factories import UserFactory

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"


@pytest.fixture
def team(hackathon, participant):
    return services.team_create(hackathon=hackathon, user=participant(), name="Makers")


def member(team):
    return team.members.get().user


def submit(team, **overrides):
    data = {
        "team": team,
        "user": member(team),
        "project_name": "Quartier ouvert",
        "description": "Une carte des institutions.",
        "repository_url": "https://example.org/repo",
        **overrides,
    }
    return services.submission_save(**data)


def test_a_member_submits_and_edits_until_the_deadline(team):
    submit(team)
    submit(team, project_name="Quartier ouvert 2")
    assert Submission.objects.get().project_name == "Quartier ouvert 2"


def test_a_late_submission_is_refused_with_the_deadline_in_brussels_time(hackathon, team):
    late = hackathon.submission_deadline + datetime.timedelta(seconds=1)
    with pytest.raises(services.HackathonRefused) as refused:
        submit(team, now=late)
    assert refused.value.code == "late"
    assert "Brussels time" in refused.value.message
    assert not Submission.objects.exists()


def test_one_second_before_the_deadline_is_still_accepted(hackathon, team):
    submit(team, now=hackathon.submission_deadline - datetime.timedelta(seconds=1))
    assert Submission.objects.count() == 1


def test_someone_outside_the_team_cannot_submit_for_it(team):
    with pytest.raises(services.HackathonRefused):
        submit(team, user=UserFactory())


def test_files_are_stored_privately_under_media_root_private(settings, team):
    submit(team, files=[SimpleUploadedFile("pitch.pdf", PDF)])
    stored = SubmissionFile.objects.get()
    path = Path(stored.file.path)
    assert path.is_relative_to(Path(settings.MEDIA_ROOT) / "private")
    assert path.read_bytes() == PDF
    with pytest.raises(ValueError):
        stored.file.url  # noqa: B018 - no address serves it


@pytest.mark.parametrize(
    "name, content, code",
    [
        ("virus.exe", b"MZ\x90\x00", "type"),
        ("pitch.pdf", b"MZ\x90\x00 not a pdf", "content"),
        ("slides.pptx", b"%PDF-1.4", "content"),
        ("notes.txt", b"\x00\x01\x02binary", "content"),
        ("empty.pdf", b"", "content"),
    ],
)
def test_files_are_checked_by_extension_and_first_bytes(team, name, content, code):
    with pytest.raises(services.HackathonRefused) as refused:
        submit(team, files=[SimpleUploadedFile(name, content)])
    assert refused.value.code == "file"
    assert name in refused.value.message
    assert not SubmissionFile.objects.exists()


def test_accepted_files_of_every_kind(team):
    files = [
        SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20),
        SimpleUploadedFile("b.JPG", b"\xff\xd8\xff\xe0" + b"0" * 20),
        SimpleUploadedFile("c.zip", b"PK\x03\x04" + b"0" * 20),
        SimpleUploadedFile("d.md", "# Équipe\n".encode()),
    ]
    submit(team, files=files)
    assert SubmissionFile.objects.count() == 4


def test_a_file_over_the_size_setting_is_refused(settings, team):
    settings.HACKATHON_UPLOAD_MAX_BYTES = 100
    with pytest.raises(services.HackathonRefused) as refused:
        submit(team, files=[SimpleUploadedFile("big.pdf", PDF + b"0" * 200)])
    assert "too large" in refused.value.message


def test_the_form_shows_a_refused_file_as_an_error(client, team):
    client.force_login(member(team))
    response = client.post(
        reverse("hackathons:submission", args=["hack-test"]),
        {
            "project_name": "P",
            "description": "D",
            "files": SimpleUploadedFile("run.sh", b"#!/bin/sh\n"),
        },
    )
    assert response.status_code == 200
    assert "this type of file is not accepted" in response.content.decode()
    assert not Submission.objects.exists()


def test_the_form_validates_urls(client, team):
    client.force_login(member(team))
    response = client.post(
        reverse("hackathons:submission", args=["hack-test"]),
        {"project_name": "P", "description": "D", "repository_url": "javascript:alert(1)"},
    )
    assert response.status_code == 200
    assert not Submission.objects.exists()


def test_the_page_says_the_deadline_passed(client, hackathon, team):
    hackathon.submission_deadline = hackathon.submission_deadline - datetime.timedelta(days=3)
    hackathon.save()
    client.force_login(member(team))
    response = client.post(
        reverse("hackathons:submission", args=["hack-test"]),
        {"project_name": "P", "description": "D"},
    )
    assert "The submission deadline passed on" in response.content.decode()
    assert not Submission.objects.exists()


def test_a_file_is_downloaded_by_the_team_a_juror_assigned_and_the_organiser_only(
    client, hackathon, team, participant, organiser
):
    submission = submit(team, files=[SimpleUploadedFile("pitch.pdf", PDF)])
    file = SubmissionFile.objects.get()
    url = reverse("hackathons:file", args=["hack-test", file.pk])
    juror, other_juror = UserFactory(), UserFactory()
    hackathon.jurors.add(juror, other_juror)
    submission.assignments.create(juror=juror)
    for person, status in [
        (member(team), 200),
        (juror, 200),
        (organiser, 200),
        (other_juror, 404),
        (participant(), 404),
    ]:
        client.force_login(person)
        response = client.get(url)
        assert response.status_code == status, person
        if status == 200:
            assert b"".join(response.streaming_content) == PDF
            assert "attachment" in response["Content-Disposition"]
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_media_urls_do_not_serve_private_files(client, team):
    submit(team, files=[SimpleUploadedFile("pitch.pdf", PDF)])
    name = SubmissionFile.objects.get().file.name
    assert client.get(f"/media/{name}").status_code == 404
    assert client.get(f"/media/private/{name}").status_code == 404


def test_the_form_speaks_the_readers_language(client, team):
    client.force_login(member(team))
    page = client.get("/fr/" + reverse("hackathons:submission", args=["hack-test"])[4:])
    assert "Jusqu'à 5 fichiers" in page.content.decode()
