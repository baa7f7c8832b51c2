from django import template
from django.urls import translate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def url_in_language(context, language_code: str) -> str:
    """The current page's URL in another language (the /fr/, /nl/, /en/ prefix swapped)."""
    request = context["request"]
    return translate_url(request.get_full_path(), language_code)


@register.filter
def has_tag(tags, name: str) -> bool:
    """allauth's element tags, given as a list or as "a,b,c"."""
    if isinstance(tags, str):
        tags = tags.split(",")
    return name in (tags or [])
