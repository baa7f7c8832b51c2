from django.urls import reverse

from calls import services
from calls.models import Call
from incubators.models import Theme
from tests.calls.conftest import make_call
from tests.factories import UserFactory


def test_the_public_list_filters_by_theme_status_and_issuer(client, call):
    theme, _ = Theme.objects.get_or_create(slug="digitalisation", defaults={"name": "Digital"})
    edih = make_call(slug="edih-call", title="EDIH AI test", funder_kind=Call.FunderKind.EDIH)
    edih.themes.add(theme)
    page = client.get(reverse("calls:list"), {"theme": "digitalisation"}).content.decode()
    assert "EDIH AI test" in page and "Smart city test" not in page
    page = client.get(reverse("calls:list"), {"funder_kind": "region"}).content.decode()
    assert "Smart city test" in page and "EDIH AI test" not in page
    page = client.get(reverse("calls:list"), {"phase": "closed"}).content.decode()
    assert "Smart city test" not in page


def test_my_applications_show_their_status(client, call):
    user = UserFactory()
    services.application_save(call=call, user=user, project_title="AirSense")
    client.force_login(user)
    page = client.get(reverse("calls:mine")).content.decode()
    assert "AirSense" in page and "Draft" in page


def test_an_anonymised_review_hides_the_applicant_from_evaluators(client, call, manager):
    call.anonymised_review = True
    call.save()
    applicant = UserFactory(first_name="Zinedine", last_name="Applicant")
    evaluator = UserFactory()
    services.evaluator_invite(call=call, by=manager, email=evaluator.email)
    application = services.application_save(
        call=call, user=applicant, project_title="A", team="t", solution="s", trl=3, submit=True
    )
    services.evaluators_assign(call=call, by=manager)
    client.force_login(evaluator)
    url = reverse("calls:score", args=[call.slug, application.assignments.get().pk])
    assert "Zinedine" not in client.get(url).content.decode()
    client.force_login(manager)
    url = reverse("calls:manage_application", args=[call.slug, application.pk])
    assert "Zinedine" in client.get(url).content.decode()
