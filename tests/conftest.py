"""Fixtures for the cross-app tests: headless Chromium and live-server database hygiene."""

import os
import weakref
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


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so a fixture's teardown knows whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _keep_failure_evidence(browser, test_name: str, console: list[str]) -> None:
    """A browser journey that fails saves what every open page showed then (screenshot, address, HTML) and
    what the pages logged, so a failure seen once in CI can be read afterwards rather than guessed at."""
    ARTIFACTS.mkdir(exist_ok=True)
    stem = "failed-" + "".join(c if c.isalnum() else "-" for c in test_name)
    lines = []
    for number, page in enumerate(p for context in browser.contexts for p in context.pages):
        lines.append(f"page {number}: {page.url}")
        try:
            page.screenshot(path=str(ARTIFACTS / f"{stem}-{number}.png"), full_page=True, timeout=5_000)
            (ARTIFACTS / f"{stem}-{number}.html").write_text(page.content(), encoding="utf-8")
            shown = page.locator("main").first.inner_text(timeout=5_000) if page.locator("main").count() else ""
            lines.append("  " + " ".join(shown.split())[:400])
        except Exception as error:  # the page may be the thing that broke; record that and go on
            lines.append(f"  could not be saved: {error}")
    log = "\n".join([*lines, "", "console:", *console]) + "\n"
    (ARTIFACTS / f"{stem}.log").write_text(log, encoding="utf-8")
    print(log)  # CI keeps the output of a failed test (its teardown's too), not the files


_console_of = weakref.WeakKeyDictionary()


def another_desk(browser, viewport: dict):
    """A person's own browser context (their own cookies) with the size, language and patience every journey
    uses; what its pages log goes to the failure evidence."""
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    console = _console_of.setdefault(browser, [])
    context.on("console", lambda message: console.append(f"{message.type}: {message.text} ({message.location})"))
    context.on("weberror", lambda error: console.append(f"page error: {error.error}"))
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


@pytest.fixture
def browser_page(request):
    """A Chromium page; fails (never skips) when the browser is missing. When the test fails, every page
    open in the browser (other people's desks too) is saved under ``test-artifacts/failed-*``."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `sh tests/ensure_browser.sh` to install Chromium and CJK fonts.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = another_desk(browser, {"width": 1366, "height": 900})
            yield page
            report = getattr(request.node, "report_call", None)
            if report is not None and report.failed:
                _keep_failure_evidence(browser, request.node.name, _console_of[browser])
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
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    asks = locator.evaluate(
        "b => !!(b.getAttribute('data-confirm') || (b.form && b.form.getAttribute('data-confirm')))"
    )
    locator.click()
    if not asks:
        return
    ok = page.locator("dialog.portal-confirm[open] [data-testid=confirm-ok]")
    try:
        ok.wait_for(timeout=5_000)
    except PlaywrightTimeoutError:
        # Seen under load on a clean machine, twice on the catalog journey's escalation: the reason filled, no
        # dialog, nothing submitted, no error. The click reached no button (the page still moving under it), and
        # a person would click again; a second click that asks nothing fails below as before.
        locator.click()
    with page.expect_navigation():
        ok.click()
