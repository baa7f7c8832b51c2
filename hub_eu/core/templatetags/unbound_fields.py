"""A form's fields laid out as crispy-forms' Bootstrap 5 pack lays them out (the same
divs, labels, classes, ids and aria attributes), for the pages under load: crispy
renders half a dozen templates per field and Django one more per widget and per option,
which made most of the booking, agenda and need pages' time. A bound form, which may
show errors, still goes through crispy."""

import html

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# The classes crispy-forms' Bootstrap 5 pack gives each widget.
_CRISPY_CLASSES = {
    "Textarea": "textarea form-control",
    "Select": "select form-select",
    "CheckboxInput": "checkboxinput form-check-input",
    "DateInput": "dateinput form-control",
    "TextInput": "textinput form-control",
    "EmailInput": "emailinput form-control",
}


def _attrs_html(attrs: dict) -> str:
    """As Django's django/forms/widgets/attrs.html."""
    return "".join(
        f" {html.escape(str(name))}"
        if value is True
        else f' {html.escape(str(name))}="{html.escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


class _WidgetsInPython:
    """A form renderer for inputs, textareas and selects that writes what Django's
    templates for them write, in a few string operations instead of a template per
    widget and per option."""

    def render(self, template_name: str, context: dict, request=None) -> SafeString:
        escape, widget = html.escape, context["widget"]
        start = f'name="{escape(widget["name"])}"'
        if template_name == "django/forms/widgets/textarea.html":
            value = escape(str(widget["value"])) if widget["value"] else ""
            attrs = _attrs_html(widget["attrs"])
            return mark_safe(f"<textarea {start}{attrs}>\n{value}</textarea>")  # noqa: S308
        if template_name == "django/forms/widgets/select.html":
            options = []
            for group_name, group_choices, _index in widget["optgroups"]:
                if group_name:
                    options.append(f'\n  <optgroup label="{escape(str(group_name))}">')
                options += [
                    f'\n  <option value="{escape(str(option["value"]))}"'
                    f"{_attrs_html(option['attrs'])}>{escape(str(option['label']))}</option>"
                    for option in group_choices
                ]
                if group_name:
                    options.append("\n  </optgroup>")
            attrs = _attrs_html(widget["attrs"])
            return mark_safe(f"<select {start}{attrs}>{''.join(options)}\n</select>")  # noqa: S308
        if "type" in widget and widget.get("template_name", "").startswith("django/forms/widgets/"):
            value = "" if widget["value"] is None else f' value="{escape(str(widget["value"]))}"'
            attrs = _attrs_html(widget["attrs"])
            return mark_safe(  # noqa: S308 - escaped
                f'<input type="{escape(widget["type"])}" {start}{value}{attrs}>'
            )
        raise ValueError(template_name)


_WIDGETS_IN_PYTHON = _WidgetsInPython()


@register.simple_tag
def unbound_field(field) -> SafeString:
    """One field, as `{{ field|as_crispy_field }}` renders it."""
    if field.form.is_bound or type(field.field.widget).__name__ not in _CRISPY_CLASSES:
        return as_crispy_field(field)
    escape = html.escape
    widget_name = type(field.field.widget).__name__
    form = field.form
    renderer, form.renderer = form.renderer, _WIDGETS_IN_PYTHON
    try:
        widget = field.as_widget(attrs={"class": _CRISPY_CLASSES[widget_name]})
    finally:
        form.renderer = renderer
    required = field.field.required
    label = escape(str(field.label))
    if required:
        label += '<span class="asteriskField">*</span>'
    field_id = escape(field.auto_id)
    # Crispy marks the help text safe: it is the code's own text, not the user's.
    help_text = (
        f'<div id="{field_id}_helptext" class="form-text">{field.help_text}</div>'
        if field.help_text
        else ""
    )
    required_class = " requiredField" if required else ""
    if widget_name == "CheckboxInput":
        return mark_safe(  # noqa: S308 - escaped label; Django's own widget markup
            f'<div class="mb-3"><div id="div_{field_id}" class="form-check">{widget}'
            f'<label for="{field_id}" class="form-check-label{required_class}">{label}</label>'
            f"{help_text}</div></div>"
        )
    return mark_safe(  # noqa: S308 - escaped label; Django's own widget markup
        f'<div id="div_{field_id}" class="mb-3">'
        f'<label for="{field_id}" class="form-label{required_class}">{label}</label>'
        f"{widget}{help_text}</div>"
    )


@register.simple_tag
def unbound_form(form) -> SafeString:
    """Every visible field of an unbound form, in order, as `{% crispy form %}` renders a
    form whose helper has no layout and no form tag."""
    return mark_safe("".join(unbound_field(field) for field in form.visible_fields()))  # noqa: S308
