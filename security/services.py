"""Every write of Chapter 5: one function per action or transition (Arts. 32-35).

Each checks the actor's role (403), locks the row, checks the state (409), moves it, records the
timeline, opens/closes deadlines and writes notifications to the outbox (email after commit).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from portal.access import require
from portal.language import in_site_language
from portal.models import Membership, Organization, OrganizationKind, Role
from portal.selectors import members_with_roles
from portal.services import attachment_create, deadline_meet, deadline_open, timeline_record
from portal.workdays import MissingCalendarYear, add_calendar_days
from portal.workflow import Refused, ensure_transition, lock
from projects.models import ProjectFiling
from projects.services.notifications import notify
from projects.services.numbering import document_number_next
from security import rules
from security.models import (
    Bulletin,
    BulletinRecipient,
    Drill,
    EmergencyPlan,
    Evaluation,
    EvaluationIssue,
    GradingFiling,
    GradingReason,
    GradingStatus,
    Incident,
    IncidentUpdate,
    InformationSystem,
    IssueSeverity,
    Network,
    Rectification,
    SystemStatus,
)
from security.permissions import (
    GRADING_ACTION_LABELS,
    GRADING_TRANSITIONS,
    OPERATOR_KINDS,
    OPERATOR_ROLES,
    SUPERVISOR_ROLES,
    is_official_for,
    is_operator_member,
    may_act_on_grading,
    same_level_authority,
)

G = GradingStatus
DECIDING_ROLES = (Role.AUTHORITY_OFFICIAL, Role.DISTRICT_OFFICIAL)
SYSTEM_FIELDS = ("name", "builder", "purpose", "users_served", "network", "status")
GRADING_ANSWERS = ("business_harm_object", "business_harm_degree", "service_harm_object", "service_harm_degree")


def _calendar_days_after(start: date, days: int) -> date:
    try:
        return add_calendar_days(start, days)
    except MissingCalendarYear as exc:
        raise ValidationError(
            f"工作日历尚未载入{start.year}年后的节假日安排，无法计算期限，请联系系统管理员。", code="calendar-missing"
        ) from exc


def _operator_people(organization: Organization) -> list:
    return members_with_roles(organization, *OPERATOR_ROLES)


def _authority_people(organization: Organization) -> list:
    return members_with_roles(same_level_authority(organization), *DECIDING_ROLES)


# --- systems ------------------------------------------------------------------------------------


@transaction.atomic
def system_create(*, actor, operator: Organization, project_filing: ProjectFiling | None = None, **fields):
    require(is_operator_member(actor, operator), "只有运行维护单位的经办人或负责人可以登记信息系统。")
    if operator.kind not in OPERATOR_KINDS:
        raise ValidationError({"operator": "运行维护单位必须是国家机关或公共服务企业。"}, code="operator-kind")
    unknown = set(fields) - set(SYSTEM_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "该字段不可在此填写。"))
    if project_filing is not None and project_filing.agency_id not in (operator.pk, operator.parent_id):
        raise ValidationError(
            {"project_filing": "只能关联本单位（或上级单位）建设的项目备案。"}, code="filing-not-ours"
        )
    system = InformationSystem(
        operator=operator, district=operator.district, project_filing=project_filing, created_by=actor, **fields
    )
    system.full_clean(exclude=["current_filing"])
    system.save()
    timeline_record(obj=system, actor=actor, action="system_registered")
    return system


# --- grading filings (Art. 32) -------------------------------------------------------------------


def grading_compute(answers: dict, level: int | None = None) -> dict:
    """The levels the matrix gives; a stated ``level`` the answers don't support is refused on that field."""
    errors = {}
    for name in GRADING_ANSWERS:
        choices = rules.HarmObject if name.endswith("object") else rules.HarmDegree
        if answers.get(name) not in choices.values:
            errors[name] = ValidationError(
                f"请选择{'受侵害的客体' if name.endswith('object') else '侵害程度'}。", code="invalid-choice"
            )
    if errors:
        raise ValidationError(errors)
    business = rules.level_for(answers["business_harm_object"], answers["business_harm_degree"])
    service = rules.level_for(answers["service_harm_object"], answers["service_harm_degree"])
    computed = max(business, service)
    if level not in (None, "") and int(level) != computed:
        raise ValidationError(
            {
                "level": ValidationError(
                    f"按 GB/T 22240-2020 定级矩阵，业务信息为第{business}级、系统服务为第{service}级，"
                    f"系统应定为第{computed}级（取二者较高者），不能定为第{int(level)}级。",
                    code="level-contradicts-matrix",
                )
            }
        )
    return {"business_level": business, "service_level": service, "level": computed}


def _expert_fields_check(grading: GradingFiling) -> None:
    if rules.expert_review_required(grading.level) and not (
        grading.expert_reviewed_on and grading.expert_opinion.strip()
    ):
        raise ValidationError(
            {
                "expert_opinion": ValidationError(
                    f"第{grading.level}级系统须经专家评审，请填写专家评审日期和意见（{rules.EXPERT_REVIEW_SOURCE}）。",
                    code="expert-review-missing",
                )
            }
        )


@transaction.atomic
def grading_create(
    *,
    actor,
    system: InformationSystem,
    business_harm_object: str,
    business_harm_degree: str,
    service_harm_object: str,
    service_harm_degree: str,
    level: int | None = None,
    graded_on: date | None = None,
    reason: str = GradingReason.INITIAL,
    change_description: str = "",
    expert_reviewed_on: date | None = None,
    expert_opinion: str = "",
) -> GradingFiling:
    """Grade a system on the matrix. Level 2 and above must then be filed within 30 days (43号 Art. 15)."""
    require(is_operator_member(actor, system.operator), "只有运行维护单位可以为系统定级。")
    answers = {
        "business_harm_object": business_harm_object,
        "business_harm_degree": business_harm_degree,
        "service_harm_object": service_harm_object,
        "service_harm_degree": service_harm_degree,
    }
    levels = grading_compute(answers, level)
    system = lock(InformationSystem, system.pk)
    graded_on = graded_on or timezone.localdate()
    if graded_on > timezone.localdate():
        raise ValidationError({"graded_on": "定级日期不能晚于今天。"}, code="date-in-future")
    if reason not in GradingReason.values:
        raise ValidationError({"reason": "请选择备案事由。"}, code="invalid-choice")
    if system.current_filing_id is not None and reason == GradingReason.INITIAL:
        raise ValidationError(
            {"reason": "该系统已有有效备案。等级变更或系统重大变更须重新备案，请选择相应事由并说明变更情况。"},
            code="already-filed",
        )
    if reason != GradingReason.INITIAL and not change_description.strip():
        raise ValidationError({"change_description": "请说明等级变更或系统重大变更的情况。"}, code="required")
    grading = GradingFiling(
        system=system,
        reason=reason,
        graded_on=graded_on,
        change_description=change_description.strip(),
        expert_reviewed_on=expert_reviewed_on,
        expert_opinion=expert_opinion.strip(),
        district=system.district,
        created_by=actor,
        **answers,
        **levels,
    )
    try:
        with transaction.atomic():
            grading.save()
    except IntegrityError as exc:
        raise Refused("该系统已有一份未办结的定级备案，请在原备案上继续办理。", code="grading-open") from exc
    before = system.level
    system.level = grading.level
    system.graded_on = graded_on
    system.filing_due_date = None
    if rules.filing_required(grading.level):
        system.filing_due_date = _calendar_days_after(graded_on, rules.filing_period_days())
        deadline_open(
            subject=system,
            kind="security_grading_filing",
            due_date=system.filing_due_date,
            organization=system.operator,
            legal_basis=f"Art. 32；{rules.FILING_SOURCE}",
            actor=actor,
            title=f"等级保护备案：{system.name}（第{grading.level}级）",
        )
    system.save(update_fields=["level", "graded_on", "filing_due_date", "updated_at"])
    timeline_record(obj=grading, actor=actor, action="grading_created", to_state=grading.status, data=levels)
    timeline_record(
        obj=system,
        actor=actor,
        action="system_graded",
        data={"from": before, "to": grading.level, "grading": str(grading.uuid)},
    )
    return grading


@transaction.atomic
def grading_revise(*, grading: GradingFiling, actor, **changes) -> GradingFiling:
    """Change the answers or the expert review of a draft or returned grading; the level is recomputed."""
    require(may_act_on_grading(actor, grading, "edit"), "只有运行维护单位可以修改定级备案。")
    locked = lock(GradingFiling, grading.pk)
    if locked.status not in (G.DRAFT, G.RETURNED):
        raise Refused(f"当前状态“{locked.get_status_display()}”不能修改。")
    allowed = {*GRADING_ANSWERS, "level", "expert_reviewed_on", "expert_opinion", "change_description"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "该字段不可在此修改。"))
    answers = {name: changes.get(name, getattr(locked, name)) for name in GRADING_ANSWERS}
    levels = grading_compute(answers, changes.get("level"))
    for name, value in {**answers, **levels}.items():
        setattr(locked, name, value)
    for name in ("expert_reviewed_on", "expert_opinion", "change_description"):
        if name in changes:
            setattr(locked, name, changes[name] or ("" if name != "expert_reviewed_on" else None))
    locked.save()
    system = lock(InformationSystem, locked.system_id)
    if system.level != locked.level:
        system.level = locked.level
        system.save(update_fields=["level", "updated_at"])
    timeline_record(obj=locked, actor=actor, action="grading_revised", data=levels)
    return locked


def _grading_transition(grading: GradingFiling, action: str, actor) -> GradingFiling:
    require(may_act_on_grading(actor, grading, action), f"您无权对该备案执行“{GRADING_ACTION_LABELS[action]}”。")
    locked = (
        GradingFiling.objects.select_for_update(of=("self",))
        .select_related("system", "system__operator")
        .get(pk=grading.pk)
    )
    ensure_transition(locked, GRADING_TRANSITIONS[action], GRADING_ACTION_LABELS[action])
    return locked


def _grading_link(grading: GradingFiling) -> str:
    return reverse("security:grading-detail", args=[grading.uuid])


@transaction.atomic
def grading_submit(*, grading: GradingFiling, actor) -> GradingFiling:
    locked = _grading_transition(grading, "submit", actor)
    _expert_fields_check(locked)
    operator = locked.system.operator
    authority = same_level_authority(operator)
    if authority is None:
        raise ValidationError("未找到同级信息化主管部门，无法提交，请联系系统管理员。", code="no-authority")
    # Approval by the supervising department when there is one (the operator's parent agency).
    supervisor = None
    if operator.parent_id is not None:
        parent = Organization.objects.get(pk=operator.parent_id)
        supervisor = parent if parent.kind == OrganizationKind.AGENCY else None
    from_state = locked.status
    locked.submit()
    locked.authority = authority
    locked.supervisor = supervisor
    locked.submitted_at = timezone.now()
    locked.return_reason = ""
    locked.save()
    timeline_record(obj=locked, actor=actor, action="grading_submitted", from_state=from_state, to_state=locked.status)
    recipients = (
        members_with_roles(supervisor, *SUPERVISOR_ROLES)
        if supervisor
        else members_with_roles(authority, *DECIDING_ROLES)
    )
    notify(
        recipients=recipients,
        kind="security_grading_submitted",
        title=f"等级保护备案待审核：{locked.system.name}（第{locked.level}级）",
        body=f"{operator.name}提交了“{locked.system.name}”的定级备案（第三十二条）。",
        subject=locked,
        link=_grading_link(locked),
        actor=actor,
    )
    return locked


@transaction.atomic
def grading_supervisor_approve(*, grading: GradingFiling, actor, comment: str = "") -> GradingFiling:
    locked = _grading_transition(grading, "supervisor_approve", actor)
    from_state = locked.status
    locked.supervisor_approve()
    locked.supervisor_approved_at = timezone.now()
    locked.save()
    timeline_record(
        obj=locked,
        actor=actor,
        action="grading_supervisor_approved",
        from_state=from_state,
        to_state=locked.status,
        comment=comment,
    )
    notify(
        recipients=members_with_roles(locked.authority, *DECIDING_ROLES),
        kind="security_grading_submitted",
        title=f"等级保护备案待审核：{locked.system.name}（第{locked.level}级）",
        body=f"主管部门已审核同意“{locked.system.name}”的定级备案。",
        subject=locked,
        link=_grading_link(locked),
        actor=actor,
    )
    return locked


@transaction.atomic
def grading_approve(*, grading: GradingFiling, actor, comment: str = "") -> GradingFiling:
    """Record the filing: a number, the certificate, the system's level in force; the next evaluation falls due."""
    locked = _grading_transition(grading, "approve", actor)
    if locked.supervisor_id is not None and locked.status == G.SUBMITTED:
        raise Refused("该备案须先经主管部门审核同意。", code="supervisor-approval-pending")
    _expert_fields_check(locked)
    from_state = locked.status
    locked.approve()
    authority = locked.authority or same_level_authority(locked.system.operator)
    prefix = rules.filing_number_prefix(authority)
    year = timezone.localdate().year
    locked.filing_number = f"{prefix}〔{year}〕{document_number_next(issuer=authority, prefix=prefix, year=year)}号"
    locked.authority = authority
    locked.decided_at = timezone.now()
    locked.decided_by = actor
    locked.save()
    system = lock(InformationSystem, locked.system_id)
    previous = GradingFiling.objects.filter(system=system, status=G.APPROVED).exclude(pk=locked.pk)
    for old in previous.select_for_update():
        old.supersede()
        old.save()
        timeline_record(obj=old, actor=actor, action="grading_superseded", from_state=G.APPROVED, to_state=old.status)
    system.current_filing = locked
    system.level = locked.level
    if system.last_evaluated_on:
        system.next_evaluation_due = rules.next_evaluation_due(locked.level, system.last_evaluated_on)
    elif system.next_evaluation_due is None:
        system.next_evaluation_due = rules.next_evaluation_due(locked.level, timezone.localdate(locked.decided_at))
    system.save(update_fields=["current_filing", "level", "next_evaluation_due", "updated_at"])
    deadline_meet(subject=system, kind="security_grading_filing", actor=actor)
    _evaluation_deadline(system, actor)
    timeline_record(
        obj=locked,
        actor=actor,
        action="grading_approved",
        from_state=from_state,
        to_state=locked.status,
        comment=comment,
        data={"filing_number": locked.filing_number},
    )
    notify(
        recipients=[locked.created_by, *_operator_people(system.operator)],
        kind="security_grading_decided",
        title=f"等级保护备案已通过（{locked.filing_number}）：{system.name}",
        body=f"第{locked.level}级。备案证明可在门户下载。"
        + (f"下次等级测评期限：{system.next_evaluation_due:%Y-%m-%d}。" if system.next_evaluation_due else ""),
        subject=locked,
        link=_grading_link(locked),
        actor=actor,
    )
    return locked


@transaction.atomic
def grading_return(*, grading: GradingFiling, actor, comment: str) -> GradingFiling:
    locked = _grading_transition(grading, "return", actor)
    if not (comment or "").strip():
        raise ValidationError({"comment": "请写明退回理由和需要修改的内容。"}, code="required")
    from_state = locked.status
    locked.return_for_revision()
    locked.return_reason = comment.strip()
    locked.save()
    timeline_record(
        obj=locked,
        actor=actor,
        action="grading_returned",
        from_state=from_state,
        to_state=locked.status,
        comment=comment.strip(),
    )
    notify(
        recipients=[locked.created_by, *_operator_people(locked.system.operator)],
        kind="security_grading_decided",
        title=f"等级保护备案被退回修改：{locked.system.name}",
        body=f"退回理由：{comment.strip()}",
        subject=locked,
        link=_grading_link(locked),
        actor=actor,
    )
    return locked


# --- evaluations (Art. 33) -----------------------------------------------------------------------


def _evaluation_deadline(system: InformationSystem, actor) -> None:
    """Keep one running evaluation deadline on the system, due on ``next_evaluation_due``."""
    if system.next_evaluation_due is None:
        return
    deadline_open(
        subject=system,
        kind="security_evaluation",
        due_date=system.next_evaluation_due,
        organization=system.operator,
        legal_basis=f"Art. 33；{rules.EVALUATION_SOURCE}",
        actor=actor,
        title=f"等级测评：{system.name}（第{system.level}级）",
    )


@transaction.atomic
def evaluation_record(
    *,
    actor,
    system: InformationSystem,
    evaluator: Organization,
    evaluated_on: date,
    report_version: str,
    score: Decimal,
    high_risk_remaining: bool = False,
    conclusion: str | None = None,
    report_number: str = "",
    issues: list[tuple[str, str]] = (),
    report=None,
) -> Evaluation:
    """An evaluation report: the conclusion follows the scale of its report version; the next one falls due."""
    require(is_operator_member(actor, system.operator), "只有运行维护单位可以登记等级测评。")
    system = lock(InformationSystem, system.pk)
    errors = {}
    if system.level is None:
        raise Refused("该系统尚未定级，请先定级备案再登记测评（第三十二条、第三十三条）。", code="not-graded")
    if evaluator.kind != OrganizationKind.EVALUATOR:
        errors["evaluator"] = ValidationError("请选择测评机构。", code="not-evaluator")
    if evaluated_on > timezone.localdate():
        errors["evaluated_on"] = ValidationError("测评日期不能晚于今天。", code="date-in-future")
    if report_version not in rules.ReportVersion.values:
        errors["report_version"] = ValidationError("请选择报告版本。", code="invalid-choice")
    if not (Decimal("0") <= Decimal(score) <= Decimal("100")):
        errors["score"] = ValidationError("测评得分应在 0 至 100 之间。", code="out-of-range")
    for i, (_, severity) in enumerate(issues):
        if severity not in IssueSeverity.values:
            errors["issues"] = ValidationError(f"第{i + 1}个问题的风险等级无效。", code="invalid-choice")
    if errors:
        raise ValidationError(errors)
    computed = rules.conclusion_for(report_version, Decimal(score), high_risk_remaining)
    if conclusion and conclusion != computed:
        scale = "、".join(str(rules.Conclusion(c).label) for c in rules.conclusions_of(report_version))
        raise ValidationError(
            {
                "conclusion": ValidationError(
                    f"按{rules.ReportVersion(report_version).label}的结论等级（{scale}），得分 {score}"
                    f"{'且存在高风险问题' if high_risk_remaining else ''}应为“{rules.Conclusion(computed).label}”。",
                    code="conclusion-contradicts-scale",
                )
            }
        )
    evaluation = Evaluation.objects.create(
        system=system,
        evaluator=evaluator,
        evaluated_on=evaluated_on,
        report_version=report_version,
        score=score,
        high_risk_remaining=high_risk_remaining,
        conclusion=computed,
        level=system.level,
        report_number=report_number,
        district=system.district,
        created_by=actor,
    )
    EvaluationIssue.objects.bulk_create(
        EvaluationIssue(evaluation=evaluation, description=text.strip(), severity=severity)
        for text, severity in issues
        if text.strip()
    )
    if report is not None:
        attachment_create(obj=evaluation, uploaded=report, actor=actor, description="测评报告")
    if system.last_evaluated_on is None or evaluated_on >= system.last_evaluated_on:
        system.last_evaluated_on = evaluated_on
        system.next_evaluation_due = rules.next_evaluation_due(system.level, evaluated_on)
        system.save(update_fields=["last_evaluated_on", "next_evaluation_due", "updated_at"])
        deadline_meet(subject=system, kind="security_evaluation", actor=actor)
        _evaluation_deadline(system, actor)
    timeline_record(
        obj=system,
        actor=actor,
        action="evaluation_recorded",
        data={"evaluation": str(evaluation.uuid), "conclusion": computed, "score": str(score)},
    )
    return evaluation


@transaction.atomic
def rectification_record(
    *, actor, system: InformationSystem, description: str, completed_on: date, issues: list[EvaluationIssue]
) -> Rectification:
    """Rectification work, closing the evaluation issues it fixed (Art. 33)."""
    require(is_operator_member(actor, system.operator), "只有运行维护单位可以登记整改。")
    if not description.strip():
        raise ValidationError({"description": "请填写整改内容。"}, code="required")
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": "完成日期不能晚于今天。"}, code="date-in-future")
    ids = [issue.pk for issue in issues]
    open_issues = list(
        EvaluationIssue.objects.select_for_update().filter(
            pk__in=ids, evaluation__system=system, rectification__isnull=True
        )
    )
    if not ids or len(open_issues) != len(set(ids)):
        raise ValidationError({"issues": "请选择本系统尚未整改的测评问题。"}, code="invalid-issues")
    rectification = Rectification.objects.create(
        system=system, description=description.strip(), completed_on=completed_on, created_by=actor
    )
    EvaluationIssue.objects.filter(pk__in=ids).update(rectification=rectification)
    timeline_record(obj=system, actor=actor, action="rectification_recorded", data={"issues": len(ids)})
    return rectification


# --- emergency plans and drills (Art. 34 para. 1) ------------------------------------------------


@transaction.atomic
def plan_create(
    *, actor, organization: Organization, version: str, approved_on: date, scope: str, systems=()
) -> EmergencyPlan:
    """A new version becomes the current plan; drills fall due on the configured interval."""
    require(is_operator_member(actor, organization), "只有本单位可以登记应急预案。")
    if approved_on > timezone.localdate():
        raise ValidationError({"approved_on": "批准日期不能晚于今天。"}, code="date-in-future")
    if not version.strip() or not scope.strip():
        raise ValidationError({"version" if not version.strip() else "scope": "请填写此项。"}, code="required")
    systems = list(systems)
    if any(s.operator_id != organization.pk for s in systems):
        raise ValidationError({"systems": "只能选择本单位运行维护的系统。"}, code="not-ours")
    previous = EmergencyPlan.objects.select_for_update().filter(organization=organization, is_current=True).first()
    last_drill = previous.last_drilled_on if previous else None
    if previous is not None:
        previous.is_current = False
        previous.save(update_fields=["is_current"])
        deadline_meet(subject=previous, kind="security_drill", actor=actor)
    plan = EmergencyPlan.objects.create(
        organization=organization,
        version=version.strip(),
        approved_on=approved_on,
        scope=scope.strip(),
        is_current=True,
        last_drilled_on=last_drill,
        next_drill_due=rules.add_months(last_drill or approved_on, rules.drill_interval_months()),
        district=organization.district,
        created_by=actor,
    )
    plan.systems.set(systems)
    _drill_deadline(plan, actor)
    timeline_record(obj=plan, actor=actor, action="emergency_plan_created", data={"version": plan.version})
    return plan


def _drill_deadline(plan: EmergencyPlan, actor) -> None:
    deadline_open(
        subject=plan,
        kind="security_drill",
        due_date=plan.next_drill_due,
        organization=plan.organization,
        legal_basis=rules.DRILL_SOURCE,
        actor=actor,
        title=f"应急演练：{plan.organization.name}（预案 {plan.version}）",
    )


@transaction.atomic
def drill_record(*, actor, plan: EmergencyPlan, held_on: date, scenario: str, participants: str, lessons: str) -> Drill:
    require(is_operator_member(actor, plan.organization), "只有本单位可以登记应急演练。")
    plan = lock(EmergencyPlan, plan.pk)
    if not plan.is_current:
        raise Refused("该预案已被新版本取代，请在现行预案下登记演练。", code="plan-not-current")
    errors = {}
    if held_on > timezone.localdate():
        errors["held_on"] = "演练日期不能晚于今天。"
    for name, value in (("scenario", scenario), ("participants", participants), ("lessons", lessons)):
        if not (value or "").strip():
            errors[name] = "请填写此项。"
    if errors:
        raise ValidationError(errors)
    drill = Drill.objects.create(
        plan=plan,
        held_on=held_on,
        scenario=scenario.strip(),
        participants=participants.strip(),
        lessons=lessons.strip(),
        created_by=actor,
    )
    if plan.last_drilled_on is None or held_on >= plan.last_drilled_on:
        plan.last_drilled_on = held_on
        plan.next_drill_due = rules.add_months(held_on, rules.drill_interval_months())
        plan.save(update_fields=["last_drilled_on", "next_drill_due"])
        deadline_meet(subject=plan, kind="security_drill", actor=actor)
        _drill_deadline(plan, actor)
    timeline_record(obj=plan, actor=actor, action="drill_recorded", data={"held_on": held_on.isoformat()})
    return drill


# --- incidents (Art. 34 para. 2) ----------------------------------------------------------------


def report_delay(level: str, discovered_at: datetime, reported_at: datetime) -> tuple[int, int]:
    """(limit, delay) in whole minutes: the delay is 0 when the first report came within the limit."""
    limit = rules.first_report_limit(level)
    late = reported_at - (discovered_at + limit)
    return int(limit.total_seconds() // 60), max(0, int(late.total_seconds() // 60))


@in_site_language
@transaction.atomic
def incident_report(
    *,
    actor,
    organization: Organization,
    title: str,
    level: str,
    occurred_at: datetime,
    discovered_at: datetime,
    description: str,
    measures: str,
    records_preserved: bool = False,
    systems=(),
) -> Incident:
    """The first report, timed now; late reports carry their delay (Art. 34, sanction Art. 44)."""
    require(is_operator_member(actor, organization), "只有本单位可以报告安全事件。")
    now = timezone.now().replace(second=0, microsecond=0)
    errors = {}
    if level not in rules.IncidentLevel.values:
        errors["level"] = ValidationError("请选择事件级别。", code="invalid-choice")
    if occurred_at > now:
        errors["occurred_at"] = ValidationError("发生时间不能晚于现在。", code="date-in-future")
    if discovered_at > now:
        errors["discovered_at"] = ValidationError("发现时间不能晚于现在。", code="date-in-future")
    elif discovered_at < occurred_at:
        errors["discovered_at"] = ValidationError("发现时间不能早于发生时间。", code="discovered-before-occurred")
    for name, value in (("title", title), ("description", description), ("measures", measures)):
        if not (value or "").strip():
            errors[name] = ValidationError("请填写此项。", code="required")
    systems = list(systems)
    if any(s.operator_id not in (organization.pk,) and s.operator.parent_id != organization.pk for s in systems):
        errors["systems"] = ValidationError("只能选择本单位运行维护的系统。", code="not-ours")
    if errors:
        raise ValidationError(errors)
    limit, delay = report_delay(level, discovered_at, now)
    incident = Incident.objects.create(
        organization=organization,
        title=title.strip(),
        level=level,
        occurred_at=occurred_at,
        discovered_at=discovered_at,
        reported_at=now,
        description=description.strip(),
        measures=measures.strip(),
        records_preserved=records_preserved,
        report_limit_minutes=limit,
        report_delay_minutes=delay,
        district=organization.district,
        reported_by=actor,
    )
    incident.systems.set(systems)
    timeline_record(
        obj=incident,
        actor=actor,
        action="incident_reported",
        to_state=incident.status,
        data={"limit_minutes": limit, "delay_minutes": delay},
    )
    notify(
        recipients=_authority_people(organization),
        kind="security_incident_reported",
        title=f"{'【迟报】' if delay else ''}安全事件（{incident.get_level_display()}）：{incident.title}",
        body=f"{organization.name}报告：{incident.description[:200]}",
        subject=incident,
        link=reverse("security:incident-detail", args=[incident.uuid]),
        actor=actor,
    )
    return incident


def _incident_locked(incident: Incident, actor) -> Incident:
    require(is_operator_member(actor, incident.organization), "只有报告单位可以续报和总结。")
    return lock(Incident, incident.pk)


@transaction.atomic
def incident_follow_up(*, incident: Incident, actor, text: str) -> IncidentUpdate:
    locked = _incident_locked(incident, actor)
    if not (text or "").strip():
        raise ValidationError({"text": "请填写续报内容。"}, code="required")
    if locked.status == "closed":
        raise Refused("该事件已提交总结报告，不能再续报。")
    update = IncidentUpdate.objects.create(incident=locked, text=text.strip(), created_by=actor)
    timeline_record(obj=locked, actor=actor, action="incident_follow_up", comment=text.strip())
    return update


@transaction.atomic
def incident_end_handling(*, incident: Incident, actor, ended_at: datetime | None = None) -> Incident:
    """Handling ended: the final summary falls due 30 days later."""
    locked = _incident_locked(incident, actor)
    ensure_transition(locked, "end_handling", "处置结束")
    ended_at = ended_at or timezone.now()
    if ended_at < locked.discovered_at or ended_at > timezone.now() + timedelta(minutes=1):
        raise ValidationError({"ended_at": "处置结束时间应在发现时间之后、现在之前。"}, code="out-of-range")
    from_state = locked.status
    locked.end_handling()
    locked.handling_ended_at = ended_at
    locked.summary_due_date = _calendar_days_after(timezone.localdate(ended_at), rules.INCIDENT_SUMMARY_DAYS)
    locked.save()
    deadline_open(
        subject=locked,
        kind="security_incident_summary",
        due_date=locked.summary_due_date,
        organization=locked.organization,
        legal_basis=rules.INCIDENT_REPORT_SOURCE,
        actor=actor,
        title=f"安全事件总结报告：{locked.title}",
    )
    timeline_record(obj=locked, actor=actor, action="incident_handled", from_state=from_state, to_state=locked.status)
    return locked


@transaction.atomic
def incident_close(*, incident: Incident, actor, summary: str) -> Incident:
    locked = _incident_locked(incident, actor)
    ensure_transition(locked, "close", "提交总结报告")
    if not (summary or "").strip():
        raise ValidationError({"summary": "请填写总结报告。"}, code="required")
    from_state = locked.status
    locked.close()
    locked.final_summary = summary.strip()
    locked.summary_submitted_at = timezone.now()
    locked.save()
    deadline_meet(subject=locked, kind="security_incident_summary", actor=actor)
    timeline_record(obj=locked, actor=actor, action="incident_closed", from_state=from_state, to_state=locked.status)
    return locked


# --- bulletins (Art. 35) -------------------------------------------------------------------------


def _bulletin_notify(bulletin: Bulletin, organization_ids, *, title: str, actor) -> int:
    user_ids = set(
        Membership.objects.filter(
            organization_id__in=organization_ids, role__in=OPERATOR_ROLES, user__is_active=True
        ).values_list("user_id", flat=True)
    )
    user_ids.discard(getattr(actor, "pk", None))
    if not user_ids:
        return 0
    from portal.services import notification_create

    return len(
        notification_create(
            recipients=sorted(user_ids),
            kind="security_bulletin",
            title=title,
            body=bulletin.body[:500],
            link=reverse("security:bulletin-detail", args=[bulletin.uuid]),
            subject=bulletin,
        )
    )


@in_site_language
@transaction.atomic
def bulletin_issue(
    *, actor, issuer: Organization, kind: str, title: str, body: str, to_all: bool = False, recipients=()
) -> Bulletin:
    """Send to every operating organization in the issuer's area, or to the chosen ones."""
    require(
        issuer.kind == OrganizationKind.AUTHORITY and is_official_for(actor, issuer),
        "只有信息化主管部门的工作人员可以发布信息安全通报。",
    )
    errors = {}
    if not title.strip():
        errors["title"] = "请填写标题。"
    if not body.strip():
        errors["body"] = "请填写内容。"
    if kind not in ("alert", "notice"):
        errors["kind"] = "请选择类别。"
    area = Organization.objects.filter(kind__in=OPERATOR_KINDS, is_active=True)
    if issuer.level != "city":
        area = area.filter(district=issuer.district)
    if to_all:
        organization_ids = list(area.values_list("pk", flat=True))
    else:
        organization_ids = sorted({o.pk for o in recipients})
        if not organization_ids:
            errors["recipients"] = "请选择接收单位，或选择发送全部单位。"
        elif area.filter(pk__in=organization_ids).count() != len(organization_ids):
            errors["recipients"] = "只能发送给本辖区的国家机关和公共服务企业。"
    if errors:
        raise ValidationError(errors)
    bulletin = Bulletin.objects.create(
        issuer=issuer,
        kind=kind,
        title=title.strip(),
        body=body.strip(),
        to_all=to_all,
        issued_at=timezone.now(),
        issued_by=actor,
    )
    BulletinRecipient.objects.bulk_create(
        BulletinRecipient(bulletin=bulletin, organization_id=org_id) for org_id in organization_ids
    )
    _bulletin_notify(
        bulletin, organization_ids, title=f"【{bulletin.get_kind_display()}】{bulletin.title}", actor=actor
    )
    timeline_record(obj=bulletin, actor=actor, action="bulletin_issued", data={"recipients": len(organization_ids)})
    return bulletin


@transaction.atomic
def bulletin_acknowledge(*, bulletin: Bulletin, actor) -> int:
    """The actor's organizations among the recipients acknowledge; returns how many rows changed."""
    from portal.access import scope_for

    org_ids = [org for org, role in scope_for(actor).grants if role in OPERATOR_ROLES]
    changed = BulletinRecipient.objects.filter(
        bulletin=bulletin, organization_id__in=org_ids, acknowledged_at__isnull=True
    ).update(acknowledged_at=timezone.now(), acknowledged_by=actor)
    if not changed and not BulletinRecipient.objects.filter(bulletin=bulletin, organization_id__in=org_ids).exists():
        require(False, "您的单位不是该通报的接收单位。")
    if changed:
        timeline_record(obj=bulletin, actor=actor, action="bulletin_acknowledged")
    return changed


@transaction.atomic
def bulletin_remind(*, bulletin: Bulletin, actor) -> int:
    """Remind the recipients that have not acknowledged; returns how many organizations were reminded."""
    require(is_official_for(actor, bulletin.issuer), "只有发布单位可以催办。")
    pending = list(
        BulletinRecipient.objects.select_for_update()
        .filter(bulletin=bulletin, acknowledged_at__isnull=True)
        .values_list("organization_id", flat=True)
    )
    if not pending:
        raise Refused("所有接收单位都已确认，无需催办。", code="all-acknowledged")
    BulletinRecipient.objects.filter(bulletin=bulletin, organization_id__in=pending).update(reminded_at=timezone.now())
    _bulletin_notify(bulletin, pending, title=f"【催办】请确认信息安全通报：{bulletin.title}", actor=actor)
    timeline_record(obj=bulletin, actor=actor, action="bulletin_reminded", data={"organizations": len(pending)})
    return len(pending)


# --- bulk import of systems with their gradings --------------------------------------------------


@dataclass
class BulkRejected(Exception):
    """At least one row is bad: nothing was saved; ``errors`` lists every bad row."""

    errors: list[dict]


BULK_COLUMNS = (
    "name",
    "builder",
    "purpose",
    "users_served",
    "network",
    "status",
    "project_filing",
    *GRADING_ANSWERS,
    "level",
    "graded_on",
    "expert_reviewed_on",
    "expert_opinion",
)


def _row_errors(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {field: [str(m) for e in errs for m in e.messages] for field, errs in error.error_dict.items()}
    return {"non_field_errors": list(error.messages)}


def _parse_date(value, field: str):
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise ValidationError({field: "日期格式应为 YYYY-MM-DD。"}, code="invalid-date") from exc


@transaction.atomic
def systems_bulk_import(*, actor, operator: Organization, rows: list[dict]) -> list[GradingFiling | InformationSystem]:
    """Register systems with their gradings, all or nothing: any bad row rolls back the whole batch."""
    require(is_operator_member(actor, operator), "只有运行维护单位可以批量登记信息系统。")
    if not rows:
        raise ValidationError({"rows": "没有数据行。"}, code="empty")
    created, errors = [], []
    filings = {
        str(f.uuid): f
        for f in ProjectFiling.objects.filter(
            uuid__in=[r.get("project_filing") for r in rows if _is_uuid(r.get("project_filing"))]
        )
    }
    for number, row in enumerate(rows, start=1):
        try:
            with transaction.atomic():
                unknown = set(row) - set(BULK_COLUMNS)
                if unknown:
                    raise ValidationError(dict.fromkeys(sorted(unknown), "未知的列。"), code="unknown-column")
                filing = None
                if row.get("project_filing"):
                    filing = filings.get(str(row["project_filing"]))
                    if filing is None:
                        raise ValidationError({"project_filing": "未找到该项目备案。"}, code="not-found")
                system_fields = {name: (row.get(name) or "").strip() for name in SYSTEM_FIELDS}
                system_fields["status"] = system_fields["status"] or SystemStatus.IN_OPERATION
                if system_fields["network"] not in Network.values:
                    raise ValidationError(
                        {"network": f"承载网络应为 {'、'.join(Network.values)} 之一。"}, code="invalid-choice"
                    )
                system = system_create(actor=actor, operator=operator, project_filing=filing, **system_fields)
                grading = grading_create(
                    actor=actor,
                    system=system,
                    **{name: (row.get(name) or "").strip() for name in GRADING_ANSWERS},
                    level=row.get("level") or None,
                    graded_on=_parse_date(row.get("graded_on"), "graded_on"),
                    expert_reviewed_on=_parse_date(row.get("expert_reviewed_on"), "expert_reviewed_on"),
                    expert_opinion=row.get("expert_opinion") or "",
                )
                created.append(grading)
        except ValidationError as error:
            errors.append({"row": number, "errors": _row_errors(error)})
        except (ValueError, TypeError) as error:
            errors.append({"row": number, "errors": {"non_field_errors": [f"无法识别的值：{error}"]}})
    if errors:
        raise BulkRejected(errors)
    return created


def _is_uuid(value) -> bool:
    import uuid as uuidlib

    try:
        uuidlib.UUID(str(value))
    except (ValueError, TypeError):
        return False
    return True
