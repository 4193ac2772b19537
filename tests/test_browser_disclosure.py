"""The disclosure journey in headless Chromium, on the 2026 National Day calendar, and axe-core checks.

A member of the public applies online (no login); the agency confirms receipt, sends a 补正 notice; the
applicant corrects from the tracking page; the agency records the correction, extends, replies; the
applicant downloads the reply letter with the code. The server's clock is frozen at each step's day
(freezegun; Chromium runs on real time), so the due dates shown are the statutory ones:

- received Tue 2026-09-22 -> reply due 2026-10-27 (20 working days over Mid-Autumn and National Day,
  make-up Saturday 2026-10-10 counted), 补正 notice by 2026-10-09 (7 working days);
- correction received 2026-09-30 -> due 2026-11-03; extension of 20 working days -> due 2026-12-01.
"""

import pytest
from django.core.cache import cache
from freezegun import freeze_time
from playwright.sync_api import expect

from tests.conftest import ARTIFACTS, click_and_confirm, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# The browser driver's event loop must keep real time while the server's clock is frozen.
REAL_TIME = ["playwright", "asyncio", "greenlet", "pyee", "selectors", "socketserver"]
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture
def demo(transactional_db, monkeypatch):
    from captcha.conf import settings as captcha_settings

    from portal.demo import seed_demo
    from resources.demo import seed_demo as seed_resources

    # django-simple-captcha's test mode: the answer "PASSED" is accepted, any other is refused.
    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)
    organizations = seed_demo()
    seed_resources(organizations)
    return organizations


def at(moment: str):
    return freeze_time(moment, tick=True, ignore=REAL_TIME)


def act(page, action, fields):
    page.locator(f'[data-testid="open-{action}"]').click()
    for name, value in fields.items():
        page.fill(f"#id_{action}-{name}", value)
    click_and_confirm(page, page.locator(f'[data-testid="do-{action}"]'))


def open_application(page, base, number):
    page.goto(base + "/disclosure/applications/")
    page.get_by_role("link", name=number).click()
    # A click waits only for the navigation to commit; the detail page must have loaded before reading it.
    page.wait_for_url("**/disclosure/applications/*/")


def track(page, base, number, code):
    page.goto(base + "/disclosure/track/")
    page.fill("#id_number", number)
    page.fill("#id_code", code)
    page.locator('[data-testid="track-submit"]').click()


def serious_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    return [f"{page.url}: {v['id']} {[n['target'] for n in v['nodes']][:3]}" for v in serious]


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"disclosure-{name}.png"), full_page=True)


def test_the_public_applies_and_downloads_the_reply(demo, short_lived_connections, live_server, browser_page, tmp_path):
    page, base = browser_page, live_server.url
    agency = demo["transport"]
    # The application form is rate-limited per address (Redis outlives a test): earlier tests from 127.0.0.1
    # must not count against this journey's submissions.
    cache.clear()

    with at("2026-09-21 20:00:00+08:00"):
        page.goto(base + f"/disclosure/agencies/{agency.uuid}/")
        page.get_by_role("link", name="向该机关申请公开").click()
        page.select_option("#id_applicant_kind", "citizen")
        page.fill("#id_applicant_name", "")
        page.select_option("#id_id_type", "id_card")
        page.fill("#id_id_number", "110101199001011234")
        page.fill("#id_contact", "13900000000")
        page.fill("#id_email", "not-an-email")
        page.fill("#id_description", "2025年本市公交线路调整的批复文件")
        page.fill("#id_captcha_1", "PASSED")
        page.locator('[data-testid="apply-submit"]').click()
        # Rejected field by field; what was typed is still there.
        expect(page.locator('[data-testid="form-errors"]')).to_be_visible()
        assert page.locator("#id_applicant_name.is-invalid").count() == 1
        assert page.locator("#id_email.is-invalid").count() == 1
        assert page.input_value("#id_contact") == "13900000000"
        assert page.input_value("#id_description") == "2025年本市公交线路调整的批复文件"
        assert serious_violations(page) == []
        page.fill("#id_applicant_name", "李四")
        page.fill("#id_email", "lisi@example.invalid")
        page.fill("#id_captcha_1", "PASSED")
        page.locator('[data-testid="apply-submit"]').click()
        number = page.locator('[data-testid="tracking-number"]').inner_text().strip()
        code = page.locator('[data-testid="access-code"]').inner_text().strip()
        assert serious_violations(page) == []
        shot(page, "applied")

    with at("2026-09-22 09:00:00+08:00"):
        sign_in(page, base, "agency_clerk")
        open_application(page, base, number)
        act(page, "confirm_receipt", {})
        assert page.locator('[data-testid="received-on"]').inner_text() == "2026-09-22"
        assert page.locator('[data-testid="reply-due"]').inner_text() == "2026-10-27"
        assert page.locator('[data-testid="correction-by"]').inner_text().startswith("2026-10-09")
        sign_out(page)

    with at("2026-09-24 10:00:00+08:00"):
        sign_in(page, base, "agency_clerk")
        open_application(page, base, number)
        act(page, "correction_notice", {"request": "请写明批复文件的文号或发文日期。"})
        assert page.locator('[data-testid="status"]').inner_text() == "待申请人补正"
        sign_out(page)
        track(page, base, number, code)
        assert page.locator('[data-testid="track-status"]').inner_text() == "待申请人补正"
        expect(page.locator("main")).to_contain_text("请写明批复文件的文号")
        assert serious_violations(page) == []

    with at("2026-09-30 09:30:00+08:00"):
        track(page, base, number, code)
        page.fill("#id_text", "2025年公交线路调整批复（京交发〔2025〕12号）")
        page.locator('[data-testid="submit-correction"]').click()
        expect(page.locator('[data-testid="correction-sent"]')).to_be_visible()
        sign_in(page, base, "agency_clerk")
        open_application(page, base, number)
        expect(page.locator("main")).to_contain_text("京交发〔2025〕12号")
        act(page, "correction_received", {"received_on": "2026-09-30"})
        assert page.locator('[data-testid="reply-due"]').inner_text() == "2026-11-03"
        sign_out(page)

    with at("2026-10-20 09:00:00+08:00"):
        sign_in(page, base, "agency_clerk")
        open_application(page, base, number)
        act(page, "extend", {"reason": "涉及历史档案调取。", "approved_by": "孙主任"})
        assert page.locator('[data-testid="reply-due"]').inner_text() == "2026-12-01"
        sign_out(page)
        track(page, base, number, code)
        assert page.locator('[data-testid="track-due"]').inner_text().startswith("2026-12-01")

    with at("2026-11-30 15:00:00+08:00"):
        sign_in(page, base, "agency_clerk")
        open_application(page, base, number)
        page.locator('[data-testid="open-reply"]').click()
        page.select_option("#id_reply-response_type", "partial")
        page.select_option("#id_reply-reason", "third_party")
        page.fill("#id_reply-text", "批复文件予以公开，涉及企业商业秘密的附件不予公开。")
        click_and_confirm(page, page.locator('[data-testid="do-reply"]'))
        assert page.locator('[data-testid="status"]').inner_text() == "已答复"
        sign_out(page)

        # A wrong code reveals nothing: not the status, not the agency, not even that the number exists.
        track(page, base, number, "AAAAAAAAAA")
        expect(page.locator('[data-testid="track-not-found"]')).to_be_visible()
        assert agency.name not in page.locator("main").inner_text()
        track(page, base, "GK2026ZZZZZZZZ", "AAAAAAAAAA")
        expect(page.locator('[data-testid="track-not-found"]')).to_be_visible()

        track(page, base, number, code)
        assert page.locator('[data-testid="track-status"]').inner_text() == "已答复"
        with page.expect_download() as download:
            page.locator('[data-testid="download-letter"]').click()
        letter = tmp_path / "reply.pdf"
        download.value.save_as(letter)
        assert letter.read_bytes().startswith(b"%PDF")
        shot(page, "tracked")


PUBLIC_PAGES = [
    "/disclosure/",
    "/disclosure/apply/",
    "/disclosure/track/",
    "/disclosure/catalog/?q=交通",
    "/disclosure/enterprises/",
    "/disclosure/reports/",
]


def test_the_public_pages_pass_axe_at_desktop_and_phone_widths(
    demo, short_lived_connections, live_server, browser_page
):
    from resources.models import AnnualReport, CatalogEntry

    page, base = browser_page, live_server.url
    entry = CatalogEntry.objects.filter(agency=demo["transport"]).first()
    report = AnnualReport.objects.filter(status="published").first()
    pages = [
        f"/disclosure/agencies/{entry.agency.uuid}/catalog/{entry.index_number}/",
        f"/disclosure/reports/{report.uuid}/",
        f"/disclosure/agencies/{entry.agency.uuid}/guide/versions/",
        *PUBLIC_PAGES,
        f"/disclosure/agencies/{demo['transport'].uuid}/",
        f"/disclosure/enterprises/{demo['water'].uuid}/",
    ]
    problems = []
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        for path in pages:
            page.goto(base + path)
            problems += [f"{viewport['width']}px {problem}" for problem in serious_violations(page)]
            if viewport is PHONE:
                # Nothing wider than the phone: no horizontal scrolling of the whole page.
                width = page.evaluate("document.documentElement.scrollWidth")
                assert width <= viewport["width"] + 1, f"{path} is {width}px wide on a phone"
    assert problems == []
