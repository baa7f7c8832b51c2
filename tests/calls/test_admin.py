from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.models import Role
from accounts.services import user_set_role
from calls import services
from tests.factories import UserFactory


def test_the_coordinator_edits_calls_with_criteria_and_evaluators_inline(client, call):
    coordinator = user_set_role(user=UserFactory(), role=Role.COORDINATOR)
    # Until accounts.services.COORDINATOR_APPS lists "calls" (the lead's file).
    coordinator.user_permissions.add(*Permission.objects.filter(content_type__app_label="calls"))
    client.force_login(coordinator)
    application = services.application_save(call=call, user=UserFactory(), project_title="AirSense")
    for name, args in [
        ("admin:calls_call_changelist", []),
        ("admin:calls_call_add", []),
        ("admin:calls_call_change", [call.pk]),
        ("admin:calls_application_changelist", []),
        ("admin:calls_application_change", [application.pk]),
    ]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
    page = client.get(reverse("admin:calls_call_change", args=[call.pk])).content.decode()
    assert "title_nl" in page and "problem_en" in page


def test_an_evaluator_taken_off_the_call_no_longer_sees_its_applications(client, call, manager):
    evaluator = UserFactory()
    services.evaluator_invite(call=call, by=manager, email=evaluator.email)
    application = services.application_save(
        call=call, user=UserFactory(), project_title="A", team="t", solution="s", trl=3, submit=True
    )
    services.evaluators_assign(call=call, by=manager)
    assignment = application.assignments.get()
    url = reverse("calls:score", args=[call.slug, assignment.pk])
    client.force_login(evaluator)
    assert client.get(url).status_code == 200
    services.evaluator_remove(evaluator=call.evaluators.get(), by=manager)
    assert client.get(url).status_code == 404
