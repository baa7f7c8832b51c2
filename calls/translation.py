from modeltranslation.translator import TranslationOptions, register

from .models import Call, Criterion


@register(Call)
class CallTranslation(TranslationOptions):
    fields = ("title", "summary", "problem", "eligibility", "offer")
    required_languages = {"default": ("title", "summary", "problem", "eligibility", "offer")}


@register(Criterion)
class CriterionTranslation(TranslationOptions):
    fields = ("name", "description")
