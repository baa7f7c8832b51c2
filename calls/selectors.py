"""Reads on calls: the public list (open first, then upcoming, then recently closed),
what an evaluator and a manager see, and the ranking."""

import datetime

from django.db.models import Q
from django.utils import timezone

from incubators.models import Theme

from .models import Call

# How long a closed call stays in the public list.
RECENTLY_CLOSED_DAYS = 90


def public_calls(
    *,
    theme: Theme | str | None = None,
    now: datetime.datetime | None = None,
    phase: str = "",
    funder_kind: str = "",
    q: str = "",
) -> list[Call]:
    """The published calls: open ones first (nearest deadline first), then upcoming ones
    (soonest opening first), then those closed in the last RECENTLY_CLOSED_DAYS days (most
    recent first). `theme` is a Theme or its slug; unknown filter values give nothing
    rather than everything (a wrong link should not look like a full list)."""
    now = now or timezone.now()
    qs = (
        Call.objects.published()
        .filter(deadline__gte=now - datetime.timedelta(days=RECENTLY_CLOSED_DAYS))
        .select_related("agency")
        .prefetch_related("themes")
    )
    if theme:
        qs = qs.filter(themes__slug=theme) if isinstance(theme, str) else qs.filter(themes=theme)
    if funder_kind:
        qs = qs.filter(funder_kind=funder_kind)
    if q:
        qs = qs.filter(
            Q(title__icontains=q) | Q(summary__icontains=q) | Q(funder_name__icontains=q)
        )
    calls = list(qs.distinct())
    opened = sorted((c for c in calls if c.phase(now) == Call.Phase.OPEN), key=lambda c: c.deadline)
    upcoming = sorted(
        (c for c in calls if c.phase(now) == Call.Phase.UPCOMING), key=lambda c: c.opens_at
    )
    closed = sorted(
        (c for c in calls if c.phase(now) == Call.Phase.CLOSED),
        key=lambda c: c.deadline,
        reverse=True,
    )
    if phase == Call.Phase.OPEN:
        return opened
    if phase == Call.Phase.UPCOMING:
        return upcoming
    if phase == Call.Phase.CLOSED:
        return closed
    return opened + upcoming + closed
