from django.core.management.base import BaseCommand

from surveys.services import survey_results_rebuild


class Command(BaseCommand):
    help = (
        "Recompute the survey results' daily counters from the invitations, responses and "
        "answers (after a bulk import that bypassed the services)."
    )

    def handle(self, *args, **options):
        rows = survey_results_rebuild()
        self.stdout.write(f"Survey results: {rows} daily counter rows rebuilt.")
