from modeltranslation.translator import TranslationOptions, register

from .models import Challenge, Criterion


@register(Challenge)
class ChallengeTranslation(TranslationOptions):
    fields = ("title", "statement", "prizes")


@register(Criterion)
class CriterionTranslation(TranslationOptions):
    fields = ("name",)
