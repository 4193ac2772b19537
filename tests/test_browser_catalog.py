"""The catalog and sharing journey in headless Chromium (Chapter 3, Arts. 17, 21, 22), with axe-core checks.

The transport clerk registers 出租汽车运营数据 by the form; its items overlap the education commission's
published 校车营运台账, so the portal warns of duplicate collection and asks for a written justification
(Art. 17). The city official (second factor) publishes it. The public, not signed in, finds it in the
open catalog with the partial keyword 出租 and sees only its open items (Art. 22). The education clerk asks
for three items; the transport clerk counter-proposes two (Art. 21); the education clerk accepts and then
sees exactly the two granted items, on the request and on the resource.
"""

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests.conftest import ARTIFACTS, click_and_confirm, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NAME = "出租汽车运营数据"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def _item(name, data_type="C", share_type="conditional", open_attribute="open"):
    return {
        "name": name,
        "data_type": data_type,
        "length": None,
        "description": "",
        "share_type": share_type,
        "open_attribute": open_attribute,
    }


@pytest.fixture
def demo(transactional_db):
    """Demo organizations and users, and the education commission's published 校车营运台账 (the overlap)."""
    from portal.demo import seed_demo
    from portal.models import User
    from resources import services
    from resources.models import Classification

    organizations = seed_demo()
    clerk = User.objects.get(username="other_clerk")
    school_buses = services.resource_create(
        actor=clerk,
        provider=organizations["education"],
        fields={
            "classification": Classification.objects.get(code="202"),
            "name": "校车营运台账",
            "summary": "全市校车的营运里程和驾驶员。",
            "format": "database",
            "collection_basis": "《校车安全管理条例》",
            "share_type": "unconditional",
            "share_condition": "",
            "share_basis": "",
            "share_method": "interface",
            "open_attribute": "open",
            "update_cycle": "monthly",
            "last_updated_on": None,
            "base_database": None,
        },
        items=[
            _item("车牌号码", share_type="unconditional"),
            _item("运营里程", "N", share_type="unconditional"),
            _item("驾驶员姓名", share_type="unconditional"),
            _item("校车标识", share_type="unconditional"),
        ],
    )
    services.resource_submit(resource=school_buses, actor=clerk)
    services.resource_publish(
        resource=school_buses, actor=User.objects.get(username="city_official"), comment="符合目录编制指南。"
    )
    return organizations


def serious_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    return [f"{page.url}: {v['id']} {[n['target'] for n in v['nodes']][:3]}" for v in serious]


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"catalog-{name}.png"), full_page=True)


def open_resource(page, base):
    page.goto(base + "/resources/catalog/?q=出租")
    page.get_by_role("link", name=NAME).click()
    page.wait_for_url("**/resources/catalog/*-*/")


def open_request(page, base):
    page.goto(base + "/resources/sharing/")
    page.get_by_role("link", name=NAME).first.click()
    page.wait_for_url("**/resources/sharing/*-*/")


def test_a_resource_is_registered_published_found_and_shared(demo, short_lived_connections, live_server, browser_page):
    page, base = browser_page, live_server.url
    problems = []
    # Redis outlives a test: earlier tests from 127.0.0.1 must not count against this journey's requests.
    cache.clear()

    # The transport clerk registers the resource by the form, with three information items.
    sign_in(page, base, "agency_clerk")
    page.goto(base + "/resources/catalog/")
    page.get_by_test_id("new-resource").click()
    page.wait_for_url("**/resources/catalog/new/")
    page.select_option("#id_classification", "201")
    page.fill("#id_name", NAME)
    page.fill("#id_summary", "全市巡游出租汽车每日运营里程和驾驶员信息。")
    page.select_option("#id_format", "database")
    page.fill("#id_collection_basis", "《北京市出租汽车管理条例》")
    page.select_option("#id_share_type", "conditional")
    page.fill("#id_share_condition", "仅用于行业监管和执法协作")
    page.fill("#id_share_basis", "《北京市出租汽车管理条例》第三十二条")
    page.select_option("#id_share_method", "interface")
    page.select_option("#id_open_attribute", "conditional")
    page.select_option("#id_update_cycle", "daily")
    for row, (name, data_type, open_attribute) in enumerate(
        [("车牌号码", "C", "open"), ("运营里程", "N", "open"), ("驾驶员姓名", "C", "closed")]
    ):
        page.fill(f"#id_items-{row}-name", name)
        page.select_option(f"#id_items-{row}-data_type", data_type)
        page.select_option(f"#id_items-{row}-share_type", "conditional")
        page.select_option(f"#id_items-{row}-open_attribute", open_attribute)
    page.get_by_test_id("save-resource").click()

    # The items overlap the education commission's published resource: warned, nothing saved, nothing lost.
    warning = page.get_by_test_id("duplicate-warning")
    expect(warning).to_be_visible()
    match = page.get_by_test_id("duplicate-match")
    expect(match).to_have_count(1)
    expect(match).to_contain_text("校车营运台账")
    expect(match).to_contain_text("北京市教育委员会")
    expect(match).to_contain_text("车牌号码")
    expect(page.get_by_test_id("justification-error")).to_be_visible()
    assert page.input_value("#id_name") == NAME
    assert page.input_value("#id_items-2-name") == "驾驶员姓名"
    assert page.input_value("#id_items-2-open_attribute") == "closed"
    assert page.input_value("#id_share_basis") == "《北京市出租汽车管理条例》第三十二条"
    problems += serious_violations(page)
    shot(page, "duplicate-warning")
    page.fill("#id_duplicate_justification", "校车台账不含巡游出租汽车，本委依出租汽车管理条例独立采集营运数据。")
    page.get_by_test_id("save-resource").click()
    page.wait_for_url("**/resources/catalog/*-*/")
    expect(page.get_by_test_id("duplicate-note")).to_contain_text("本委依出租汽车管理条例独立采集")
    click_and_confirm(page, page.get_by_test_id("do-submit"))
    expect(page.get_by_test_id("resource-status")).to_have_text("待发布审核")
    sign_out(page)

    # The city official (second factor) publishes it; the resource code is generated.
    sign_in(page, base, "city_official")
    open_resource(page, base)
    expect(page.get_by_test_id("duplicate-note")).to_contain_text("校车营运台账")
    page.locator('[data-testid="action-publish"] textarea').fill("符合目录编制指南，重复采集理由已记录。")
    click_and_confirm(page, page.get_by_test_id("do-publish"))
    expect(page.get_by_test_id("resource-status")).to_have_text("已发布")
    assert page.get_by_test_id("resource-code").inner_text().startswith("201")
    problems += serious_violations(page)
    shot(page, "resource-detail")
    sign_out(page)

    # The public, not signed in, finds it with a part of its name and sees only the open items.
    page.goto(base + "/resources/open/")
    page.fill("#id_q", "出租")
    page.locator('[data-testid="catalog-search"] button[type="submit"]').click()
    page.wait_for_url("**/resources/open/?q=*")
    results = page.get_by_test_id("catalog-results")
    expect(results.get_by_role("link", name=NAME)).to_be_visible()
    expect(results).not_to_contain_text("校车营运台账")
    problems += serious_violations(page)
    shot(page, "open-search")
    page.set_viewport_size(PHONE)
    problems += [f"390px {p}" for p in serious_violations(page)]
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"the open catalog search is {width}px wide on a phone"
    page.set_viewport_size(DESKTOP)
    results.get_by_role("link", name=NAME).click()
    page.wait_for_url("**/resources/open/*-*/")
    main = page.locator("main")
    expect(main).to_contain_text("运营里程")
    expect(main).not_to_contain_text("驾驶员姓名")
    problems += serious_violations(page)

    # The education clerk asks for all three items.
    sign_in(page, base, "other_clerk")
    open_resource(page, base)
    expect(page.get_by_test_id("item-row")).to_have_count(0)
    page.get_by_test_id("request-sharing").click()
    page.wait_for_url("**/request/")
    form = page.get_by_test_id("sharing-form")
    for name in ("车牌号码", "运营里程", "驾驶员姓名"):
        form.get_by_label(name).check()
    form.get_by_label("共享范围").fill("全市校车及接送学生车辆监管")
    form.get_by_label("用途").fill("核验接送学生车辆的营运资质")
    form.get_by_label("共享方式").select_option("interface")
    problems += serious_violations(page)
    page.get_by_test_id("submit-sharing").click()
    page.wait_for_url("**/resources/sharing/*-*/")
    expect(page.get_by_test_id("sharing-status")).to_have_text("待提供方答复")
    sign_out(page)

    # The transport clerk keeps the driver's name back: a counter-proposal with two items.
    sign_in(page, base, "agency_clerk")
    open_request(page, base)
    counter = page.get_by_test_id("action-counter")
    counter.get_by_label("驾驶员姓名").uncheck()
    counter.get_by_label("修改理由").fill("驾驶员姓名属个人信息，校车监管无需提供。")
    click_and_confirm(page, page.get_by_test_id("do-counter"))
    expect(page.get_by_test_id("sharing-status")).to_have_text("提供方提出修改意见")
    problems += serious_violations(page)
    sign_out(page)

    # The education clerk accepts; the grant holds exactly the two items, and so does the resource page.
    sign_in(page, base, "other_clerk")
    open_request(page, base)
    expect(page.get_by_test_id("rounds")).to_contain_text("驾驶员姓名属个人信息")
    click_and_confirm(page, page.get_by_test_id("do-accept"))
    expect(page.get_by_test_id("grant-items")).to_have_text("车牌号码、运营里程")
    problems += serious_violations(page)
    shot(page, "grant")
    open_resource(page, base)
    rows = page.get_by_test_id("item-row")
    expect(rows).to_have_count(2)
    expect(page.get_by_test_id("resource-items")).not_to_contain_text("驾驶员姓名")
    expect(rows.first).to_contain_text("已授权本单位")

    assert problems == []
