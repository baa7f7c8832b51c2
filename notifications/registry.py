"""The notice kinds and planners, declared by the apps that own them.

`notifications` knows how to record, claim, send and retry a message; it knows nothing
of bookings, needs or surveys. Each app says in its own `notices.py` (imported when the
project starts, see `NotificationsConfig.ready`) which kinds of notice it sends, how to
build each email, which model a notice is about and which planners the beat must run to
find what has become due. A new app adds its notices without touching this package.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, QuerySet

if TYPE_CHECKING:
    from .emails import Email
    from .models import Notification

Builder = Callable[["Notification"], "Email | None"]
Planner = Callable[..., int]


@dataclass(frozen=True)
class NoticeKind:
    code: str
    label: Any  # a lazy translation
    build: Builder
    # A boolean field of the user that switches this (optional) mail off; it then
    # carries a one-click unsubscribe link.
    preference: str = ""


_kinds: dict[str, NoticeKind] = {}
_planners: dict[str, Planner] = {}
_subjects: dict[type[Model], Callable[[], QuerySet]] = {}


def notice(code: str, label: Any, *, preference: str = "") -> Callable[[Builder], Builder]:
    """Declare a kind of notice and the function that builds its email (in the
    recipient's language, or None when it is no longer relevant). Stackable: one
    builder may serve several kinds."""

    def register(build: Builder) -> Builder:
        known = _kinds.get(code)
        if known is not None and known.build is not build:
            raise ImproperlyConfigured(f"The notice kind {code!r} is declared twice.")
        _kinds[code] = NoticeKind(code=code, label=label, build=build, preference=preference)
        return build

    return register


def planner(func: Planner) -> Planner:
    """Declare a function `func(*, now) -> int` that records the notices due at `now`
    (reminders, digests...). Beat runs every planner once a minute; each must be safe to
    run any number of times, from any number of beats at once."""
    _planners[f"{func.__module__}.{func.__qualname__}"] = func
    return func


def subject(model: type[Model], queryset: Callable[[], QuerySet]) -> None:
    """How to load the objects notices are about when a batch is sent: one query per
    model with what its builders read (select_related...), instead of one per message."""
    _subjects[model] = queryset


def kind(code: str) -> NoticeKind:
    try:
        return _kinds[code]
    except KeyError:
        raise ImproperlyConfigured(f"No app declares the notice kind {code!r}.") from None


def kinds() -> list[NoticeKind]:
    return list(_kinds.values())


def kind_choices() -> list[tuple[str, Any]]:
    """The `choices` of Notification.kind (a callable, so a new kind needs no migration)."""
    return [(k.code, k.label) for k in _kinds.values()]


def planners() -> list[Planner]:
    return list(_planners.values())


def subject_querysets() -> list[QuerySet]:
    return [make() for make in _subjects.values()]


def plan_all(*, now: datetime.datetime) -> int:
    return sum(plan(now=now) for plan in planners())
