"""Disclosure pages: the public form, tracking, the letter, staff handling, supervision; outsiders get 404."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from resources.models import DisclosureApplication
from resources.services import disclosure as services
from resources.tests.disclosure_fixtures import *  # noqa: F403

FORM = {
    "applicant_kind": "citizen",
    "applicant_name": "李四",
    "id_type": "id_card",
    "id_number": "110101199001011234",
    "contact": "13900000000",
    "email": "lisi@example.invalid",
    "description": "2025年本市道路养护计划",
    "delivery_form": "electronic",
    "delivery_channel": "online",
    "captcha_0": "x",
    "captcha_1": "PASSED",
}


def apply_body(orgs, **extra):
    return {**FORM, "agency": str(orgs["agency"].uuid), **extra}


def test_the_public_form_needs_no_login(client, orgs):
    response = client.get(reverse("disclosure:apply"))
    assert response.status_code == 200
    assert "20 个工作日" in response.content.decode()


def test_it_accepts_an_application_and_shows_the_code_once(client, orgs, captcha_passes):
    response = client.post(reverse("disclosure:apply"), apply_body(orgs))
    assert response.status_code == 200
    application = DisclosureApplication.objects.get()
    code = response.context["code"]
    assert services.access_code_matches(application, code)
    assert code not in application.access_code_hash
    assert response["Cache-Control"] == "no-store"
    assert application.channel == "online"
    assert application.status == "submitted"


def test_it_rejects_bad_input_field_by_field_and_keeps_what_was_typed(client, orgs, captcha_passes):
    body = apply_body(orgs, applicant_name="", email="not-an-email", description="短", id_number="")
    response = client.post(reverse("disclosure:apply"), body)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"applicant_name", "email", "description", "id_number"}
    assert "至少 5 个字" in errors["description"][0]
    html = response.content.decode()
    assert 'value="13900000000"' in html  # kept
    assert 'value="not-an-email"' in html
    assert not DisclosureApplication.objects.exists()


def test_a_wrong_challenge_answer_is_refused(client, orgs):
    response = client.post(reverse("disclosure:apply"), apply_body(orgs, captcha_1="WRONG"))
    assert response.status_code == 400
    assert "captcha" in response.context["form"].errors
    assert not DisclosureApplication.objects.exists()


def test_the_form_is_rate_limited_per_address(client, orgs, captcha_passes, settings):
    settings.DISCLOSURE_APPLY_RATE = "2/h"
    statuses = [client.post(reverse("disclosure:apply"), apply_body(orgs)).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert DisclosureApplication.objects.count() == 2


def test_tracking_reveals_nothing_for_a_wrong_code(client, record):
    application = record()
    wrong = client.post(reverse("disclosure:track"), {"number": application.tracking_number, "code": "AAAAAAAAAA"})
    unknown = client.post(reverse("disclosure:track"), {"number": "GK2026ZZZZZZZZ", "code": "AAAAAAAAAA"})
    assert wrong.status_code == unknown.status_code == 404
    assert application.agency.name not in wrong.content.decode()
    right = client.post(
        reverse("disclosure:track"), {"number": application.tracking_number, "code": application.access_code}
    )
    assert right.status_code == 200
    assert "2026-10-27" in right.content.decode()


def test_the_applicant_downloads_the_reply_letter_with_the_code(client, record, clerk):
    application = record()
    body = {"number": application.tracking_number, "code": application.access_code}
    assert client.post(reverse("disclosure:track-letter"), body).status_code == 404  # not replied yet
    services.application_reply(application=application, actor=clerk, response_type="disclosed", text="见附件")
    response = client.post(reverse("disclosure:track-letter"), body)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert b"FontFile2" in response.content  # the CJK font is embedded
    bad = client.post(reverse("disclosure:track-letter"), {**body, "code": "AAAAAAAAAA"})
    assert bad.status_code == 404


def test_staff_handle_an_application_from_its_page(client, record, clerk):
    application = record()
    client.force_login(clerk)
    url = reverse("disclosure:application-detail", args=[application.uuid])
    page = client.get(url)
    assert [a["name"] for a in page.context["actions"]] == ["correction_notice", "extend", "consult", "reply"]
    response = client.post(
        reverse("disclosure:application-action", args=[application.uuid, "extend"]),
        {"extend-reason": "需调取档案", "extend-days": "20", "extend-on": "2026-10-20"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.reply_due_date == date(2026, 11, 24)
    again = client.post(
        reverse("disclosure:application-action", args=[application.uuid, "correction_notice"]),
        {"correction_notice-request": "x", "correction_notice-on": "2026-10-30"},
    )
    assert again.status_code == 409


def test_a_page_action_with_bad_input_shows_the_field_error(client, record, clerk):
    application = record()
    client.force_login(clerk)
    response = client.post(
        reverse("disclosure:application-action", args=[application.uuid, "reply"]),
        {"reply-response_type": "withheld"},
    )
    assert response.status_code == 400
    bound = next(a for a in response.context["actions"] if a["name"] == "reply")["form"]
    assert "reason" in bound.errors


def test_outsiders_get_404_on_staff_pages(client, record, other_clerk):
    application = record()
    client.force_login(other_clerk)
    assert client.get(reverse("disclosure:application-detail", args=[application.uuid])).status_code == 404
    assert client.get(reverse("disclosure:application-letter", args=[application.uuid])).status_code == 404
    post = client.post(reverse("disclosure:application-action", args=[application.uuid, "reply"]), {})
    assert post.status_code == 404


def test_an_official_sees_but_may_not_act(client, record, official):
    application = record()
    client.force_login(official)
    page = client.get(reverse("disclosure:application-detail", args=[application.uuid]))
    assert page.status_code == 200
    assert page.context["actions"] == []
    post = client.post(
        reverse("disclosure:application-action", args=[application.uuid, "reply"]),
        {"reply-response_type": "disclosed"},
    )
    assert post.status_code == 403


def test_public_guide_catalog_and_permalink(client, clerk, orgs, guide_fields):
    services.guide_publish(actor=clerk, agency=orgs["agency"], **guide_fields)
    services.guide_publish(actor=clerk, agency=orgs["agency"], **{**guide_fields, "phone": "010-12345678"})
    entry = services.catalog_entry_create(
        actor=clerk,
        agency=orgs["agency"],
        index_number="000014349/2026-00001",  # the standard 索引号 form has a slash; its permalink must open
        name="2026年公交线路调整方案",
        summary="全市公交线路调整",
        generated_on=date(2026, 3, 1),
        category="规划计划",
        content="正文",
    )
    page = client.get(reverse("disclosure:agency", args=[orgs["agency"].uuid])).content.decode()
    assert "010-12345678" in page and "第 2 版" in page
    permalink = reverse("disclosure:catalog-entry", args=[orgs["agency"].uuid, entry.index_number])
    assert permalink.endswith("/catalog/000014349/2026-00001/")
    assert client.get(permalink).status_code == 200
    assert "2026年公交线路调整方案" in client.get(reverse("disclosure:catalog"), {"q": "公交"}).content.decode()
    versions = client.get(reverse("disclosure:guide-versions", args=[orgs["agency"].uuid]))
    assert len(versions.context["guides"]) == 2


def test_supervision_lists_missing_guides_stale_catalogs_late_replies_and_enterprises(
    client, official, clerk, orgs, record, enterprise, enterprise_clerk
):
    late = services.application_reply(
        application=record(), actor=clerk, response_type="disclosed", on=date(2026, 10, 28)
    )
    services.enterprise_item_update(
        actor=enterprise_clerk, enterprise=enterprise, kind="fees", title="水价", content="居民阶梯水价"
    )
    client.force_login(official)
    page = client.get(reverse("disclosure:supervision"))
    assert orgs["agency"] in page.context["without_guide"]
    assert orgs["agency"] in page.context["stale_catalogs"]
    assert late in page.context["late"]
    row = page.context["enterprises"][0]
    assert row["enterprise"] == enterprise
    assert row["missing"] == ["服务承诺", "办事过程"]
    response = client.post(reverse("disclosure:enterprise-remind", args=[enterprise.uuid]))
    assert response.status_code == 302
    assert enterprise_clerk.notifications.filter(kind="enterprise_disclosure_reminder").count() == 1


def test_a_clerk_may_not_see_supervision_or_remind(client, clerk, enterprise):
    client.force_login(clerk)
    assert client.get(reverse("disclosure:supervision")).status_code == 403
    assert client.post(reverse("disclosure:enterprise-remind", args=[enterprise.uuid])).status_code == 403


def test_enterprise_page_shows_when_each_item_was_updated(client, enterprise, enterprise_clerk):
    services.enterprise_item_update(
        actor=enterprise_clerk, enterprise=enterprise, kind="commitment", title="服务承诺", content="24小时抢修"
    )
    page = client.get(reverse("disclosure:enterprise", args=[enterprise.uuid])).content.decode()
    assert "24小时抢修" in page
    assert "最近更新" in page
    assert "未公开" in page


def test_annual_report_generated_reviewed_published(client, clerk, manager, orgs, record):
    application = record()
    services.application_reply(application=application, actor=clerk, response_type="disclosed", on=date(2026, 10, 9))
    report = services.annual_report_generate(actor=clerk, agency=orgs["agency"], year=2026)
    assert report.figures["received"] == 1
    assert report.figures["disclosed"] == 1
    with pytest.raises(PermissionDenied):  # a clerk is not the head
        services.annual_report_review(report=report, actor=clerk)
    services.annual_report_review(report=report, actor=manager, commentary="无")
    services.annual_report_publish(report=report, actor=clerk)
    assert client.get(reverse("disclosure:report", args=[report.uuid])).status_code == 200
    pdf = client.get(reverse("disclosure:report-pdf", args=[report.uuid]))
    assert pdf.content.startswith(b"%PDF")


def test_staff_export_csv(client, clerk, record):
    record()
    client.force_login(clerk)
    response = client.get(reverse("disclosure:application-list"), {"format": "csv"})
    text = b"".join(response.streaming_content).decode()
    assert text.count("\n") == 2
    assert "张三" in text


def test_the_applicant_sends_the_correction_from_the_tracking_page(client, record, clerk):
    application = record()
    body = {"number": application.tracking_number, "code": application.access_code}
    services.application_correction_notice(
        application=application, actor=clerk, request="请写明文件名称", on=date(2026, 9, 24)
    )
    short = client.post(reverse("disclosure:track-correction"), {**body, "text": "短"})
    assert short.status_code == 400
    assert "text" in short.context["correction"].errors
    ok = client.post(
        reverse("disclosure:track-correction"), {**body, "text": "2025年公交线路调整批复（京交发〔2025〕1号）"}
    )
    assert ok.status_code == 200
    application.refresh_from_db()
    assert application.correction_text.startswith("2025年")
    assert application.status == "correction"  # the clock restarts when the agency confirms receipt
    wrong = client.post(reverse("disclosure:track-correction"), {**body, "code": "AAAAAAAAAA", "text": "x" * 10})
    assert wrong.status_code == 404


def test_the_access_code_is_emailed_once_after_commit(
    client, orgs, captcha_passes, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("disclosure:apply"), apply_body(orgs))
    code = response.context["code"]
    assert len(mailoutbox) == 1
    assert code in mailoutbox[0].body
    assert mailoutbox[0].to == ["lisi@example.invalid"]


def test_staff_publish_a_guide_and_a_catalog_entry_from_the_pages(client, clerk, other_clerk, orgs, guide_fields):
    agency = orgs["agency"]
    client.force_login(other_clerk)
    assert client.get(reverse("disclosure:guide-edit", args=[agency.uuid])).status_code == 403
    client.force_login(clerk)
    response = client.post(reverse("disclosure:guide-edit", args=[agency.uuid]), guide_fields)
    assert response.status_code == 302
    assert agency.disclosure_guides.get().version == 1
    missing = client.post(
        reverse("disclosure:catalog-entry-create", args=[agency.uuid]),
        {"index_number": "A-1", "name": "文件", "summary": "s", "generated_on": "2026-11-01", "category": "c"},
    )
    assert missing.status_code == 200
    assert "link" in missing.context["form"].errors or missing.context["form"].non_field_errors()
    ok = client.post(
        reverse("disclosure:catalog-entry-create", args=[agency.uuid]),
        {
            "index_number": "A-1",
            "name": "文件",
            "summary": "s",
            "generated_on": "2026-11-01",
            "category": "c",
            "content": "正文",
        },
    )
    assert ok.status_code == 302
    assert ok["Location"].endswith("/catalog/A-1/")


def test_the_home_page_links_the_public_sections(client):
    page = client.get(reverse("home")).content.decode()
    assert reverse("public-disclosure") in page
    assert reverse("public-enterprises") in page


def test_a_district_official_lists_the_districts_applications_by_their_copied_district(
    client, make_user, orgs, clerk, district_official
):
    """One index range in the list's order (disclosure_app_district_idx), whatever the district's agencies
    number, and only the district's applications."""
    from portal.models import Role
    from resources.selectors.disclosure import applications_visible_to
    from resources.tests.disclosure_fixtures import APPLICANT, RECEIVED

    haidian_clerk = make_user("haidian_clerk", orgs["haidian_agency"], Role.AGENCY_CLERK)
    for actor, agency in ((haidian_clerk, orgs["haidian_agency"]), (clerk, orgs["agency"])):
        services.application_record(actor=actor, agency=agency, channel="in_person", received_on=RECEIVED, **APPLICANT)
    visible = applications_visible_to(district_official)
    where = str(visible.query).split(" WHERE ", 1)[1]
    assert where.startswith('"resources_disclosureapplication"."district" = 110108') and "agency_id" not in where
    assert [application.agency for application in visible] == [orgs["haidian_agency"]]
    client.force_login(district_official)
    page = client.get(reverse("disclosure:application-list")).content.decode()
    assert "海淀区教育委员会" in page and "北京市交通委员会" not in page


def test_a_clerks_applications_are_read_agency_by_agency_newest_first(client, orgs, clerk, record):
    """The agency and its unit each read through disclosure_app_agency_idx (a LATERAL join), merged newest
    first: not every organization of the city joined by hash to sort the agency's applications."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    recorded = [record(agency=orgs["agency"]), record(agency=orgs["agency_unit"]), record(agency=orgs["agency"])]
    client.force_login(clerk)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("disclosure:application-list"))
    shown = [application.tracking_number for application in response.context["page"].object_list]
    assert shown == [application.tracking_number for application in reversed(recorded)]
    assert any("CROSS JOIN LATERAL" in query["sql"] for query in captured.captured_queries)
