import pytest

from portal.demo import seed_demo as seed_core
from projects.demo import seed_demo
from projects.models import FilingStatus, ProjectFiling

pytestmark = pytest.mark.django_db


def test_it_seeds_filings_in_every_state_idempotently():
    organizations = seed_core()
    seed_demo(organizations)
    count = ProjectFiling.objects.count()
    seed_demo(organizations)
    assert ProjectFiling.objects.count() == count
    assert set(ProjectFiling.objects.values_list("status", flat=True)) == set(FilingStatus.values)
