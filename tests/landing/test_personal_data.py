import datetime
import json

import pytest
from django.utils import timezone

from accounts.personal_data import retentions
from accounts.privacy import personal_data_collect, user_erase
from landing.models import LandingPlan, LandingStep
from needs.models import Need

pytestmark = pytest.mark.django_db


def test_the_export_holds_the_intake_and_the_steps(founder, make_plan):
    plan = make_plan(founder, needs=["permits"])
    LandingStep.objects.filter(plan=plan).update(done_at=timezone.now())
    data = personal_data_collect(user=founder)["sections"]["landing_plan"]["data"]
    text = json.dumps(data, default=str, ensure_ascii=False)
    assert "Lisboa Robotics" in text and "Portugal" in text and "Warehouse robots" in text
    assert data[0]["steps"][0]["agencies"] == ["BIE"]
    assert data[0]["steps"][0]["done_at"]


def test_erasure_deletes_the_plan_and_blanks_its_needs(founder, make_plan):
    make_plan(founder)
    user_erase(user=founder)
    assert not LandingPlan.objects.exists()
    assert not LandingStep.objects.exists()
    assert not Need.objects.filter(description__contains="Lisboa").exists()


def test_retention_deletes_plans_that_have_not_moved(founder, make_plan):
    plan = make_plan(founder)
    LandingPlan.objects.filter(pk=plan.pk).update(
        last_progress_at=timezone.now() - datetime.timedelta(days=400)
    )
    rule = next(r for r in retentions() if r.code == "landing_plans")
    before = timezone.now() - datetime.timedelta(days=365)
    assert rule.purge(before=before, dry_run=True) == 1
    assert LandingPlan.objects.exists()
    assert rule.purge(before=before) == 1
    assert not LandingPlan.objects.exists()
