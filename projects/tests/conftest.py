"""Fixtures of Chapter 2: departments, contractors with certificates, reviewers, filings in any state."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.models import DepartmentType, District, Level, OrganizationKind, Role
from projects import services
from projects.rules import ProjectKind, QualificationDomain, TenderMethod

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_upload(name="可行性研究报告.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


@pytest.fixture(autouse=True)
def calendar_through_review_periods(db):
    """Review periods run 20 working days from today. Late in a year they reach into one the State
    Council may not have published yet; these tests then use a weekend-only calendar for it, as the
    demo data does, so they pass on any date."""
    from django.utils import timezone

    from portal.services.calendar import calendar_years_ensure_provisional

    calendar_years_ensure_provisional(through=timezone.localdate() + timedelta(days=120))


@pytest.fixture
def departments(make_org):
    return {
        "drc": make_org(
            "北京市发展和改革委员会",
            kind=OrganizationKind.DEPARTMENT,
            department_type=DepartmentType.DEVELOPMENT_REFORM,
        ),
        "finance": make_org("北京市财政局", kind=OrganizationKind.DEPARTMENT, department_type=DepartmentType.FINANCE),
        # Art. 13: district filings go to the district's own departments.
        "haidian_drc": make_org(
            "海淀区发展和改革委员会",
            kind=OrganizationKind.DEPARTMENT,
            department_type=DepartmentType.DEVELOPMENT_REFORM,
            level=Level.DISTRICT,
            district=District.HAIDIAN,
        ),
        "haidian_finance": make_org(
            "海淀区财政局",
            kind=OrganizationKind.DEPARTMENT,
            department_type=DepartmentType.FINANCE,
            level=Level.DISTRICT,
            district=District.HAIDIAN,
        ),
        "chaoyang_drc": make_org(
            "朝阳区发展和改革委员会",
            kind=OrganizationKind.DEPARTMENT,
            department_type=DepartmentType.DEVELOPMENT_REFORM,
            level=Level.DISTRICT,
            district=District.CHAOYANG,
        ),
    }


@pytest.fixture
def drc_liaison(make_user, departments):
    return make_user("drc_liaison", departments["drc"], Role.DEPARTMENT_LIAISON)


@pytest.fixture
def finance_liaison(make_user, departments):
    return make_user("finance_liaison", departments["finance"], Role.DEPARTMENT_LIAISON)


@pytest.fixture
def reviewer(make_user, orgs):
    return make_user("reviewer", orgs["authority"], Role.AUTHORITY_REVIEWER)


@pytest.fixture
def haidian_clerk(make_user, orgs):
    return make_user("haidian_clerk", orgs["haidian_agency"], Role.AGENCY_CLERK)


@pytest.fixture
def chaoyang_clerk(make_user, orgs):
    return make_user("chaoyang_clerk", orgs["chaoyang_agency"], Role.AGENCY_CLERK)


@pytest.fixture
def chaoyang_authority(make_org):
    return make_org(
        "朝阳区经济和信息化局",
        kind=OrganizationKind.AUTHORITY,
        level=Level.DISTRICT,
        district=District.CHAOYANG,
        document_code="朝经信",
    )


@pytest.fixture
def contractor(make_org):
    return make_org("北京华信系统集成有限公司", kind=OrganizationKind.CONTRACTOR)


@pytest.fixture
def contractor_clerk(make_user, contractor):
    return make_user("contractor_clerk", contractor, Role.CONTRACTOR_CLERK)


@pytest.fixture
def qualified(contractor, official):
    """The contractor holds a valid level-2 system-integration certificate."""
    return services.qualification_create(
        actor=official,
        contractor=contractor,
        domain=QualificationDomain.SYSTEM_INTEGRATION,
        level=2,
        number="XZ1110020240001",
        issuer="中国电子信息行业联合会",
        valid_from=date.today() - timedelta(days=365),
        valid_to=date.today() + timedelta(days=365),
    )


COMPLETE = {
    "title": "北京市交通运行监测调度平台升级",
    "kind": ProjectKind.NEW,
    "government_investment": Decimal("1200.00"),
    "other_funding": Decimal("0"),
    "description": "建设全市交通运行监测调度平台。",
    "needs": "整合路网监测数据，提升调度效率。",
    "expected_benefits": "拥堵预警时间缩短 30%。",
    "planned_security_level": 3,
    "standards": "GB/T 22239-2019",
    "tender_method": TenderMethod.PUBLIC,
    "domain": QualificationDomain.SYSTEM_INTEGRATION,
    "required_qualification_level": 2,
}


@pytest.fixture
def make_filing(official, departments):
    """Build a filing through the services up to the wanted state."""

    def make(clerk, state="draft", *, agency=None, decider=None, **overrides):
        decider = decider or official
        agency = agency or clerk.memberships.first().organization
        fields = {**COMPLETE, **overrides}
        if fields["kind"] != ProjectKind.NEW:  # Art. 13: the system worked on and the budget year
            fields = {"existing_system": "现有调度系统", "budget_year": date.today().year + 1, **fields}
        filing = services.filing_create(actor=clerk, agency=agency, **fields)
        if state == "draft":
            return filing
        filing = services.filing_submit(filing=filing, actor=clerk)
        if state == "submitted":
            return filing
        if state == "returned":
            return services.filing_return(filing=filing, actor=decider, comment="请补充需求分析。")
        filing = services.filing_start_review(filing=filing, actor=decider, self_review=True)
        if state == "in_review":
            return filing
        checklist_all(filing, decider, "fail" if state == "rejected" else "pass")
        if state == "rejected":
            return services.filing_reject(filing=filing, actor=decider, opinion="需求不明确。")
        filing = services.filing_approve(filing=filing, actor=decider, opinion="同意建设。")
        if state == "approved":
            return filing
        filing = services.filing_record_approval(
            filing=filing, actor=clerk, reference="京发改〔2026〕88号", approval_date=date.today()
        )
        if state == "under_construction":
            return filing
        filing = services.filing_request_acceptance(
            filing=filing, actor=clerk, planned_on=date.today(), place="建设单位第一会议室"
        )
        if state == "acceptance_requested":
            return filing
        filing = services.filing_record_acceptance(
            filing=filing,
            actor=clerk,
            passed=True,
            held_on=date.today(),
            participants="建设单位、承建单位、市经信局",
            authority_invited=True,
            warranty_end=date.today() + timedelta(days=3 * 366),  # never a 29 February of a common year
        )
        if state == "accepted":
            return filing
        return services.filing_start_operation(filing=filing, actor=clerk)

    return make


def checklist_all(filing, actor, result="pass"):
    from projects.rules import ReviewDimension

    text = "" if result == "pass" else "存在问题，见说明。"
    return services.filing_checklist_save(
        filing=filing, actor=actor, findings=dict.fromkeys(ReviewDimension.values, (result, text))
    )


@pytest.fixture
def make_city_plan(official, orgs, departments):
    """A city annual plan (Art. 12) of the given year, drawn up by the city official."""

    def make(year=2027, *, title=None):
        return services.annual_plan_create(
            actor=official,
            year=year,
            level=Level.CITY,
            district="",
            title=title or f"{year}年计划",
            authority=orgs["authority"],
            development_reform=departments["drc"],
            finance=departments["finance"],
        )

    return make
