"""What an application may attach: an allowlist of extensions, each checked against the
first bytes of the file (a renamed executable is not a PDF), and a maximum size
(settings.CALLS_UPLOAD_MAX_BYTES, 10 MB unless set). The checking itself is
common.uploads'."""

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from common import uploads

# Extension -> the test on its first bytes.
TYPES: dict[str, uploads.Matcher] = {**uploads.PDF_AND_IMAGES, **uploads.OFFICE_DOCUMENTS}
ALLOWED_EXTENSIONS = tuple(TYPES)
MAX_FILES = 5
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def upload_max_bytes() -> int:
    return getattr(settings, "CALLS_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)


def check_upload(upload: UploadedFile) -> None:
    """Raise ValidationError unless the file is allowed, its content matches its
    extension and it is not too large."""
    uploads.check_upload(upload, types=TYPES, max_bytes=upload_max_bytes())
