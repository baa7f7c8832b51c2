from celery import shared_task

from .privacy import personal_data_purge


@shared_task
def purge_personal_data() -> dict[str, int]:
    """Nightly: anonymise what is older than its retention period (idempotent)."""
    return personal_data_purge()
