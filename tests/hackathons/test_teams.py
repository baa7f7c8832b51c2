import datetime

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from events.models import Registration
from hackathons import services
from hackathons.models import SkillPost, Team, TeamMember
from tests.factories import UserFactory


def test_a_registered_participant_creates_a_team_and_is_its_first_member(hackathon, participant):
    alice = participant()
    team = services.team_create(hackathon=hackathon, user=alice, name="Bruxelles Bytes")
    assert list(team.members.values_list("user", flat=True)) == [alice.pk]


def test_it_refuses_a_team_to_someone_without_a_confirmed_registration(hackathon):
    stranger = UserFactory()
    Registration.objects.create(
        event=hackathon.event,
        user=stranger,
        status=Registration.Status.WAITLISTED,
        waitlist_position=1,
    )
    with pytest.raises(services.HackathonRefused) as refused:
        services.team_create(hackathon=hackathon, user=stranger, name="X")
    assert refused.value.code == "not_participant"


def test_the_database_holds_one_team_per_person_per_hackathon(hackathon, participant):
    alice = participant()
    services.team_create(hackathon=hackathon, user=alice, name="One")
    other = Team.objects.create(hackathon=hackathon, name="Two")
    with pytest.raises(IntegrityError):
        TeamMember.objects.create(team=other, hackathon=hackathon, user=alice)


def test_a_second_team_is_refused_with_a_message(hackathon, participant):
    alice = participant()
    services.team_create(hackathon=hackathon, user=alice, name="One")
    with pytest.raises(services.HackathonRefused) as refused:
        services.team_create(hackathon=hackathon, user=alice, name="Two")
    assert refused.value.code == "has_team"
    assert Team.objects.count() == 1


def test_joining_by_the_invitation_link_until_the_team_is_full(hackathon, participant):
    team = services.team_create(hackathon=hackathon, user=participant(), name="T")
    services.team_join(token=team.invite_token, user=participant())
    services.team_join(token=team.invite_token, user=participant())
    with pytest.raises(services.HackathonRefused) as refused:
        services.team_join(token=team.invite_token, user=participant())
    assert refused.value.code == "full"
    assert team.members.count() == hackathon.team_size_max == 3


def test_a_renewed_invitation_link_replaces_the_old_one(hackathon, participant):
    alice = participant()
    team = services.team_create(hackathon=hackathon, user=alice, name="T")
    old = team.invite_token
    services.team_invite_renew(team=team, user=alice)
    with pytest.raises(services.HackathonRefused) as refused:
        services.team_join(token=old, user=participant())
    assert refused.value.code == "bad_invite"


def test_leaving_the_last_member_deletes_a_team_without_submission(hackathon, participant):
    alice, bob = participant(), participant()
    team = services.team_create(hackathon=hackathon, user=alice, name="T")
    services.team_join(token=team.invite_token, user=bob)
    assert services.team_leave(team=team, user=alice) is False
    assert services.team_leave(team=team, user=bob) is True
    assert not Team.objects.exists()


def test_teams_cannot_form_after_the_deadline(hackathon, participant):
    later = hackathon.submission_deadline + datetime.timedelta(minutes=1)
    with pytest.raises(services.HackathonRefused) as refused:
        services.team_create(hackathon=hackathon, user=participant(), name="T", now=later)
    assert refused.value.code == "late"


def test_the_join_page_joins_the_signed_in_participant(client, hackathon, participant):
    team = services.team_create(hackathon=hackathon, user=participant(), name="Joiners")
    bob = participant()
    client.force_login(bob)
    url = reverse("hackathons:join", kwargs={"token": team.invite_token})
    assert b"Joiners" in client.get(url).content
    response = client.post(url)
    assert response.status_code == 302
    assert TeamMember.objects.filter(team=team, user=bob).exists()


def test_an_unknown_invitation_link_is_a_404(client, hackathon, participant):
    client.force_login(participant())
    assert client.get(reverse("hackathons:join", kwargs={"token": "nope"})).status_code == 404


def test_my_team_page_is_a_404_for_someone_outside_any_team(client, hackathon, participant):
    services.team_create(hackathon=hackathon, user=participant(), name="Theirs")
    client.force_login(participant())
    assert client.get(reverse("hackathons:my_team", args=["hack-test"])).status_code == 404


def test_team_creation_is_rate_limited(client, settings, hackathon, participant):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "hackathon_team": "1/h/user"}
    alice = participant()
    client.force_login(alice)
    url = reverse("hackathons:team_create", args=["hack-test"])
    assert client.post(url, {"name": "First"}).status_code == 302
    services.team_leave(team=Team.objects.get(), user=alice)
    assert client.post(url, {"name": "Second"}).status_code == 429


def test_the_board_filters_teams_and_people_by_skill(client, hackathon, participant):
    services.team_create(
        hackathon=hackathon,
        user=participant(),
        name="Designers wanted",
        looking_for_members=True,
        skills_wanted="UX design, Figma",
    )
    services.team_create(
        hackathon=hackathon,
        user=participant(),
        name="Coders wanted",
        looking_for_members=True,
        skills_wanted="Django",
    )
    services.skill_post_save(
        hackathon=hackathon, user=participant(first_name="Pia"), skills="Figma, print"
    )
    services.skill_post_save(
        hackathon=hackathon, user=participant(first_name="Otto"), skills="Rust"
    )
    page = client.get(reverse("hackathons:detail", args=["hack-test"]), {"skill": "figma"})
    text = page.content.decode()
    assert "Designers wanted" in text and "Coders wanted" not in text
    assert "Pia" in text and "Otto" not in text
    assert SkillPost.objects.count() == 2


def test_the_public_page_shows_challenges_and_the_deadline(client, hackathon):
    text = client.get(reverse("hackathons:detail", args=["hack-test"])).content.decode()
    assert "Open data" in text and "European Commission" in text
    local = timezone.localtime(hackathon.submission_deadline)
    assert f"{local:%H:%M}" in text


def test_a_nul_character_in_a_link_or_a_filter_is_no_server_error(client, hackathon, participant):
    client.force_login(participant())
    assert client.get(reverse("hackathons:join", kwargs={"token": "a\x00b"})).status_code == 404
    page = client.get(reverse("hackathons:detail", args=["hack-test"]), {"skill": "fig\x00ma"})
    assert page.status_code == 200


def test_hackathon_settings_belong_to_an_event_of_kind_hackathon(hackathon):
    from django.core.exceptions import ValidationError

    from events.models import Event

    hackathon.event.kind = Event.Kind.WORKSHOP
    with pytest.raises(ValidationError):
        hackathon.full_clean()


def test_the_event_page_partial_links_to_the_hackathon(hackathon):
    from django.template.loader import render_to_string

    from events.models import Event

    assert "/hackathons/hack-test/" in render_to_string(
        "hackathons/_event_link.html", {"event": hackathon.event}
    )
    other = Event.objects.create(
        slug="talk", kind="conference", title="Talk", capacity=5, address="Here"
    )
    assert render_to_string("hackathons/_event_link.html", {"event": other}).strip() == ""


def test_a_partner_logo_is_shown_through_its_view_and_must_be_an_image(client, hackathon):
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from hackathons.models import Partner

    partner = Partner.objects.get()
    partner.logo = SimpleUploadedFile("logo.png", b"\x89PNG\r\n\x1a\n0000")
    partner.full_clean()
    partner.save()
    response = client.get(reverse("hackathons:partner_logo", args=[partner.pk]))
    assert response["Content-Type"] == "image/png"
    assert (
        f"/hackathons/partners/{partner.pk}/logo/"
        in client.get(reverse("hackathons:detail", args=["hack-test"])).content.decode()
    )
    partner.logo = SimpleUploadedFile("logo.svg", b"<svg onload='alert(1)'/>")
    with pytest.raises(ValidationError):
        partner.full_clean()


def test_the_forms_asking_for_personal_data_link_to_the_privacy_notice(
    client, hackathon, participant
):
    client.force_login(participant())
    slug = hackathon.event.slug
    for url in (f"/en/hackathons/{slug}/teams/new/", f"/en/hackathons/{slug}/skills/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'How we use your data: <a href="/en/privacy/">' in response.content.decode(), url
