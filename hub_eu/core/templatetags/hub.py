from django import template
from django.urls import translate_url
from django.utils.html import format_html_join

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


@register.simple_tag
def select_options(options, selected) -> str:
    """<option> elements for (value, label) pairs, built in one go: a template loop costs
    several node renders per option, which shows on the busiest page."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, " selected" if value == selected else "", label) for value, label in options),
    )
