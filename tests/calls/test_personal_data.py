from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.personal_data import ERASED_TEXT, erasers, sections
from calls import services
from calls.models import Application, ApplicationFile
from tests.factories import UserFactory


def _export(user):
    return {s.code: s.export(user) for s in sections()}


def test_the_export_holds_the_applications_without_unpublished_decisions(call, manager):
    user = UserFactory()
    application = services.application_save(
        call=call, user=user, project_title="AirSense", team="t", solution="s", trl=4, submit=True
    )
    application.decision = "selected"
    application.save()
    rows = _export(user)["call_applications"]
    assert rows[0]["project_title"] == "AirSense"
    assert "decision" not in rows[0]


def test_erasure_removes_drafts_texts_and_attachments(call):
    user = UserFactory()
    services.application_save(
        call=call,
        user=user,
        project_title="AirSense",
        team="Our names",
        solution="s",
        trl=4,
        submit=True,
        files=[SimpleUploadedFile("deck.pdf", b"%PDF-1.4 x")],
    )
    other_call_draft = services.application_save(
        call=call, user=UserFactory(), project_title="Someone else's"
    )
    for erase in erasers():
        erase(user)
    application = Application.objects.get(applicant=user)
    assert application.team == ERASED_TEXT
    assert not ApplicationFile.objects.exists()
    assert Application.objects.filter(pk=other_call_draft.pk).exists()
