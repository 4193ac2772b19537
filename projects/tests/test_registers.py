"""Qualifications, plans, network access, private networks, domains: pages and services."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from portal.selectors.deadlines import deadlines_for
from projects import services
from projects.models import ConnectedSystem, Website
from projects.services import TransitionRefused

pytestmark = pytest.mark.django_db


def network_app(clerk, orgs, **extra):
    return services.network_application_create(
        actor=clerk,
        agency=orgs["agency"],
        system_name="交通执法业务系统",
        purpose="执法办案",
        internet_unsuitable_reason="涉及执法敏感数据",
        security_level=3,
        **extra,
    )


def domain_app(clerk, orgs, name="jtw.beijing.gov.cn"):
    return services.domain_application_create(
        actor=clerk, agency=orgs["agency"], domain_name=name, website_name="交通委", purpose="门户网站"
    )


def test_it_registers_the_system_when_network_access_is_approved(clerk, official, orgs):
    application = services.application_submit(application=network_app(clerk, orgs), actor=clerk)
    services.application_approve(application=application, actor=official, comment="同意")
    assert ConnectedSystem.objects.get().name == "交通执法业务系统"


def test_it_requires_a_reason_to_refuse(clerk, official, orgs):
    from django.core.exceptions import ValidationError

    application = services.application_submit(application=network_app(clerk, orgs), actor=clerk)
    with pytest.raises(ValidationError):
        services.application_refuse(application=application, actor=official, reason="")


def test_it_forbids_the_agency_to_approve_its_own_application(clerk, orgs):
    application = services.application_submit(application=network_app(clerk, orgs), actor=clerk)
    with pytest.raises(PermissionDenied):
        services.application_approve(application=application, actor=clerk)


def test_it_refuses_approving_a_draft(clerk, official, orgs):
    with pytest.raises(TransitionRefused):
        services.application_approve(application=network_app(clerk, orgs), actor=official)


def test_it_lets_only_the_city_authority_review_domains(clerk, official, district_official, orgs, haidian_clerk):
    application = services.domain_application_create(
        actor=haidian_clerk,
        agency=orgs["haidian_agency"],
        domain_name="hdjw.bjhd.gov.cn",
        website_name="海淀教委",
        purpose="门户",
    )
    application = services.application_submit(application=application, actor=haidian_clerk)
    with pytest.raises(PermissionDenied):
        services.application_approve(application=application, actor=district_official)
    services.application_approve(application=application, actor=official)
    assert Website.objects.get().domain_name == "hdjw.bjhd.gov.cn"


def test_it_refuses_an_already_registered_domain(clerk, official, orgs):
    from django.core.exceptions import ValidationError

    application = services.application_submit(application=domain_app(clerk, orgs), actor=clerk)
    services.application_approve(application=application, actor=official)
    with pytest.raises(ValidationError):
        domain_app(clerk, orgs)


def test_it_tracks_private_network_migration_with_a_deadline(clerk, official, orgs):
    network = services.private_network_register(
        actor=clerk,
        agency=orgs["agency"],
        name="交通视频专网",
        migration_plan="分期迁移",
        migration_deadline=date.today() + timedelta(days=200),
    )
    assert deadlines_for(network).get().kind_id == "network_migration"
    application = services.application_submit(application=network_app(clerk, orgs), actor=clerk)
    application = services.application_approve(application=application, actor=official)
    services.private_network_complete_migration(
        network=network, actor=clerk, access_application=application, migrated_on=date.today()
    )
    assert deadlines_for(network).get().state == "met"


def test_it_hides_applications_from_other_agencies(client, clerk, other_clerk, orgs):
    application = services.application_submit(application=network_app(clerk, orgs), actor=clerk)
    client.force_login(other_clerk)
    assert client.get(reverse("projects:application-detail", args=["network", application.uuid])).status_code == 404
    client.force_login(clerk)
    assert client.get(reverse("projects:application-detail", args=["network", application.uuid])).status_code == 200


def test_it_forbids_a_clerk_to_approve_through_the_page(client, clerk, orgs):
    application = services.application_submit(application=network_app(clerk, orgs), actor=clerk)
    client.force_login(clerk)
    url = reverse("projects:application-action", args=["network", application.uuid, "approve"])
    assert client.post(url).status_code == 403


def test_it_forbids_officials_to_file_applications(client, official):
    client.force_login(official)
    assert client.get(reverse("projects:application-new", args=["domain"])).status_code == 403


@pytest.mark.parametrize("count", [3, 20])
def test_it_lists_applications_in_constant_queries(client, clerk, orgs, count, django_assert_num_queries):
    for n in range(count):
        network_app(clerk, orgs, bandwidth_mbps=n + 1)
    client.force_login(clerk)
    # session, user, scope, agencies (create button), count, rows, plus the shared navbar's queries.
    with django_assert_num_queries(10):
        response = client.get(reverse("projects:application-list", args=["network"]))
    assert response.status_code == 200


def test_it_lets_contractors_register_their_own_qualifications_only(client, contractor, contractor_clerk, make_org):
    from portal.models import OrganizationKind

    other = make_org("别家公司", kind=OrganizationKind.CONTRACTOR)
    with pytest.raises(PermissionDenied):
        services.qualification_create(
            actor=contractor_clerk,
            contractor=other,
            domain="software",
            level=2,
            number="N-1",
            issuer="发证机构",
            valid_from=date.today(),
            valid_to=date.today() + timedelta(days=30),
        )
    client.force_login(contractor_clerk)
    assert client.get(reverse("projects:qualification-list")).status_code == 200


def test_it_hides_qualifications_of_other_contractors(contractor_clerk, qualified, make_org, official):
    from portal.models import OrganizationKind
    from projects.selectors import qualifications_visible_to

    other = make_org("别家公司", kind=OrganizationKind.CONTRACTOR)
    services.qualification_create(
        actor=official,
        contractor=other,
        domain="software",
        level=2,
        number="N-2",
        issuer="发证机构",
        valid_from=date.today(),
        valid_to=date.today() + timedelta(days=30),
    )
    assert list(qualifications_visible_to(contractor_clerk)) == [qualified]


def test_it_builds_an_annual_plan_with_progress(client, official, clerk, orgs, make_city_plan, make_filing):
    plan = make_city_plan(2026)
    filing = make_filing(clerk, "in_review")
    services.annual_plan_item_add(
        plan=plan, actor=official, title=filing.title, agency=orgs["agency"], kind="new", budget=100, filing=filing
    )
    client.force_login(clerk)
    page = client.get(reverse("projects:plan-detail", args=[plan.uuid])).content.decode()
    assert "审查中" in page
    with pytest.raises(PermissionDenied):
        services.annual_plan_item_add(plan=plan, actor=clerk, title="x", agency=orgs["agency"], kind="new", budget=1)


def test_it_refuses_a_plan_without_the_finance_department(official, orgs, departments):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.annual_plan_create(
            actor=official,
            year=2026,
            level="city",
            district="",
            title="x",
            authority=orgs["authority"],
            development_reform=departments["drc"],
            finance=departments["drc"],
        )
