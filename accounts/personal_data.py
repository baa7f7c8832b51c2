"""The personal data each app holds, declared by the app that holds it.

`accounts` knows how to hand a person their data, erase an account and apply the
retention periods; it knows nothing of bookings, needs or surveys. Each app says in its
own `personal_data.py` (imported when the project starts, see `AccountsConfig.ready`),
as apps declare their notices in `notices.py`:

- a **section** of a person's export: `user -> JSON-able data`;
- an **eraser**: `user -> None`, anonymising or deleting that person's rows while
  keeping what the statistics count (a booking stays, its text goes);
- a **retention** rule: `(*, before, dry_run) -> int`, anonymising the rows older than
  `before` (or only counting them when `dry_run`), with the number of days in
  `settings.PERSONAL_DATA_RETENTION_DAYS[<code>]` (0 or missing: kept).

Erasers run in one transaction, before the user row itself is anonymised, so each
still finds the person's rows through `user`.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from .models import User

# What replaces a text a person wrote once it is erased (their need, their messages).
ERASED_TEXT = "[…]"

Exporter = Callable[["User"], Any]
Eraser = Callable[["User"], None]
Purger = Callable[..., int]


@dataclass(frozen=True)
class Section:
    code: str
    label: Any  # a lazy translation
    export: Exporter
    order: int = 50


@dataclass(frozen=True)
class Retention:
    code: str
    label: Any
    purge: Purger

    @property
    def days(self) -> int:
        return int(getattr(settings, "PERSONAL_DATA_RETENTION_DAYS", {}).get(self.code, 0) or 0)

    def cutoff(self, now: datetime.datetime) -> datetime.datetime | None:
        return now - datetime.timedelta(days=self.days) if self.days > 0 else None


_sections: dict[str, Section] = {}
_erasers: dict[str, Eraser] = {}
_retentions: dict[str, Retention] = {}


def section(code: str, label: Any, *, order: int = 50) -> Callable[[Exporter], Exporter]:
    """Declare `func(user) -> data`, the part `code` of a person's export."""

    def register(func: Exporter) -> Exporter:
        known = _sections.get(code)
        if known is not None and known.export is not func:
            raise ImproperlyConfigured(f"The personal data section {code!r} is declared twice.")
        _sections[code] = Section(code=code, label=label, export=func, order=order)
        return func

    return register


def eraser(func: Eraser) -> Eraser:
    """Declare `func(user)`, run when the person deletes their account."""
    _erasers[f"{func.__module__}.{func.__qualname__}"] = func
    return func


def retention(code: str, label: Any) -> Callable[[Purger], Purger]:
    """Declare `func(*, before, dry_run=False) -> int` that anonymises what is older than
    `before` (only counts it when `dry_run`). Run by the beat: it must be idempotent."""

    def register(func: Purger) -> Purger:
        _retentions[code] = Retention(code=code, label=label, purge=func)
        return func

    return register


# The readable page names each exported field by its model's verbose name (the JSON keeps
# the field names, stable for a machine).
# A few field names mean something else in each model: one plain label for them all.
_field_labels: dict[str, Any] = {
    "created_at": _("created"),
    "language": _("language"),
    "status": _("status"),
}


def fields_of(obj: Any, *names: str, **extra: Any) -> dict[str, Any]:
    """`obj`'s fields as an export row: choices as their label, a relation as its text,
    datetimes as ISO strings; `extra` adds computed values (their key is their label)."""
    row: dict[str, Any] = {}
    for name in names:
        field = obj._meta.get_field(name)
        _field_labels.setdefault(name, field.verbose_name)
        value = getattr(obj, name)
        if getattr(field, "choices", None) and not field.is_relation:
            value = str(getattr(obj, f"get_{name}_display")())
        elif field.is_relation:
            value = str(value) if value is not None else None
        elif isinstance(value, datetime.datetime):
            value = timezone.localtime(value).isoformat(timespec="seconds")
        elif isinstance(value, (datetime.date, datetime.time)):
            value = value.isoformat()
        row[name] = value
    for key, value in extra.items():
        row[key] = str(value) if value is not None and not isinstance(value, (int, bool)) else value
    return row


def label_of(key: str) -> Any:
    return _field_labels.get(key, key.replace("_", " "))


def sections() -> list[Section]:
    return sorted(_sections.values(), key=lambda s: (s.order, s.code))


def erasers() -> list[Eraser]:
    return list(_erasers.values())


def retentions() -> list[Retention]:
    return list(_retentions.values())
