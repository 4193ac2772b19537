"""The district plan journey in headless Chromium (Art. 6): the district authority drafts and submits its plan,
the city authority reviews it for conformity with the city plan, the district records approval and publishes,
and only then does the public see it."""

from datetime import date

import pytest

from tests.conftest import ARTIFACTS, click_and_confirm, sign_in, sign_out

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TITLE = "海淀区2026—2030年信息化发展规划"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def demo(transactional_db):
    """Demo organizations and users, and the published city plan; built before Playwright starts."""
    from planning import services
    from portal.demo import seed_demo
    from portal.models import User

    organizations = seed_demo()
    official = User.objects.get(username="city_official")
    plan = services.plan_create(
        actor=official,
        kind="city",
        organization=organizations["authority"],
        title="北京市“十五五”信息化发展规划",
        period_start=2026,
        period_end=2030,
    )
    services.plan_version_add(plan=plan, actor=official, note="报批稿")
    services.plan_record_approval(
        plan=plan, actor=official, approval_reference="京政发〔2026〕1号", approval_date=date.today()
    )
    services.plan_publish(plan=plan, actor=official)
    return organizations


def act(page, action, fields=None):
    details = page.locator(f'[data-testid="action-{action}"]')
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    for selector, value in (fields or {}).items():
        details.locator(selector).fill(value)
    click_and_confirm(page, page.locator(f'[data-testid="do-{action}"]'))


def status(page):
    return page.locator('[data-testid="plan-status"]').inner_text()


def test_it_runs_the_district_plan_review_journey(demo, short_lived_connections, live_server, browser_page, tmp_path):
    page = browser_page
    base = live_server.url
    document = tmp_path / "海淀区规划送审稿.pdf"
    document.write_bytes(PDF)

    # The Haidian authority drafts its plan on the city plan and uploads the text.
    sign_in(page, base, "haidian_official")
    page.goto(base + "/planning/plans/")
    form = page.locator('[data-testid="plan-form"]')
    form.locator("#id_kind").select_option("district")
    form.locator("#id_title").fill(TITLE)
    form.locator("#id_period_start").fill("2026")
    form.locator("#id_period_end").fill("2030")
    form.locator("#id_conforms_to").select_option(label="北京市“十五五”信息化发展规划")
    page.locator('[data-testid="create-plan"]').click()
    page.wait_for_selector('[data-testid="plan-title"]')
    page.locator('[data-testid="version-form"] input[name="note"]').fill("送审稿")
    page.locator('[data-testid="version-form"] input[name="document"]').set_input_files(str(document))
    page.locator('[data-testid="add-version"]').click()
    assert "海淀区规划送审稿.pdf" in page.locator('[data-testid="versions"]').inner_text()
    # Before the city authority's review the district may not take it to its government.
    assert page.locator('[data-testid="action-record_approval"]').count() == 0
    act(page, "submit_for_review", {"textarea[name=comment]": "请审核。"})
    assert status(page) == "市信息化主管部门审核中"
    plan_url = page.url
    sign_out(page)

    # The city authority finds it consistent with the city plan.
    sign_in(page, base, "city_official")
    page.goto(plan_url)
    act(page, "confirm_conformity", {"textarea[name=opinion]": "符合本市信息化发展规划，同意报区人民政府批准。"})
    assert status(page) == "审核通过待报批"
    assert "同意报区人民政府批准" in page.locator('[data-testid="review-opinion"]').inner_text()
    sign_out(page)

    # Not public until published.
    page.goto(base + "/plans/")
    assert TITLE not in page.locator('[data-testid="public-plan-table"]').inner_text()

    # The district records its government's approval and publishes.
    sign_in(page, base, "haidian_official")
    page.goto(plan_url)
    act(
        page,
        "record_approval",
        {"input[name=approval_reference]": "海政发〔2026〕7号", "input[name=approval_date]": date.today().isoformat()},
    )
    assert status(page) == "已批准待公布"
    act(page, "publish")
    assert status(page) == "已公布实施"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "plans-published.png"), full_page=True)
    sign_out(page)

    # The public reads it, with its text, from the home page's section.
    page.goto(base + "/")
    page.get_by_role("link", name="信息化发展规划").first.click()
    page.get_by_role("link", name=TITLE).click()
    assert page.locator('[data-testid="plan-title"]').inner_text() == TITLE
    assert "海淀区规划送审稿.pdf" in page.locator('[data-testid="plan-documents"]').inner_text()
