import pytest
from django.urls import reverse
from django.utils import timezone

from planning.demo import seed_demo
from planning.models import Plan, PlanStatus, StaffDevelopmentRecord, Standard
from planning.selectors import agencies_missing_development
from portal.demo import seed_demo as seed_core
from portal.models import User

pytestmark = pytest.mark.django_db


def test_it_seeds_plans_standards_and_training_idempotently(client):
    organizations = seed_core()
    seed_demo(organizations)
    counts = (Plan.objects.count(), Standard.objects.count(), StaffDevelopmentRecord.objects.count())
    seed_demo(organizations)

    assert (Plan.objects.count(), Standard.objects.count(), StaffDevelopmentRecord.objects.count()) == counts
    assert {PlanStatus.PUBLISHED, PlanStatus.IN_REVIEW, PlanStatus.DRAFT} <= set(
        Plan.objects.values_list("status", flat=True)
    )
    assert Standard.objects.get(code="GB/T 22240-2008").replaced_by.code == "GB/T 22240-2020"
    official = User.objects.get(username="city_official")
    missing = agencies_missing_development(official, year=timezone.localdate().year)
    assert organizations["education"] in missing and organizations["transport"] not in missing
    assert "北京市“十四五”时期信息化发展规划" in client.get(reverse("public-plans")).content.decode()
