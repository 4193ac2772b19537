"""Art. 19 detectors feed Art. 45(1) findings: missing guide, stale catalog, late reply."""

from datetime import date, timedelta

from django.utils import timezone

from portal.detectors import detector, detectors
from resources.services import disclosure as services
from resources.tests.disclosure_fixtures import *  # noqa: F403


def test_the_detectors_are_registered():
    rules = {d.rule for d in detectors()}
    assert {"art19-disclosure-guide-missing", "art19-disclosure-catalog-stale", "art19-disclosure-reply-late"} <= rules
    assert all(d.sanctioning_article == "45(1)" for d in detectors() if d.rule.startswith("art19-disclosure"))


def test_missing_guide_until_published(clerk, orgs, guide_fields):
    missing = detector("art19-disclosure-guide-missing")
    assert orgs["agency"] in missing.offenders()
    services.guide_publish(actor=clerk, agency=orgs["agency"], **guide_fields)
    assert orgs["agency"] not in missing.offenders()
    assert orgs["other_agency"] in missing.offenders()
    assert orgs["authority"] not in missing.offenders()  # only agencies are counted


def test_stale_catalog_until_a_recent_entry(clerk, orgs, settings):
    settings.DISCLOSURE_CATALOG_STALE_DAYS = 30
    stale = detector("art19-disclosure-catalog-stale")
    services.catalog_entry_create(
        actor=clerk,
        agency=orgs["agency"],
        index_number="A-1",
        name="旧文件",
        summary="s",
        generated_on=timezone.localdate() - timedelta(days=31),
        category="c",
        content="x",
    )
    agency = next(a for a in stale.offenders() if a == orgs["agency"])
    assert "超过 30 天" in stale.evidence(agency)
    services.catalog_entry_create(
        actor=clerk,
        agency=orgs["agency"],
        index_number="A-2",
        name="新文件",
        summary="s",
        generated_on=timezone.localdate(),
        category="c",
        content="x",
    )
    assert orgs["agency"] not in stale.offenders()


def test_late_replies_open_or_answered(record, clerk):
    late = detector("art19-disclosure-reply-late")
    open_late = record()  # due 2026-10-27, still open today
    on_time = services.application_reply(
        application=record(), actor=clerk, response_type="disclosed", on=date(2026, 10, 27)
    )
    offenders = list(late.offenders())
    assert open_late in offenders
    assert on_time not in offenders
    assert late.party(open_late) == open_late.agency
    assert "尚未答复" in late.evidence(open_late)


def test_annual_report_missing_only_after_31_january(clerk, manager, orgs):
    from resources.selectors.disclosure import agencies_without_annual_report

    assert not agencies_without_annual_report(today=date(2027, 1, 31)).exists()
    assert orgs["agency"] in agencies_without_annual_report(today=date(2027, 2, 1))
    report = services.annual_report_generate(actor=clerk, agency=orgs["agency"], year=2026)
    assert orgs["agency"] in agencies_without_annual_report(today=date(2027, 2, 1))  # a draft is not published
    services.annual_report_review(report=report, actor=manager)
    services.annual_report_publish(report=report, actor=clerk)
    assert orgs["agency"] not in agencies_without_annual_report(today=date(2027, 2, 1))
