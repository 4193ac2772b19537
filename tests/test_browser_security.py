"""The grading journey in headless Chromium: a clerk grades a system to level 3 through the matrix and
submits; an official approves; the certificate downloads; the next evaluation falls due a year later."""

import pytest
from django.utils import timezone

from tests.conftest import ARTIFACTS, click_and_confirm, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
SYSTEM = "交通执法移动办案系统"


@pytest.fixture
def demo(transactional_db):
    """Demo organizations and users, and one registered (not yet graded) system."""
    from portal.demo import seed_demo
    from portal.models import User
    from portal.services.calendar import calendar_years_ensure_provisional
    from security import services

    organizations = seed_demo()
    calendar_years_ensure_provisional(through=timezone.localdate() + timezone.timedelta(days=800))
    system = services.system_create(
        actor=User.objects.get(username="agency_clerk"),
        operator=organizations["transport"],
        name=SYSTEM,
        builder="北京华信系统集成有限公司",
        purpose="交通执法办案",
        users_served="执法人员、当事人",
        network="egov",
    )
    return system


def act(page, action, fields=None):
    details = page.locator(f'[data-testid="action-{action}"]')
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    for selector, value in (fields or {}).items():
        details.locator(selector).fill(value)
    click_and_confirm(page, page.locator(f'[data-testid="do-{action}"]'))


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"security-{name}.png"), full_page=True)


def test_it_grades_files_approves_and_schedules(demo, short_lived_connections, live_server, browser_page):
    from security.rules import add_months

    page = browser_page
    base = live_server.url
    today = timezone.localdate()

    # The clerk grades the system on the matrix: business harm to public order (serious) = 3, service = 1.
    sign_in(page, base, "agency_clerk")
    page.goto(base + "/security/systems/")
    page.get_by_role("link", name=SYSTEM).click()
    page.get_by_test_id("grade-system").click()
    page.check('input[name="business_harm_object"][value="public"]')
    page.check('input[name="business_harm_degree"][value="serious"]')
    page.check('input[name="service_harm_object"][value="citizen"]')
    page.check('input[name="service_harm_degree"][value="general"]')
    assert page.get_by_test_id("computed-level").inner_text() == "3"
    page.fill("#id_expert_reviewed_on", today.isoformat())
    page.fill("#id_expert_opinion", "定级合理，同意定为第三级。")
    shot(page, "wizard")
    page.get_by_test_id("save-grading").click()
    assert "第三级" in page.get_by_test_id("grading-level").inner_text()
    act(page, "submit")
    assert "已提交待审核" in page.get_by_test_id("status").inner_text()
    sign_out(page)

    # The official finds it in the queue and approves it.
    sign_in(page, base, "city_official")
    page.goto(base + "/security/gradings/?status=submitted")
    shot(page, "queue")
    page.get_by_role("link", name=SYSTEM).click()
    act(page, "approve", {"textarea": "同意备案。"})
    assert "已备案" in page.get_by_test_id("status").inner_text()
    number = page.get_by_test_id("filing-number").inner_text()
    assert number.startswith("京经信等保备〔")

    # The certificate downloads, with the CJK font embedded.
    with page.expect_download() as download_info:
        page.get_by_test_id("certificate").click()
    content = open(download_info.value.path(), "rb").read()  # noqa: SIM115 (a temporary download)
    assert content.startswith(b"%PDF")
    assert b"/FontFile2" in content

    # The next evaluation falls due a year later (level 3: yearly).
    page.goto(base + "/security/systems/")
    page.get_by_role("link", name=SYSTEM).click()
    due = add_months(today, 12)
    assert page.get_by_test_id("next-evaluation-due").inner_text() == due.isoformat()
    assert due.isoformat() in page.get_by_test_id("deadline-due-security_evaluation").inner_text()
    shot(page, "system")
