"""The project filing journey in headless Chromium: file, return, resubmit, approve, PDF, acceptance."""

from datetime import date

import pytest

from tests.conftest import ARTIFACTS, click_and_confirm, sign_in, sign_out

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TITLE = "北京市交通运行监测调度平台"

# serialized_rollback: the flush after a transactional test empties the tables the data migrations
# filled (role groups, holiday calendar, deadline kinds); each such test gets them back first.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def demo(transactional_db):
    """Demo organizations and users, and a qualified contractor; built before Playwright starts."""
    from portal.demo import seed_demo
    from portal.models import User
    from projects import services

    organizations = seed_demo()
    services.qualification_create(
        actor=User.objects.get(username="city_official"),
        contractor=organizations["contractor_a"],
        domain="system_integration",
        level=1,
        number="XZ-2026-001",
        issuer="中国电子信息行业联合会",
        valid_from=date(2020, 1, 1),
        valid_to=date(date.today().year + 3, 1, 1),
    )
    return organizations


def open_action(page, action):
    details = page.locator(f'[data-testid="action-{action}"]')
    if details.get_attribute("open") is None:
        details.locator("summary").click()


def act(page, action, fields=None):
    open_action(page, action)
    for selector, value in (fields or {}).items():
        page.locator(f'[data-testid="action-{action}"] {selector}').fill(value)
    click_and_confirm(page, page.locator(f'[data-testid="do-{action}"]'))


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"projects-{name}.png"), full_page=True)


def test_it_runs_the_whole_filing_journey(demo, short_lived_connections, live_server, browser_page, tmp_path):
    page = browser_page
    base = live_server.url
    document = tmp_path / "可行性研究报告.pdf"
    document.write_bytes(PDF)

    # The agency clerk files the project, step by step.
    sign_in(page, base, "agency_clerk")
    page.goto(base + "/projects/filings/new/")
    page.fill("#id_title", TITLE)
    page.select_option("#id_kind", "new")
    page.fill("#id_government_investment", "1200")
    page.fill("#id_description", "建设全市交通运行监测调度平台，整合路网监测数据。")
    shot(page, "form-basic")
    page.get_by_test_id("save-next").click()
    page.fill("#id_needs", "整合路网、公交、轨道监测数据，统一调度。")
    page.fill("#id_expected_benefits", "拥堵预警时间缩短 30%。")
    page.get_by_test_id("save-next").click()
    page.select_option("#id_planned_security_level", "3")
    page.fill("#id_standards", "GB/T 22239-2019")
    page.get_by_test_id("save-next").click()
    page.select_option("#id_tender_method", "public")
    page.select_option("#id_domain", "system_integration")
    page.select_option("#id_required_qualification_level", "2")
    page.get_by_test_id("save-draft").click()
    page.select_option('[data-testid="contractor-form"] select[name="contractor"]', label="北京华信系统集成有限公司")
    page.get_by_role("button", name="指定并核验资质").click()
    assert "北京华信系统集成有限公司" in page.get_by_test_id("contractors").inner_text()
    page.get_by_test_id("step-documents").click()
    page.set_input_files('[data-testid="attachment-form"] input[type="file"]', str(document))
    page.locator('[data-testid="attachment-form"] button[type="submit"]').click()
    assert "可行性研究报告.pdf" in page.get_by_test_id("attachments").inner_text()
    shot(page, "form-documents")
    click_and_confirm(page, page.get_by_test_id("submit-filing"))
    assert "已提交待受理" in page.get_by_test_id("status").first.inner_text()
    sign_out(page)

    # The official sees it in the queue and returns it with a comment.
    sign_in(page, base, "city_official")
    page.goto(base + "/projects/filings/")
    shot(page, "queue")
    page.get_by_role("link", name=TITLE).click()
    act(page, "return", {"textarea": "请补充与现有公交调度系统的整合方案。"})
    assert "退回修改" in page.get_by_test_id("status").first.inner_text()
    sign_out(page)

    # The clerk revises and resubmits.
    sign_in(page, base, "agency_clerk")
    page.goto(base + "/projects/filings/")
    page.get_by_role("link", name=TITLE).click()
    assert "请补充与现有公交调度系统的整合方案" in page.get_by_test_id("timeline").inner_text()
    page.get_by_test_id("edit-filing").click()
    page.get_by_test_id("step-needs").click()
    page.fill("#id_integrates_systems", "公交智能调度系统")
    page.get_by_test_id("save-draft").click()
    page.get_by_test_id("step-documents").click()
    click_and_confirm(page, page.get_by_test_id("submit-filing"))
    sign_out(page)

    # The official accepts, fills the six-dimension checklist and approves.
    sign_in(page, base, "city_official")
    page.goto(base + "/projects/filings/?status=submitted")
    page.get_by_role("link", name=TITLE).click()
    open_action(page, "start_review")
    page.locator('[data-testid="action-start_review"] input[name="self_review"]').check()
    page.locator('[data-testid="do-start_review"]').click()
    for dimension in (
        "needs_benefits",
        "planning_layout",
        "technical_standards",
        "security",
        "resource_sharing",
        "other",
    ):
        page.check(f"#id_result_{dimension}_0")
    page.get_by_test_id("save-checklist").click()
    shot(page, "review")
    act(page, "approve", {"textarea": "同意建设。"})
    assert "审查通过" in page.get_by_test_id("status").first.inner_text()
    number = page.get_by_test_id("opinion-number").inner_text()
    assert number.startswith("京经信审〔")
    pdf = page.request.get(base + page.get_by_test_id("opinion-pdf").get_attribute("href"))
    assert pdf.status == 200
    assert pdf.body().startswith(b"%PDF")
    assert b"/FontFile2" in pdf.body()
    sign_out(page)

    # The clerk records the approval, asks for acceptance and records it; the warranty deadline appears.
    sign_in(page, base, "agency_clerk")
    page.goto(base + "/projects/filings/")
    page.get_by_role("link", name=TITLE).click()
    today = date.today()
    act(
        page,
        "record_approval",
        {'input[name="reference"]': "京发改〔2026〕88号", 'input[name="approval_date"]': today.isoformat()},
    )
    act(
        page,
        "request_acceptance",
        {'input[name="planned_on"]': today.isoformat(), 'input[name="place"]': "北京市交通委员会第一会议室"},
    )
    open_action(page, "record_acceptance")
    form = page.locator('[data-testid="action-record_acceptance"]')
    form.locator('textarea[name="participants"]').fill("建设单位、承建单位、市经济和信息化局")
    form.locator('input[name="warranty_end"]').fill(today.replace(year=today.year + 3).isoformat())
    click_and_confirm(page, page.get_by_test_id("do-record_acceptance"))
    assert "验收合格" in page.get_by_test_id("status").first.inner_text()
    assert "保修期届满" in page.get_by_test_id("deadlines").inner_text()
    shot(page, "accepted")
