from modeltranslation.translator import TranslationOptions, register

from .models import Agency, Incubator, Language, NeedCategory, Service, Theme


@register(Language)
class LanguageTranslation(TranslationOptions):
    fields = ("name",)


@register(Incubator)
class IncubatorTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Agency)
class AgencyTranslation(TranslationOptions):
    fields = ("name", "tagline", "description")


@register(NeedCategory)
class NeedCategoryTranslation(TranslationOptions):
    fields = ("name", "description")
    required_languages = {"default": ("name",)}


@register(Service)
class ServiceTranslation(TranslationOptions):
    fields = ("name", "summary", "description", "audience")


@register(Theme)
class ThemeTranslation(TranslationOptions):
    fields = ("name", "summary", "description")
    required_languages = {"default": ("name",)}
