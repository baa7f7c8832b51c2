import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.sites.models import Site
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


def _site_url(**env):
    base = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "PORT")}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.SITE_URL)",
        ],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "hub_eu.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_it_builds_the_site_address_from_the_port_when_site_url_is_unset():
    assert _site_url(PORT="8101") == "http://127.0.0.1:8101"
    assert _site_url() == "http://127.0.0.1:8000"


def test_it_keeps_an_explicit_site_url_whatever_the_port():
    assert _site_url(PORT="8101", SITE_URL="https://hub.example.brussels") == (
        "https://hub.example.brussels"
    )


@pytest.mark.django_db
def test_it_points_the_site_of_account_emails_at_the_site_url(settings):
    settings.SITE_URL = "http://127.0.0.1:8101"
    call_command("site_sync", verbosity=0)
    assert Site.objects.get(pk=settings.SITE_ID).domain == "127.0.0.1:8101"
