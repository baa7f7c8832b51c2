import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from calls import notices, services
from calls.models import Application, Assignment, Call, Evaluator
from calls.selectors import evaluator_progress, ranking
from notifications.emails import build_email
from notifications.models import Notification
from tests.factories import UserFactory


def apply(call, user, title):
    return services.application_save(
        call=call,
        user=user,
        project_title=title,
        team="A team.",
        solution="A solution.",
        trl=5,
        submit=True,
    )


def close(call):
    call.deadline = timezone.now() - datetime.timedelta(minutes=1)
    call.opens_at = call.deadline - datetime.timedelta(days=10)
    call.save()


@pytest.fixture
def evaluators(call, manager):
    people = [UserFactory(), UserFactory()]
    for person in people:
        services.evaluator_invite(call=call, by=manager, email=person.email)
    return people


def criteria(call):
    innovation, team = call.criteria.order_by("order")
    return innovation, team


def score(call, evaluator, application, innovation_value, team_value):
    innovation, team = criteria(call)
    assignment = Assignment.objects.get(application=application, evaluator=evaluator)
    return services.scores_submit(
        assignment=assignment,
        evaluator=evaluator,
        values={innovation.pk: innovation_value, team.pk: team_value},
    )


def test_inviting_an_existing_account_tells_them(call, manager):
    person = UserFactory()
    evaluator = services.evaluator_invite(call=call, by=manager, email=person.email.upper())
    assert evaluator.user == person
    assert Notification.objects.filter(kind=notices.EVALUATOR_INVITED, recipient=person).exists()
    with pytest.raises(services.CallRefused):
        services.evaluator_invite(call=call, by=manager, email=person.email)


def test_an_invitation_to_an_unknown_address_waits_for_the_sign_up(call, manager, client):
    services.evaluator_invite(call=call, by=manager, email="expert@example.org")
    assert Evaluator.objects.get().user is None
    person = UserFactory(email="expert@example.org")
    client.force_login(person)
    assert client.get(reverse("calls:evaluate")).status_code == 200
    assert Evaluator.objects.get().user == person


def test_only_managers_invite(call):
    with pytest.raises(services.CallRefused):
        services.evaluator_invite(call=call, by=UserFactory(), email="x@example.org")


def test_the_coordinator_manages_every_call(call):
    coordinator = UserFactory(role="coordinator", is_staff=True)
    assert coordinator.is_coordinator
    services.evaluator_invite(call=call, by=coordinator, email="x@example.org")


def test_ranking_weighs_criteria_and_leaves_conflicts_out(call, manager, evaluators):
    first, second = evaluators
    a = apply(call, UserFactory(), "A")
    b = apply(call, UserFactory(), "B")
    assert services.evaluators_assign(call=call, by=manager) == 4
    # Innovation weighs 2, team 1: (2×5 + 1×2) / 3 = 4; (2×3 + 1×3) / 3 = 3.
    score(call, first, a, 5, 2)
    score(call, second, a, 3, 3)
    # The second evaluator declares a conflict on B: only the first one's score counts.
    score(call, first, b, 4, 4)
    score(call, second, b, 0, 0)
    conflicted = Assignment.objects.get(application=b, evaluator=second)
    services.conflict_declare(assignment=conflicted, evaluator=second, reason="My cousin")
    conflicted.refresh_from_db()
    assert conflicted.conflict and conflicted.scored_at is None
    assert not conflicted.scores.exists()

    rows = {row.application.project_title: row for row in ranking(call=call)}
    assert rows["A"].score == Decimal("3.50")
    assert rows["A"].scores_count == 2
    assert rows["A"].spread == Decimal("1.00")
    assert rows["B"].score == Decimal("4.00")
    assert rows["B"].scores_count == 1
    assert rows["B"].conflicts_count == 1
    assert [row.application.project_title for row in ranking(call=call)] == ["B", "A"]
    assert rows["B"].rank == 1 and rows["A"].rank == 2

    progress = {row.evaluator.user: row for row in evaluator_progress(call=call)}
    assert (progress[second].scored, progress[second].conflicts) == (1, 1)


def test_a_conflict_sends_the_application_to_another_evaluator(call, manager, evaluators):
    first, second = evaluators
    third = UserFactory()
    services.evaluator_invite(call=call, by=manager, email=third.email)
    application = apply(call, UserFactory(), "A")
    services.evaluators_assign(call=call, by=manager, per_application=1)
    assignment = Assignment.objects.get(application=application)
    replacement = services.conflict_declare(assignment=assignment, evaluator=assignment.evaluator)
    assert replacement is not None
    assert replacement.evaluator != assignment.evaluator
    # Assigning again does not count the conflicted evaluator among the application's.
    assert services.evaluators_assign(call=call, by=manager, per_application=1) == 0


def test_an_evaluator_with_a_conflict_cannot_score(call, manager, evaluators):
    first, _second = evaluators
    application = apply(call, UserFactory(), "A")
    services.evaluators_assign(call=call, by=manager)
    assignment = Assignment.objects.get(application=application, evaluator=first)
    services.conflict_declare(assignment=assignment, evaluator=first)
    with pytest.raises(services.CallRefused) as refused:
        score(call, first, application, 3, 3)
    assert refused.value.code == "conflict"


def test_scores_above_the_calls_scale_are_refused(call, manager, evaluators):
    first, _second = evaluators
    application = apply(call, UserFactory(), "A")
    services.evaluators_assign(call=call, by=manager)
    with pytest.raises(services.CallRefused):
        score(call, first, application, 6, 3)  # the call scores 0-5


def test_an_evaluator_sees_only_the_applications_assigned_to_them(
    client, call, manager, evaluators
):
    first, second = evaluators
    application = apply(call, UserFactory(), "A")
    services.evaluators_assign(call=call, by=manager, per_application=1)
    assignment = Assignment.objects.get(application=application)
    other = second if assignment.evaluator == first else first
    url = reverse("calls:score", args=[call.slug, assignment.pk])
    client.force_login(assignment.evaluator)
    assert client.get(url).status_code == 200
    client.force_login(other)
    assert client.get(url).status_code == 404
    assert client.get(reverse("calls:review", args=[call.slug])).status_code == 200
    client.force_login(UserFactory())
    assert client.get(reverse("calls:review", args=[call.slug])).status_code == 404
    assert client.get(reverse("calls:manage", args=[call.slug])).status_code == 404
    assert (
        client.get(
            reverse("calls:manage_application", args=[call.slug, application.pk])
        ).status_code
        == 404
    )


def test_a_withdrawn_application_leaves_the_evaluators_list(client, call, manager, evaluators):
    user = UserFactory()
    application = apply(call, user, "A")
    services.evaluators_assign(call=call, by=manager)
    services.application_withdraw(application=application, user=user)
    assignment = Assignment.objects.filter(application=application).first()
    client.force_login(assignment.evaluator)
    assert client.get(reverse("calls:score", args=[call.slug, assignment.pk])).status_code == 404


def test_decisions_are_published_once_after_the_deadline_in_each_language(call, manager):
    french = UserFactory(language="fr")
    dutch = UserFactory(language="nl")
    a = apply(call, french, "A")
    b = apply(call, dutch, "B")
    with pytest.raises(services.CallRefused) as refused:
        services.decisions_publish(call=call, by=manager)
    assert refused.value.code == "not_closed"
    close(call)
    services.application_decide(
        application=a, by=manager, decision="selected", feedback="Très convaincant."
    )
    with pytest.raises(services.CallRefused) as refused:
        services.decisions_publish(call=call, by=manager)
    assert refused.value.code == "undecided"
    assert not Notification.objects.filter(kind=notices.DECISION).exists()
    services.application_decide(application=b, by=manager, decision="not_selected")

    assert services.decisions_publish(call=call, by=manager) == 2
    with pytest.raises(services.CallRefused) as refused:
        services.decisions_publish(call=call, by=manager)
    assert refused.value.code == "published"
    assert Notification.objects.filter(kind=notices.DECISION).count() == 2

    to_french = build_email(Notification.objects.get(kind=notices.DECISION, recipient=french))
    assert "sélectionnée" in to_french.body or "sélectionné" in to_french.body
    assert "Très convaincant." in to_french.body
    to_dutch = build_email(Notification.objects.get(kind=notices.DECISION, recipient=dutch))
    assert "niet geselecteerd" in to_dutch.body
    with pytest.raises(services.CallRefused):
        services.application_decide(application=b, by=manager, decision="selected")


def test_the_applicant_sees_the_decision_only_once_published(client, call, manager):
    user = UserFactory()
    application = apply(call, user, "A")
    close(call)
    services.application_decide(application=application, by=manager, decision="selected")
    client.force_login(user)
    page = client.get(reverse("calls:apply", args=[call.slug])).content.decode()
    assert "Under evaluation" in page
    services.decisions_publish(call=call, by=manager)
    page = client.get(reverse("calls:apply", args=[call.slug])).content.decode()
    assert "Selected" in page


def test_a_draft_call_is_hidden_from_the_public(client, call):
    call.status = Call.Status.DRAFT
    call.save()
    assert client.get(reverse("calls:detail", args=[call.slug])).status_code == 404
    assert client.get(reverse("calls:list")).status_code == 200


def test_a_decision_on_a_draft_is_refused_by_the_database(call):
    from django.db import IntegrityError

    application = services.application_save(call=call, user=UserFactory(), project_title="Draft")
    with pytest.raises(IntegrityError):
        Application.objects.filter(pk=application.pk).update(decision="selected")


def test_the_managers_download_the_ranking_and_nobody_else(client, call, manager):
    apply(call, UserFactory(), "=HYPERLINK(evil)")
    url = reverse("calls:manage_export", args=[call.slug])
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(manager)
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode("utf-8-sig")
    assert "'=HYPERLINK(evil)" in body


def test_once_published_the_manage_page_no_longer_offers_to_invite_or_assign(client, call, manager):
    a = apply(call, UserFactory(), "A")
    client.force_login(manager)
    url = reverse("calls:manage", args=[call.slug])
    page = client.get(url).content.decode()
    assert 'id="invite-form"' in page and 'id="assign-form"' in page
    close(call)
    services.application_decide(application=a, by=manager, decision="selected")
    services.decisions_publish(call=call, by=manager)
    page = client.get(url).content.decode()
    assert 'id="invite-form"' not in page and 'id="assign-form"' not in page
