from celery import shared_task

from .generation import slots_generate_all


@shared_task(ignore_result=True)
def generate_slots() -> dict:
    """Nightly: extend every schedule's slots to the rolling horizon."""
    result = slots_generate_all()
    return result.__dict__
