from django.db import models
from django.utils.translation import gettext_lazy as _


class NeedCategory(models.Model):
    """What an entrepreneur can need help with; services and routing rules refer to it."""

    slug = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    icon = models.CharField(
        _("icon"),
        max_length=40,
        blank=True,
        help_text=_("A Bootstrap Icons name, e.g. 'cash-coin'."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("need category")
        verbose_name_plural = _("need categories")
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.name
