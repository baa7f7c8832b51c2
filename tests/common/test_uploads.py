"""common.uploads and common.file_fields: the checks every private upload goes through
(extension, first bytes, size), the storage out of the web root with random names, and
the response that serves a private file with the type the app decided."""

from types import SimpleNamespace

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models.fields.files import FieldFile, FileField
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import translation

from common import uploads
from common.file_fields import MultipleFileField

TYPES = {"pdf": uploads.PDF, "txt": uploads.looks_like_text, "webp": uploads.WEBP}
PDF = b"%PDF-1.7\n" + b"x" * 100


def _file(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def _code(upload) -> str:
    with pytest.raises(ValidationError) as caught:
        uploads.check_upload(upload, types=TYPES, max_bytes=1000)
    return caught.value.code


def test_an_allowed_file_whose_bytes_match_its_extension_passes_and_is_rewound():
    upload = _file("Report.PDF", PDF)
    uploads.check_upload(upload, types=TYPES, max_bytes=1000)
    assert upload.read(5) == b"%PDF-"


def test_an_extension_not_in_the_app_s_list_is_refused_naming_the_accepted_ones():
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        uploads.check_upload(_file("run.exe", b"MZ"), types=TYPES, max_bytes=1000)
    assert caught.value.code == "type"
    assert caught.value.messages == [
        "run.exe: this type of file is not accepted (accepted: pdf, txt, webp)."
    ]


def test_a_renamed_file_is_refused_on_its_first_bytes():
    assert _code(_file("cv.pdf", b"MZ\x90\x00 not a pdf")) == "content"


def test_an_empty_file_is_refused():
    assert _code(_file("empty.pdf", b"")) == "content"


def test_a_file_over_the_app_s_limit_is_refused_before_it_is_read():
    assert _code(_file("big.pdf", PDF + b"x" * 1000)) == "size"


def test_text_is_utf8_without_nul_bytes_even_cut_inside_a_character():
    assert uploads.looks_like_text("café".encode() * 600)
    assert not uploads.looks_like_text(b"abc\x00def")
    assert not uploads.looks_like_text(b"\xff\xfe\xfa text")


def test_webp_is_recognised_by_its_riff_header():
    assert uploads.WEBP(b"RIFF\x10\x00\x00\x00WEBPVP8 ")
    assert not uploads.WEBP(b"RIFF\x10\x00\x00\x00AVI LIST")


def test_upload_problem_says_what_is_wrong_for_an_app_that_words_its_own_errors():
    assert uploads.upload_problem(_file("a.pdf", PDF), types=TYPES, max_bytes=1000) == ""
    assert uploads.upload_problem(_file("a", PDF), types=TYPES, max_bytes=1000) == "type"


def test_a_stored_name_keeps_nothing_of_the_uploaded_name_but_its_extension():
    name = uploads.random_name("things", "../../etc/My Secret Plan.PDF")
    assert name.startswith("things/") and name.endswith(".pdf")
    assert "Secret" not in name and ".." not in name


def test_private_storage_lives_under_media_root_private_and_has_no_url(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    storage = uploads.private_storage()
    assert storage.path("x/a.pdf") == str(tmp_path / "private" / "x" / "a.pdf")
    with pytest.raises(ValueError):
        storage.url("x/a.pdf")


def _stored(tmp_path, settings, content: bytes = PDF) -> FieldFile:
    settings.MEDIA_ROOT = str(tmp_path)
    field = FileField(storage=uploads.private_storage)
    field.name = "file"
    stored = uploads.private_storage().save("t/secret.pdf", ContentFile(content))
    return FieldFile(None, field, stored)


def test_a_download_has_the_given_name_an_octet_stream_type_and_nosniff(tmp_path, settings):
    response = uploads.private_file_response(_stored(tmp_path, settings), download_name="Plan.pdf")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="Plan.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
    response.close()


def test_an_inline_file_has_the_app_s_type_and_no_name(tmp_path, settings):
    response = uploads.private_file_response(_stored(tmp_path, settings), content_type="image/png")
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == "inline"
    assert response["X-Content-Type-Options"] == "nosniff"
    response.close()


def test_a_file_missing_from_the_disk_is_a_404(tmp_path, settings):
    file = _stored(tmp_path, settings)
    uploads.private_storage().delete(file.name)
    with pytest.raises(Http404):
        uploads.private_file_response(file, download_name="Plan.pdf")


def _check(upload) -> None:
    uploads.check_upload(upload, types=TYPES, max_bytes=1000)


class _Form(forms.Form):
    files = MultipleFileField(required=False, check=_check, extensions=["pdf", "txt"])


def test_the_multiple_file_field_offers_the_app_s_extensions():
    assert 'accept=".pdf,.txt"' in str(_Form()["files"])
    assert "multiple" in str(_Form()["files"])


def test_the_multiple_file_field_cleans_to_a_list_of_checked_files():
    form = _Form(files={"files": [_file("a.pdf", PDF), _file("b.txt", b"hello")]})
    assert form.is_valid(), form.errors
    assert [f.name for f in form.cleaned_data["files"]] == ["a.pdf", "b.txt"]
    assert _Form(data={}).is_valid()


def test_the_multiple_file_field_names_every_refused_file():
    form = _Form(
        files={"files": [_file("a.exe", b"MZ"), _file("b.pdf", b"nope"), _file("c.pdf", PDF)]}
    )
    with translation.override("en"):
        assert not form.is_valid()
        errors = form.errors["files"]
    assert len(errors) == 2
    assert errors[0].startswith("a.exe:") and errors[1].startswith("b.pdf does not contain")


@pytest.mark.django_db(transaction=True)
def test_a_file_is_deleted_only_when_the_transaction_commits(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    storage = uploads.private_storage()
    name = storage.save("t/old.pdf", ContentFile(PDF))
    with pytest.raises(RuntimeError), transaction.atomic():
        uploads.delete_on_commit(storage, name)
        raise RuntimeError("rolled back")
    assert storage.exists(name)
    with transaction.atomic():
        uploads.delete_on_commit(storage, name)
        assert storage.exists(name)
    assert not storage.exists(name)


def _private_files(open_: bool) -> str:
    files = [SimpleNamespace(pk=7, name="deck.pdf", size=2048)]
    with translation.override("en"):
        return render_to_string(
            "_private_files.html",
            {
                "files": files,
                "title": "Attachments",
                "slug": "clean-air",
                "file_url": "calls:file",
                "delete_url": "calls:file_delete",
                "open": open_,
            },
        )


def test_the_private_files_list_links_each_file_and_offers_removal_while_open():
    html = _private_files(open_=True)
    assert '<h2 id="files-title" class="h5">Attachments</h2>' in html
    assert 'href="/en/calls/clean-air/files/7/">deck.pdf</a>' in html
    assert "2.0\xa0KB" in html
    assert 'aria-label="Remove deck.pdf"' in html
    assert "Remove deck.pdf" not in _private_files(open_=False)
