"""Fixtures of plans, standards and the Art. 28/40 records, built through the services."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from planning import services
from planning.rules import PlanKind
from portal.models import District, Level, OrganizationKind, Role

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_upload(name="规划文本.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


@pytest.fixture(autouse=True)
def calendar_through_review_periods(db):
    """Review periods run 20 working days from today; late in a year they need next year's calendar."""
    from django.utils import timezone

    from portal.services.calendar import calendar_years_ensure_provisional

    calendar_years_ensure_provisional(through=timezone.localdate() + timedelta(days=120))


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
def chaoyang_official(make_user, chaoyang_authority):
    return make_user("chaoyang_official", chaoyang_authority, Role.DISTRICT_OFFICIAL)


@pytest.fixture
def city_plan(official, orgs):
    """The published city plan (Art. 6 para. 1) every other plan conforms to."""
    plan = services.plan_create(
        actor=official,
        kind=PlanKind.CITY,
        organization=orgs["authority"],
        title="北京市“十四五”信息化发展规划",
        period_start=2021,
        period_end=2025,
    )
    services.plan_version_add(plan=plan, actor=official, note="报批稿", document=pdf_upload("市规划.pdf"))
    services.plan_record_approval(
        plan=plan, actor=official, approval_reference="京政发〔2021〕25号", approval_date=date(2021, 8, 20)
    )
    return services.plan_publish(plan=plan, actor=official, published_on=date(2021, 9, 1))


@pytest.fixture
def make_district_plan(district_official, official, orgs, city_plan):
    """A Haidian plan in the given state: draft, in_review, reviewed, approved or published."""

    def make(state="draft", title="海淀区信息化发展规划"):
        plan = services.plan_create(
            actor=district_official,
            kind=PlanKind.DISTRICT,
            organization=orgs["haidian_authority"],
            title=title,
            period_start=2026,
            period_end=2030,
            conforms_to=city_plan,
        )
        if state == "draft":
            return plan
        services.plan_version_add(plan=plan, actor=district_official, note="送审稿", document=pdf_upload())
        plan = services.plan_submit_for_review(plan=plan, actor=district_official)
        if state == "in_review":
            return plan
        plan = services.plan_confirm_conformity(plan=plan, actor=official, opinion="符合本市规划。")
        if state == "reviewed":
            return plan
        plan = services.plan_record_approval(
            plan=plan, actor=district_official, approval_reference="海政发〔2026〕1号", approval_date=date.today()
        )
        if state == "approved":
            return plan
        return services.plan_publish(plan=plan, actor=district_official)

    return make


@pytest.fixture
def standards(official):
    current = services.standard_create(
        actor=official,
        code="GB/T 22239-2019",
        title="信息安全技术 网络安全等级保护基本要求",
        effective_on=date(2019, 12, 1),
    )
    old = services.standard_create(
        actor=official,
        code="GB/T 22240-2008",
        title="信息安全技术 信息系统安全等级保护定级指南",
        effective_on=date(2008, 11, 1),
    )
    new = services.standard_create(
        actor=official,
        code="GB/T 22240-2020",
        title="信息安全技术 网络安全等级保护定级指南",
        effective_on=date(2020, 11, 1),
    )
    old = services.standard_withdraw(standard=old, actor=official, withdrawn_on=date(2020, 11, 1), replaced_by=new)
    local = services.standard_create(
        actor=official, code="DB11/T 1918-2021", title="政务信息资源共享交换技术规范", effective_on=date(2022, 1, 1)
    )
    return {"current": current, "withdrawn": old, "replacement": new, "local": local}
