"""seed_scale: a hundredth of the city, cloned in SQL from the demo rows, twice without change."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from portal.models import Deadline, Membership, Notification, Organization, TimelineEvent, User
from portal.scale import TAG_DEADLINE, TAG_ORGANIZATION, TAG_USER, scaled_count
from projects.models import ProjectFiling
from projects.scale import TAG_FILING
from resources.models import CatalogResource
from resources.services.search import SEARCH_BUCKET_BITS, SEARCH_BUCKET_SIZE
from security.models import GradingFiling, InformationSystem

pytestmark = pytest.mark.django_db(transaction=False)


def table_counts() -> dict[str, int]:
    models = [
        Organization,
        User,
        Membership,
        ProjectFiling,
        Deadline,
        TimelineEvent,
        Notification,
        InformationSystem,
        GradingFiling,
        CatalogResource,
    ]
    return {model._meta.label: model.objects.count() for model in models}


def test_seed_scale_adds_proportional_volumes_once():
    call_command("seed_demo")
    demo = table_counts()
    with connection.cursor() as cursor:  # the copies' ids in another search bucket than the demo resources'
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('resources_catalogresource', 'id'), %s)", [SEARCH_BUCKET_SIZE]
        )
    call_command("seed_scale", "--factor", "0.01")
    first = table_counts()

    assert scaled_count("portal_organization", TAG_ORGANIZATION) == 20
    assert scaled_count("portal_user", TAG_USER) == 200
    assert scaled_count("projects_projectfiling", TAG_FILING) == 1_000
    assert scaled_count("portal_deadline", TAG_DEADLINE) == 10_000
    assert first["projects.ProjectFiling"] - demo["projects.ProjectFiling"] == 1_000
    assert first["security.InformationSystem"] - demo["security.InformationSystem"] == 2_000
    assert first["security.GradingFiling"] - demo["security.GradingFiling"] == 2_000
    assert first["resources.CatalogResource"] - demo["resources.CatalogResource"] == 10_000
    assert first["portal.TimelineEvent"] - demo["portal.TimelineEvent"] == 3_000
    assert first["portal.Notification"] - demo["portal.Notification"] == 2_000
    # Every scaled user can work: one membership each, in a scaled organization.
    scaled_users = User.objects.filter(username__startswith="scale_user_")
    assert Membership.objects.filter(user__in=scaled_users).count() == 200
    # Filings follow their agency's level and district; deadlines belong to the filing's agency.
    assert not ProjectFiling.objects.filter(level="district", district="").exists()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM projects_projectfiling f JOIN portal_organization a ON a.id = f.agency_id "
            "WHERE f.district <> a.district"
        )
        assert cursor.fetchone()[0] == 0
        # So do disclosure applications, over four years (not the few dates of the demo rows).
        cursor.execute(
            "SELECT count(*) FILTER (WHERE x.district <> a.district OR x.level <> a.level), "
            "count(DISTINCT x.created_at::date) FROM resources_disclosureapplication x "
            "JOIN portal_organization a ON a.id = x.agency_id WHERE x.uuid::text LIKE '5ca1e%%'"
        )
        mismatched, days = cursor.fetchone()
        assert mismatched == 0 and days > 500
        cursor.execute(
            "SELECT count(*) FROM portal_deadline d JOIN projects_projectfiling f ON f.id = d.object_id "
            "WHERE d.uuid::text LIKE '5ca1e%%' AND d.organization_id <> f.agency_id"
        )
        assert cursor.fetchone()[0] == 0
        # Each deadline carries its organization's district (a district official's lists read that column).
        cursor.execute(
            "SELECT count(*) FILTER (WHERE d.district <> o.district), count(*) FILTER (WHERE d.district <> '') "
            "FROM portal_deadline d JOIN portal_organization o ON o.id = d.organization_id"
        )
        mismatched, in_districts = cursor.fetchone()
        assert mismatched == 0 and in_districts > 1_000
        # A copied resource's search lexemes carry its own id's bucket, not its demo source's.
        cursor.execute(
            "SELECT count(*) FROM resources_catalogresource WHERE uuid::text LIKE '5ca1e%%' "
            "AND search_vector <> catalog_search_bucketed(catalog_search_plain(search_vector), id >> %s)",
            [SEARCH_BUCKET_BITS],
        )
        assert cursor.fetchone()[0] == 0
    assert Deadline.objects.filter(state="open").count() >= 9_000
    # The demo personas keep working: the demo agency got its share of the filings.
    assert ProjectFiling.objects.filter(agency__name="北京市交通委员会").count() > demo["projects.ProjectFiling"]

    call_command("seed_scale", "--factor", "0.01")
    assert table_counts() == first

    # A larger factor adds the difference (and the copies' mapping does not collide with the first ones).
    call_command("seed_scale", "--factor", "0.02")
    assert scaled_count("projects_projectfiling", TAG_FILING) == 2_000
    assert scaled_count("portal_deadline", TAG_DEADLINE) == 20_000


def test_seed_scale_needs_the_demo_data_and_refuses_production(settings):
    with pytest.raises(CommandError, match="seed_demo"):
        call_command("seed_scale", "--factor", "0.01")
    settings.PORTAL_ENV = "production"
    with pytest.raises(CommandError, match="生产环境"):
        call_command("seed_scale", "--factor", "0.01")
