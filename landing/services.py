"""Writes of the landing app: creating a plan from the intake (its steps, and its needs
routed through needs.services so they reach the agencies' inboxes), ticking steps off,
and booking an itinerary: every meeting or none."""

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from needs.models import Need
from needs.services import agencies_for, need_create
from notifications.services import notification_record
from permanences.services import BookingRefused, booking_create

from . import notices
from .itinerary import Candidate, conflict_of
from .models import Itinerary, ItineraryItem, LandingNeed, LandingPlan, LandingStep
from .selectors import category_of, held_meetings, itinerary_candidates, monday_of


@dataclass
class LandingRefused(Exception):
    """What cannot be done; `message` is for the founder. `code` "taken" when a slot was
    just taken by someone else."""

    message: str
    code: str = ""

    def __str__(self) -> str:
        return self.message


def _need_text(*, plan: LandingPlan, code: str) -> str:
    """The need as the agency reads it: the step, then the start-up in one line."""
    facts = _(
        "%(company)s (%(sector)s, %(stage)s), a team of %(size)d from %(country)s, "
        "arriving in Brussels on %(arrival)s."
    ) % {
        "company": plan.company_name,
        "sector": plan.get_sector_display(),
        "stage": plan.get_stage_display(),
        "size": plan.team_size,
        "country": plan.country.name,
        "arrival": date_format(plan.arrival_date, "j F Y"),
    }
    text = _("Landing in Brussels: %(step)s.") % {"step": LandingNeed(code).label} + "\n" + facts
    if plan.about:
        text += "\n\n" + plan.about
    return text[:3000]


def _steps_add(*, plan: LandingPlan, codes: list[str]) -> list[LandingStep]:
    """A step per need code, each with the agencies the routing rules name for its
    category; with the founder's consent, its need is recorded and routed at once."""
    user = plan.user
    steps = []
    order = {code: n for n, (code, _label) in enumerate(LandingNeed.choices, start=1)}
    with translation.override(user.language):
        for code in codes:
            category = category_of(code)
            if category is None:
                continue
            need = None
            if plan.consent:
                need = need_create(
                    user=user,
                    category=category,
                    description=_need_text(plan=plan, code=code),
                    consent=True,
                )
                agencies = [r.agency for r in need.routings.select_related("agency")]
            else:
                agencies = agencies_for(need=Need(user=user, category=category))
            step = LandingStep.objects.create(
                plan=plan, code=code, order=order[code], category=category, need=need
            )
            step.agencies.set(agencies)
            steps.append(step)
    return steps


def plan_create(
    *,
    user: User,
    company_name: str,
    country: str,
    sector: str,
    stage: str,
    team_size: int,
    arrival_date: datetime.date,
    needs: list[str],
    consent: bool,
    city: str = "",
    about: str = "",
    now: datetime.datetime | None = None,
) -> LandingPlan:
    """The plan: one step per need (in the catalogue's order), each with the agencies the
    routing rules name for its category. With the founder's consent each step's need is
    recorded and routed at once (it reaches those agencies' inboxes). The founder gets
    the plan's summary by email."""
    now = now or timezone.now()
    codes = [code for code, _label in LandingNeed.choices if code in set(needs)]
    if not codes:
        raise LandingRefused(_("Choose at least one thing you need help with."))
    try:
        with transaction.atomic():
            plan = LandingPlan.objects.create(
                user=user,
                company_name=company_name,
                country=country,
                city=city,
                sector=sector,
                stage=stage,
                team_size=team_size,
                arrival_date=arrival_date,
                about=about,
                consent=consent,
                last_progress_at=now,
            )
            _steps_add(plan=plan, codes=codes)
            notification_record(
                kind=notices.LANDING_PLAN_CREATED,
                recipient=user,
                subject=plan,
                key=f"landing_plan_created:plan:{plan.pk}",
            )
    except IntegrityError as exc:
        raise LandingRefused(_("You already have a landing plan.")) from exc
    return plan


def plan_update(
    *,
    plan: LandingPlan,
    user: User,
    arrival_date: datetime.date,
    add_needs: list[str],
    now: datetime.datetime | None = None,
) -> list[LandingStep]:
    """The founder moves their arrival date or adds needs to their plan (new steps,
    routed like the first ones). Returns the steps added."""
    if plan.user_id != user.pk:
        raise LandingRefused(_("This is not your plan."))
    now = now or timezone.now()
    known = set(plan.steps.values_list("code", flat=True))
    codes = [code for code, _label in LandingNeed.choices if code in set(add_needs) - known]
    try:
        with transaction.atomic():
            LandingPlan.objects.filter(pk=plan.pk).update(
                arrival_date=arrival_date, last_progress_at=now
            )
            plan.arrival_date = arrival_date
            return _steps_add(plan=plan, codes=codes)
    except IntegrityError as exc:  # the same step added twice at once
        raise LandingRefused(_("This step is already in your plan.")) from exc


def step_set_done(
    *, step: LandingStep, user: User, done: bool, now: datetime.datetime | None = None
) -> bool:
    """Tick a step off (or untick it). Only the plan's founder; returns whether it changed."""
    now = now or timezone.now()
    with transaction.atomic():
        changed = LandingStep.objects.filter(
            pk=step.pk, plan__user=user, done_at__isnull=done
        ).update(done_at=now if done else None)
        if changed:
            LandingPlan.objects.filter(pk=step.plan_id).update(last_progress_at=now)
    step.refresh_from_db(fields=["done_at"])
    return bool(changed)


def _meeting_label(candidate: Candidate) -> str:
    local = timezone.localtime(candidate.starts_at)
    return _("%(agency)s on %(day)s at %(time)s") % {
        "agency": candidate.agency,
        "day": date_format(local, "l j F"),
        "time": f"{local:%H:%M}",
    }


def _topic_for(*, plan: LandingPlan, agency_id: int, note: str) -> tuple:
    """The booking's topic (the steps this agency helps with, and the founder's note)
    and category."""
    steps = [s for s in plan.steps.all() if agency_id in {a.pk for a in s.agencies.all()}]
    labels = ", ".join(str(s.get_code_display()) for s in steps)
    topic = _("Landing in Brussels (%(company)s): %(steps)s.") % {
        "company": plan.company_name,
        "steps": labels,
    }
    if note.strip():
        topic += "\n" + note.strip()
    return topic[:1000], steps[0].category if steps else None


def itinerary_book(
    *,
    plan: LandingPlan,
    week: datetime.date,
    choices: dict[int, int],
    consent_share_profile: bool,
    note: str = "",
    now: datetime.datetime | None = None,
) -> Itinerary:
    """Book the chosen slot of each agency (agency id -> slot id) in one transaction:
    every meeting is booked, or none. The slots must still be candidates for the founder
    (free, open to them, online before their arrival) and fit together (no overlap, time
    to travel); a refusal of any booking names the meeting and undoes the others."""
    now = now or timezone.now()
    week = monday_of(week)
    if not choices:
        raise LandingRefused(_("Choose at least one meeting."))
    candidates = itinerary_candidates(plan=plan, weeks=[week], now=now)[week]
    chosen: list[Candidate] = []
    for agency_id, slot_id in choices.items():
        match = next((c for c in candidates.get(agency_id, []) if c.slot_id == slot_id), None)
        if match is None:
            raise LandingRefused(
                _("One of the times you chose is no longer available. Please choose again."),
                code="taken",
            )
        chosen.append(match)
    conflict = conflict_of([*held_meetings(user=plan.user, week=week), *chosen])
    if conflict is not None:
        if conflict.code == "overlap":
            message = _("%(first)s overlaps %(second)s. Choose another time for one of them.")
        else:
            message = _(
                "There is not enough time to get from %(first)s to %(second)s "
                "(about %(minutes)d minutes are needed). Choose another time for one of them."
            )
        raise LandingRefused(
            message
            % {
                "first": _meeting_label(conflict.first),
                "second": _meeting_label(conflict.second),
                "minutes": conflict.needed_minutes,
            }
        )
    chosen.sort(key=lambda c: c.starts_at)
    with translation.override(plan.user.language):
        topics = {
            c.agency_id: _topic_for(plan=plan, agency_id=c.agency_id, note=note) for c in chosen
        }
    try:
        with transaction.atomic():
            itinerary = Itinerary.objects.create(plan=plan, week=week)
            for candidate in chosen:
                topic, category = topics[candidate.agency_id]
                try:
                    booking = booking_create(
                        slot_id=candidate.slot_id,
                        user=plan.user,
                        category=category,
                        topic=topic,
                        language=candidate.language,
                        consent_share_profile=consent_share_profile,
                        now=now,
                    )
                except BookingRefused as exc:
                    raise LandingRefused(
                        _(
                            "Your meeting with %(meeting)s could not be booked: %(reason)s "
                            "Nothing has been booked; choose another time for it."
                        )
                        % {"meeting": _meeting_label(candidate), "reason": exc.message},
                        code=exc.code,
                    ) from exc
                ItineraryItem.objects.create(
                    itinerary=itinerary, agency_id=candidate.agency_id, booking=booking
                )
            LandingPlan.objects.filter(pk=plan.pk).update(last_progress_at=now)
            notification_record(
                kind=notices.LANDING_ITINERARY_BOOKED,
                recipient=plan.user,
                subject=itinerary,
                key=f"landing_itinerary_booked:itinerary:{itinerary.pk}",
            )
    except IntegrityError as exc:  # a race the booking service did not see
        raise LandingRefused(
            _(
                "One of the times you chose was just taken. Nothing has been booked; please "
                "choose again."
            ),
            code="taken",
        ) from exc
    return itinerary
