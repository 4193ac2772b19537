"""The demo data loads through the services, twice without change (idempotent)."""

import pytest
from django.core.management import call_command

from resources.models import CatalogResource, SharingGrant, SharingRequest

pytestmark = pytest.mark.django_db


def test_the_demo_catalog_loads_and_is_idempotent():
    call_command("seed_demo", verbosity=0)
    counts = (CatalogResource.objects.count(), SharingRequest.objects.count(), SharingGrant.objects.count())
    call_command("seed_demo", verbosity=0)

    assert (CatalogResource.objects.count(), SharingRequest.objects.count(), SharingGrant.objects.count()) == counts
    assert CatalogResource.objects.filter(has_duplicates=True).count() == 2
    assert CatalogResource.objects.filter(base_database__isnull=False, status="published").count() == 2
    assert set(SharingRequest.objects.values_list("status", flat=True)) == {"awaiting_provider", "escalated", "granted"}
