"""What an application may attach: an allowlist of extensions, each checked against the
first bytes of the file (a renamed executable is not a PDF), and a maximum size
(settings.CALLS_UPLOAD_MAX_BYTES, 10 MB unless set). The same rules as hackathons'
submissions, kept here because calls stand on a lower floor than hackathons."""

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

ZIP = (b"PK\x03\x04", b"PK\x05\x06")
# Extension -> the signatures its first bytes may start with.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "pptx": ZIP,
    "docx": ZIP,
    "xlsx": ZIP,
    "odp": ZIP,
    "odt": ZIP,
}
ALLOWED_EXTENSIONS = tuple(SIGNATURES)
MAX_FILES = 5
SNIFF_BYTES = 16
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def upload_max_bytes() -> int:
    return getattr(settings, "CALLS_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)


def check_upload(upload: UploadedFile) -> None:
    """Raise ValidationError unless the file is allowed, its content matches its
    extension and it is not too large."""
    name = PurePath(upload.name or "").name
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in SIGNATURES:
        raise ValidationError(
            _("%(name)s: this type of file is not accepted (accepted: %(types)s).")
            % {"name": name, "types": ", ".join(ALLOWED_EXTENSIONS)},
            code="type",
        )
    limit = upload_max_bytes()
    if upload.size > limit:
        raise ValidationError(
            _("%(name)s is too large: at most %(size)s per file.")
            % {"name": name, "size": filesizeformat(limit)},
            code="size",
        )
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    if not head or not head.startswith(SIGNATURES[extension]):
        raise ValidationError(
            _("%(name)s does not contain what its name says (.%(extension)s).")
            % {"name": name, "extension": extension},
            code="content",
        )
