"""Corrections from the legal review of Chapter 2 (issue 7): each test failed before its fix."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from portal.access import scope_for
from portal.models import District, Level, OrganizationKind, Role
from portal.selectors.deadlines import deadlines_for
from portal.services import membership_create
from portal.services.deadlines import deadline_can_manage
from portal.workflow import Refused
from projects import services
from projects.permissions import is_city_official, is_deciding_official, may_act_on_filing
from projects.rules import opinion_number_prefix

from .conftest import checklist_all

pytestmark = pytest.mark.django_db


# --- Bug 1: document numbers come from the issuing authority's own code -------------------------------


def _district_authority(make_org, name, district, code=""):
    return make_org(name, kind=OrganizationKind.AUTHORITY, level=Level.DISTRICT, district=district, document_code=code)


def test_it_takes_the_opinion_prefix_from_the_authority_code_in_any_language(make_org):
    dongcheng = _district_authority(make_org, "东城区经济和信息化局", District.DONGCHENG, "东经信")
    daxing = _district_authority(make_org, "大兴区经济和信息化局", District.DAXING, "兴经信")
    with translation.override("en"):  # Dongcheng and Daxing both begin with "D" in English
        prefixes = {opinion_number_prefix(dongcheng), opinion_number_prefix(daxing)}
    assert prefixes == {"东经信审", "兴经信审"}


def test_it_numbers_a_district_opinion_with_the_district_code(make_filing, haidian_clerk, district_official):
    with translation.override("en"):
        filing = make_filing(haidian_clerk, "approved", decider=district_official)
    assert filing.opinion_number.startswith(f"海经信审〔{timezone.localdate().year}〕")


def test_it_keeps_the_city_default_prefix(make_filing, clerk):
    assert make_filing(clerk, "approved").opinion_number.startswith("京经信审〔")


def test_it_refuses_to_number_for_an_authority_without_a_code(make_filing, haidian_clerk, district_official, orgs):
    from portal.models import Organization

    Organization.objects.filter(pk=orgs["haidian_authority"].pk).update(document_code="")
    filing = make_filing(haidian_clerk, "in_review", decider=district_official)
    checklist_all(filing, district_official)
    with pytest.raises(Refused) as refused:
        services.filing_approve(filing=filing, actor=district_official)
    assert refused.value.code == "document-code-missing"
    assert "发文机关代字" in refused.value.message


def test_it_refuses_a_document_code_on_a_unit_that_issues_nothing(make_org):
    with pytest.raises(ValidationError) as error:
        make_org("某委员会", document_code="某委")
    assert "document_code" in error.value.message_dict


def test_it_refuses_two_authorities_with_one_code(make_org):
    _district_authority(make_org, "东城区经济和信息化局", District.DONGCHENG, "东经信")
    with pytest.raises(ValidationError):
        _district_authority(make_org, "西城区经济和信息化局", District.XICHENG, "东经信")


def test_the_security_and_enforcement_prefixes_use_the_code_too(orgs, settings):
    from enforcement.rules import case_number_prefix
    from security.rules import filing_number_prefix

    settings.ENFORCEMENT_CASE_PREFIXES = {"city": "京经信罚"}
    with translation.override("en"):
        assert filing_number_prefix(orgs["haidian_authority"]) == "海经信等保备"
        # Before: a district without its own setting numbered its cases with the city's prefix.
        assert case_number_prefix(orgs["haidian_authority"]) == "海经信罚"
        assert case_number_prefix(orgs["authority"]) == "京经信罚"


# --- Bug 2: a role counts only in the organization that gave it -----------------------------------


@pytest.fixture
def chaoyang_official_reviewing_in_haidian(make_user, chaoyang_authority, orgs):
    user = make_user("chaoyang_official", chaoyang_authority, Role.DISTRICT_OFFICIAL)
    membership_create(user=user, organization=orgs["haidian_authority"], role=Role.AUTHORITY_REVIEWER)
    return user


def test_a_district_official_elsewhere_cannot_decide_where_they_only_review(
    chaoyang_official_reviewing_in_haidian, make_filing, haidian_clerk
):
    user = chaoyang_official_reviewing_in_haidian
    assert not is_deciding_official(user, level=Level.DISTRICT, district=District.HAIDIAN)
    assert is_deciding_official(user, level=Level.DISTRICT, district=District.CHAOYANG)
    filing = make_filing(haidian_clerk, "submitted")
    assert not may_act_on_filing(user, filing, "start_review")
    with pytest.raises(PermissionDenied):
        services.filing_start_review(filing=filing, actor=user, self_review=True)


def test_a_city_reviewer_who_is_a_district_official_cannot_sign_city_opinions(make_user, orgs):
    user = make_user("city_reviewer", orgs["authority"], Role.AUTHORITY_REVIEWER)
    membership_create(user=user, organization=orgs["haidian_authority"], role=Role.AUTHORITY_OFFICIAL)
    assert not is_city_official(user)
    assert is_deciding_official(user, level=Level.DISTRICT, district=District.HAIDIAN)


def test_deadlines_are_managed_by_the_pair_too(
    chaoyang_official_reviewing_in_haidian, make_filing, haidian_clerk, district_official
):
    filing = make_filing(haidian_clerk, "in_review", decider=district_official)
    deadline = deadlines_for(filing)[0]
    assert not deadline_can_manage(chaoyang_official_reviewing_in_haidian, deadline)


@pytest.mark.parametrize(
    ("role", "org_key"),
    [
        (Role.AUTHORITY_REVIEWER, "agency"),
        (Role.AUTHORITY_OFFICIAL, "agency"),
        (Role.DISTRICT_OFFICIAL, "authority"),  # a district role in the city authority
        (Role.AGENCY_CLERK, "authority"),
        (Role.DEPARTMENT_LIAISON, "agency"),
        (Role.CONTRACTOR_CLERK, "agency"),
    ],
)
def test_it_refuses_memberships_that_make_no_sense(make_user, orgs, role, org_key):
    user = make_user("someone")
    with pytest.raises(ValidationError) as error:
        membership_create(user=user, organization=orgs[org_key], role=role)
    assert "role" in error.value.message_dict
    assert not scope_for(user).grants


def test_the_admin_form_refuses_them_too(make_user, orgs):
    from portal.models import Membership

    membership = Membership(user=make_user("someone"), organization=orgs["agency"], role=Role.AUTHORITY_REVIEWER)
    with pytest.raises(ValidationError) as error:
        membership.full_clean()
    assert "信息化主管部门" in error.value.message_dict["role"][0]


# --- Bug 3: a district filing never falls back to the city's departments ------------------------------


def test_it_refuses_a_district_filing_whose_district_has_no_department(make_filing, make_user, orgs):
    from portal.models import Organization

    Organization.objects.filter(kind=OrganizationKind.DEPARTMENT, district=District.HAIDIAN).update(is_active=False)
    clerk = make_user("hd_clerk", orgs["haidian_agency"], Role.AGENCY_CLERK)
    filing = make_filing(clerk, "draft")
    with pytest.raises(Refused) as refused:
        services.filing_submit(filing=filing, actor=clerk)
    assert refused.value.code == "approving-department-missing"
    assert "海淀区的发展改革部门" in refused.value.message
    filing.refresh_from_db()
    assert filing.status == "draft" and filing.approving_department is None


def test_a_district_filing_goes_to_the_district_department(make_filing, haidian_clerk, departments):
    filing = make_filing(haidian_clerk, "submitted")
    assert filing.approving_department == departments["haidian_drc"]


def test_another_department_may_approve_when_the_agency_names_it(make_filing, clerk, make_org):
    from portal.models import DepartmentType

    science = make_org("北京市科学技术委员会", kind=OrganizationKind.DEPARTMENT, department_type=DepartmentType.SCIENCE)
    filing = make_filing(clerk, "submitted", other_approving_department=science)
    assert filing.approving_department == science


# --- Bug 4: dates follow the filing's own history ------------------------------------------------------


def test_it_refuses_an_approval_date_in_the_future(make_filing, clerk):
    filing = make_filing(clerk, "approved")
    with pytest.raises(ValidationError) as error:
        services.filing_record_approval(
            filing=filing, actor=clerk, reference="京发改〔2026〕1号", approval_date=date.today() + timedelta(days=1)
        )
    assert "approval_date" in error.value.message_dict


def _record_acceptance(filing, clerk, **overrides):
    fields = {
        "filing": filing,
        "actor": clerk,
        "passed": True,
        "held_on": date.today(),
        "participants": "各方",
        "authority_invited": True,
        "warranty_end": date.today() + timedelta(days=3 * 366),
        **overrides,
    }
    return services.filing_record_acceptance(**fields)


def test_it_refuses_an_acceptance_held_before_the_approval(make_filing, clerk):
    from projects.models import ProjectFiling

    filing = make_filing(clerk, "acceptance_requested")
    ProjectFiling.objects.filter(pk=filing.pk).update(acceptance_requested_at=timezone.now() - timedelta(days=30))
    filing.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        _record_acceptance(filing, clerk, held_on=date.today() - timedelta(days=2))
    assert "批复日期" in error.value.message_dict["held_on"][0]


def test_it_refuses_an_acceptance_held_before_it_was_requested(make_filing, clerk):
    from projects.models import ProjectFiling

    filing = make_filing(clerk, "acceptance_requested")
    ProjectFiling.objects.filter(pk=filing.pk).update(approval_date=date.today() - timedelta(days=30))
    filing.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        _record_acceptance(filing, clerk, held_on=date.today() - timedelta(days=2))
    assert "申请验收" in error.value.message_dict["held_on"][0]


def test_it_refuses_a_warranty_already_over(make_filing, clerk):
    from projects.models import ProjectFiling

    filing = make_filing(clerk, "acceptance_requested")
    # Accepted three years ago (a late record): a two-year warranty from then ended already, and its reminder
    # would be born expired.
    past = date.today() - timedelta(days=3 * 366)
    ProjectFiling.objects.filter(pk=filing.pk).update(
        approval_date=past, acceptance_requested_at=timezone.now() - timedelta(days=3 * 366)
    )
    filing.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        _record_acceptance(filing, clerk, held_on=past, warranty_end=past + timedelta(days=2 * 366))
    assert "已过" in error.value.message_dict["warranty_end"][0]


def test_it_refuses_an_operation_start_in_the_future(make_filing, clerk):
    filing = make_filing(clerk, "accepted")
    with pytest.raises(ValidationError) as error:
        services.filing_start_operation(filing=filing, actor=clerk, started_on=date.today() + timedelta(days=3))
    assert "started_on" in error.value.message_dict


# --- Bug 5: Art. 43 only for a contract taken on, once --------------------------------------------------


def test_a_contract_taken_on_unqualified_is_recorded_with_one_finding(make_filing, clerk, contractor):
    from projects.models import ComplianceFinding, FilingContractor

    filing = make_filing(clerk, "under_construction")
    for _ in range(2):
        services.filing_contract_record(
            filing=filing, actor=clerk, contractor=contractor, role="construction", signed_on=date.today()
        )
    finding = ComplianceFinding.objects.get()
    assert (finding.article, finding.sanction_article, finding.organization) == (11, 43, contractor)
    contract = FilingContractor.objects.get()
    assert contract.qualification is None and contract.contract_signed_on == date.today()


def test_a_qualified_contract_records_no_finding(make_filing, clerk, contractor, qualified):
    from projects.models import ComplianceFinding

    filing = make_filing(clerk, "under_construction")
    contract = services.filing_contract_record(
        filing=filing, actor=clerk, contractor=contractor, role="construction", signed_on=date.today()
    )
    assert contract.qualification == qualified
    assert not ComplianceFinding.objects.exists()


# --- Bug 6: annual plans -------------------------------------------------------------------------------


def test_a_plan_item_refuses_another_agencys_filing(make_filing, make_city_plan, clerk, other_clerk, official, orgs):
    plan = make_city_plan()
    theirs = make_filing(other_clerk, "submitted")
    with pytest.raises(ValidationError) as error:
        services.annual_plan_item_add(
            plan=plan, actor=official, title="项目", agency=orgs["agency"], kind="new", budget=100, filing=theirs
        )
    assert "filing" in error.value.message_dict


def test_a_plan_refuses_organizations_of_another_level(official, orgs, departments):
    with pytest.raises(ValidationError) as error:
        services.annual_plan_create(
            actor=official,
            year=2027,
            level=Level.CITY,
            district="",
            title="2027年计划",
            authority=orgs["haidian_authority"],
            development_reform=departments["haidian_drc"],
            finance=departments["haidian_finance"],
        )
    assert set(error.value.message_dict) == {"authority", "development_reform", "finance"}


# --- Bug 7: connecting needs an approved application; approval is not connection -----------------------


def _network_application(clerk, orgs, approver=None):
    application = services.network_application_create(
        actor=clerk,
        agency=orgs["agency"],
        system_name="交通执法业务系统",
        purpose="执法办案",
        internet_unsuitable_reason="涉及执法敏感数据",
        security_level=3,
    )
    application = services.application_submit(application=application, actor=clerk)
    if approver is not None:
        application = services.application_approve(application=application, actor=approver)
    return application


def _private_network(clerk, orgs):
    return services.private_network_register(
        actor=clerk,
        agency=orgs["agency"],
        name="交通视频专网",
        migration_plan="分期迁移",
        migration_deadline=date.today() + timedelta(days=200),
    )


def test_a_private_network_cannot_be_connected_without_an_approved_application(clerk, orgs):
    network = _private_network(clerk, orgs)
    pending = _network_application(clerk, orgs)
    for application in (None, pending):
        with pytest.raises(ValidationError) as error:
            services.private_network_complete_migration(
                network=network, actor=clerk, access_application=application, migrated_on=date.today()
            )
        assert error.value.error_dict["access_application"][0].code == "access-approval-required"
    network.refresh_from_db()
    assert network.status == "registered"


def test_approval_is_not_connection(clerk, official, orgs):
    from projects.models import ConnectedSystem

    application = _network_application(clerk, orgs, approver=official)
    system = ConnectedSystem.objects.get(application=application)
    assert (system.approved_on, system.connected_on) == (date.today(), None)
    network = _private_network(clerk, orgs)
    services.private_network_complete_migration(
        network=network, actor=clerk, access_application=application, migrated_on=date.today()
    )
    system.refresh_from_db()
    network.refresh_from_db()
    assert system.connected_on == date.today()
    assert network.access_application == application


def test_a_connection_before_the_approval_is_refused(clerk, official, orgs):
    from projects.models import ConnectedSystem

    system = ConnectedSystem.objects.get(application=_network_application(clerk, orgs, approver=official))
    with pytest.raises(ValidationError):
        services.connected_system_connect(system=system, actor=clerk, connected_on=date.today() - timedelta(days=1))
    services.connected_system_connect(system=system, actor=clerk, connected_on=date.today())
    assert ConnectedSystem.objects.get().connected_on == date.today()


# --- Bug 8: reviewers ----------------------------------------------------------------------------------


def test_accepting_without_a_reviewer_must_be_explicit(make_filing, clerk, official):
    filing = make_filing(clerk, "submitted")
    with pytest.raises(ValidationError) as error:
        services.filing_start_review(filing=filing, actor=official)
    assert error.value.error_dict["reviewers"][0].code == "reviewer-required"
    filing = services.filing_start_review(filing=filing, actor=official, self_review=True)
    assert filing.status == "in_review"


def test_the_filing_agencys_clerk_cannot_review(make_filing, clerk, official):
    filing = make_filing(clerk, "submitted")
    with pytest.raises(ValidationError) as error:
        services.filing_start_review(filing=filing, actor=official, reviewers=[clerk])
    assert error.value.error_dict["reviewers"][0].code == "reviewer-conflict-of-interest"


def test_a_reviewer_of_the_authority_who_belongs_to_the_agency_must_recuse(
    make_filing, clerk, official, reviewer, orgs
):
    from projects.selectors import filing_reviewer_candidates

    membership_create(user=reviewer, organization=orgs["agency"], role=Role.AGENCY_CLERK)
    filing = make_filing(clerk, "submitted")
    assert reviewer not in filing_reviewer_candidates(filing)
    with pytest.raises(ValidationError) as error:
        services.filing_start_review(filing=filing, actor=official, reviewers=[reviewer])
    assert error.value.error_dict["reviewers"][0].code == "reviewer-conflict-of-interest"


def test_only_reviewers_of_the_deciding_authority_may_be_assigned(
    make_filing, clerk, official, other_clerk, district_official
):
    filing = make_filing(clerk, "submitted")
    for stranger in (other_clerk, district_official):
        with pytest.raises(ValidationError) as error:
            services.filing_start_review(filing=filing, actor=official, reviewers=[stranger])
        assert error.value.error_dict["reviewers"][0].code == "reviewer-not-eligible"


def test_the_start_review_page_requires_a_choice(client, make_filing, clerk, official):
    from django.urls import reverse

    filing = make_filing(clerk, "submitted")
    client.force_login(official)
    response = client.post(reverse("projects:filing-action", args=[filing.uuid, "start_review"]), {})
    assert response.status_code == 400
    assert "由本人审查" in response.content.decode()


# --- Bug 10: one pending application per domain ----------------------------------------------------------


def test_a_second_pending_application_for_a_domain_is_refused_at_submission(clerk, other_clerk, orgs):
    def apply(actor, agency):
        application = services.domain_application_create(
            actor=actor, agency=agency, domain_name="jtw.beijing.gov.cn", website_name="交通委", purpose="门户网站"
        )
        return services.application_submit(application=application, actor=actor)

    apply(clerk, orgs["agency"])
    with pytest.raises(Refused) as refused:
        apply(other_clerk, orgs["other_agency"])
    assert refused.value.code == "domain-application-pending"


# --- Art. 11: no qualification required by law; self-registered certificates count once verified -------


def test_a_filing_without_a_legal_qualification_requirement_needs_no_domain(make_filing, clerk, contractor):
    filing = make_filing(clerk, "submitted", qualification_required=False, domain="", required_qualification_level=None)
    assert filing.status == "submitted"
    assignment = services.filing_contractor_assign(
        filing=filing, actor=clerk, contractor=contractor, role="construction"
    )
    assert assignment.qualification is None


def test_a_self_registered_certificate_counts_once_verified(make_filing, clerk, contractor, contractor_clerk, official):
    certificate = services.qualification_create(
        actor=contractor_clerk,
        contractor=contractor,
        domain="system_integration",
        level=1,
        number="SELF-1",
        issuer="发证机构",
        valid_from=date.today() - timedelta(days=1),
        valid_to=date.today() + timedelta(days=300),
    )
    assert not certificate.is_verified
    filing = make_filing(clerk, "draft")
    with pytest.raises(ValidationError):
        services.filing_contractor_assign(filing=filing, actor=clerk, contractor=contractor, role="construction")
    with pytest.raises(PermissionDenied):
        services.qualification_verify(qualification=certificate, actor=contractor_clerk)
    services.qualification_verify(qualification=certificate, actor=official)
    assignment = services.filing_contractor_assign(
        filing=filing, actor=clerk, contractor=contractor, role="construction"
    )
    assert assignment.qualification == certificate


# --- Art. 13: renovation, expansion, O&M; no government investment ------------------------------------------


def test_renovation_points_to_the_existing_system_and_budget_year(clerk, orgs):
    from .conftest import COMPLETE

    filing = services.filing_create(actor=clerk, agency=orgs["agency"], **{**COMPLETE, "kind": "renovation"})
    missing = services.filing_missing_fields(filing)
    assert {"existing_system", "budget_year"} <= set(missing)


def test_it_refuses_an_earlier_filing_of_another_agency(make_filing, clerk, other_clerk, orgs):
    from .conftest import COMPLETE

    theirs = make_filing(other_clerk, "submitted")
    with pytest.raises(ValidationError) as error:
        services.filing_create(
            actor=clerk, agency=orgs["agency"], **{**COMPLETE, "kind": "operation", "previous_filing": theirs}
        )
    assert "previous_filing" in error.value.message_dict


def test_an_o_and_m_filing_skips_construction_acceptance(make_filing, clerk):
    filing = make_filing(clerk, "approved", kind="operation")
    filing = services.filing_record_approval(
        filing=filing, actor=clerk, reference="京财〔2026〕9号", approval_date=date.today()
    )
    assert filing.status == "in_operation"
    assert filing.accepted_on is None and filing.warranty_end is None


def test_a_filing_without_government_investment_is_out_of_scope(clerk, orgs):
    from .conftest import COMPLETE

    filing = services.filing_create(
        actor=clerk, agency=orgs["agency"], **{**COMPLETE, "government_investment": 0, "other_funding": 500}
    )
    assert "不属于审查范围" in services.filing_missing_fields(filing)["government_investment"]


# --- The checklist is reviewed again after a return and resubmission ---------------------------------------


def test_a_resubmitted_filing_is_reviewed_again(make_filing, clerk, official):
    from projects.selectors import filing_checklist

    filing = make_filing(clerk, "in_review")
    checklist_all(filing, official)
    filing = services.filing_return(filing=filing, actor=official, comment="请补充需求分析。")
    filing = services.filing_submit(filing=filing, actor=clerk)
    filing = services.filing_start_review(filing=filing, actor=official, self_review=True)
    assert filing.review_round == 2
    with pytest.raises(ValidationError):  # the first round's findings no longer count
        services.filing_approve(filing=filing, actor=official)
    rows = filing_checklist(filing)
    assert all(row["finding"] is None and row["earlier"][0].round == 1 for row in rows)
    checklist_all(filing, official)
    assert services.filing_approve(filing=filing, actor=official).status == "approved"


# --- Art. 14: the request carries date and place; the authority confirms its attendance ---------------------


def test_the_acceptance_request_invites_the_authority(make_filing, clerk, official):
    from portal.models import Notification

    filing = make_filing(clerk, "under_construction")
    with pytest.raises(ValidationError) as error:
        services.filing_request_acceptance(filing=filing, actor=clerk, planned_on=None, place="")
    assert {"planned_on", "place"} <= set(error.value.message_dict)
    services.filing_request_acceptance(filing=filing, actor=clerk, planned_on=date.today(), place="第一会议室")
    invitation = Notification.objects.get(recipient=official, kind="acceptance_requested")
    assert "第一会议室" in invitation.body


def test_the_authority_not_the_agency_confirms_attendance(make_filing, clerk, official):
    filing = make_filing(clerk, "accepted")
    record = filing.acceptance_records.get()
    assert not record.authority_attended
    with pytest.raises(PermissionDenied):
        services.filing_acceptance_attendance_confirm(record=record, actor=clerk, attended=True)
    record = services.filing_acceptance_attendance_confirm(record=record, actor=official, attended=True)
    assert record.authority_attended and record.attendance_confirmed_by == official


# --- Art. 37 for network, domain and private-network records; the agency is chosen ---------------------------


@pytest.mark.parametrize("kind", ["network", "domain", "private_network"])
def test_classified_records_are_refused_everywhere(clerk, orgs, kind):
    create = {
        "network": services.network_application_create,
        "domain": services.domain_application_create,
        "private_network": services.private_network_register,
    }[kind]
    extra = {}
    if kind == "private_network":
        extra = {"name": "专网", "migration_plan": "迁移", "migration_deadline": date.today() + timedelta(days=30)}
    with pytest.raises(ValidationError) as error:
        create(actor=clerk, agency=orgs["agency"], is_classified=True, **extra)
    assert "第三十七条" in error.value.message_dict["is_classified"][0]


def test_a_user_of_several_agencies_chooses_the_agency(clerk, orgs):
    from projects.selectors import agency_chosen_for

    membership_create(user=clerk, organization=orgs["other_agency"], role=Role.AGENCY_CLERK)
    clerk = type(clerk).objects.get(pk=clerk.pk)  # fresh scope
    with pytest.raises(ValidationError) as error:
        agency_chosen_for(clerk)
    assert error.value.error_dict["agency"][0].code == "agency-required"
    assert agency_chosen_for(clerk, choice=str(orgs["agency"].uuid)) == orgs["agency"]
    with pytest.raises(ValidationError):
        agency_chosen_for(clerk, choice=str(orgs["haidian_agency"].uuid))


def test_the_api_asks_which_agency(clerk, orgs):
    from rest_framework.test import APIClient

    from .conftest import COMPLETE

    membership_create(user=clerk, organization=orgs["other_agency"], role=Role.AGENCY_CLERK)
    api = APIClient()
    api.force_authenticate(clerk)
    body = {"title": COMPLETE["title"], "kind": "new"}
    response = api.post("/api/v1/projects/filings/", body, format="json")
    assert response.status_code == 400
    response = api.post("/api/v1/projects/filings/", {**body, "agency": str(orgs["other_agency"].uuid)}, format="json")
    assert response.status_code == 201
    assert response.json()["agency"] == str(orgs["other_agency"].uuid)


def test_an_unapproved_connection_is_detectable(clerk, official, orgs):
    from projects.detectors import UNAPPROVED_NETWORK_ACCESS, UNAPPROVED_PRIVATE_NETWORK_MIGRATION
    from projects.models import ConnectedSystem, PrivateNetwork

    application = _network_application(clerk, orgs, approver=official)
    assert not list(UNAPPROVED_NETWORK_ACCESS.offenders())  # approved, not connected: nothing to find
    # Legacy rows the services would refuse today: connected before the approval; migrated without one.
    ConnectedSystem.objects.filter(application=application).update(connected_on=date.today() - timedelta(days=5))
    network = _private_network(clerk, orgs)
    PrivateNetwork.objects.filter(pk=network.pk).update(status="migrated", migrated_on=date.today())
    assert [s.application_id for s in UNAPPROVED_NETWORK_ACCESS.offenders()] == [application.pk]
    assert [n.pk for n in UNAPPROVED_PRIVATE_NETWORK_MIGRATION.offenders()] == [network.pk]


def test_the_new_filing_page_asks_which_agency(client, clerk, orgs):
    from django.urls import reverse

    membership_create(user=clerk, organization=orgs["other_agency"], role=Role.AGENCY_CLERK)
    client.force_login(clerk)
    url = reverse("projects:filing-new")
    response = client.post(url, {"title": "新项目", "kind": "new"})
    assert response.status_code == 400
    assert "请选择以哪个机关的名义办理" in response.content.decode()
    response = client.post(url, {"title": "新项目", "kind": "new", "agency": str(orgs["other_agency"].uuid)})
    assert response.status_code == 302
    from projects.models import ProjectFiling

    assert ProjectFiling.objects.get(title="新项目").agency == orgs["other_agency"]


def test_the_organization_page_edits_the_document_code_of_an_authority_only(client, official, orgs):
    from django.urls import reverse

    client.force_login(official)
    page = client.get(reverse("organization-edit", args=[orgs["haidian_authority"].uuid])).content.decode()
    assert 'name="document_code"' in page
    page = client.get(reverse("organization-edit", args=[orgs["agency"].uuid])).content.decode()
    assert 'name="document_code"' not in page
