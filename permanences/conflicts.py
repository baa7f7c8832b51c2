"""Collisions between permanences: an advisor expected in two places at once, or one
agency holding two overlapping permanences at the same place.

Reads only. `schedule_conflicts` checks a schedule's rule against the other rules on the
dates both really hold (every N weeks, validity, public holidays); `week_conflicts`
checks materialised slots, as the coordinator's week grid shows them.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from incubators.models import Advisor

from .generation import schedule_dates
from .models import PermanenceSchedule, Slot


@dataclass(frozen=True)
class Conflict:
    other: PermanenceSchedule
    day: datetime.date
    reason: str


def _reason(
    *, schedule: PermanenceSchedule, other: PermanenceSchedule, advisor_ids: set[int]
) -> str:
    reasons = []
    shared = [advisor for advisor in other.advisors.all() if advisor.pk in advisor_ids]
    if shared:
        names = ", ".join(advisor.user.get_full_name() or advisor.user.email for advisor in shared)
        reasons.append(_("%(advisors)s would be in two places at once.") % {"advisors": names})
    if other.agency_id == schedule.agency_id and other.incubator_id == schedule.incubator_id:
        reasons.append(
            _("%(agency)s would hold two overlapping permanences at %(incubator)s.")
            % {"agency": other.agency, "incubator": other.incubator}
        )
    return " ".join(reasons)


def schedule_conflicts(
    *, schedule: PermanenceSchedule, advisor_ids: list[int], horizon_days: int = 365
) -> list[Conflict]:
    """The other active schedules that would collide with `schedule` on a real date, each
    with the first such date. `schedule` may be unsaved (a form being checked), so its
    advisors are given apart. Closures are not taken into account: they are temporary,
    and a rule that collides outside them is still wrong."""
    if not schedule.is_active:
        return []
    today = timezone.localdate()
    earliest = max(today, schedule.valid_from)
    latest = earliest + datetime.timedelta(days=horizon_days)
    if schedule.valid_until is not None:
        latest = min(latest, schedule.valid_until)
    if earliest > latest:
        return []

    same_place = Q(agency_id=schedule.agency_id, incubator_id=schedule.incubator_id)
    shares_advisor = Q(
        pk__in=PermanenceSchedule.advisors.through.objects.filter(
            advisor_id__in=advisor_ids
        ).values("permanenceschedule_id")
    )
    candidates = (
        PermanenceSchedule.objects.filter(
            same_place | shares_advisor if advisor_ids else same_place,
            is_active=True,
            weekday=schedule.weekday,
            start_time__lt=schedule.end_time,
            end_time__gt=schedule.start_time,
            valid_from__lte=latest,
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=earliest))
        .select_related("agency", "incubator")
        .prefetch_related(Prefetch("advisors", queryset=Advisor.objects.select_related("user")))
        .order_by("valid_from", "pk")
    )
    if schedule.pk is not None:
        candidates = candidates.exclude(pk=schedule.pk)

    wanted = set(advisor_ids)
    conflicts = []
    for other in candidates:
        start = max(earliest, other.valid_from)
        end = start + datetime.timedelta(days=horizon_days)
        mine = set(schedule_dates(schedule=schedule, start=start, end=end))
        common = [
            day for day in schedule_dates(schedule=other, start=start, end=end) if day in mine
        ]
        if common:
            reason = _reason(schedule=schedule, other=other, advisor_ids=wanted)
            conflicts.append(Conflict(other=other, day=common[0], reason=reason))
    return conflicts


def _collide(a: Slot, b: Slot) -> bool:
    if a.schedule_id == b.schedule_id:
        return False
    if a.agency_id == b.agency_id and a.incubator_id == b.incubator_id:
        return True
    advisors_a = {advisor.pk for advisor in a.schedule.advisors.all()}
    return any(advisor.pk in advisors_a for advisor in b.schedule.advisors.all())


def week_conflicts(*, slots: list[Slot]) -> set[int]:
    """Ids of the slots that collide with another one of the list. Pass slots with
    `schedule__advisors` prefetched: this makes no query."""
    live = sorted(
        (slot for slot in slots if slot.status != Slot.Status.CANCELLED),
        key=lambda slot: slot.starts_at,
    )
    colliding: set[int] = set()
    for i, slot in enumerate(live):
        for other in live[i + 1 :]:
            if other.starts_at >= slot.ends_at:
                break
            if _collide(slot, other):
                colliding.update((slot.pk, other.pk))
    return colliding
