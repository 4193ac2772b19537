"""Grading filings, evaluations, plans, drills, incidents and bulletins through the services."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.models import Deadline, Notification
from portal.paginators import CappedPaginator
from portal.workflow import Refused
from security import detectors, rules, services
from security.models import GradingStatus
from security.pdf import certificate_pdf
from security.selectors import gradings_visible_to

from .conftest import answers

pytestmark = pytest.mark.django_db


def test_it_opens_a_filing_deadline_30_days_after_grading_level_2_and_above(make_grading, clerk):
    grading = make_grading(clerk, level=2)
    system = grading.system
    system.refresh_from_db()
    assert system.level == 2
    assert system.filing_due_date >= system.graded_on + timedelta(days=30)
    deadline = Deadline.objects.get(kind_id="security_grading_filing", object_id=system.pk)
    assert deadline.state == "open"


def test_it_opens_no_filing_deadline_for_level_1(make_grading, clerk):
    grading = make_grading(clerk, level=1)
    assert grading.system.filing_due_date is None
    assert not Deadline.objects.filter(kind_id="security_grading_filing").exists()


def test_it_approves_with_a_number_a_certificate_and_the_next_evaluation_a_year_on(make_grading, clerk, official):
    grading = make_grading(clerk, level=3, state="approved")
    assert grading.status == GradingStatus.APPROVED
    assert grading.filing_number.startswith("京经信等保备〔")
    system = grading.system
    system.refresh_from_db()
    assert system.current_filing == grading
    today = timezone.localdate()
    assert system.next_evaluation_due == rules.add_months(today, 12)
    assert Deadline.objects.get(kind_id="security_grading_filing", object_id=system.pk).state == "met"
    evaluation_deadline = Deadline.objects.get(kind_id="security_evaluation", object_id=system.pk)
    assert evaluation_deadline.due_date == system.next_evaluation_due
    assert certificate_pdf(grading).startswith(b"%PDF")
    assert Notification.objects.filter(recipient=clerk, kind="security_grading_decided").exists()


def test_it_requires_expert_review_from_level_2(make_system, clerk):
    grading = services.grading_create(actor=clerk, system=make_system(clerk), **answers(2))
    with pytest.raises(ValidationError) as error:
        services.grading_submit(grading=grading, actor=clerk)
    assert error.value.error_dict["expert_opinion"][0].code == "expert-review-missing"


def test_it_returns_and_resubmits(make_grading, clerk, official):
    grading = make_grading(clerk, level=3, state="returned")
    assert grading.status == GradingStatus.RETURNED
    grading = services.grading_revise(grading=grading, actor=clerk, **answers(4))
    assert grading.level == 4
    grading = services.grading_submit(grading=grading, actor=clerk)
    assert services.grading_approve(grading=grading, actor=official).status == GradingStatus.APPROVED


def test_it_refuses_a_return_without_reason_and_approval_by_the_agency(make_grading, clerk, official):
    grading = make_grading(clerk, level=3, state="submitted")
    with pytest.raises(ValidationError):
        services.grading_return(grading=grading, actor=official, comment=" ")
    with pytest.raises(PermissionDenied):
        services.grading_approve(grading=grading, actor=clerk)


def test_it_refuses_approving_twice(make_grading, clerk, official):
    grading = make_grading(clerk, level=3, state="approved")
    with pytest.raises(Refused) as refused:
        services.grading_approve(grading=grading, actor=official)
    assert refused.value.code == "state-not-allowed"


def test_a_unit_needs_its_supervising_department_first(make_grading, make_user, orgs, unit_clerk, manager, official):
    grading = make_grading(unit_clerk, level=3, state="submitted")
    assert grading.supervisor == orgs["agency"]
    with pytest.raises(Refused) as refused:
        services.grading_approve(grading=grading, actor=official)
    assert refused.value.code == "supervisor-approval-pending"
    grading = services.grading_supervisor_approve(grading=grading, actor=manager)
    assert services.grading_approve(grading=grading, actor=official).status == GradingStatus.APPROVED


def test_a_supervising_departments_gradings_are_counted_branch_by_branch_each_once(
    make_grading, clerk, unit_clerk, other_clerk
):
    """The agency's clerk sees its own and its units' systems' gradings, and those it supervises: a unit's
    grading is in both branches and counted once (``portal.paginators.filter_any``)."""
    mine = make_grading(clerk, level=3, state="submitted")
    units = make_grading(unit_clerk, level=3, state="submitted")  # a unit's, supervised by the agency
    make_grading(other_clerk, level=3, state="submitted")  # another agency's
    rows = gradings_visible_to(clerk)
    with CaptureQueriesContext(connection) as counted:
        assert CappedPaginator(rows, 25).count == 2
    assert "UNION ALL" in counted.captured_queries[0]["sql"]
    assert set(rows) == {mine, units}


def test_a_level_change_needs_a_new_filing_and_keeps_history(make_grading, clerk, official):
    first = make_grading(clerk, level=2, state="approved")
    with pytest.raises(ValidationError) as error:
        services.grading_create(actor=clerk, system=first.system, **answers(3))
    assert "reason" in error.value.error_dict
    second = make_grading(
        clerk, level=3, state="approved", system=first.system, reason="level_change", change_description="新增业务"
    )
    first.refresh_from_db()
    assert first.status == GradingStatus.SUPERSEDED
    second.system.refresh_from_db()
    assert second.system.current_filing == second
    assert second.system.gradings.count() == 2


def test_it_records_an_evaluation_and_moves_the_next_due_date(make_grading, clerk, evaluator):
    system = make_grading(clerk, level=3, state="approved").system
    on = timezone.localdate() - timedelta(days=10)
    evaluation = services.evaluation_record(
        actor=clerk,
        system=system,
        evaluator=evaluator,
        evaluated_on=on,
        report_version="2025",
        score=Decimal("86.5"),
        issues=[("未部署入侵检测", "high"), ("口令策略弱", "medium")],
    )
    assert evaluation.conclusion == "basically_conforms"
    system.refresh_from_db()
    assert system.next_evaluation_due == rules.add_months(on, 12)
    issue = evaluation.issues.get(severity="high")
    services.rectification_record(actor=clerk, system=system, description="部署IDS", completed_on=on, issues=[issue])
    issue.refresh_from_db()
    assert issue.rectification is not None


def test_it_refuses_a_conclusion_the_score_does_not_support(make_grading, clerk, evaluator):
    system = make_grading(clerk, level=3, state="approved").system
    with pytest.raises(ValidationError) as error:
        services.evaluation_record(
            actor=clerk,
            system=system,
            evaluator=evaluator,
            evaluated_on=timezone.localdate(),
            report_version="2021",
            score=Decimal("95"),
            high_risk_remaining=True,
            conclusion="excellent",
        )
    assert error.value.error_dict["conclusion"][0].code == "conclusion-contradicts-scale"


def test_it_flags_a_late_incident_report_with_its_delay(clerk, official):
    now = timezone.now()
    late = services.incident_report(
        actor=clerk,
        organization=clerk.memberships.first().organization,
        title="门户网站被篡改",
        level="major",
        occurred_at=now - timedelta(hours=3),
        discovered_at=now - timedelta(hours=2),
        description="首页被篡改",
        measures="下线页面",
    )
    assert late.report_limit_minutes == 60
    assert 59 <= late.report_delay_minutes <= 61
    assert late in detectors.late_incident_reports()
    on_time = services.incident_report(
        actor=clerk,
        organization=clerk.memberships.first().organization,
        title="扫描探测",
        level="general",
        occurred_at=now - timedelta(hours=3),
        discovered_at=now - timedelta(hours=2),
        description="端口扫描",
        measures="封禁地址",
    )
    assert on_time.report_delay_minutes == 0
    assert on_time not in detectors.late_incident_reports()
    assert Notification.objects.filter(recipient=official, kind="security_incident_reported").count() == 2


def test_it_refuses_discovery_before_occurrence(clerk):
    now = timezone.now()
    with pytest.raises(ValidationError) as error:
        services.incident_report(
            actor=clerk,
            organization=clerk.memberships.first().organization,
            title="x",
            level="general",
            occurred_at=now - timedelta(hours=1),
            discovered_at=now - timedelta(hours=2),
            description="x",
            measures="x",
        )
    assert "discovered_at" in error.value.error_dict


def test_it_asks_for_the_final_summary_30_days_after_handling(clerk):
    now = timezone.now()
    incident = services.incident_report(
        actor=clerk,
        organization=clerk.memberships.first().organization,
        title="病毒感染",
        level="general",
        occurred_at=now - timedelta(hours=1),
        discovered_at=now - timedelta(minutes=30),
        description="终端感染",
        measures="隔离",
    )
    services.incident_follow_up(incident=incident, actor=clerk, text="已清除")
    incident = services.incident_end_handling(incident=incident, actor=clerk)
    assert incident.summary_due_date >= timezone.localdate() + timedelta(days=30)
    incident = services.incident_close(incident=incident, actor=clerk, summary="已整改")
    assert incident.status == "closed"
    assert Deadline.objects.get(kind_id="security_incident_summary", object_id=incident.pk).state == "met"


def test_detectors_find_unfiled_systems_missing_plans_and_overdue_evaluations(make_grading, clerk, orgs):
    grading = make_grading(clerk, level=3, state="submitted")
    system = grading.system
    assert system not in detectors.unfiled_systems()
    system.filing_due_date = timezone.localdate() - timedelta(days=1)
    system.save(update_fields=["filing_due_date"])
    assert system in detectors.unfiled_systems()
    assert orgs["agency"] in detectors.organizations_without_plan()
    services.plan_create(
        actor=clerk, organization=orgs["agency"], version="2026版", approved_on=timezone.localdate(), scope="全部系统"
    )
    assert orgs["agency"] not in detectors.organizations_without_plan()
    system.last_evaluated_on = timezone.localdate() - timedelta(days=400)
    system.next_evaluation_due = timezone.localdate() - timedelta(days=35)
    system.save(update_fields=["last_evaluated_on", "next_evaluation_due"])
    assert system in detectors.overdue_evaluations()


def test_the_registry_holds_the_chapter_5_detectors():
    from portal.detectors import detectors as registered

    rules_ = {d.rule: d.sanctioning_article for d in registered()}
    assert rules_["art32-grading-unfiled"] == "45(2)"
    assert rules_["art33-evaluation-overdue"] == "45(3)"
    assert rules_["art34-no-emergency-plan"] == "44"
    assert rules_["art34-late-incident-report"] == "44"


def test_drills_move_the_next_drill_deadline(clerk, orgs):
    plan = services.plan_create(
        actor=clerk,
        organization=orgs["agency"],
        version="2025版",
        approved_on=timezone.localdate() - timedelta(days=100),
        scope="全部系统",
    )
    held = timezone.localdate() - timedelta(days=5)
    services.drill_record(
        actor=clerk, plan=plan, held_on=held, scenario="勒索病毒", participants="信息中心", lessons="备份"
    )
    plan.refresh_from_db()
    assert plan.next_drill_due == rules.add_months(held, 12)
    newer = services.plan_create(
        actor=clerk, organization=orgs["agency"], version="2026版", approved_on=timezone.localdate(), scope="全部"
    )
    plan.refresh_from_db()
    assert not plan.is_current and newer.is_current and newer.last_drilled_on == held


def test_bulletins_are_acknowledged_and_the_rest_reminded(official, clerk, other_clerk, orgs):
    bulletin = services.bulletin_issue(
        actor=official,
        issuer=orgs["authority"],
        kind="alert",
        title="高危漏洞预警",
        body="请立即升级。",
        recipients=[orgs["agency"], orgs["other_agency"]],
    )
    assert Notification.objects.filter(recipient=clerk, kind="security_bulletin").exists()
    assert services.bulletin_acknowledge(bulletin=bulletin, actor=clerk) == 1
    assert services.bulletin_remind(bulletin=bulletin, actor=official) == 1
    assert Notification.objects.filter(recipient=other_clerk, kind="security_bulletin").count() == 2
    with pytest.raises(PermissionDenied):
        services.bulletin_remind(bulletin=bulletin, actor=clerk)
