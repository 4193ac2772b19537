"""The review opinion on the shared letter layout (portal/letters.py)."""

from urllib.parse import quote

import pytest
from django.urls import reverse

from portal.letters import CLOSING, break_lines, register_fonts
from projects.pdf import opinion_letter
from projects.selectors import filing_checklist

pytestmark = pytest.mark.django_db


def test_the_opinion_is_a_letter_with_number_date_and_cc(make_filing, clerk):
    filing = make_filing(clerk, "approved")
    letter = opinion_letter(filing, filing_checklist(filing))
    assert letter.number == filing.opinion_number
    assert letter.addressee == filing.agency.name
    expected_cc = [filing.approving_department.name] if filing.approving_department else []
    assert letter.cc == expected_cc
    decided = filing.decided_at.astimezone().date()
    assert letter.date == decided
    assert "年0" not in letter.filename and letter.filename.startswith(filing.opinion_number)
    assert str(filing.uuid) not in letter.note  # the document number, not a UUID
    _, body = register_fonts()
    for block in letter.body:
        if isinstance(block, str):
            for line in break_lines(block, body, 16, 440, indent=32):
                assert line[0] not in CLOSING


def test_the_opinion_pdf_is_named_after_its_document_number(client, make_filing, clerk):
    filing = make_filing(clerk, "approved")
    client.force_login(clerk)
    response = client.get(reverse("projects:filing-opinion-pdf", args=[filing.uuid]))
    assert response.status_code == 200
    assert quote(filing.opinion_number) in response["Content-Disposition"]
    assert str(filing.uuid) not in response["Content-Disposition"]
