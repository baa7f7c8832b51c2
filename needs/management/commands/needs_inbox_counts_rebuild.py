from django.core.management.base import BaseCommand

from needs.services import inbox_counts_rebuild


class Command(BaseCommand):
    help = (
        "Recount the agencies' needs inbox counts from the routed needs (database triggers "
        "keep them; this repairs them after the triggers were missing or off)."
    )

    def handle(self, *args, **options):
        rows = inbox_counts_rebuild()
        self.stdout.write(f"Needs inbox: {rows} counter rows rebuilt.")
