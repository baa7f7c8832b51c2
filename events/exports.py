"""The registrations of an event as a table, for the organiser's CSV and XLSX downloads
(common.csv / common.xlsx make every text cell safe from formula injection)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Event


def registrations_table(event: Event) -> tuple[list[str], list[list[object]]]:
    """One row per registration (cancelled ones included, with their status), the answers
    to the registration questions in one column each, times in Brussels time."""
    questions = list(event.questions.all())
    header = [
        _("Name"),
        _("Email"),
        _("Guest"),
        _("Status"),
        _("Place in the waiting list"),
        _("Language"),
        _("Registered at"),
        _("Checked in at"),
        *[q.label for q in questions],
    ]
    rows = []
    registrations = event.registrations.select_related("user").order_by(
        "status", "waitlist_position", "created_at", "pk"
    )
    for registration in registrations:
        answers = registration.answers if isinstance(registration.answers, dict) else {}
        rows.append(
            [
                registration.name,
                registration.email,
                _("yes") if registration.user_id is None else _("no"),
                registration.get_status_display(),
                registration.waitlist_position,
                registration.language.upper(),
                _local(registration.created_at),
                _local(registration.checked_in_at),
                *[_answer(answers, q) for q in questions],
            ]
        )
    return header, rows


def _answer(answers: dict, question) -> str:
    value = answers.get(str(question.pk), "")
    return value if isinstance(value, str) else str(value)


def _local(moment):
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def export_filename(event: Event, extension: str) -> str:
    return f"registrations-{event.slug}-{timezone.localdate():%Y-%m-%d}.{extension}"


__all__ = ["export_filename", "registrations_table"]
