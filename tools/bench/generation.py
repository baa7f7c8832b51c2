"""Phase 5: one year of slots for 160 new weekly schedules (40 incubators x 4 agencies),
in-process. It runs on schedules of its own, after the phases that measure the slot list:
`slots_generate_all` would also regenerate the list's schedules and delete their
hand-made slots."""

import time

from incubators.models import Agency
from permanences.generation import slots_generate
from permanences.models import Slot
from tools.bench.common import Run, incubators_create, schedules_create

GENERATION_INCUBATORS = 40
GENERATION_DAYS = 365


def measure(run: Run, *, agencies: list[Agency]) -> None:
    run.phase(f"5/6 one year of slots for {GENERATION_INCUBATORS * len(agencies)} schedules")
    schedules = schedules_create(
        incubators=incubators_create(prefix="generation", count=GENERATION_INCUBATORS),
        agencies=agencies,
    )
    started = time.perf_counter()
    created = sum(
        slots_generate(schedule=schedule, days=GENERATION_DAYS).created for schedule in schedules
    )
    seconds = time.perf_counter() - started
    in_database = Slot.objects.filter(schedule__in=schedules).count()
    if in_database != created:
        run.failures.append(f"Generation reported {created} slots, stored {in_database}.")
    run.add("slot_generation_seconds", round(seconds, 2), "s")
    run.add("slot_generation_slots", created, "slots")
