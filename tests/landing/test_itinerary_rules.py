"""The itinerary's rules on plain candidates: overlaps, travel time, online meetings."""

import datetime

from django.utils import timezone

from landing.itinerary import Candidate, conflict_of, propose, travel_minutes

DAY = datetime.date(2026, 12, 8)


def c(
    slot, agency, hour, minute=0, *, minutes=30, place=1, online=False, lat=None, lon=None, day=DAY
):
    starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))
    return Candidate(
        slot_id=slot,
        agency_id=agency,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=minutes),
        online=online,
        incubator_id=place,
        latitude=lat,
        longitude=lon,
    )


NORTH = {"lat": 50.866, "lon": 4.347}
EAST = {"lat": 50.842, "lon": 4.403}


def test_two_meetings_at_the_same_time_overlap():
    conflict = conflict_of([c(1, 1, 10), c(2, 2, 10, 15)])
    assert conflict.code == "overlap"


def test_meetings_back_to_back_at_the_same_place_fit():
    assert conflict_of([c(1, 1, 10), c(2, 2, 10, 30)]) is None


def test_distant_places_need_the_travel_time_between_them():
    a = c(1, 1, 10, place=1, **NORTH)
    minutes = travel_minutes(a, c(2, 2, 11, place=2, **EAST))
    assert 30 <= minutes <= 60  # 4.6 km across the city, with the buffer
    too_soon = c(2, 2, 10, 45, place=2, **EAST)
    conflict = conflict_of([a, too_soon])
    assert conflict.code == "travel" and conflict.needed_minutes == minutes
    in_time = c(2, 2, 11, 30, place=2, **EAST)
    assert conflict_of([a, in_time]) is None


def test_places_without_coordinates_get_a_cautious_travel_time():
    assert travel_minutes(c(1, 1, 10, place=1), c(2, 2, 11, place=2)) == 45


def test_online_meetings_need_no_travel():
    on_site = c(1, 1, 10, place=1, **NORTH)
    online = c(2, 2, 10, 30, place=2, online=True, **EAST)
    assert travel_minutes(on_site, online) == 0
    assert conflict_of([on_site, online]) is None


def test_an_online_meeting_in_between_eats_the_travel_time():
    first = c(1, 1, 10, place=1, **NORTH)
    last = c(3, 3, 11, 15, place=2, **EAST)  # 45 minutes after the first ends
    assert conflict_of([first, last]) is None
    online = c(2, 2, 10, 30, online=True, place=3)
    assert conflict_of([first, online, last]).code == "travel"


def test_the_proposal_meets_every_agency_without_conflict_on_the_fewest_days():
    tomorrow = DAY + datetime.timedelta(days=1)
    candidates = {
        1: [c(11, 1, 10, place=1, **NORTH), c(12, 1, 10, day=tomorrow, place=1, **NORTH)],
        2: [
            c(21, 2, 10, 15, place=2, **EAST),  # too close to 11: no time to travel
            c(22, 2, 14, place=2, **EAST),
            c(23, 2, 9, day=tomorrow, place=2, **EAST),
        ],
    }
    proposal = propose(candidates)
    chosen = [proposal[1], proposal[2]]
    assert conflict_of(chosen) is None
    assert {x.slot_id for x in chosen} == {11, 22}  # one day, earliest


def test_an_agency_that_cannot_fit_is_left_out_of_the_proposal():
    candidates = {1: [c(11, 1, 10)], 2: [c(21, 2, 10)], 3: []}
    proposal = propose(candidates)
    assert proposal[3] is None
    assert sum(1 for x in proposal.values() if x) == 1


def test_the_search_stays_quick_with_many_candidates():
    candidates = {
        agency: [
            c(
                agency * 100 + n,
                agency,
                9 + n // 2,
                30 * (n % 2),
                place=agency,
                day=DAY + datetime.timedelta(days=d),
            )
            for d in range(5)
            for n in range(14)
        ]
        for agency in range(1, 5)
    }
    proposal = propose(candidates)
    assert all(proposal.values())
    assert conflict_of(list(proposal.values())) is None
