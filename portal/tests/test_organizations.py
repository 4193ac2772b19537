"""The worked permission example: who sees and who may change which organization, pages and API."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from guardian.shortcuts import assign_perm

from conftest import make_uscc
from portal.forms.organizations import OrganizationForm
from portal.models import District, Level, Organization, OrganizationKind, Role

pytestmark = pytest.mark.django_db


def detail(org):
    return reverse("organization-detail", args=[org.uuid])


def edit(org):
    return reverse("organization-edit", args=[org.uuid])


def api_detail(org):
    return f"/api/v1/organizations/{org.uuid}/"


def listed_names(client):
    response = client.get(reverse("organization-list"))
    assert response.status_code == 200
    return {org.name for org in response.context["page"]}


# --- The persona matrix on the list page ---


def test_it_shows_a_city_official_every_organization(client, official, orgs):
    client.force_login(official)
    assert listed_names(client) == {org.name for org in orgs.values()}


def test_it_shows_a_district_official_only_their_district(client, district_official, orgs):
    client.force_login(district_official)
    assert listed_names(client) == {"海淀区经济和信息化局", "海淀区教育委员会"}


def test_it_shows_a_clerk_their_agency_and_its_units_only(client, clerk, orgs):
    client.force_login(clerk)
    assert listed_names(client) == {"北京市交通委员会", "北京市交通委员会信息中心"}


def test_it_shows_a_user_without_membership_nothing(client, make_user, orgs):
    client.force_login(make_user("nobody"))
    response = client.get(reverse("organization-list"))
    assert "没有符合条件的单位" in response.content.decode()
    assert listed_names(client) == set()


def test_it_redirects_the_public_to_login(client, orgs):
    for url in (reverse("organization-list"), detail(orgs["agency"]), edit(orgs["agency"])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


# --- Detail pages: 404 for what one may not see ---


def test_it_shows_a_clerk_their_own_agency_and_its_unit(client, clerk, orgs):
    client.force_login(clerk)
    assert client.get(detail(orgs["agency"])).status_code == 200
    assert client.get(detail(orgs["agency_unit"])).status_code == 200


def test_it_hides_another_agency_from_a_clerk_with_404(client, other_clerk, orgs):
    client.force_login(other_clerk)
    assert client.get(detail(orgs["agency"])).status_code == 404
    assert client.get(detail(orgs["agency_unit"])).status_code == 404


def test_it_hides_other_agencies_from_the_api_with_404(client, other_clerk, orgs):
    client.force_login(other_clerk)
    response = client.get(api_detail(orgs["agency"]))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 404


def test_it_hides_other_districts_from_a_district_official(client, district_official, orgs):
    client.force_login(district_official)
    assert client.get(detail(orgs["haidian_agency"])).status_code == 200
    assert client.get(detail(orgs["chaoyang_agency"])).status_code == 404
    assert client.get(detail(orgs["agency"])).status_code == 404


def test_it_refuses_the_api_to_the_public(client, orgs):
    response = client.get(api_detail(orgs["agency"]))
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == "Token"


# --- Edit page: 403 for what one may see but not change ---


def test_it_forbids_a_clerk_to_edit_their_own_agency(client, clerk, orgs):
    client.force_login(clerk)
    assert client.get(edit(orgs["agency"])).status_code == 403
    response = client.post(edit(orgs["agency"]), {"name": "改名"})
    assert response.status_code == 403
    orgs["agency"].refresh_from_db()
    assert orgs["agency"].name == "北京市交通委员会"


def test_it_hides_the_edit_link_from_a_clerk(client, clerk, orgs):
    client.force_login(clerk)
    assert 'data-testid="edit-link"' not in client.get(detail(orgs["agency"])).content.decode()


def test_it_returns_404_not_403_for_editing_an_invisible_agency(client, other_clerk, orgs):
    client.force_login(other_clerk)
    assert client.get(edit(orgs["agency"])).status_code == 404


def test_it_lets_the_agency_manager_edit_their_agency(client, manager, orgs):
    client.force_login(manager)
    assert client.get(edit(orgs["agency"])).status_code == 200
    data = OrganizationForm(instance=orgs["agency"]).initial | {"phone": "010-88886666"}
    response = client.post(edit(orgs["agency"]), data)
    assert response.status_code == 302
    orgs["agency"].refresh_from_db()
    assert orgs["agency"].phone == "010-88886666"


def test_it_does_not_let_the_manager_edit_another_agency(client, manager, orgs):
    client.force_login(manager)
    assert client.get(edit(orgs["other_agency"])).status_code == 404


def test_it_lets_a_city_official_edit_any_organization(client, official, orgs):
    client.force_login(official)
    assert client.get(edit(orgs["agency"])).status_code == 200
    assert client.get(edit(orgs["chaoyang_agency"])).status_code == 200


def test_it_lets_a_district_official_edit_their_district_units_but_not_the_authority(client, district_official, orgs):
    client.force_login(district_official)
    assert client.get(edit(orgs["haidian_agency"])).status_code == 200
    assert client.get(edit(orgs["haidian_authority"])).status_code == 403


def test_it_shows_edit_errors_on_the_field(client, manager, orgs):
    client.force_login(manager)
    data = OrganizationForm(instance=orgs["agency"]).initial | {"responsible_leader": ""}
    response = client.post(edit(orgs["agency"]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["responsible_leader"]
    assert "is-invalid" in response.content.decode()


# --- django-guardian object grants ---


def test_it_makes_an_invisible_organization_visible_with_a_view_grant(client, other_clerk, orgs):
    client.force_login(other_clerk)
    assert client.get(detail(orgs["agency"])).status_code == 404
    assign_perm("portal.view_organization", other_clerk, orgs["agency"])
    assert client.get(detail(orgs["agency"])).status_code == 200
    assert client.get(api_detail(orgs["agency"])).status_code == 200
    assert "北京市交通委员会" in listed_names(client)
    # Seeing is not changing.
    assert client.get(edit(orgs["agency"])).status_code == 403


def test_it_stores_the_grant_in_the_direct_foreign_key_table(other_clerk, orgs):
    from portal.models import OrganizationUserObjectPermission

    assign_perm("portal.view_organization", other_clerk, orgs["agency"])
    assert OrganizationUserObjectPermission.objects.filter(user=other_clerk, content_object=orgs["agency"]).exists()


def test_it_lets_a_group_grant_open_an_organization(client, other_clerk, orgs):
    from django.contrib.auth.models import Group

    group = Group.objects.create(name="交通数据共享工作组")
    group.user_set.add(other_clerk)
    assign_perm("portal.view_organization", group, orgs["agency"])
    client.force_login(other_clerk)
    assert client.get(detail(orgs["agency"])).status_code == 200


def test_it_lets_a_change_grant_allow_editing(client, clerk, orgs):
    client.force_login(clerk)
    assert client.get(edit(orgs["agency"])).status_code == 403
    assign_perm("portal.change_organization", clerk, orgs["agency"])
    assert client.get(edit(orgs["agency"])).status_code == 200


def test_it_ignores_model_level_change_permission_from_role_groups(client, clerk, orgs):
    """A role group holding the model permission must not unlock every organization."""
    from django.contrib.auth.models import Group, Permission

    Group.objects.get(name=Role.AGENCY_CLERK).permissions.add(Permission.objects.get(codename="change_organization"))
    client.force_login(clerk)
    assert client.get(edit(orgs["agency"])).status_code == 403


# --- USCC validation at model level ---


def test_it_gives_a_field_error_on_uscc_for_a_bad_check_digit(orgs):
    good = make_uscc(4242)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    organization = Organization(
        name="测试单位",
        kind=OrganizationKind.AGENCY,
        level=Level.CITY,
        uscc=bad,
        responsible_leader="甲",
        responsible_unit="乙",
    )
    with pytest.raises(ValidationError) as error:
        organization.full_clean()
    assert list(error.value.message_dict) == ["uscc"]
    assert "校验位" in error.value.message_dict["uscc"][0]


def test_it_requires_a_district_for_a_district_level_organization(orgs):
    organization = Organization(
        name="某区单位",
        kind=OrganizationKind.AGENCY,
        level=Level.DISTRICT,
        uscc=make_uscc(4243),
        responsible_leader="甲",
        responsible_unit="乙",
    )
    with pytest.raises(ValidationError) as error:
        organization.full_clean()
    assert "区级单位必须选择所在区" in str(error.value)


# --- Exact query counts: the same for 3 and for 30 organizations ---


def _make_many(make_org, n):
    for index in range(n):
        make_org(f"测试机关{index:02d}", level=Level.DISTRICT, district=District.HAIDIAN)


@pytest.mark.parametrize("n", [3, 30])
def test_it_lists_organizations_in_a_fixed_number_of_queries(client, clerk, make_org, django_assert_num_queries, n):
    _make_many(make_org, n)
    parent = make_org("上级")
    for index in range(n):
        make_org(f"下级{index}", parent=parent)
    client.force_login(clerk)
    # session, user, scope (memberships), count, page (with parents), unread notifications (navbar),
    # session renewal (savepoint, update, release)
    with django_assert_num_queries(9):
        response = client.get(reverse("organization-list"))
    assert response.status_code == 200


@pytest.mark.parametrize("n", [3, 30])
def test_it_lists_all_organizations_for_an_official_in_a_fixed_number_of_queries(
    client, official, make_org, django_assert_num_queries, n
):
    parent = make_org("上级")
    for index in range(n):
        make_org(f"下级{index}", parent=parent)
    client.force_login(official)
    with django_assert_num_queries(9):
        response = client.get(reverse("organization-list"))
    assert len(response.context["page"]) == n + 1 + 7


@pytest.mark.parametrize("n", [3, 30])
def test_it_lists_organizations_in_the_api_in_a_fixed_number_of_queries(
    client, official, make_org, django_assert_num_queries, n
):
    parent = make_org("上级")
    for index in range(n):
        make_org(f"下级{index}", parent=parent)
    client.force_login(official)
    # session, user, scope (memberships), count, page (with parents), session renewal (savepoint, update, release)
    with django_assert_num_queries(8):
        response = client.get("/api/v1/organizations/")
    assert response.json()["count"] == n + 1 + 7
