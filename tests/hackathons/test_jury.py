from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.urls import reverse

from hackathons import services
from hackathons.models import Assignment, Award, Criterion, Score
from hackathons.selectors import ranking
from notifications.models import Notification
from tests.factories import UserFactory


@pytest.fixture
def submissions(hackathon, participant):
    """Three submissions, A, B and C, of three teams."""
    made = []
    for name in "ABC":
        person = participant()
        team = services.team_create(hackathon=hackathon, user=person, name=f"Team {name}")
        made.append(
            services.submission_save(
                team=team, user=person, project_name=f"Project {name}", description="…"
            )
        )
    return made


@pytest.fixture
def jurors(hackathon):
    people = [UserFactory(first_name=f"Juror{i}") for i in range(3)]
    hackathon.jurors.add(*people)
    return people


def criteria(hackathon):
    impact, design = Criterion.objects.filter(hackathon=hackathon).order_by("order")
    return impact, design


def score(hackathon, juror, submission, impact_value, design_value, comment=""):
    impact, design = criteria(hackathon)
    assignment = Assignment.objects.get(juror=juror, submission=submission)
    return services.scores_submit(
        assignment=assignment,
        juror=juror,
        values={impact.pk: impact_value, design.pk: design_value},
        comment=comment,
    )


def test_every_juror_to_every_submission(hackathon, organiser, submissions, jurors):
    assert services.jurors_assign(hackathon=hackathon, by=organiser) == 9
    assert services.jurors_assign(hackathon=hackathon, by=organiser) == 0  # idempotent


def test_a_split_gives_each_submission_its_jurors_evenly(hackathon, organiser, submissions, jurors):
    assert services.jurors_assign(hackathon=hackathon, by=organiser, per_submission=2) == 6
    for submission in submissions:
        assert submission.assignments.count() == 2
    for juror in jurors:
        assert Assignment.objects.filter(juror=juror).count() == 2


def test_only_an_organiser_assigns_jurors(hackathon, submissions, jurors):
    with pytest.raises(services.HackathonRefused):
        services.jurors_assign(hackathon=hackathon, by=UserFactory())


def test_the_ranking_is_the_mean_of_each_jurors_weighted_average(
    hackathon, organiser, submissions, jurors
):
    a, b, c = submissions
    services.jurors_assign(hackathon=hackathon, by=organiser)
    j1, j2, j3 = jurors
    # impact weighs 2, design 1: (2×9 + 1×6) / 3 = 8, (2×6 + 1×9) / 3 = 7 -> A: 7.5
    score(hackathon, j1, a, 9, 6)
    score(hackathon, j2, a, 6, 9)
    # B: (2×10 + 1×1) / 3 = 7, (2×8 + 1×8) / 3 = 8 -> 7.5, tied with A
    score(hackathon, j1, b, 10, 1)
    score(hackathon, j2, b, 8, 8)
    # C: (2×5 + 1×5) / 3 = 5, one juror only
    score(hackathon, j3, c, 5, 5)
    rows = ranking(hackathon=hackathon)
    summary = [(r.submission.project_name, r.score, r.rank, r.tied, r.scores_count) for r in rows]
    assert summary == [
        ("Project A", Decimal("7.50"), 1, True, 2),
        ("Project B", Decimal("7.50"), 1, True, 2),
        ("Project C", Decimal("5.00"), 3, False, 1),
    ]
    assert rows[0].by_criterion == [Decimal("7.50"), Decimal("7.50")]
    assert rows[0].assigned_count == 3


def test_unsubmitted_and_unscored_submissions_are_unranked(
    hackathon, organiser, submissions, jurors
):
    services.jurors_assign(hackathon=hackathon, by=organiser, per_submission=1)
    score(hackathon, jurors[0], submissions[0], 4, 4)
    rows = ranking(hackathon=hackathon)
    assert [(r.rank, r.score) for r in rows] == [(1, Decimal("4.00")), (None, None), (None, None)]


def test_a_score_outside_0_to_10_is_refused_by_the_service_and_the_database(
    hackathon, organiser, submissions, jurors
):
    services.jurors_assign(hackathon=hackathon, by=organiser)
    with pytest.raises(services.HackathonRefused):
        score(hackathon, jurors[0], submissions[0], 11, 3)
    impact, _design = criteria(hackathon)
    assignment = Assignment.objects.filter(juror=jurors[0]).first()
    with pytest.raises(IntegrityError):
        Score.objects.create(assignment=assignment, criterion=impact, value=11)


def test_a_juror_scores_only_what_is_assigned_to_them(client, hackathon, organiser, submissions):
    juror, other = UserFactory(), UserFactory()
    hackathon.jurors.add(juror, other)
    services.jurors_assign(hackathon=hackathon, by=organiser)
    theirs = Assignment.objects.get(juror=other, submission=submissions[0])
    client.force_login(juror)
    assert client.get(reverse("hackathons:score", args=["hack-test", theirs.pk])).status_code == 404
    with pytest.raises(services.HackathonRefused):
        impact, design = criteria(hackathon)
        services.scores_submit(assignment=theirs, juror=juror, values={impact.pk: 5, design.pk: 5})


def test_a_juror_sees_the_other_scores_only_after_submitting_theirs(
    client, hackathon, organiser, submissions, jurors
):
    services.jurors_assign(hackathon=hackathon, by=organiser)
    j1, j2, _j3 = jurors
    score(hackathon, j2, submissions[0], 3, 3, comment="Secret verdict of juror two")
    mine = Assignment.objects.get(juror=j1, submission=submissions[0])
    url = reverse("hackathons:score", args=["hack-test", mine.pk])
    client.force_login(j1)
    assert "Secret verdict" not in client.get(url).content.decode()
    impact, design = criteria(hackathon)
    response = client.post(
        url, {f"criterion_{impact.pk}": "7", f"criterion_{design.pk}": "8", "comment": "Good"}
    )
    assert response.status_code == 302
    assert "Secret verdict" in client.get(url).content.decode()


def test_the_ranking_page_is_the_organisers_only(client, hackathon, organiser, submissions):
    url = reverse("hackathons:manage", args=["hack-test"])
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(organiser)
    assert "Project A" in client.get(url).content.decode()


def test_publishing_the_winners_shows_them_and_tells_each_team_member_once(
    client, hackathon, organiser, submissions, jurors
):
    a, b, _c = submissions
    challenge = hackathon.challenges.get()
    b.challenge = challenge
    b.save()
    url = reverse("hackathons:detail", args=["hack-test"])
    assert "Winners" not in client.get(url).content.decode()
    recorded = services.winners_publish(
        hackathon=hackathon, by=organiser, overall=a, per_challenge={challenge.pk: b}
    )
    assert recorded == 3
    assert Award.objects.count() == 2
    assert Notification.objects.filter(kind="hackathon_results").count() == 3
    text = client.get(url).content.decode()
    assert "Winners" in text and "Project A" in text and "Project B" in text
    with pytest.raises(services.HackathonRefused):
        services.winners_publish(hackathon=hackathon, by=organiser, overall=b, per_challenge={})
    assert Award.objects.count() == 2


def test_scores_cannot_change_once_the_results_are_published(
    hackathon, organiser, submissions, jurors
):
    services.jurors_assign(hackathon=hackathon, by=organiser)
    services.winners_publish(hackathon=hackathon, by=organiser, overall=None, per_challenge={})
    with pytest.raises(services.HackathonRefused) as refused:
        score(hackathon, jurors[0], submissions[0], 5, 5)
    assert refused.value.code == "published"


def test_the_results_email_congratulates_the_winners(hackathon, organiser, submissions, mailoutbox):
    from notifications.sending import notifications_dispatch

    services.winners_publish(
        hackathon=hackathon, by=organiser, overall=submissions[0], per_challenge={}
    )
    notifications_dispatch(seconds=10)
    subjects = {m.to[0]: m.body for m in mailoutbox if "/hackathons/hack-test/" in m.body}
    winner = submissions[0].team.members.get().user.email
    assert "remporte le hackathon" in subjects[winner]  # in the person's language
    loser = submissions[1].team.members.get().user.email
    assert "Merci d'avoir participé" in subjects[loser]
