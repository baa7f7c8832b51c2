"""The schedule service: the rules every caller shares (not only the admin form), saving a
schedule with its slots, and closures regenerating the slots they touch."""

import datetime

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone

from incubators.models import Language
from permanences import schedules
from permanences.generation import BRUSSELS, belgian_holidays, slots_regenerate
from permanences.models import Closure, PermanenceSchedule, Slot
from tests.factories import (
    AdvisorFactory,
    AgencyFactory,
    IncubatorFactory,
    ScheduleFactory,
    SlotFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

WEDNESDAY = 2


def _draft(**fields) -> PermanenceSchedule:
    """A schedule as a caller builds it before saving: Wednesdays 10:00-13:00 from today."""
    data = {
        "agency": fields.pop("agency", None) or AgencyFactory(),
        "incubator": fields.pop("incubator", None) or IncubatorFactory(),
        "weekday": WEDNESDAY,
        "start_time": datetime.time(10, 0),
        "end_time": datetime.time(13, 0),
        "valid_from": timezone.localdate(),
        "audience": PermanenceSchedule.Audience.REGISTERED,
        **fields,
    }
    return PermanenceSchedule(**data)


def _ana():
    return AdvisorFactory(user=UserFactory(first_name="Ana", last_name="Peeters"))


def _next(weekday: int) -> datetime.date:
    """The first such weekday from a week ahead that is not a public holiday."""
    day = timezone.localdate() + datetime.timedelta(days=7)
    day += datetime.timedelta(days=(weekday - day.weekday()) % 7)
    while day in belgian_holidays(day.year):
        day += datetime.timedelta(days=7)
    return day


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=BRUSSELS)


# --- Rules -------------------------------------------------------------------------------


def test_it_refuses_advisors_who_do_not_work_for_the_schedules_agency():
    stranger = AdvisorFactory(user=UserFactory(first_name="Bo", last_name="Jansens"))
    draft = _draft(agency=AgencyFactory(short_name="Atrium test"))

    with pytest.raises(ValidationError) as refused:
        schedules.schedule_validate(schedule=draft, advisors=[stranger])

    assert refused.value.message_dict == {
        "advisors": ["These advisors do not work for Atrium test: Bo Jansens."]
    }


def test_it_refuses_a_schedule_that_puts_an_advisor_in_two_places_at_once():
    ana = _ana()
    there = ScheduleFactory(agency=ana.agency, weekday=WEDNESDAY, advisors=[ana])
    draft = _draft(agency=ana.agency, incubator=IncubatorFactory())

    with pytest.raises(ValidationError) as refused:
        schedules.schedule_validate(schedule=draft, advisors=[ana])

    heading, line = refused.value.message_dict[NON_FIELD_ERRORS]
    assert heading == "This permanence collides with other permanences:"
    assert line.startswith(f"{there}, first on ")
    assert line.endswith("Ana Peeters would be in two places at once.")


def test_it_refuses_two_overlapping_permanences_of_one_agency_at_one_place():
    there = ScheduleFactory(
        weekday=WEDNESDAY, start_time=datetime.time(12, 0), end_time=datetime.time(14, 0)
    )
    draft = _draft(agency=there.agency, incubator=there.incubator)

    with pytest.raises(ValidationError) as refused:
        schedules.schedule_validate(schedule=draft, advisors=[])

    assert "would hold two overlapping permanences" in str(refused.value)


def test_it_accepts_the_same_advisor_on_another_day_and_the_schedule_itself_when_changed():
    ana = _ana()
    monday = ScheduleFactory(agency=ana.agency, weekday=0, advisors=[ana])
    schedules.schedule_validate(schedule=_draft(agency=ana.agency), advisors=[ana])

    monday.end_time = datetime.time(12, 30)  # its own stored rule is no collision
    schedules.schedule_validate(schedule=monday, advisors=[ana])


def test_it_looks_for_no_collision_on_a_rule_that_ends_before_it_starts():
    # The rule itself is wrong (the model says so at the field): no collision to report.
    ScheduleFactory(weekday=WEDNESDAY, start_time=datetime.time(8, 0))
    draft = _draft(start_time=datetime.time(10, 0), end_time=datetime.time(9, 30))
    schedules.schedule_validate(schedule=draft, advisors=[])


def test_the_model_says_what_is_wrong_with_the_row_at_the_field_concerned():
    draft = _draft(
        start_time=datetime.time(10, 0),
        end_time=datetime.time(9, 30),
        valid_until=timezone.localdate() - datetime.timedelta(days=1),
        mode=PermanenceSchedule.Mode.ONLINE,
    )

    with pytest.raises(ValidationError) as refused:
        draft.full_clean()

    errors = refused.value.message_dict
    assert errors["end_time"] == ["The permanence must end after it starts."]
    assert errors["valid_until"] == ["The end of validity must not precede its start."]
    assert errors["meeting_url"] == ["An online permanence needs a meeting link."]
    assert NON_FIELD_ERRORS not in errors  # no "constraint … is violated" on top


# --- Saving ------------------------------------------------------------------------------


def test_it_saves_a_schedule_with_its_advisors_and_languages_and_generates_its_slots(
    reference_data,
):
    ana = _ana()
    draft = _draft(agency=ana.agency)

    result = schedules.schedule_save(
        schedule=draft, advisors=[ana], languages=Language.objects.filter(code="nl")
    )

    assert draft.pk is not None
    assert list(draft.advisors.all()) == [ana]
    assert list(draft.languages.values_list("code", flat=True)) == ["nl"]
    assert result.created == Slot.objects.filter(schedule=draft).count() > 0


def test_it_saves_nothing_when_a_rule_is_broken_and_says_every_problem_at_once():
    ana = _ana()
    ScheduleFactory(agency=ana.agency, weekday=WEDNESDAY, advisors=[ana])
    draft = _draft(agency=ana.agency, capacity=0)

    with pytest.raises(ValidationError) as refused:
        schedules.schedule_save(schedule=draft, advisors=[ana])

    errors = refused.value.message_dict
    assert set(errors) == {"capacity", NON_FIELD_ERRORS}
    assert "This permanence collides with other permanences:" in errors[NON_FIELD_ERRORS]
    assert PermanenceSchedule.objects.count() == 1
    assert not Slot.objects.exists()


def test_it_keeps_a_booked_slot_and_flags_it_when_its_schedule_moves():
    wednesday = _next(WEDNESDAY)
    schedule = ScheduleFactory(weekday=WEDNESDAY)
    booked = SlotFactory(schedule=schedule, starts_at=_at(wednesday, 10), booked_count=1)
    schedule.weekday = 3

    result = schedules.schedule_save(schedule=schedule, advisors=[])

    booked.refresh_from_db()
    assert booked.off_schedule
    assert result.flagged == 1


# --- Closures ----------------------------------------------------------------------------


def test_it_removes_the_free_slots_of_the_days_a_closure_closes():
    wednesday = _next(WEDNESDAY)
    schedule = ScheduleFactory(weekday=WEDNESDAY)
    SlotFactory(schedule=schedule, starts_at=_at(wednesday, 10))
    elsewhere = ScheduleFactory(weekday=WEDNESDAY)
    SlotFactory(schedule=elsewhere, starts_at=_at(wednesday, 10))

    result = schedules.closure_save(
        closure=Closure(
            incubator=schedule.incubator,
            start_date=wednesday,
            end_date=wednesday,
            reason="Renovation",
        )
    )

    assert result.removed == 1
    assert not Slot.objects.filter(schedule=schedule, starts_at__date=wednesday).exists()
    assert Slot.objects.filter(schedule=schedule).exists()  # the other weeks
    assert Slot.objects.filter(schedule=elsewhere, starts_at__date=wednesday).exists()


def test_it_frees_the_place_a_closure_leaves_when_it_moves_and_closes_the_new_one():
    wednesday = _next(WEDNESDAY)
    first, second = ScheduleFactory(weekday=WEDNESDAY), ScheduleFactory(weekday=WEDNESDAY)
    closure = Closure(
        incubator=first.incubator, start_date=wednesday, end_date=wednesday, reason="Works"
    )
    schedules.closure_save(closure=closure)
    slots_regenerate(scopes=[(second.incubator_id, None)])
    assert not Slot.objects.filter(schedule=first, starts_at__date=wednesday).exists()

    closure.incubator = second.incubator
    schedules.closure_save(closure=closure)

    assert Slot.objects.filter(schedule=first, starts_at__date=wednesday).exists()
    assert not Slot.objects.filter(schedule=second, starts_at__date=wednesday).exists()


def test_it_brings_the_slots_back_when_closures_are_removed():
    wednesday = _next(WEDNESDAY)
    schedule = ScheduleFactory(weekday=WEDNESDAY)
    closure = Closure(agency=schedule.agency, start_date=wednesday, end_date=wednesday, reason="x")
    schedules.closure_save(closure=closure)
    assert not Slot.objects.filter(schedule=schedule, starts_at__date=wednesday).exists()

    result = schedules.closures_delete(closures=Closure.objects.all())

    assert not Closure.objects.exists()
    assert result.created > 0
    assert Slot.objects.filter(schedule=schedule, starts_at__date=wednesday).exists()


def test_a_closure_for_everyone_regenerates_every_schedule():
    wednesday = _next(WEDNESDAY)
    both = [ScheduleFactory(weekday=WEDNESDAY), ScheduleFactory(weekday=WEDNESDAY)]
    Closure.objects.create(start_date=wednesday, end_date=wednesday, reason="Regional holiday")

    result = slots_regenerate(scopes=[(None, None)])

    assert result.created > 0
    for schedule in both:
        assert Slot.objects.filter(schedule=schedule).exists()
        assert not Slot.objects.filter(schedule=schedule, starts_at__date=wednesday).exists()
