"""The boundaries of a day as people in Brussels live it, daylight-saving changes included."""

import datetime
from zoneinfo import ZoneInfo

# The portal's time zone whatever the server's: permanences happen in Brussels.
BRUSSELS = ZoneInfo("Europe/Brussels")


def day_start(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of `day` in Brussels, as an aware datetime."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=BRUSSELS)


def days_bounds(
    first: datetime.date, last: datetime.date | None = None
) -> tuple[datetime.datetime, datetime.datetime]:
    """[midnight starting `first`, midnight ending `last`) in Brussels: the instants that
    fall on those days (one day when `last` is omitted)."""
    return day_start(first), day_start((last or first) + datetime.timedelta(days=1))
