"""The penalty notice and decision on the shared letter layout (portal/letters.py)."""

from urllib.parse import quote

from django.urls import reverse

from enforcement.pdf import decision_letter, decision_pdf, notice_letter, notice_pdf
from portal.letters import chinese_date
from portal.tests.pdf_text import pdf_text


def test_the_notice_renders_with_its_number_and_date(make_case, official, client):
    case = make_case("decided")
    text = pdf_text(notice_pdf(case))
    assert f"{case.number}（告）" in text
    assert chinese_date(case.notified_on) in text
    assert "行政处罚事先告知书" in text and case.party_name in text
    client.force_login(official)
    response = client.get(reverse("enforcement:case-notice-pdf", args=[case.uuid]))
    assert response.status_code == 200
    assert quote(notice_letter(case).filename) in response["Content-Disposition"]


def test_the_decision_renders_with_its_number_and_date(make_case, official, client):
    case = make_case("decided")
    text = pdf_text(decision_pdf(case))
    assert case.number in text
    assert chinese_date(case.decided_on) in text
    assert "行政处罚决定书" in text
    client.force_login(official)
    response = client.get(reverse("enforcement:case-decision-pdf", args=[case.uuid]))
    assert response.status_code == 200
    assert quote(decision_letter(case).filename) in response["Content-Disposition"]
