from django import template
from django.urls import translate_url
from django.utils.html import format_html

from common.html import select_options
from common.language import de as _de

register = template.Library()


@register.simple_tag(takes_context=True)
def url_in_language(context, language_code: str) -> str:
    """The current page's URL in another language (the /fr/, /nl/, /en/ prefix swapped)."""
    request = context["request"]
    return translate_url(request.get_full_path(), language_code)


@register.filter
def de(name) -> str:
    """A name for an `of_…` placeholder: "d'Impulse"/"de Solvay" in French, the bare name
    otherwise (see common/language.py). `{% blocktranslate with of_name=x|de %}`."""
    return _de(name)


@register.filter
def has_tag(tags, name: str) -> bool:
    """allauth's element tags, given as a list or as "a,b,c"."""
    if isinstance(tags, str):
        tags = tags.split(",")
    return name in (tags or [])


def _control(field, control: str, extra_class: str = "") -> str:
    errors = " ".join(field.errors)
    error_id = f"{field.auto_id}_error"
    return format_html(
        '<div class="mb-3"><label class="form-label" for="{}">{}</label>{}{}</div>',
        field.auto_id,
        field.label,
        control,
        format_html('<div class="invalid-feedback" id="{}">{}</div>', error_id, errors)
        if errors
        else "",
    )


def _invalid(field) -> tuple[str, str]:
    if not field.errors:
        return "", ""
    return " is-invalid", format_html(' aria-describedby="{}_error"', field.auto_id)


@register.simple_tag
def filter_select(field, options, empty_label) -> str:
    """A labelled <select> for a filter, its options from (value, label) pairs, built in
    one go: Django's widget templates render a template per option, which showed on the
    busiest page."""
    selected = field.value() or ""
    invalid, described = _invalid(field)
    options_html = select_options(options, selected=str(selected))
    control = format_html(
        '<select class="form-select{}" name="{}" id="{}"{}><option value="">{}</option>{}</select>',
        invalid,
        field.html_name,
        field.auto_id,
        described,
        empty_label,
        options_html,
    )
    return _control(field, control)


@register.simple_tag
def filter_date(field) -> str:
    """A labelled date input for a filter (see filter_select)."""
    invalid, described = _invalid(field)
    value = field.value() or ""
    control = format_html(
        '<input type="date" class="form-control{}" name="{}" id="{}" value="{}"{}>',
        invalid,
        field.html_name,
        field.auto_id,
        value,
        described,
    )
    return _control(field, control)
