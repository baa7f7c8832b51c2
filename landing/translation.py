from modeltranslation.translator import TranslationOptions, register

from .models import Relay


@register(Relay)
class RelayTranslation(TranslationOptions):
    fields = ("name", "description", "contact")
    required_languages = {"default": ("name",)}
