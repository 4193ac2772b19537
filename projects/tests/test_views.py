"""Pages: outsiders get 404, the not-allowed 403, lists run a fixed number of queries."""

import pytest
from django.urls import reverse

from projects import services

from .conftest import checklist_all, pdf_upload

pytestmark = pytest.mark.django_db


def detail(filing):
    return reverse("projects:filing-detail", args=[filing.uuid])


def test_it_shows_the_agency_its_filing(client, make_filing, clerk):
    filing = make_filing(clerk, "draft")
    client.force_login(clerk)
    response = client.get(detail(filing))
    assert response.status_code == 200
    assert filing.title in response.content.decode()


def test_it_hides_the_filing_from_another_agency(client, make_filing, clerk, other_clerk):
    filing = make_filing(clerk, "submitted")
    client.force_login(other_clerk)
    assert client.get(detail(filing)).status_code == 404
    assert client.get(reverse("projects:filing-edit", args=[filing.uuid, "basic"])).status_code == 404
    assert client.post(reverse("projects:filing-action", args=[filing.uuid, "submit"])).status_code == 404


def test_it_forbids_the_agency_to_approve_through_the_page(client, make_filing, clerk):
    filing = make_filing(clerk, "in_review")
    client.force_login(clerk)
    assert client.post(reverse("projects:filing-action", args=[filing.uuid, "approve"])).status_code == 403


def test_it_forbids_officials_to_edit_the_filing(client, make_filing, clerk, official):
    filing = make_filing(clerk, "submitted")
    client.force_login(official)
    assert client.get(reverse("projects:filing-edit", args=[filing.uuid, "basic"])).status_code == 403


def test_it_answers_409_for_an_action_the_state_does_not_allow(client, make_filing, clerk, official):
    filing = make_filing(clerk, "submitted")
    client.force_login(official)
    response = client.post(reverse("projects:filing-action", args=[filing.uuid, "approve"]), {"opinion": "同意"})
    assert response.status_code == 409
    assert "不能执行" in response.content.decode()


def test_it_creates_a_draft_from_the_first_step(client, clerk, orgs):
    client.force_login(clerk)
    response = client.post(reverse("projects:filing-new"), {"title": "市政务云扩容", "kind": "expansion", "next": ""})
    assert response.status_code == 302
    assert "/edit/needs/" in response["Location"]


def test_it_refuses_a_classified_project_on_the_form(client, clerk):
    client.force_login(clerk)
    response = client.post(
        reverse("projects:filing-new"), {"title": "某涉密工程", "kind": "new", "is_classified": "on"}
    )
    assert response.status_code == 400
    assert "保密行政管理部门" in response.content.decode()


def test_it_says_in_chinese_what_is_missing(client, clerk):
    client.force_login(clerk)
    response = client.post(reverse("projects:filing-new"), {"title": ""})
    assert response.status_code == 400
    assert "请填写项目名称" in response.content.decode()


def test_it_uploads_a_document(client, make_filing, clerk):
    filing = make_filing(clerk, "draft")
    client.force_login(clerk)
    response = client.post(reverse("projects:filing-document", args=[filing.uuid]), {"file": pdf_upload()})
    assert response.status_code == 302
    assert "可行性研究报告.pdf" in client.get(detail(filing)).content.decode()


def test_it_shows_exactly_the_actions_of_the_user(client, make_filing, clerk, official):
    filing = make_filing(clerk, "in_review")
    client.force_login(official)
    page = client.get(detail(filing)).content.decode()
    assert 'data-testid="action-approve"' in page
    assert 'data-testid="action-submit"' not in page
    client.force_login(clerk)
    page = client.get(detail(filing)).content.decode()
    assert 'data-testid="no-actions"' in page


def test_it_saves_the_checklist_from_the_page(client, make_filing, clerk, official):
    filing = make_filing(clerk, "in_review")
    client.force_login(official)
    data = {
        f"result_{d}": "pass"
        for d in ("needs_benefits", "planning_layout", "technical_standards", "security", "resource_sharing", "other")
    }
    data["result_security"] = "concern"
    response = client.post(reverse("projects:filing-checklist", args=[filing.uuid]), data)
    assert response.status_code == 400
    assert "请写明具体意见" in response.content.decode()
    data["text_security"] = "等保三级测评方案需细化。"
    assert client.post(reverse("projects:filing-checklist", args=[filing.uuid]), data).status_code == 302


def test_it_serves_the_opinion_pdf_with_an_embedded_font(client, make_filing, clerk):
    filing = make_filing(clerk, "approved")
    client.force_login(clerk)
    response = client.get(reverse("projects:filing-opinion-pdf", args=[filing.uuid]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert b"/FontFile2" in response.content
    assert b"STSong" not in response.content


def test_it_explains_a_missing_font(client, make_filing, clerk, settings):
    from reportlab.pdfbase import pdfmetrics

    filing = make_filing(clerk, "approved")
    settings.PDF_CJK_FONT_PATH = "/nonexistent/font.ttc"
    pdfmetrics._fonts.pop("PortalCJK", None)
    client.force_login(clerk)
    response = client.get(reverse("projects:filing-opinion-pdf", args=[filing.uuid]))
    assert response.status_code == 503
    assert "fonts-wqy-microhei" in response.content.decode()


def test_it_lets_the_liaison_read_the_opinion_and_nothing_else(client, make_filing, clerk, drc_liaison):
    filing = make_filing(clerk, "approved")
    client.force_login(drc_liaison)
    assert client.get(reverse("projects:filing-opinion-pdf", args=[filing.uuid])).status_code == 200
    assert client.get(detail(filing)).status_code == 404
    assert filing.opinion_number in client.get(reverse("projects:opinion-list")).content.decode()
    assert filing.title not in client.get(reverse("projects:filing-list")).content.decode()


def test_it_hides_the_opinion_from_another_department(client, make_filing, clerk, finance_liaison):
    filing = make_filing(clerk, "approved")
    client.force_login(finance_liaison)
    assert client.get(reverse("projects:filing-opinion-pdf", args=[filing.uuid])).status_code == 404


def test_it_forbids_the_opinion_list_to_non_liaisons(client, clerk):
    client.force_login(clerk)
    assert client.get(reverse("projects:opinion-list")).status_code == 403


def test_it_filters_the_queue_for_a_district_official(client, make_filing, clerk, haidian_clerk, district_official):
    city = make_filing(clerk, "submitted")
    haidian = make_filing(haidian_clerk, "submitted", title="海淀智慧教育平台")
    client.force_login(district_official)
    page = client.get(reverse("projects:filing-list")).content.decode()
    assert haidian.title in page
    assert city.title not in page


def test_a_keyword_search_of_the_queue_counts_to_the_lower_cap(client, make_filing, clerk, official, monkeypatch):
    """Matching rows are read to be counted (a LIKE on the title): a keyword search counts fewer than the list."""
    from portal import paginators

    monkeypatch.setattr(paginators.CappedPaginator, "count_cap", 10)
    monkeypatch.setattr("projects.views.filings.SEARCH_COUNT_CAP", 2)
    monkeypatch.setattr("projects.views.filings.PAGE_SIZE", 1)  # a first page within the cap
    for n in range(4):
        make_filing(clerk, "submitted", title=f"智慧平台{n}")
    client.force_login(official)
    searched = client.get(reverse("projects:filing-list"), {"q": "平台"})
    assert searched.context["page"].paginator.count_display == "2+"
    assert "共 2+ 条" in searched.content.decode()
    listed = client.get(reverse("projects:filing-list"))
    assert listed.context["page"].paginator.count_display == "4"


def test_it_exports_the_queue(client, make_filing, clerk, official):
    make_filing(clerk, "submitted")
    client.force_login(official)
    csv = client.get(reverse("projects:filing-list") + "?export=csv")
    assert csv["Content-Type"].startswith("text/csv")
    assert "北京市交通运行监测调度平台升级" in b"".join(csv.streaming_content).decode("utf-8-sig")
    xlsx = client.get(reverse("projects:filing-list") + "?export=xlsx")
    assert b"".join(xlsx.streaming_content).startswith(b"PK")


@pytest.mark.parametrize("count", [3, 20])
def test_it_renders_the_queue_in_constant_queries(
    client, make_filing, clerk, official, reviewer, count, django_assert_num_queries
):
    for _ in range(count):
        filing = make_filing(clerk, "submitted")
        services.filing_start_review(filing=filing, actor=official, reviewers=[reviewer])
    client.force_login(official)
    # session, user, scope, authority, reviewer candidates (2), count, rows, reviewer grants, and the
    # navbar's notification badge and dashboard links of the shared base template.
    with django_assert_num_queries(12):
        response = client.get(reverse("projects:filing-list"))
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="status"') == count


def test_it_sends_anonymous_users_to_login(client):
    assert client.get(reverse("projects:filing-list")).status_code == 302


def test_it_shows_the_dashboard_panel(client, make_filing, clerk, official):
    make_filing(clerk, "submitted")
    client.force_login(official)
    page = client.get(reverse("dashboard")).content.decode()
    assert 'data-testid="projects-panel"' in page
    assert "已提交待受理" in page


def test_it_records_acceptance_and_shows_the_warranty_deadline(client, make_filing, clerk):
    from datetime import date

    filing = make_filing(clerk, "acceptance_requested")
    client.force_login(clerk)
    today = date.today()
    response = client.post(
        reverse("projects:filing-action", args=[filing.uuid, "record_acceptance"]),
        {
            "result": "passed",
            "held_on": today.isoformat(),
            "participants": "建设单位、承建单位、市经信局",
            "authority_invited": "on",
            "warranty_end": today.replace(year=today.year + 1).isoformat(),
        },
    )
    assert response.status_code == 400
    assert "不得少于两年" in response.content.decode()
    checklist_all  # noqa: B018 (imported for other tests)
