from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sites.models import Site
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Point the Site that allauth's emails name at SITE_URL's host and port. "
        "bin/run calls it, so that `PORT=8101 make run` sends links to port 8101."
    )

    def handle(self, *args, **options):
        domain = urlsplit(settings.SITE_URL).netloc
        if not domain:
            raise CommandError(f"SITE_URL has no host: {settings.SITE_URL!r}")
        site, created = Site.objects.get_or_create(
            pk=settings.SITE_ID, defaults={"domain": domain, "name": "hub.eu"}
        )
        if not created and site.domain != domain:
            Site.objects.filter(pk=site.pk).update(domain=domain)
        if options["verbosity"]:
            self.stdout.write(f"Site: {domain}")
