"""The page conventions every chapter shares (README, "Page conventions"), tried as a person would in
Chromium: typed input survives moving between steps and a reload asks first; an error page keeps the
site's layout, language and a way back; an organization filter suggests names as one types; the
interface switches to English; and the pages pass axe at desktop and phone widths."""

import pytest
from playwright.sync_api import expect

from projects.models import ProjectFiling
from tests.conftest import ARTIFACTS, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1366, "height": 900}


def serious_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    return [f"{page.url}: {v['id']}" for v in violations if v["impact"] in ("serious", "critical")]


def test_input_survives_errors_are_in_the_layout_and_english_is_complete(
    clerk, short_lived_connections, live_server, browser_page
):
    page, base = browser_page, live_server.url
    ARTIFACTS.mkdir(exist_ok=True)
    sign_in(page, base, "clerk")

    # A new filing: the title typed on step 1, then the step tab: the form is saved, not dropped.
    page.goto(base + "/projects/filings/new/")
    page.fill("#id_title", "交通运行监测平台")
    page.select_option("#id_kind", "new")
    page.fill("#id_government_investment", "1200")
    page.fill("#id_description", "整合路网监测数据。")
    page.get_by_test_id("save-next").click()
    page.wait_for_url("**/edit/needs/")
    page.fill("#id_needs", "统一调度。")
    page.get_by_test_id("step-basic").click()  # leaves "needs" through its tab: saved first
    page.wait_for_url("**/edit/basic/")
    assert page.input_value("#id_title") == "交通运行监测平台"
    assert ProjectFiling.objects.get(title="交通运行监测平台").needs == "统一调度。"

    # Unsaved input: leaving the page asks first (the browser's own "leave site?" dialog).
    page.fill("#id_title", "交通运行监测平台（二期）")
    asked = []

    def stay(dialog):
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    page.evaluate("window.location.href = '/dashboard/'")
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]
    assert page.input_value("#id_title") == "交通运行监测平台（二期）"

    # An error page: the site's layout, the reason in Chinese, a way back.
    page.remove_listener("dialog", stay)
    page.on("dialog", lambda dialog: dialog.accept())
    response = page.goto(base + "/projects/filings/00000000-0000-0000-0000-000000000000/")
    assert response.status == 404
    assert page.get_by_test_id("error-page").get_attribute("data-status") == "404"
    assert page.get_by_test_id("error-home").inner_text() == "返回工作台"
    assert page.get_by_test_id("current-user").is_visible()  # still in the layout, still signed in
    assert serious_violations(page) == []

    # Phone width: the dashboard, the filing list and the deadline list (its organization box) fit and pass axe.
    for width in (PHONE, DESKTOP):
        page.set_viewport_size(width)
        for url in ("/dashboard/", "/projects/filings/", "/deadlines/"):
            page.goto(base + url)
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), (url, width)
            assert serious_violations(page) == [], (url, width)
        page.screenshot(path=str(ARTIFACTS / f"conventions-dashboard-{width['width']}.png"), full_page=True)

    # An organization filter is a text box that suggests names from the API as one types (a select of a
    # city's 2,000 organizations made every page cost more as the city grew); picking one filters the list.
    page.goto(base + "/deadlines/")
    page.locator("#id_organization").press_sequentially("交通")
    suggestions = "#id_organization-suggestions option"
    expect(page.locator(suggestions)).to_have_count(2)  # asked 250 ms after the last keystroke
    assert page.eval_on_selector_all(suggestions, "options => options.map(o => o.value)") == [
        "北京市交通委员会",
        "北京市交通委员会信息中心",
    ]

    # English: the switch in the header; the dashboard and the error page speak it.
    page.select_option("#language-select", "en")
    page.get_by_test_id("language-form").locator("button").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    page.goto(base + "/dashboard/")
    assert page.get_by_test_id("dashboard-heading").inner_text() == "Dashboard"
    # English labels are longer: the header wraps instead of pushing the page wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.goto(base + "/no-such-page/")
    assert page.get_by_test_id("error-home").inner_text() == "Back to the dashboard"
    page.screenshot(path=str(ARTIFACTS / "conventions-404-en.png"), full_page=True)
