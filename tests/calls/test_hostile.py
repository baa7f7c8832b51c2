import pytest
from django.urls import reverse

from calls import services
from tests.factories import UserFactory

HOSTILE = ["", "x" * 5000, "\x00", "'; DROP TABLE calls_call; --", "%00", "<script>", "-1", "1e99"]


@pytest.mark.parametrize("value", HOSTILE)
def test_the_public_list_never_answers_500(client, call, value):
    for name in ("q", "theme", "phase", "funder_kind"):
        response = client.get(reverse("calls:list"), {name: value})
        assert response.status_code == 200


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_form_values_are_answered_in_the_form(client, call, manager, value):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("calls:apply", args=[call.slug]),
        {"project_title": value, "trl": value, "company": value, "submit": "1"},
    )
    assert response.status_code in (200, 302)
    client.force_login(manager)
    assert (
        client.post(reverse("calls:manage_invite", args=[call.slug]), {"email": value}).status_code
        == 302
    )
    assert (
        client.post(
            reverse("calls:manage_assign", args=[call.slug]), {"per_application": value}
        ).status_code
        == 302
    )


def test_hostile_scores_and_decisions_are_refused_in_the_form(client, call, manager):
    applicant = UserFactory()
    application = services.application_save(
        call=call, user=applicant, project_title="A", team="t", solution="s", trl=4, submit=True
    )
    services.evaluator_invite(call=call, by=manager, email=manager.email)
    services.evaluators_assign(call=call, by=manager)
    assignment = application.assignments.get()
    client.force_login(manager)
    url = reverse("calls:score", args=[call.slug, assignment.pk])
    fields = {f"criterion_{c.pk}": "99" for c in call.criteria.all()}
    assert client.post(url, fields).status_code == 200
    assert not assignment.scores.exists()
    url = reverse("calls:manage_application", args=[call.slug, application.pk])
    assert client.post(url, {"decision": "hired", "feedback": "x"}).status_code == 200


@pytest.mark.parametrize(
    "name",
    ["detail", "apply", "review", "manage"],
)
def test_unknown_calls_are_404(db, client, name):
    client.force_login(UserFactory())
    assert client.get(reverse(f"calls:{name}", args=["no-such-call"])).status_code == 404


def test_get_on_post_only_actions_is_refused(client, call):
    client.force_login(UserFactory())
    assert client.get(reverse("calls:withdraw", args=[call.slug])).status_code == 405
    assert client.get(reverse("calls:manage_publish", args=[call.slug])).status_code == 405
