"""A city official's first visit, in headless Chromium against a live server."""

import re

import pytest

from portal.demo import DEMO_PASSWORD
from tests.conftest import ARTIFACTS, enrol_second_factor

# serialized_rollback: the flush after a transactional test empties the tables the data migrations
# filled (role groups, holiday calendar, deadline kinds); each such test gets them back first.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def city_official(transactional_db):
    """Built before Playwright starts: its sync API runs our code in a greenlet with its own DB connection."""
    from conftest import make_uscc
    from portal.models import OrganizationKind, Role
    from portal.services import membership_create, organization_create, user_create

    authority = organization_create(
        actor=None,
        name="北京市经济和信息化局",
        kind=OrganizationKind.AUTHORITY,
        level="city",
        uscc=make_uscc(900001),
        responsible_leader="分管副局长",
        responsible_unit="信息中心",
    )
    for serial, name in enumerate(["北京市交通委员会", "北京市教育委员会", "北京市卫生健康委员会"], start=900002):
        organization_create(
            actor=None,
            name=name,
            kind=OrganizationKind.AGENCY,
            level="city",
            uscc=make_uscc(serial),
            responsible_leader="分管领导",
            responsible_unit="信息中心",
        )
    official = user_create(username="city_official", password=DEMO_PASSWORD, full_name="王建国")
    membership_create(user=official, organization=authority, role=Role.AUTHORITY_OFFICIAL)
    return official


@pytest.mark.browser
def test_it_lets_a_city_official_log_in_see_the_dashboard_and_log_out(
    city_official, short_lived_connections, live_server, browser_page
):
    page = browser_page
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    page.get_by_test_id("login-link").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))
    page.fill("#id_username", "city_official")
    page.fill("#id_password", DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    # An official signs in with a second factor; the first sign-in enrols the authenticator app and
    # shows the recovery codes once.
    page.wait_for_url(re.compile(r"/accounts/2fa/setup/"))
    enrol_second_factor(page, "city_official")
    assert page.get_by_test_id("recovery-codes").locator("li").count() == 10
    page.get_by_role("link", name="我已保存，继续").click()

    page.wait_for_url(re.compile(r"/dashboard/$"))
    assert page.get_by_test_id("dashboard-heading").inner_text() == "工作台"
    assert page.get_by_test_id("organization-count").inner_text().strip() == "4"
    assert page.get_by_test_id("current-user").inner_text() == "王建国"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard-city-official.png"), full_page=True)

    page.get_by_role("button", name="退出").click()
    page.wait_for_url(re.compile(r"/$"))
    assert page.get_by_test_id("login-link").is_visible()
    assert page.get_by_test_id("current-user").count() == 0
    page.goto(live_server.url + "/dashboard/")
    assert "/accounts/login/" in page.url
