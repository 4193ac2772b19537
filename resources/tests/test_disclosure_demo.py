"""The disclosure demo: applications in every state, guides, catalogs, reports, enterprises; idempotent."""

from portal.demo import seed_demo as seed_portal
from resources.demo import seed_demo
from resources.models import AnnualReport, CatalogEntry, DisclosureApplication, DisclosureGuide, EnterpriseDisclosure
from resources.selectors.disclosure import (
    agencies_without_guide,
    applications_answered_late,
    enterprises_needing_attention,
)
from resources.tests.disclosure_fixtures import *  # noqa: F403


def test_the_demo_has_every_state_and_runs_twice(db):
    organizations = seed_portal()
    seed_demo(organizations)
    seed_demo(organizations)
    statuses = set(DisclosureApplication.objects.values_list("status", flat=True))
    assert statuses == {"submitted", "handling", "correction", "consulting", "replied"}
    assert DisclosureApplication.objects.filter(extended_on__isnull=False).exists()
    assert DisclosureApplication.objects.filter(replied_late=True).exists()
    assert DisclosureApplication.objects.filter(fee_amount__gt=0).exists()
    assert applications_answered_late().filter(status="handling").exists()
    assert DisclosureGuide.objects.filter(agency=organizations["transport"]).count() == 2
    assert organizations["health"] in agencies_without_guide()
    assert CatalogEntry.objects.count() == 5
    assert set(AnnualReport.objects.values_list("status", flat=True)) == {"draft", "published"}
    assert EnterpriseDisclosure.objects.count() == 6
    assert len(enterprises_needing_attention()) >= 3
