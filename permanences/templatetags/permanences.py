"""Fragments permanences contributes to the pages of the apps below it (the directory's
incubator pages), which cannot import it."""

from django import template

from incubators.models import Incubator
from incubators.selectors import directory_labels

from ..selectors import schedules_at_incubator

register = template.Library()


@register.inclusion_tag("permanences/_schedule_table.html")
def schedule_table(incubator: Incubator) -> dict:
    """Which agency is present at `incubator`, on which day and hours."""
    return {"schedules": schedules_at_incubator(incubator=incubator)}


@register.filter
def language_name(code: str) -> str:
    """A language's name in the reader's language, from its code ("nl" -> "Dutch")."""
    return dict(directory_labels()["choices"]["language"]).get(code, code.upper())
