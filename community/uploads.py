"""A company's logo: PNG, JPEG or WebP only (no SVG, which can carry scripts), checked
against the file's first bytes (a renamed file is not an image) and its size; stored
where nothing serves it directly (MEDIA_ROOT/private), and sent by views.logo with the
type this module decided, to whoever may see the profile."""

import os
import secrets
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

LOGO_MAX_BYTES = 512 * 1024
SNIFF_BYTES = 16
# Extension -> (content type, a test on the first bytes).
LOGO_TYPES = {
    "png": ("image/png", lambda head: head.startswith(b"\x89PNG\r\n\x1a\n")),
    "jpg": ("image/jpeg", lambda head: head.startswith(b"\xff\xd8\xff")),
    "jpeg": ("image/jpeg", lambda head: head.startswith(b"\xff\xd8\xff")),
    "webp": ("image/webp", lambda head: head[:4] == b"RIFF" and head[8:12] == b"WEBP"),
}


class PrivateStorage(FileSystemStorage):
    """MEDIA_ROOT/private (following the setting), with no URL."""

    @cached_property
    def base_location(self) -> str:
        return os.path.join(self._value_or_setting(self._location, settings.MEDIA_ROOT), "private")

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no URL.")


_private_storage = PrivateStorage()


def private_storage() -> FileSystemStorage:
    return _private_storage


def extension_of(name: str) -> str:
    name = PurePath(name or "").name
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def logo_path(_instance, filename: str) -> str:
    """A random name: nothing of the uploaded name reaches the disk but its extension."""
    return f"community/logos/{secrets.token_urlsafe(16)}.{extension_of(filename)}"


def content_type_of(name: str) -> str | None:
    known = LOGO_TYPES.get(extension_of(name))
    return known[0] if known else None


def check_logo(upload: UploadedFile) -> None:
    """Raise ValidationError unless the file is a PNG, JPEG or WebP image, as its first
    bytes say, of at most LOGO_MAX_BYTES."""
    extension = extension_of(upload.name)
    if extension not in LOGO_TYPES:
        raise ValidationError(_("The logo must be a PNG, JPEG or WebP image."), code="type")
    if upload.size > LOGO_MAX_BYTES:
        raise ValidationError(
            _("The logo is too large: at most %(size)s.")
            % {"size": filesizeformat(LOGO_MAX_BYTES)},
            code="size",
        )
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    if not LOGO_TYPES[extension][1](head):
        raise ValidationError(
            _("This file is not the image its name says (.%(extension)s).")
            % {"extension": extension},
            code="content",
        )
