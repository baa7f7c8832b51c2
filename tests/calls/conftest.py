import datetime

import pytest
from django.utils import timezone

from calls.models import Call, Criterion
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def make_call(**fields) -> Call:
    now = timezone.now()
    values = {
        "slug": "smart-city-test",
        "title": "Smart city test",
        "summary": "Test a sensor network.",
        "problem": "Air quality in schools.",
        "eligibility": "Start-ups with a working prototype.",
        "offer": "A pilot in ten schools.",
        "funder_kind": Call.FunderKind.REGION,
        "funder_name": "Brussels Region",
        "opens_at": now - datetime.timedelta(days=10),
        "deadline": now + datetime.timedelta(days=5),
        "status": Call.Status.PUBLISHED,
        "score_max": 5,
    }
    values.update(fields)
    return Call.objects.create(**values)


@pytest.fixture
def call(db):
    """A published call open for five more days, scored 0-5 on two criteria weighted 2
    (innovation) and 1 (team)."""
    call = make_call()
    Criterion.objects.create(call=call, name="Innovation", weight=2, order=1)
    Criterion.objects.create(call=call, name="Team", weight=1, order=2)
    return call


@pytest.fixture
def manager(call):
    user = UserFactory()
    call.managers.add(user)
    return user
