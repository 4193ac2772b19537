"""Chapter 2 deadlines: opened and met at the right transitions; warranty and certificates expire, not overdue."""

from datetime import date, datetime, timedelta

import pytest
from freezegun import freeze_time

from portal.models import DeadlineState, Notification, TimelineEvent
from portal.selectors.deadlines import deadlines_for
from portal.services import deadlines_sweep
from projects import services
from projects.rules import QualificationDomain
from projects.tests.conftest import checklist_all

pytestmark = pytest.mark.django_db


def states(filing, kind):
    return list(deadlines_for(filing).filter(kind_id=kind).order_by("opened_at", "id").values_list("state", flat=True))


def test_it_pauses_the_review_deadline_on_return_and_resumes_it_on_resubmission(make_filing, clerk, official):
    filing = make_filing(clerk, "in_review")
    services.filing_return(filing=filing, actor=official, comment="请补充需求分析。")
    assert states(filing, "project_review") == ["paused"]  # the authority has not answered yet
    filing = services.filing_submit(filing=filing, actor=clerk)
    assert states(filing, "project_review") == ["open"]
    filing = services.filing_start_review(filing=filing, actor=official, self_review=True)
    assert states(filing, "project_review") == ["open"]  # the same period, not a new one
    checklist_all(filing, official, "fail")
    services.filing_reject(filing=filing, actor=official, opinion="需求不明确。")
    assert states(filing, "project_review") == ["met"]  # a rejection answers within the period too


def test_it_opens_no_warranty_on_a_failed_acceptance_and_one_on_the_pass(make_filing, clerk):
    filing = make_filing(clerk, "acceptance_requested")
    acceptance = {
        "actor": clerk,
        "held_on": date.today(),
        "participants": "建设单位、承建单位、市经信局",
        "authority_invited": True,
    }
    filing = services.filing_record_acceptance(filing=filing, passed=False, **acceptance)
    assert states(filing, "warranty_end") == []
    filing = services.filing_request_acceptance(filing=filing, actor=clerk, planned_on=date.today(), place="会议室")
    end = date.today() + timedelta(days=3 * 366)
    filing = services.filing_record_acceptance(filing=filing, passed=True, warranty_end=end, **acceptance)
    [warranty] = deadlines_for(filing).filter(kind_id="warranty_end")
    assert (warranty.state, warranty.due_date, warranty.organization) == ("open", end, filing.agency)
    # Entering use does not touch it: the warranty runs on.
    filing = services.filing_start_operation(filing=filing, actor=clerk)
    assert states(filing, "warranty_end") == ["open"]
    assert states(filing, "project_review") == ["met"]


def test_it_reminds_the_agency_before_the_warranty_ends_and_lets_it_expire(make_filing, clerk, official):
    with freeze_time("2026-03-02 10:00:00+08:00"):
        filing = make_filing(clerk, "acceptance_requested")
        filing = services.filing_record_acceptance(
            filing=filing,
            actor=clerk,
            passed=True,
            held_on=date(2026, 3, 2),
            participants="建设单位、承建单位、市经信局",
            authority_invited=True,
            warranty_end=date(2028, 3, 2),
        )
    for moment in ("2028-01-02 08:00", "2028-02-01 08:00", "2028-02-24 08:00", "2028-03-03 00:10"):
        with freeze_time(f"{moment}:00+08:00"):
            deadlines_sweep()
    [warranty] = deadlines_for(filing).filter(kind_id="warranty_end")
    assert warranty.state == DeadlineState.EXPIRED
    assert warranty.expired_at == datetime.fromisoformat("2028-03-03 00:00:00+08:00")
    kinds = list(
        Notification.objects.filter(recipient=clerk, kind__startswith="deadline_")
        .order_by("created_at", "id")
        .values_list("kind", flat=True)
    )
    assert kinds == ["deadline_reminder"] * 3 + ["deadline_expired"]
    assert not Notification.objects.filter(recipient=official, kind__startswith="deadline_").exists()
    assert TimelineEvent.objects.filter(action="deadline_expired", object_id=filing.pk).count() == 1


def test_it_lets_a_qualification_certificate_expire(contractor, contractor_clerk, official):
    with freeze_time("2026-03-02 10:00:00+08:00"):
        qualification = services.qualification_create(
            actor=official,
            contractor=contractor,
            domain=QualificationDomain.SYSTEM_INTEGRATION,
            level=2,
            number="XZ1110020240009",
            issuer="中国电子信息行业联合会",
            valid_from=date(2024, 6, 1),
            valid_to=date(2026, 6, 14),
        )
    for moment in ("2026-04-15 08:00", "2026-05-15 08:00", "2026-06-07 08:00", "2026-06-14 08:00", "2026-06-15 00:10"):
        with freeze_time(f"{moment}:00+08:00"):
            deadlines_sweep()
    deadline = deadlines_for(qualification).get()
    assert deadline.state == DeadlineState.EXPIRED
    assert list(deadline.reminders.order_by("scheduled_for").values_list("stage", flat=True)) == [
        "-60",
        "-30",
        "-7",
        "0",
        "expired",
    ]
    notes = Notification.objects.filter(recipient=contractor_clerk).order_by("created_at", "id")
    assert [n.kind for n in notes] == ["deadline_reminder"] * 4 + ["deadline_expired"]
    assert notes.last().title.startswith("期限已届满：资质证书到期")
    assert not Notification.objects.filter(recipient=official, kind__startswith="deadline_").exists()
