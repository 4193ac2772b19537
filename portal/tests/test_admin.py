"""Every admin changelist opens for a superuser, and service-only records can't be edited there."""

import pytest
from django.contrib import admin
from django.urls import reverse

from portal.models import Deadline, TimelineEvent


@pytest.fixture
def superuser(db, django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.invalid", "Root-Password-2026")


def test_it_opens_every_registered_changelist(client, superuser, orgs):
    client.force_login(superuser)
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("model", [TimelineEvent, Deadline])
def test_it_offers_no_add_for_records_only_services_write(client, superuser, model):
    client.force_login(superuser)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    assert client.get(url).status_code == 403


def test_an_organizations_level_and_district_are_set_once(client, superuser, orgs):
    """Filings, systems, gradings, applications and deadlines copy them: the admin does not change them."""
    client.force_login(superuser)
    change = client.get(reverse("admin:portal_organization_change", args=[orgs["haidian_agency"].pk]))
    assert change.status_code == 200
    fields = change.context["adminform"].form.fields
    assert "district" not in fields and "level" not in fields and "name" in fields
    add = client.get(reverse("admin:portal_organization_add"))
    assert {"district", "level"} <= set(add.context["adminform"].form.fields)
