from django.core.management.base import BaseCommand
from django.utils import translation

from demo.data import demo_logins, load_demo_data


class Command(BaseCommand):
    help = "Load the demo data (idempotent) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the logins.")
        parser.add_argument(
            "--logins-only", action="store_true", help="Only print the logins, load nothing."
        )

    def handle(self, *args, quiet_logins=False, logins_only=False, **options):
        if logins_only:
            self._print_logins()
            return
        created = load_demo_data(lived_in=True)
        summary = ", ".join(f"{count} {kind}" for kind, count in created.items())
        self.stdout.write(f"Demo data: created {summary}.")
        if not quiet_logins:
            self._print_logins()

    def _print_logins(self):
        self.stdout.write(self.style.SUCCESS("  Demo logins:"))
        with translation.override("en"):
            for role, email, password in demo_logins():
                self.stdout.write(f"  {role:<32} {email:<40} {password}")
