import pytest

from portal.demo import seed_demo as seed_core
from projects.demo import seed_demo as seed_projects
from security import detectors
from security.demo import seed_demo
from security.models import GradingFiling, GradingStatus, Incident, InformationSystem
from security.rules import SecurityLevel

pytestmark = pytest.mark.django_db


def test_it_seeds_every_level_and_state_idempotently():
    organizations = seed_core()
    seed_projects(organizations)
    seed_demo(organizations)
    counts = (InformationSystem.objects.count(), GradingFiling.objects.count(), Incident.objects.count())
    seed_demo(organizations)
    assert (InformationSystem.objects.count(), GradingFiling.objects.count(), Incident.objects.count()) == counts
    assert set(InformationSystem.objects.values_list("level", flat=True)) == set(SecurityLevel.values)
    assert set(GradingFiling.objects.values_list("status", flat=True)) == set(GradingStatus.values)
    assert InformationSystem.objects.filter(project_filing__isnull=False).exists()
    assert Incident.objects.filter(report_delay_minutes__gt=0).exists()
    assert detectors.unfiled_systems().exists()
    assert detectors.overdue_evaluations().exists()
    assert detectors.organizations_without_plan().filter(pk=organizations["education"].pk).exists()
