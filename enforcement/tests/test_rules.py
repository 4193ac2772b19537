"""Sanctions per article (Arts. 43-46) and the late-payment surcharge (行政处罚法第七十二条)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from enforcement import rules


def _refused(article, sanctions, **kw):
    with pytest.raises(ValidationError) as exc:
        rules.sanctions_check(article=article, sanctions=sanctions, **kw)
    error = exc.value.error_dict["sanctions"][0]
    return error.code, error.messages[0]


def s(kind, amount=None, serious_reasons=""):
    return {"kind": kind, "amount": amount, "serious_reasons": serious_reasons}


def test_it_refuses_an_art43_fine_without_serious_reasons_quoting_the_article():
    code, message = _refused(43, [s("warning"), s("fine", "20000")])
    assert code == "serious-reasons-required"
    assert "第四十三条" in message and "情节严重的，处以1万元以上10万元以下罚款" in message


@pytest.mark.parametrize("amount", ["9999.99", "100000.01"])
def test_it_refuses_an_art43_fine_outside_10000_to_100000(amount):
    code, message = _refused(43, [s("fine", amount, "情节严重")])
    assert code == "fine-out-of-range" and "第四十三条" in message


def test_it_refuses_criticism_under_art43():
    code, message = _refused(43, [s("criticism")])
    assert code == "sanction-not-allowed" and "第四十三条" in message


def test_it_allows_an_art43_warning_and_serious_fine():
    out = rules.sanctions_check(article=43, sanctions=[s("warning"), s("fine", "100000", "屡教不改")])
    assert out[1]["amount"] == Decimal("100000")


def test_it_refuses_an_art44_fine_above_30000_and_a_warning():
    code, message = _refused(44, [s("correction"), s("fine", "30000.01")])
    assert code == "fine-out-of-range" and "第四十四条" in message and "3万元以下罚款" in message
    code, _ = _refused(44, [s("warning")])
    assert code == "sanction-not-allowed"
    assert rules.sanctions_check(article=44, sanctions=[s("correction"), s("fine", "30000")])


def test_it_refuses_a_fine_under_art45_and_needs_the_competent_department():
    code, message = _refused(45, [s("fine", "1000")], competent_department="公安机关")
    assert code == "sanction-not-allowed" and "第四十五条" in message
    code, _ = _refused(45, [s("suspension")])
    assert code == "competent-department-required"
    assert rules.sanctions_check(article=45, sanctions=[s("suspension")], competent_department="市公安局网安总队")


def test_it_refuses_a_fine_or_warning_under_art46():
    code, message = _refused(46, [s("fine", "1000")])
    assert code == "sanction-not-allowed" and "第四十六条" in message and "通报批评" in message
    code, _ = _refused(46, [s("warning")])
    assert code == "sanction-not-allowed"
    assert rules.sanctions_check(article=46, sanctions=[s("criticism")])


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2026, 3, 16), "0.00"),  # the last day of the period: nothing yet
        (date(2026, 3, 17), "600.00"),  # 1 day late: 3 % of 20,000
        (date(2026, 3, 26), "6000.00"),  # 10 days
        (date(2026, 4, 17), "19200.00"),  # 32 days: 96 %
        (date(2026, 4, 18), "19800.00"),  # 33 days: 99 %
        (date(2026, 4, 19), "20000.00"),  # 34 days: 102 %, capped at the fine
        (date(2027, 1, 1), "20000.00"),
    ],
)
def test_it_computes_the_surcharge_capped_at_the_fine(on, expected):
    assert rules.surcharge(fine=Decimal("20000"), payment_due=date(2026, 3, 16), on=on) == Decimal(expected)


def test_it_takes_the_case_prefix_and_hearing_threshold_from_settings(settings, orgs):
    settings.ENFORCEMENT_CASE_PREFIXES = {"city": "京经信罚", orgs["haidian_authority"].district: "京海经信罚"}
    assert rules.case_number_prefix(orgs["authority"]) == "京经信罚"
    assert rules.case_number_prefix(orgs["haidian_authority"]) == "京海经信罚"
    assert rules.hearing_qualifies([s("fine", "50000")], authority=orgs["authority"], party_is_person=False)
    assert not rules.hearing_qualifies([s("fine", "49999")], authority=orgs["authority"], party_is_person=False)
    assert rules.hearing_qualifies([s("suspension")], authority=orgs["authority"], party_is_person=False)


def test_it_schedules_the_nightly_detection_in_beat(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["enforcement-findings-detect"]
    assert entry["task"] == "enforcement.tasks.findings_detect"
    assert entry["schedule"].hour == {2}


def test_the_command_runs_the_detectors_once(make_violation, capsys):
    from django.core.management import call_command

    make_violation()
    call_command("findings_detect")
    call_command("findings_detect")
    out = capsys.readouterr().out
    assert "新增违法线索 1 条" in out and "新增违法线索 0 条" in out
