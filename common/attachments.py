"""The fields every private attachment shares: the name it was uploaded under and its
size (both shown to the reader; the stored name is random), and when it came. An
abstract model: each app's concrete model adds what the file belongs to and the `file`
field itself (its folder under MEDIA_ROOT/private, storage=common.uploads.private_storage)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Attachment(models.Model):
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name
