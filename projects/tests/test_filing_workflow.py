"""The filing workflow through the services: transitions, legal checks, permissions."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from portal.models import District, Level, Role
from portal.paginators import CappedPaginator
from portal.selectors.deadlines import deadlines_for
from projects import services
from projects.models import ComplianceFinding, FilingContractor, FilingStatus
from projects.permissions import filing_available_actions
from projects.rules import QualificationDomain
from projects.selectors import filing_get_for, filings_for_list, filings_visible_to, opinions_for_liaison
from projects.services import TransitionRefused

from .conftest import checklist_all

pytestmark = pytest.mark.django_db


def test_it_routes_new_construction_to_development_and_reform(make_filing, clerk, departments):
    filing = make_filing(clerk, "submitted")
    assert filing.approving_department == departments["drc"]


def test_it_routes_operation_and_maintenance_to_finance(make_filing, clerk, departments):
    filing = make_filing(clerk, "submitted", kind="operation")
    assert filing.approving_department == departments["finance"]


def test_it_refuses_classified_projects(clerk, orgs):
    with pytest.raises(ValidationError) as error:
        services.filing_create(actor=clerk, agency=orgs["agency"], title="涉密", kind="new", is_classified=True)
    assert "保密行政管理部门" in str(error.value)
    assert "第三十七条" in str(error.value)


def test_it_refuses_submission_of_incomplete_filing(clerk, orgs):
    filing = services.filing_create(actor=clerk, agency=orgs["agency"], title="半成品", kind="new")
    with pytest.raises(ValidationError) as error:
        services.filing_submit(filing=filing, actor=clerk)
    assert "needs" in error.value.message_dict
    assert "需求与效益" in error.value.message_dict["needs"][0]


def test_it_refuses_approval_from_draft_with_conflict(make_filing, clerk, official):
    filing = make_filing(clerk, "draft")
    with pytest.raises(TransitionRefused):
        services.filing_approve(filing=filing, actor=official)


def test_it_forbids_the_agency_to_approve(make_filing, clerk):
    filing = make_filing(clerk, "in_review")
    with pytest.raises(PermissionDenied):
        services.filing_approve(filing=filing, actor=clerk)


def test_it_requires_all_six_dimensions_before_approval(make_filing, clerk, official):
    filing = make_filing(clerk, "in_review")
    services.filing_checklist_save(filing=filing, actor=official, findings={"needs_benefits": ("pass", "")})
    with pytest.raises(ValidationError) as error:
        services.filing_approve(filing=filing, actor=official)
    assert "规划布局" in str(error.value)


def test_it_refuses_approval_when_a_dimension_fails(make_filing, clerk, official):
    filing = make_filing(clerk, "in_review")
    checklist_all(filing, official, "fail")
    with pytest.raises(ValidationError):
        services.filing_approve(filing=filing, actor=official)


def test_it_numbers_opinions_sequentially_per_year_and_authority(make_filing, clerk, official):
    with freeze_time("2026-03-02 10:00:00"):
        first = make_filing(clerk, "approved")
        second = make_filing(clerk, "approved")
    assert first.opinion_number == "京经信审〔2026〕1号"
    assert second.opinion_number == "京经信审〔2026〕2号"


def test_it_opens_and_meets_the_review_deadline(make_filing, clerk, official):
    filing = make_filing(clerk, "in_review")
    deadline = deadlines_for(filing).get()
    assert deadline.kind_id == "project_review"
    assert deadline.due_date == filing.review_due_date
    assert deadline.state == "open"
    checklist_all(filing, official)
    services.filing_approve(filing=filing, actor=official)
    assert deadlines_for(filing).get().state == "met"


@freeze_time("2026-03-02 10:00:00")
def test_it_counts_twenty_working_days_for_review(make_filing, clerk):
    filing = make_filing(clerk, "in_review")
    # 2 March 2026 is a Monday; 20 working days later (no holidays in March) is 30 March.
    assert filing.review_due_date == date(2026, 3, 30)


def test_it_lets_the_agency_revise_and_resubmit_a_returned_filing(make_filing, clerk, official):
    filing = make_filing(clerk, "in_review")
    filing = services.filing_return(filing=filing, actor=official, comment="请补充效益测算。")
    filing = services.filing_update(filing=filing, actor=clerk, expected_benefits="年节约运维经费 200 万元。")
    filing = services.filing_submit(filing=filing, actor=clerk)
    assert filing.status == FilingStatus.SUBMITTED


def test_it_requires_a_comment_to_return(make_filing, clerk, official):
    filing = make_filing(clerk, "in_review")
    with pytest.raises(ValidationError):
        services.filing_return(filing=filing, actor=official, comment=" ")


def test_it_refuses_warranty_under_two_years_for_government_investment(make_filing, clerk):
    filing = make_filing(clerk, "acceptance_requested")
    today = date.today()
    with pytest.raises(ValidationError) as error:
        services.filing_record_acceptance(
            filing=filing,
            actor=clerk,
            passed=True,
            held_on=today,
            participants="各方",
            authority_invited=True,
            warranty_end=today + timedelta(days=700),
        )
    assert "不得少于两年" in error.value.message_dict["warranty_end"][0]


def test_it_requires_inviting_the_authority_to_acceptance(make_filing, clerk):
    filing = make_filing(clerk, "acceptance_requested")
    with pytest.raises(ValidationError) as error:
        services.filing_record_acceptance(
            filing=filing,
            actor=clerk,
            passed=False,
            held_on=date.today(),
            participants="各方",
            authority_invited=False,
        )
    assert "authority_invited" in error.value.message_dict


def test_it_opens_the_warranty_deadline_on_acceptance(make_filing, clerk):
    filing = make_filing(clerk, "accepted")
    deadline = deadlines_for(filing).get(kind_id="warranty_end")
    assert deadline.due_date == filing.warranty_end
    assert deadline.legal_basis == "Art. 15"


def test_it_refuses_operation_before_acceptance(make_filing, clerk):
    filing = make_filing(clerk, "under_construction")
    with pytest.raises(TransitionRefused) as error:
        services.filing_start_operation(filing=filing, actor=clerk)
    assert "第十四条" in error.value.message


def test_it_lets_a_failed_acceptance_be_rectified_and_requested_again(make_filing, clerk):
    filing = make_filing(clerk, "acceptance_requested")
    filing = services.filing_record_acceptance(
        filing=filing,
        actor=clerk,
        passed=False,
        held_on=date.today(),
        participants="各方",
        authority_invited=True,
        notes="接口未联调",
    )
    assert filing.status == FilingStatus.RECTIFYING
    with pytest.raises(TransitionRefused):
        services.filing_start_operation(filing=filing, actor=clerk)
    filing = services.filing_request_acceptance(filing=filing, actor=clerk, planned_on=date.today(), place="会议室")
    assert filing.status == FilingStatus.ACCEPTANCE_REQUESTED


def test_it_refuses_an_unqualified_contractor_without_recording_a_finding(make_filing, clerk, contractor):
    filing = make_filing(clerk, "draft")
    for _attempt in range(2):
        with pytest.raises(ValidationError) as error:
            services.filing_contractor_assign(filing=filing, actor=clerk, contractor=contractor, role="construction")
    assert "系统集成" in str(error.value)
    assert "二级" in str(error.value)
    assert error.value.error_dict["contractor"][0].code == "contractor-unqualified"
    # A refused pick takes nothing on: no Art. 43 finding (before: one per attempt).
    assert not ComplianceFinding.objects.exists()
    assert not FilingContractor.objects.exists()


def test_it_refuses_a_contractor_below_the_required_level(make_filing, clerk, contractor, official):
    services.qualification_create(
        actor=official,
        contractor=contractor,
        domain=QualificationDomain.SYSTEM_INTEGRATION,
        level=3,
        number="LOW-1",
        issuer="发证机构",
        valid_from=date.today() - timedelta(days=1),
        valid_to=date.today() + timedelta(days=100),
    )
    filing = make_filing(clerk, "draft")
    with pytest.raises(ValidationError) as error:
        services.filing_contractor_assign(filing=filing, actor=clerk, contractor=contractor, role="construction")
    assert "三级" in str(error.value)


def test_it_refuses_an_expired_qualification(make_filing, clerk, contractor, official):
    with freeze_time(date.today() - timedelta(days=400)):
        services.qualification_create(
            actor=official,
            contractor=contractor,
            domain=QualificationDomain.SYSTEM_INTEGRATION,
            level=1,
            number="OLD-1",
            issuer="发证机构",
            valid_from=date.today() - timedelta(days=10),
            valid_to=date.today() + timedelta(days=100),
        )
    filing = make_filing(clerk, "draft")
    with pytest.raises(ValidationError):
        services.filing_contractor_assign(filing=filing, actor=clerk, contractor=contractor, role="construction")


def test_it_assigns_a_qualified_contractor(make_filing, clerk, contractor, qualified):
    filing = make_filing(clerk, "draft")
    assignment = services.filing_contractor_assign(
        filing=filing, actor=clerk, contractor=contractor, role="construction"
    )
    assert assignment.qualification == qualified
    assert not ComplianceFinding.objects.exists()


def test_it_opens_a_qualification_expiry_deadline(qualified):
    assert deadlines_for(qualified).get().kind_id == "qualification_expiry"


def test_it_hides_filings_from_another_agency(make_filing, clerk, other_clerk):
    filing = make_filing(clerk, "submitted")
    assert not filings_visible_to(other_clerk).filter(pk=filing.pk).exists()


def test_it_hides_drafts_from_officials(make_filing, clerk, official):
    filing = make_filing(clerk, "draft")
    assert not filings_visible_to(official).filter(pk=filing.pk).exists()


def test_it_shows_a_district_official_only_their_district(
    make_filing, clerk, haidian_clerk, chaoyang_clerk, district_official, chaoyang_authority
):
    city = make_filing(clerk, "submitted")
    haidian = make_filing(haidian_clerk, "submitted")
    chaoyang = make_filing(chaoyang_clerk, "submitted")
    visible = set(filings_visible_to(district_official).values_list("pk", flat=True))
    assert haidian.pk in visible
    assert city.pk not in visible
    assert chaoyang.pk not in visible


def test_a_district_officials_filings_are_counted_branch_by_branch_each_once(
    make_filing, make_user, make_org, clerk, haidian_clerk, district_official, orgs
):
    """Their own authority's units' filings (drafts too) and their district's non-drafts overlap: the branch
    count (``portal.paginators.filter_any``) counts a filing in both once, and counts what the list shows."""
    unit = make_org(
        "海淀区大数据中心", level=Level.DISTRICT, district=District.HAIDIAN, parent=orgs["haidian_authority"]
    )
    authority_clerk = make_user("haidian_unit_clerk", unit, Role.AGENCY_CLERK)
    make_filing(clerk, "submitted")  # the city's: not theirs
    make_filing(haidian_clerk, "draft")  # an agency's draft: not theirs
    shown = {
        make_filing(haidian_clerk, "submitted").pk,  # their district's
        make_filing(authority_clerk, "submitted").pk,  # their authority's unit's, in their district: both branches
        make_filing(authority_clerk, "draft").pk,  # their authority's unit's draft
    }
    rows = filings_for_list(district_official)
    with CaptureQueriesContext(connection) as counted:
        paginator = CappedPaginator(rows, 25)
        assert paginator.count == 3
    assert "UNION ALL" in counted.captured_queries[0]["sql"]
    assert {filing.pk for filing in paginator.page(1)} == shown
    assert CappedPaginator(rows.filter(status="draft"), 25).count == 1  # a filter applies to every branch


def test_it_lets_the_district_authority_review_district_filings(haidian_clerk, district_official, make_filing):
    filing = make_filing(haidian_clerk, "submitted", decider=district_official)
    assert "start_review" in filing_available_actions(district_official, filing)
    filing = services.filing_start_review(filing=filing, actor=district_official, self_review=True)
    assert filing.reviewing_authority.district == "110108"


def test_it_gives_assigned_reviewers_the_filing_and_the_checklist(make_filing, clerk, official, reviewer):
    filing = make_filing(clerk, "submitted")
    services.filing_start_review(filing=filing, actor=official, reviewers=[reviewer])
    filing = filing_get_for(user=reviewer, uuid=filing.uuid)
    assert filing_available_actions(reviewer, filing) == ["return"]
    checklist_all(filing, reviewer)


def test_it_shows_the_liaison_only_opinions_routed_to_their_department(
    make_filing, clerk, drc_liaison, finance_liaison
):
    filing = make_filing(clerk, "approved")
    assert not filings_visible_to(drc_liaison).exists()
    assert list(opinions_for_liaison(drc_liaison)) == [filing]
    assert not opinions_for_liaison(finance_liaison).exists()


def test_it_lists_exactly_the_actions_the_user_can_take(make_filing, clerk, official, make_user, orgs):
    filing = make_filing(clerk, "in_review")
    assert filing_available_actions(official, filing) == ["return", "approve", "approve_with_conditions", "reject"]
    assert filing_available_actions(clerk, filing) == []
    enforcement = make_user("enforcer", orgs["authority"], Role.ENFORCEMENT_OFFICER)
    assert filing_available_actions(enforcement, filing) == []
