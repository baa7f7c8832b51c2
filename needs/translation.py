from modeltranslation.translator import TranslationOptions, register

from .models import NeedCategory


@register(NeedCategory)
class NeedCategoryTranslation(TranslationOptions):
    fields = ("name", "description")
    required_languages = {"default": ("name",)}
