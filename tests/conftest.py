"""Fixtures for the cross-app tests: headless Chromium and live-server database hygiene."""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run inside one
# unless told that this test-only situation is fine.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser_page():
    """A Chromium page; fails (never skips) when the browser is missing."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `sh tests/ensure_browser.sh` to install Chromium and CJK fonts.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
            page.set_default_timeout(15_000)
            yield page
        finally:
            browser.close()


@pytest.fixture
def short_lived_connections():
    """Live-server request threads must close their database connections, or the test database can't be dropped."""
    from django.db import connections

    config = connections.settings["default"]
    before = config["CONN_MAX_AGE"]
    config["CONN_MAX_AGE"] = 0
    yield
    config["CONN_MAX_AGE"] = before


def _next_totp(device) -> str:
    """A code the device will accept now: TOTP refuses a time step it has already seen, so a user who
    signs in twice within one step gets the next step's code (inside the device's tolerance)."""
    import time

    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if device.last_t is not None and totp.t() <= device.last_t:
        totp.time += (device.last_t + 1 - totp.t()) * device.step
    return f"{totp.token():0{device.digits}d}"


def enrol_second_factor(page, username: str) -> None:
    """On the enrolment page: type the code the authenticator app would show; the recovery codes follow."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user__username=username, confirmed=False).latest("id")
    page.fill("#id_token", _next_totp(device))
    page.get_by_role("button", name="确认启用").click()
    page.get_by_test_id("recovery-codes").wait_for()


def sign_out(page) -> None:
    page.get_by_role("button", name="退出").click()


def sign_in(page, base: str, username: str, password: str | None = None, landing: str = "**/dashboard/") -> None:
    """Sign in through the login page as a person would; staff pass the second factor (enrolling an
    authenticator on first sign-in, as the portal requires), then land on the page the login chose."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from portal.demo import DEMO_PASSWORD

    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password or DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    if "/accounts/2fa/setup/" in page.url:
        enrol_second_factor(page, username)
        page.get_by_role("link", name="我已保存，继续").click()
    elif "/accounts/2fa/verify/" in page.url:
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        page.fill("#id_token", _next_totp(device))
        page.get_by_test_id("otp-submit").click()
    page.wait_for_url(landing)


def click_and_confirm(page, locator) -> None:
    """Click a button whose action is binding: the portal asks first (README, "Page conventions"), and the
    person confirms in the dialog. A button that does not ask (no ``data-confirm`` on it or its form) is
    simply clicked."""
    asks = locator.evaluate(
        "b => !!(b.getAttribute('data-confirm') || (b.form && b.form.getAttribute('data-confirm')))"
    )
    locator.click()
    if not asks:
        return
    ok = page.locator("dialog.portal-confirm[open] [data-testid=confirm-ok]")
    with page.expect_navigation():
        ok.click()
