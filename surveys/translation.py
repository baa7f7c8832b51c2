from modeltranslation.translator import TranslationOptions, register

from .models import Choice, Question, Section, Survey


@register(Survey)
class SurveyTranslation(TranslationOptions):
    fields = ("title", "intro")


@register(Section)
class SectionTranslation(TranslationOptions):
    fields = ("title",)


@register(Question)
class QuestionTranslation(TranslationOptions):
    fields = ("text", "help_text", "low_label", "high_label")


@register(Choice)
class ChoiceTranslation(TranslationOptions):
    fields = ("label",)
