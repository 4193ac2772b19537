"""City scale (issue 15): the scope is resolved to organization ids with the memberships, in one query,
so scope filters are ``organization_id IN (…)`` on an index rather than an OR over a join."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.access import organization_scope_q, scope_for
from portal.models import Organization
from portal.selectors import deadlines_visible_to


def test_a_clerk_sees_the_agency_and_its_units_resolved_in_the_membership_query(clerk, orgs):
    with CaptureQueriesContext(connection) as captured:
        scope = scope_for(clerk)
    assert len(captured) == 1
    assert scope.agency_ids == {orgs["agency"].pk, orgs["agency_unit"].pk}
    assert scope.visible_organization_ids == scope.agency_ids
    assert scope.units_of([orgs["agency"].pk]) == sorted(scope.agency_ids)
    visible = set(Organization.objects.filter(organization_scope_q(clerk)).values_list("pk", flat=True))
    assert visible == scope.agency_ids


def test_a_district_official_sees_every_organization_of_the_district(district_official, orgs):
    scope = scope_for(district_official)
    visible = set(Organization.objects.filter(organization_scope_q(district_official)).values_list("pk", flat=True))
    assert visible == {orgs["haidian_authority"].pk, orgs["haidian_agency"].pk}
    assert visible == scope.visible_organization_ids
    assert orgs["chaoyang_agency"].pk not in visible


def test_scope_filters_use_the_organization_column_not_a_join(clerk, district_official):
    for user in (clerk, district_official):
        sql = str(deadlines_visible_to(user).query)
        where = sql.split(" WHERE ", 1)[1]
        assert '"portal_deadline"."organization_id" IN (' in where
        assert "parent_id" not in where and "district" not in where


def test_a_city_official_is_not_filtered(official):
    assert scope_for(official).city_wide
    assert organization_scope_q(official).children == []
