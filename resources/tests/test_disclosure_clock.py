"""The statutory clock of an application (政府信息公开条例 Arts. 30-33), on the 2026 National Day calendar."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from freezegun import freeze_time

from portal.models import Deadline
from portal.workflow import Refused
from resources.models import DisclosureApplication
from resources.services import disclosure as services
from resources.tests.disclosure_fixtures import *  # noqa: F403
from resources.tests.disclosure_fixtures import RECEIVED


def running(application):
    return {
        d.kind_id: d.due_date
        for d in Deadline.objects.filter(object_id=application.pk, state__in=["open", "overdue"])
        if d.content_type.model == "disclosureapplication"
    }


def test_it_counts_twenty_working_days_across_the_national_day_holiday(record):
    application = record()
    # Sep 23, 24, 28, 29, 30, Oct 8, 9, 10 (make-up Saturday), 12-16, 19-23, 26, 27.
    assert application.reply_due_date == date(2026, 10, 27)
    assert application.correction_notice_by == date(2026, 10, 9)
    assert application.status == "handling"
    assert running(application) == {
        "disclosure_reply": date(2026, 10, 27),
        "disclosure_correction_notice": date(2026, 10, 9),
    }


def test_it_restarts_the_clock_from_the_corrected_request(record, clerk):
    application = record()
    application = services.application_correction_notice(
        application=application, actor=clerk, request="请写明文件名称", on=date(2026, 9, 24)
    )
    assert application.status == "correction"
    assert running(application) == {}  # stopped: the notice met both deadlines
    application = services.application_correction_received(
        application=application, actor=clerk, received_on=date(2026, 9, 30)
    )
    assert application.reply_due_date == date(2026, 11, 3)
    assert running(application) == {"disclosure_reply": date(2026, 11, 3)}


def test_it_refuses_a_correction_notice_after_seven_working_days(record, clerk):
    application = record()
    with pytest.raises(Refused) as refused:
        services.application_correction_notice(application=application, actor=clerk, request="x", on=date(2026, 10, 12))
    assert refused.value.code == "correction-window-closed"
    # Oct 9 is still inside the window.
    services.application_correction_notice(application=application, actor=clerk, request="x", on=date(2026, 10, 9))


def test_it_allows_one_correction_notice_only(record, clerk):
    application = record()
    application = services.application_correction_notice(
        application=application, actor=clerk, request="x", on=date(2026, 9, 23)
    )
    application = services.application_correction_received(
        application=application, actor=clerk, received_on=application.correction_requested_on
    )
    with pytest.raises(Refused) as refused:
        services.application_correction_notice(application=application, actor=clerk, request="y")
    assert refused.value.code == "correction-already-requested"


def test_it_extends_once_by_at_most_twenty_working_days(record, clerk):
    application = services.application_extend(
        application=record(), actor=clerk, reason="需调取档案", on=date(2026, 10, 20)
    )
    # Oct 27 + 20 working days: Oct 28-30, Nov 2-6, 9-13, 16-20, 23, 24.
    assert application.reply_due_date == date(2026, 11, 24)
    assert running(application) == {
        "disclosure_reply_extended": date(2026, 11, 24),
        "disclosure_correction_notice": date(2026, 10, 9),
    }
    with pytest.raises(Refused) as refused:
        services.application_extend(application=application, actor=clerk, reason="again")
    assert refused.value.code == "already-extended"


def test_it_rejects_an_extension_beyond_twenty_days_or_without_reason(record, clerk):
    application = record()
    with pytest.raises(ValidationError) as error:
        services.application_extend(application=application, actor=clerk, reason="x", days=21)
    assert "days" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.application_extend(application=application, actor=clerk, reason=" ")
    assert "reason" in error.value.message_dict


def test_it_refuses_an_extension_noticed_after_the_due_date(record, clerk):
    application = record()
    with pytest.raises(Refused) as refused:
        services.application_extend(application=application, actor=clerk, reason="x", on=date(2026, 10, 28))
    assert refused.value.code == "extension-too-late"


def test_consulting_a_third_party_pauses_the_clock(record, clerk):
    application = record()
    application = services.application_consult(
        application=application, actor=clerk, party="某公司", on=date(2026, 9, 30)
    )
    # Left on Sep 30: Oct 8, 9, 10, 12-16, 19-23, 26, 27 = 15 working days.
    assert application.paused_remaining_days == 15
    # 15 working days for the third party: Oct 8, 9, 10, 12-16, 19-23, 26, 27.
    assert application.consultation_due_date == date(2026, 10, 27)
    assert running(application) == {
        "disclosure_consultation": date(2026, 10, 27),
        "disclosure_correction_notice": date(2026, 10, 9),
    }
    application = services.application_consultation_answered(
        application=application, actor=clerk, answered_on=date(2026, 10, 16)
    )
    # Oct 16 + 15 working days: Oct 19-23, 26-30, Nov 2-6.
    assert application.reply_due_date == date(2026, 11, 6)
    assert application.consultation_days_total == 8  # Oct 8, 9, 10, 12-16
    assert running(application)["disclosure_reply"] == date(2026, 11, 6)


def test_it_requires_the_legal_reason_of_a_refusal(record, clerk):
    application = record()
    with pytest.raises(ValidationError) as error:
        services.application_reply(application=application, actor=clerk, response_type="withheld")
    assert "reason" in error.value.message_dict
    application = services.application_reply(
        application=application, actor=clerk, response_type="withheld", reason="state_secret", on=date(2026, 10, 20)
    )
    assert application.status == "replied"
    assert application.replied_late is False
    assert running(application) == {}


def test_a_reply_after_the_due_date_is_late(record, clerk):
    application = services.application_reply(
        application=record(), actor=clerk, response_type="disclosed", on=date(2026, 10, 28)
    )
    assert application.replied_late is True
    assert list(services_late()) == [application]


def services_late():
    from resources.selectors.disclosure import applications_answered_late

    return applications_answered_late()


def test_it_computes_and_records_the_fee_by_tiers(record, clerk):
    application = services.application_reply(
        application=record(), actor=clerk, response_type="disclosed", fee_method="by_volume", fee_quantity=150
    )
    # 30 pages free, 70 x 10, 50 x 20.
    assert application.fee_amount == 1700
    assert [line["subtotal"] for line in application.fee_breakdown] == ["0", "700", "1000"]


def test_it_refuses_another_agencys_clerk(record, other_clerk):
    with pytest.raises(PermissionDenied):
        services.application_reply(application=record(), actor=other_clerk, response_type="disclosed")


def test_it_refuses_a_receipt_date_in_the_future(clerk, orgs):
    with pytest.raises(ValidationError) as error:
        services.application_record(
            actor=clerk,
            agency=orgs["agency"],
            channel="in_person",
            received_on=date(2099, 1, 1),
            applicant_kind="citizen",
            applicant_name="张三",
            contact="1",
            description="文件名称",
        )
    assert "received_on" in error.value.message_dict
    assert not DisclosureApplication.objects.exists()


def test_an_online_application_waits_for_both_sides_to_confirm(orgs, clerk):
    from resources.tests.disclosure_fixtures import APPLICANT

    with freeze_time("2026-09-21 20:00:00+08:00"):
        application, code = services.application_submit_public(agency=orgs["agency"], **APPLICANT)
    assert application.status == "submitted"
    assert application.reply_due_date is None
    assert services.access_code_matches(application, code)
    assert not services.access_code_matches(application, code + "X")
    with freeze_time("2026-09-22 09:00:00+08:00"):
        with pytest.raises(ValidationError):  # not before it was submitted
            services.application_confirm_receipt(application=application, actor=clerk, received_on=date(2026, 9, 20))
        application = services.application_confirm_receipt(application=application, actor=clerk)
    assert application.received_on == RECEIVED
    assert application.reply_due_date == date(2026, 10, 27)


def test_fee_tiers_by_count():
    from resources.rules_disclosure import fee_compute, fee_tiers_table

    assert fee_compute("by_count", 10)[0] == 0
    assert fee_compute("by_count", 30)[0] == 2000  # 20 x 100
    assert fee_compute("by_count", 31)[0] == 3000  # + 1 x 1000
    assert fee_tiers_table()[0] == ("按件计收", ["1–10件：免费", "11–30件：100 元/件", "31件以上：1000 元/件"])
