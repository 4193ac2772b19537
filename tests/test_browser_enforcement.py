"""The penalty journey in headless Chromium: an Art. 11 finding becomes a case, the notice goes out, no hearing is
requested within 5 working days, the decision is made within Art. 43's limits, published and shown publicly."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import ARTIFACTS, click_and_confirm, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def finding(transactional_db):
    """Demo organizations and users, and the Art. 11 violation Chapter 2 recorded; found by the nightly run."""
    from enforcement.models import Finding
    from enforcement.services import findings_detect
    from portal.demo import seed_demo
    from portal.services.calendar import calendar_years_ensure_provisional
    from projects.models import ComplianceFinding, FindingKind

    calendar_years_ensure_provisional(through=timezone.localdate() + timedelta(days=200))
    organizations = seed_demo()
    contractor = organizations["contractor_a"]
    ComplianceFinding.objects.create(
        kind=FindingKind.UNQUALIFIED_CONTRACTOR,
        article=11,
        sanction_article=43,
        organization=contractor,
        level=contractor.level,
        district=contractor.district,
        description="北京华信系统集成有限公司承揽“交通执法移动办案系统”，未持有有效的系统集成资质（要求二级及以上）。",
    )
    findings_detect(["art11-unqualified-contracting"])
    return Finding.objects.get(rule="art11-unqualified-contracting")


def in_action(page, action, selector):
    return page.locator(f'[data-testid="action-{action}"] {selector}')


def open_action(page, action):
    details = page.locator(f'[data-testid="action-{action}"]')
    if details.get_attribute("open") is None:
        details.locator("summary").click()


def submit(page, action):
    click_and_confirm(page, in_action(page, action, f'button[value="{action}"]'))
    page.wait_for_load_state()


def test_an_art11_finding_becomes_a_published_decision(live_server, browser_page, short_lived_connections, finding):
    from enforcement.models import Case

    page, base = browser_page, live_server.url
    try:
        sign_in(page, base, "city_official")

        page.goto(base + "/enforcement/findings/")
        page.get_by_role("link", name="未经资质认证或超越资质等级承揽信息化工程").click()
        open_action(page, "open_case")
        in_action(page, "open_case", 'label:has-text("王建国") input').check()
        in_action(page, "open_case", 'label:has-text("赵执法") input').check()
        submit(page, "open_case")
        number = page.get_by_test_id("case-number").inner_text()
        case_url = page.url
        assert "京经信罚〔" in number
        assert "第四十三条" in page.get_by_test_id("article-text").inner_text()

        open_action(page, "investigate")
        submit(page, "investigate")
        assert page.get_by_test_id("case-status").inner_text() == "调查取证"

        open_action(page, "notify")
        in_action(page, "notify", 'input[name="kinds"][value="warning"]').check()
        in_action(page, "notify", 'input[name="kinds"][value="fine"]').check()
        in_action(page, "notify", 'input[name="amount"]').fill("50000")
        in_action(page, "notify", 'textarea[name="serious_reasons"]').fill("无资质承揽，合同金额逾千万元")
        submit(page, "notify")
        assert page.get_by_test_id("case-status").inner_text() == "已告知"

        # Deciding while the 5-working-day hearing period runs is refused.
        open_action(page, "decide")
        in_action(page, "decide", 'input[name="kinds"][value="warning"]').check()
        submit(page, "decide")
        assert "届满前不能作出决定" in page.get_by_test_id("refusal").inner_text()

        # No hearing requested: the period ran out (the notice went out two weeks ago).
        Case.objects.filter(number=number.split()[0]).update(notified_on=timezone.localdate() - timedelta(days=14))
        page.goto(case_url)
        open_action(page, "decide")
        # A fine without the serious reasons is refused with the article quoted ...
        in_action(page, "decide", 'input[name="kinds"][value="warning"]').check()
        in_action(page, "decide", 'input[name="kinds"][value="fine"]').check()
        in_action(page, "decide", 'input[name="amount"]').fill("50000")
        submit(page, "decide")
        assert "情节严重" in page.locator('[data-testid="action-decide"]').inner_text()
        # ... and accepted within the limits.
        in_action(page, "decide", 'textarea[name="serious_reasons"]').fill("无资质承揽，合同金额逾千万元")
        submit(page, "decide")
        assert page.get_by_test_id("case-status").inner_text() == "已决定"

        open_action(page, "publish")
        submit(page, "publish")
        page.get_by_role("button", name="退出").click()

        page.goto(base + "/")
        page.get_by_role("link", name="行政处罚决定").first.click()
        table = page.get_by_test_id("public-decisions").inner_text()
        assert number.split()[0] in table and "罚款 50000.00 元" in table
    finally:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "enforcement-journey.png"), full_page=True)
