"""Private files: stored where nothing serves them directly (MEDIA_ROOT/private, no
URL), checked on upload against an allowlist of extensions, each tested on the file's
first bytes (a renamed executable is not a PDF), and a maximum size; sent back only by
a view that has checked who asks, with the type the app decided (never one the file
would claim) and the browser told not to guess another.

Each app keeps its own rules (the types it accepts, its size limit, who may see a
file) and passes them in."""

import os
import secrets
from collections.abc import Callable, Mapping
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

SNIFF_BYTES = 2048

# A test on a file's first bytes.
Matcher = Callable[[bytes], bool]


class PrivateStorage(FileSystemStorage):
    """MEDIA_ROOT/private (following the setting), with no URL."""

    @cached_property
    def base_location(self) -> str:
        return os.path.join(self._value_or_setting(self._location, settings.MEDIA_ROOT), "private")

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no URL.")


_private_storage = PrivateStorage()


def private_storage() -> FileSystemStorage:
    """The storage of every private file (a callable, so that a FileField's migration
    names a function, not a path on this machine)."""
    return _private_storage


def extension_of(name: str | None) -> str:
    """The extension of a file name's last part, in lower case; "" when there is none."""
    name = PurePath(name or "").name
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def random_name(folder: str, filename: str) -> str:
    """A name under folder of which nothing comes from the uploaded name but its
    extension."""
    return f"{folder}/{secrets.token_urlsafe(16)}.{extension_of(filename)}"


def starts_with(*signatures: bytes) -> Matcher:
    return lambda head: head.startswith(signatures)


def looks_like_text(head: bytes) -> bool:
    """Plain UTF-8 text (no NUL byte)."""
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sample is still text.
        return error.start >= len(head) - 3
    return True


PDF = starts_with(b"%PDF-")
PNG = starts_with(b"\x89PNG\r\n\x1a\n")
JPEG = starts_with(b"\xff\xd8\xff")
ZIP = starts_with(b"PK\x03\x04", b"PK\x05\x06")  # also docx, xlsx, pptx, odt, odp


def WEBP(head: bytes) -> bool:  # noqa: N802 - a matcher, named like the others
    return head[:4] == b"RIFF" and head[8:12] == b"WEBP"


# Allowlists an app may build its own from (extension -> test), in the order shown.
PDF_AND_IMAGES: dict[str, Matcher] = {"pdf": PDF, "png": PNG, "jpg": JPEG, "jpeg": JPEG}
OFFICE_DOCUMENTS: dict[str, Matcher] = {ext: ZIP for ext in ("pptx", "docx", "xlsx", "odp", "odt")}


def upload_problem(upload: UploadedFile, *, types: Mapping[str, Matcher], max_bytes: int) -> str:
    """What is wrong with the upload: "type" (its extension is not in types), "size"
    (more than max_bytes), "content" (its first bytes are not what its extension says,
    or it is empty); "" when nothing is."""
    extension = extension_of(upload.name)
    if extension not in types:
        return "type"
    if upload.size > max_bytes:
        return "size"
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    if not head or not types[extension](head):
        return "content"
    return ""


def check_upload(upload: UploadedFile, *, types: Mapping[str, Matcher], max_bytes: int) -> None:
    """Raise ValidationError, naming the file, unless its extension is in types, its
    first bytes match it and it is at most max_bytes."""
    problem = upload_problem(upload, types=types, max_bytes=max_bytes)
    name = PurePath(upload.name or "").name
    if problem == "type":
        raise ValidationError(
            _("%(name)s: this type of file is not accepted (accepted: %(types)s).")
            % {"name": name, "types": ", ".join(types)},
            code="type",
        )
    if problem == "size":
        raise ValidationError(
            _("%(name)s is too large: at most %(size)s per file.")
            % {"name": name, "size": filesizeformat(max_bytes)},
            code="size",
        )
    if problem == "content":
        raise ValidationError(
            _("%(name)s does not contain what its name says (.%(extension)s).")
            % {"name": name, "extension": extension_of(name)},
            code="content",
        )


def delete_on_commit(storage: FileSystemStorage, name: str) -> None:
    """Delete the stored file once the transaction that drops or replaces it commits; a
    rollback keeps it (outside a transaction: at once)."""
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def private_file_response(
    file: FieldFile,
    *,
    content_type: str = "application/octet-stream",
    download_name: str | None = None,
) -> FileResponse:
    """The file, for a view that has checked who asks: as a download under download_name
    when it is given, else shown inline; with content_type as the app decided it and
    X-Content-Type-Options: nosniff. A file missing from the disk is a 404."""
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    if download_name is None:
        response = FileResponse(handle, content_type=content_type)
        response["Content-Disposition"] = "inline"
    else:
        response = FileResponse(
            handle, as_attachment=True, filename=download_name, content_type=content_type
        )
    response["X-Content-Type-Options"] = "nosniff"
    return response
