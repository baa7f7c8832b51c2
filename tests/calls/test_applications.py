import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from calls import notices, services
from calls.models import Application, ApplicationFile
from notifications.models import Notification
from tests.factories import CompanyFactory, UserFactory

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"


def apply(call, user, **overrides):
    data = {
        "call": call,
        "user": user,
        "project_title": "AirSense",
        "team": "Two engineers.",
        "solution": "Sensors in classrooms.",
        "trl": 6,
        "submit": True,
        **overrides,
    }
    return services.application_save(**data)


def test_a_draft_is_saved_with_a_title_only_and_nobody_is_told(call):
    user = UserFactory()
    application = apply(call, user, team="", solution="", trl=None, submit=False)
    assert application.status == Application.Status.DRAFT
    assert application.submitted_at is None
    assert not Notification.objects.exists()


def test_a_submission_needs_team_solution_and_trl(call):
    with pytest.raises(services.CallRefused) as refused:
        apply(call, UserFactory(), trl=None)
    assert refused.value.code == "incomplete"
    assert not Application.objects.exists()


def test_submitting_a_draft_tells_the_applicant_once(call):
    user = UserFactory()
    apply(call, user, submit=False)
    apply(call, user)
    apply(call, user, project_title="AirSense 2")
    application = Application.objects.get()
    assert application.status == Application.Status.SUBMITTED
    assert application.project_title == "AirSense 2"
    assert Notification.objects.filter(kind=notices.APPLICATION_SUBMITTED).count() == 1


def test_a_late_submission_is_refused_with_the_deadline_in_brussels_time(call):
    user = UserFactory()
    apply(call, user, submit=False)
    with pytest.raises(services.CallRefused) as refused:
        apply(call, user, now=call.deadline + datetime.timedelta(seconds=1))
    assert refused.value.code == "late"
    assert "Brussels time" in refused.value.message
    local = timezone.localtime(call.deadline)
    assert f"{local:%H:%M}" in refused.value.message
    assert Application.objects.get().status == Application.Status.DRAFT


def test_one_second_before_the_deadline_is_still_accepted(call):
    apply(call, UserFactory(), now=call.deadline - datetime.timedelta(seconds=1))
    assert Application.objects.filter(status="submitted").count() == 1


def test_an_upcoming_call_takes_no_application(call):
    with pytest.raises(services.CallRefused) as refused:
        apply(call, UserFactory(), now=call.opens_at - datetime.timedelta(minutes=1))
    assert refused.value.code == "not_open"


def test_the_late_form_says_why_in_the_page(client, call):
    user = UserFactory()
    call.deadline = timezone.now() - datetime.timedelta(minutes=1)
    call.opens_at = call.deadline - datetime.timedelta(days=3)
    call.save()
    client.force_login(user)
    response = client.post(
        reverse("calls:apply", args=[call.slug]),
        {"project_title": "Late", "team": "x", "solution": "y", "trl": "5", "submit": "1"},
    )
    assert response.status_code == 200
    assert "The deadline passed on" in response.content.decode()
    assert not Application.objects.exists()


def test_one_application_per_person_per_call_in_the_database(call):
    user = UserFactory()
    apply(call, user)
    with pytest.raises(IntegrityError):
        Application.objects.create(call=call, applicant=user, project_title="Again")


def test_one_application_per_company_per_call(call):
    company = CompanyFactory()
    first, second = UserFactory(), UserFactory()
    company.people.add(first, second)
    apply(call, first, company=company)
    with pytest.raises(services.CallRefused) as refused:
        apply(call, second, company=company)
    assert refused.value.code == "company_applied"
    assert Application.objects.count() == 1


def test_one_cannot_apply_for_a_company_one_does_not_belong_to(call):
    with pytest.raises(services.CallRefused) as refused:
        apply(call, UserFactory(), company=CompanyFactory())
    assert refused.value.code == "not_your_company"


def test_the_applicant_withdraws_before_the_deadline_and_may_submit_again(call):
    user = UserFactory()
    application = apply(call, user)
    services.application_withdraw(application=application, user=user)
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN
    apply(call, user)
    assert Application.objects.get().status == Application.Status.SUBMITTED


def test_withdrawing_after_the_deadline_is_refused(call):
    user = UserFactory()
    application = apply(call, user)
    with pytest.raises(services.CallRefused):
        services.application_withdraw(
            application=application, user=user, now=call.deadline + datetime.timedelta(seconds=1)
        )


def test_a_pdf_attachment_is_kept_privately(call, settings):
    user = UserFactory()
    application = apply(
        call, user, files=[SimpleUploadedFile("deck.pdf", PDF, content_type="application/pdf")]
    )
    file = ApplicationFile.objects.get(application=application)
    assert file.file.path.startswith(str(settings.MEDIA_ROOT / "private"))
    with pytest.raises(ValueError):
        file.file.url  # noqa: B018 - private files have no URL


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("tool.exe", b"MZ\x90\x00", "type"),
        ("deck.pdf", b"MZ\x90\x00not a pdf", "content"),
        ("notes.txt", b"hello", "type"),
    ],
)
def test_attachments_of_the_wrong_type_are_refused(call, name, content, code):
    with pytest.raises(services.CallRefused) as refused:
        apply(call, UserFactory(), files=[SimpleUploadedFile(name, content)])
    assert name in refused.value.message
    assert not Application.objects.exists()


def test_a_too_large_attachment_is_refused(call, settings):
    settings.CALLS_UPLOAD_MAX_BYTES = 100
    with pytest.raises(services.CallRefused) as refused:
        apply(call, UserFactory(), files=[SimpleUploadedFile("deck.pdf", PDF + b"x" * 200)])
    assert "too large" in refused.value.message


def test_the_form_says_what_is_wrong_with_an_attachment(client, call):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("calls:apply", args=[call.slug]),
        {
            "project_title": "AirSense",
            "draft": "1",
            "files": SimpleUploadedFile("virus.exe", b"MZ"),
        },
    )
    assert response.status_code == 200
    assert "this type of file is not accepted" in response.content.decode()
    assert not Application.objects.exists()


def test_a_draft_saved_through_the_form(client, call):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("calls:apply", args=[call.slug]), {"project_title": "AirSense", "draft": "1"}
    )
    assert response.status_code == 302
    assert Application.objects.get().status == Application.Status.DRAFT


def test_attachments_are_downloaded_only_by_those_allowed(client, call, manager):
    user = UserFactory()
    application = apply(call, user, files=[SimpleUploadedFile("deck.pdf", PDF)])
    url = reverse("calls:file", args=[call.slug, application.files.get().pk])
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    client.force_login(manager)
    assert client.get(url).status_code == 200


def test_the_draft_reminder_is_planned_once_shortly_before_the_deadline(call):
    user = UserFactory()
    apply(call, user, submit=False)
    far = call.deadline - datetime.timedelta(days=4)
    near = call.deadline - datetime.timedelta(hours=10)
    assert notices.plan_draft_reminders(now=far) == 0
    assert notices.plan_draft_reminders(now=near) == 1
    assert notices.plan_draft_reminders(now=near) == 0
    apply(call, UserFactory(), project_title="Submitted")
    assert notices.plan_draft_reminders(now=near) == 0
