"""What a submission may attach: an allowlist of extensions, each checked against the
first bytes of the file (a renamed executable is not a PDF), and a maximum size
(settings.HACKATHON_UPLOAD_MAX_BYTES). The checking itself is common.uploads'."""

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from common import uploads

# Extension -> the test on its first bytes.
TYPES: dict[str, uploads.Matcher] = {
    **uploads.PDF_AND_IMAGES,
    "zip": uploads.ZIP,
    **uploads.OFFICE_DOCUMENTS,
    "txt": uploads.looks_like_text,
    "md": uploads.looks_like_text,
}
ALLOWED_EXTENSIONS = tuple(TYPES)
MAX_FILES = 5


def check_upload(upload: UploadedFile) -> None:
    """Raise ValidationError unless the file is allowed, its content matches its
    extension and it is not too large."""
    uploads.check_upload(upload, types=TYPES, max_bytes=settings.HACKATHON_UPLOAD_MAX_BYTES)
