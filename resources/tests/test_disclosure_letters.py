"""The disclosure reply and the annual report on the shared letter layout (portal/letters.py)."""

from datetime import date

from portal.tests.pdf_text import pdf_text
from resources.letters_disclosure import annual_report_pdf, reply_letter, reply_letter_pdf
from resources.services import disclosure as services
from resources.tests.disclosure_fixtures import *  # noqa: F403


def test_the_reply_letter_renders_with_its_number_and_date(record, clerk):
    application = record()
    services.application_reply(application=application, actor=clerk, response_type="disclosed", on=date(2026, 10, 9))
    application.refresh_from_db()
    letter = reply_letter(application)
    assert application.tracking_number in letter.number
    text = pdf_text(reply_letter_pdf(application))
    assert application.tracking_number in text
    assert "2026年10月9日" in text  # signed on the reply date, no zero padding
    assert "2026年9月22日" in text  # the receipt date in the body


def test_the_annual_report_renders_with_its_year_and_figures(record, clerk, manager, orgs):
    report = services.annual_report_generate(actor=clerk, agency=orgs["agency"], year=2026)
    services.annual_report_review(report=report, actor=manager, commentary="无")
    services.annual_report_publish(report=report, actor=clerk)
    report.refresh_from_db()
    text = pdf_text(annual_report_pdf(report))
    assert "2026年政府信息公开工作年度报告" in text
    assert "2026年1月1日至12月31日" in text
    assert orgs["agency"].name in text
