"""Writes on schedules and on the closures that suspend them, with the rules no database
constraint can check: the advisors named on a schedule work for its agency, and no
schedule collides with another (an advisor in two places at once, or an agency holding
two overlapping permanences at one place). Slots follow through `generation`.

The rules of the row itself (times, validity, meeting link) are in the model's clean().
"""

from collections.abc import Iterable

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext as _

from incubators.models import Advisor, Language

from .conflicts import schedule_conflicts
from .generation import GenerationResult, slots_generate, slots_regenerate
from .models import Closure, PermanenceSchedule


def _can_collide(schedule: PermanenceSchedule) -> bool:
    """Whether the rule is complete and coherent enough to look for collisions: when it
    is not, its own errors say what to fix first."""
    required = (schedule.weekday, schedule.start_time, schedule.end_time, schedule.valid_from)
    return (
        all(value is not None for value in required)
        and schedule.agency_id is not None
        and schedule.incubator_id is not None
        and schedule.start_time < schedule.end_time
        and (schedule.valid_until is None or schedule.valid_from <= schedule.valid_until)
    )


def schedule_validate(*, schedule: PermanenceSchedule, advisors: Iterable[Advisor]) -> None:
    """Refuse, with a ValidationError keyed by field, advisors of another agency
    ("advisors") and collisions with other schedules (not tied to one field). `schedule`
    may be unsaved or hold unsaved changes; its advisors are given apart, as a form has
    them before they are stored."""
    advisors = list(advisors)
    if schedule.agency_id is not None:
        strangers = [advisor for advisor in advisors if advisor.agency_id != schedule.agency_id]
        if strangers:
            names = ", ".join(a.user.get_full_name() or a.user.email for a in strangers)
            raise ValidationError(
                {
                    "advisors": _("These advisors do not work for %(agency)s: %(names)s.")
                    % {"agency": schedule.agency, "names": names}
                }
            )
    if not _can_collide(schedule):
        return
    conflicts = schedule_conflicts(schedule=schedule, advisor_ids=[a.pk for a in advisors])
    if conflicts:
        lines = [
            _("%(schedule)s, first on %(date)s: %(reason)s")
            % {
                "schedule": conflict.other,
                "date": formats.date_format(conflict.day, "DATE_FORMAT"),
                "reason": conflict.reason,
            }
            for conflict in conflicts
        ]
        raise ValidationError(
            {NON_FIELD_ERRORS: [_("This permanence collides with other permanences:"), *lines]}
        )


@transaction.atomic
def schedule_save(
    *,
    schedule: PermanenceSchedule,
    advisors: Iterable[Advisor],
    languages: Iterable[Language] | None = None,
) -> GenerationResult:
    """Check every rule of the schedule, save it with its advisors (and languages, when
    given), and bring its slots in line. Raises ValidationError, keyed by field, with
    nothing saved."""
    advisors = list(advisors)
    errors: dict = {}
    for check in (
        schedule.full_clean,
        lambda: schedule_validate(schedule=schedule, advisors=advisors),
    ):
        try:
            check()
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    schedule.save()
    schedule.advisors.set(advisors)
    if languages is not None:
        schedule.languages.set(languages)
    return slots_generate(schedule=schedule)


# --- Closures ------------------------------------------------------------------------


def _scope(closure: Closure) -> tuple[int | None, int | None]:
    return closure.incubator_id, closure.agency_id


@transaction.atomic
def closure_save(*, closure: Closure) -> GenerationResult:
    """Save a closure (new or changed) and regenerate the slots of the schedules it
    touches, and of those it touched before it moved."""
    scopes = [_scope(closure)]
    if closure.pk is not None:
        before = Closure.objects.filter(pk=closure.pk).first()
        if before is not None:
            scopes.append(_scope(before))
    closure.full_clean()
    closure.save()
    return slots_regenerate(scopes=scopes)


@transaction.atomic
def closures_delete(*, closures: Iterable[Closure]) -> GenerationResult:
    """Remove closures and bring back the slots of the days they closed."""
    closures = list(closures)
    Closure.objects.filter(pk__in=[closure.pk for closure in closures]).delete()
    return slots_regenerate(scopes=[_scope(closure) for closure in closures])
