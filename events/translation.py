from modeltranslation.translator import TranslationOptions, register

from .models import Event, EventQuestion, EventSession


@register(Event)
class EventTranslation(TranslationOptions):
    fields = ("title", "description")


@register(EventSession)
class EventSessionTranslation(TranslationOptions):
    fields = ("title",)


@register(EventQuestion)
class EventQuestionTranslation(TranslationOptions):
    fields = ("label", "choices")
