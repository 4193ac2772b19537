"""The grading certificate on the shared letter layout (portal/letters.py)."""

from urllib.parse import quote

from django.urls import reverse
from django.utils import timezone

from portal.letters import chinese_date
from portal.tests.pdf_text import pdf_text
from security.pdf import certificate_letter, certificate_pdf


def test_the_certificate_renders_with_its_number_and_date(make_grading, clerk, official, client):
    grading = make_grading(clerk, level=3, state="approved")
    letter = certificate_letter(grading)
    assert letter.number == grading.filing_number
    text = pdf_text(certificate_pdf(grading))
    assert grading.filing_number in text
    assert chinese_date(timezone.localtime(grading.decided_at)) in text
    assert "信息系统安全等级保护备案证明" in text and grading.system.name in text

    client.force_login(official)
    response = client.get(reverse("security:grading-certificate", args=[grading.uuid]))
    assert response.status_code == 200
    assert quote(grading.filing_number) in response["Content-Disposition"]
