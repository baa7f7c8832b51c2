"""An itinerary: one meeting with each agency of a plan in one week, without overlaps,
with the time to get from one place to the next, online while the founder is still
abroad. Pure functions on `Candidate`s; `selectors.itinerary_candidates` reads them from
the database."""

import datetime
import math
from dataclasses import dataclass

from django.utils import timezone

# Getting around Brussels door to door (walking, metro, tram): about 12 km/h on average,
# plus a buffer to leave one meeting, find the next place and sign in.
TRAVEL_KMH = 12
TRAVEL_BUFFER_MINUTES = 15
# Two places without coordinates: the time a crossing of the city takes.
TRAVEL_UNKNOWN_MINUTES = 45
# The search stops after this many combinations tried and keeps the best found.
SEARCH_BUDGET = 20_000


@dataclass(frozen=True)
class Candidate:
    slot_id: int
    agency_id: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    online: bool
    incubator_id: int
    latitude: float | None = None
    longitude: float | None = None
    place: str = ""
    agency: str = ""
    language: str = ""

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def day(self) -> datetime.date:
        return timezone.localdate(self.starts_at)


def distance_km(a: Candidate, b: Candidate) -> float | None:
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return None
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371 * math.asin(math.sqrt(h))


def travel_minutes(a: Candidate, b: Candidate) -> int:
    """Minutes to allow between two meetings: none online or at the same place."""
    if a.online or b.online or a.incubator_id == b.incubator_id:
        return 0
    km = distance_km(a, b)
    if km is None:
        return TRAVEL_UNKNOWN_MINUTES
    return math.ceil(km / TRAVEL_KMH * 60) + TRAVEL_BUFFER_MINUTES


@dataclass(frozen=True)
class Conflict:
    first: Candidate
    second: Candidate
    code: str  # "overlap" or "travel"
    needed_minutes: int = 0


def conflict_of(chosen: list[Candidate]) -> Conflict | None:
    """The first reason these meetings cannot all be held, or None. Between two meetings
    on site, the time left once the online meetings in between are held must cover the
    travel from one place to the other."""
    items = sorted(chosen, key=lambda c: c.starts_at)
    for i, a in enumerate(items):
        for b in items[i + 1 :]:
            if b.starts_at >= a.ends_at:
                break
            return Conflict(a, b, "overlap")
    previous: Candidate | None = None
    online_minutes = 0
    for item in items:
        if item.online:
            online_minutes += item.minutes
            continue
        if previous is not None:
            free = (item.starts_at - previous.ends_at).total_seconds() / 60 - online_minutes
            needed = travel_minutes(previous, item)
            if free < needed:
                return Conflict(previous, item, "travel", needed)
        previous, online_minutes = item, 0
    return None


def _score(chosen: list[Candidate]) -> tuple:
    """Lower is better: the most agencies met, on the fewest days, with the least travel,
    as early as possible."""
    items = sorted(chosen, key=lambda c: c.starts_at)
    travel = sum(travel_minutes(a, b) for a, b in zip(items, items[1:], strict=False))
    return (
        -len(items),
        len({c.day for c in items}),
        travel,
        sum(c.starts_at.timestamp() for c in items),
    )


def propose(
    candidates: dict[int, list[Candidate]], *, held: list[Candidate] = ()
) -> dict[int, Candidate | None]:
    """The best combination of one candidate per agency (None for an agency that cannot
    fit around each other and the meetings the founder already `held`): a depth-first
    search, agencies with the fewest candidates first, cut when it can no longer meet
    more agencies than the best found, and after SEARCH_BUDGET steps."""
    held = list(held)
    order = sorted(candidates, key=lambda agency: (len(candidates[agency]), agency))
    best: list = [None, None]  # score, chosen
    budget = [SEARCH_BUDGET]

    def search(index: int, chosen: list[Candidate]) -> None:
        if budget[0] <= 0:
            return
        budget[0] -= 1
        if best[0] is not None and len(chosen) + len(order) - index < -best[0][0]:
            return
        if index == len(order):
            score = _score(chosen)
            if best[0] is None or score < best[0]:
                best[0], best[1] = score, list(chosen)
            return
        for candidate in candidates[order[index]]:
            if conflict_of([*held, *chosen, candidate]) is None:
                search(index + 1, [*chosen, candidate])
        search(index + 1, chosen)

    search(0, [])
    chosen = {c.agency_id: c for c in best[1] or []}
    return {agency: chosen.get(agency) for agency in candidates}
