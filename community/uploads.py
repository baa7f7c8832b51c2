"""A company's logo: PNG, JPEG or WebP only (no SVG, which can carry scripts), checked
against the file's first bytes (a renamed file is not an image) and its size; stored
where nothing serves it directly (MEDIA_ROOT/private, common.uploads), and sent by
views.logo with the type this module decided, to whoever may see the profile."""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from common import uploads

# The migration of CompanyProfile.logo names community.uploads.private_storage.
private_storage = uploads.private_storage

LOGO_MAX_BYTES = 512 * 1024
# Extension -> (content type, the test on its first bytes).
LOGO_TYPES: dict[str, tuple[str, uploads.Matcher]] = {
    "png": ("image/png", uploads.PNG),
    "jpg": ("image/jpeg", uploads.JPEG),
    "jpeg": ("image/jpeg", uploads.JPEG),
    "webp": ("image/webp", uploads.WEBP),
}


def logo_path(_instance, filename: str) -> str:
    """A random name: nothing of the uploaded name reaches the disk but its extension."""
    return uploads.random_name("community/logos", filename)


def content_type_of(name: str) -> str | None:
    known = LOGO_TYPES.get(uploads.extension_of(name))
    return known[0] if known else None


def check_logo(upload: UploadedFile) -> None:
    """Raise ValidationError unless the file is a PNG, JPEG or WebP image, as its first
    bytes say, of at most LOGO_MAX_BYTES."""
    problem = uploads.upload_problem(
        upload,
        types={extension: test for extension, (_type, test) in LOGO_TYPES.items()},
        max_bytes=LOGO_MAX_BYTES,
    )
    if problem == "type":
        raise ValidationError(_("The logo must be a PNG, JPEG or WebP image."), code="type")
    if problem == "size":
        raise ValidationError(
            _("The logo is too large: at most %(size)s.")
            % {"size": filesizeformat(LOGO_MAX_BYTES)},
            code="size",
        )
    if problem == "content":
        raise ValidationError(
            _("This file is not the image its name says (.%(extension)s).")
            % {"extension": uploads.extension_of(upload.name)},
            code="content",
        )
