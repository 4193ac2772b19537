"""City scale (issue 15): the scope is resolved to organization ids with the memberships, in one query,
so scope filters are ``organization_id IN (…)`` on an index rather than an OR over a join."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.access import organization_scope_q, scope_for
from portal.models import Deadline, District, Level, Organization, OrganizationKind, Role
from portal.selectors import deadlines_visible_to
from portal.services import deadline_open, membership_create


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


def test_scope_filters_use_the_organization_column_not_a_join(clerk):
    sql = str(deadlines_visible_to(clerk).query)
    where = sql.split(" WHERE ", 1)[1]
    assert '"portal_deadline"."organization_id" IN (' in where
    assert "parent_id" not in where and "district" not in where


def test_a_district_officials_deadlines_are_the_districts_copied_column(district_official, orgs):
    """One index range whatever the district's organizations number, and the same rows as the organizations
    of the district."""
    for key in ("haidian_authority", "haidian_agency", "chaoyang_agency", "agency"):
        deadline_open(
            subject=orgs[key], kind="demo", due_date=date(2026, 3, 16), organization=orgs[key], legal_basis="Art. 13"
        )
    assert scope_for(district_official).sole_district == District.HAIDIAN
    visible = deadlines_visible_to(district_official)
    where = str(visible.query).split(" WHERE ", 1)[1]
    assert where.startswith('"portal_deadline"."district" = 110108') and "organization_id" not in where
    by_organization = Deadline.objects.filter(organization_scope_q(district_official, prefix="organization__"))
    assert set(visible) == set(by_organization) and len(by_organization) == 2


def test_an_official_with_a_unit_outside_the_district_is_scoped_by_organization(
    make_org, make_user, district_official, orgs
):
    """The copied district would miss the unit in Chaoyang: such a scope keeps the organizations' list."""
    unit = make_org(
        "海淀区派驻朝阳办事处", level=Level.DISTRICT, district=District.CHAOYANG, parent=orgs["haidian_authority"]
    )
    deadline_open(subject=unit, kind="demo", due_date=date(2026, 3, 16), organization=unit, legal_basis="Art. 13")
    scope = scope_for(district_official)
    assert unit.pk in scope.agency_ids and scope.sole_district == ""
    assert [d.organization for d in deadlines_visible_to(district_official)] == [unit]


def test_an_official_of_two_districts_is_scoped_by_organization(make_org, make_user, orgs):
    chaoyang = make_org(
        "朝阳区经济和信息化局", kind=OrganizationKind.AUTHORITY, level=Level.DISTRICT, district=District.CHAOYANG
    )
    official = make_user("two_districts", orgs["haidian_authority"], Role.DISTRICT_OFFICIAL)
    membership_create(user=official, organization=chaoyang, role=Role.DISTRICT_OFFICIAL)
    assert scope_for(official).districts == {District.HAIDIAN, District.CHAOYANG}
    assert scope_for(official).sole_district == ""
    assert '"portal_deadline"."organization_id" IN (' in str(deadlines_visible_to(official).query)


def test_a_city_official_is_not_filtered(official):
    assert scope_for(official).city_wide
    assert organization_scope_q(official).children == []


def test_an_any_array_subquery_is_not_sorted(district_official, orgs):
    """``= ANY(ARRAY(…))`` ignores the order: the district's organizations are not sorted by name for it,
    and the rows found are the district's."""
    from django.contrib.postgres.expressions import ArraySubquery

    district = Organization.objects.filter(district=District.HAIDIAN).values("pk")
    assert "ORDER BY" in str(district.query)  # the organizations' own order, kept outside the lookup
    found = Organization.objects.order_by().filter(pk__any_array=ArraySubquery(district))
    assert "ORDER BY" not in str(found.query)
    assert set(found) == {orgs["haidian_authority"], orgs["haidian_agency"]}
    assert "ORDER BY" in str(district.query)  # the caller's queryset is left as it was
