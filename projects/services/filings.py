"""Every write to a project filing: one function per transition (Arts. 10-16).

Each checks the actor's role (403), locks the row, checks the state (409), moves it, writes the
timeline, opens/closes deadlines and queues notifications after commit.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.shortcuts import assign_perm

from portal.access import require
from portal.language import in_site_language
from portal.models import DepartmentType, Level, Organization, OrganizationKind, Role, User
from portal.selectors import members_with_roles
from portal.services import (
    attachment_create,
    deadline_meet,
    deadline_open,
    deadline_pause,
    deadline_resume,
    timeline_record,
)
from portal.workflow import Refused as TransitionRefused
from portal.workflow import ensure_transition, lock
from projects.events import FilingEvent
from projects.models import (
    AcceptanceRecord,
    AcceptanceResult,
    ContractorRole,
    FilingContractor,
    FilingStatus,
    ProjectFiling,
    ReviewFinding,
)
from projects.permissions import (
    AGENCY_ROLES,
    DECIDING_ROLES,
    FILING_ACTION_LABELS,
    FILING_TRANSITIONS,
    is_agency_member,
    is_assigned_reviewer,
    is_deciding_official,
    may_act_on_filing,
)
from projects.rules import (
    CLASSIFIED_REFUSAL,
    FindingResult,
    ProjectKind,
    QualificationDomain,
    QualificationLevel,
    ReviewDimension,
    approving_department_type,
    format_opinion_number,
    opinion_number_prefix,
    project_review_working_days,
    qualification_level_satisfies,
    warranty_minimum_end,
)
from projects.selectors import approving_department_for, reviewing_authority_for
from projects.services.calendar import working_days_after
from projects.services.contractors import compliance_finding_record_unqualified
from projects.services.notifications import notify
from projects.services.numbering import document_number_next

S = FilingStatus

# Fields the agency fills in, grouped by the form's steps.
FILING_STEPS: list[tuple[str, str, tuple[str, ...]]] = [
    (
        "basic",
        _("基本信息"),
        (
            "title",
            "kind",
            "government_investment",
            "other_funding",
            "description",
            "existing_system",
            "previous_filing",
            "budget_year",
            "other_approving_department",
        ),
    ),
    (
        "needs",
        _("需求与效益"),
        ("needs", "expected_benefits", "replaces_systems", "integrates_systems", "shared_resources"),
    ),
    ("technical", _("技术与安全"), ("planned_security_level", "standards")),
    (
        "contracting",
        _("承建与软件"),
        (
            "tender_method",
            "supervision_arrangement",
            "qualification_required",
            "domain",
            "required_qualification_level",
            "licensed_software",
        ),
    ),
]
FILING_EDITABLE_FIELDS = tuple(name for _, _, fields in FILING_STEPS for name in fields)
# What a complete filing must contain before it can be submitted (Art. 13 review needs them).
REQUIRED_FOR_SUBMISSION = (
    "title",
    "kind",
    "description",
    "needs",
    "expected_benefits",
    "planned_security_level",
    "standards",
    "tender_method",
)
# Art. 11: only where national rules require a qualification.
REQUIRED_WHEN_QUALIFICATION_REQUIRED = ("domain", "required_qualification_level")
# Art. 13: renovation, expansion and O&M are funded for a budget year.
REQUIRED_UNLESS_NEW = ("budget_year",)


def _step_of(field: str) -> str:
    return next(label for _, label, fields in FILING_STEPS if field in fields)


def _action_check(actor: User, filing, action: str) -> None:
    require(
        may_act_on_filing(actor, filing, action), f"您无权对该项目执行“{FILING_ACTION_LABELS.get(action, action)}”。"
    )


def _transition(filing: ProjectFiling, action: str) -> None:
    ensure_transition(filing, FILING_TRANSITIONS[action], FILING_ACTION_LABELS[action])


def _filing_link(filing: ProjectFiling) -> str:
    return reverse("projects:filing-detail", args=[filing.uuid])


def _agency_people(filing: ProjectFiling) -> list:
    """Who hears of the authority's answers: the filing's author and the agency's clerks and managers."""
    return [filing.created_by, *members_with_roles(filing.agency, *AGENCY_ROLES)]


def _notify_filing(filing: ProjectFiling, *, recipients, kind: str, title: str, body: str, actor: User) -> None:
    notify(
        recipients=recipients,
        kind=kind,
        title=title,
        body=body,
        subject=filing,
        link=_filing_link(filing),
        actor=actor,
    )


def _record(filing, actor: User, action, from_state, comment="", data=None):
    timeline_record(
        obj=filing,
        actor=actor,
        action=action,
        from_state=from_state,
        to_state=filing.status,
        comment=comment,
        data=data,
    )


@transaction.atomic
def filing_create(*, actor: User, agency: Organization, is_classified: bool = False, **fields) -> ProjectFiling:
    """A new draft. Level and district follow the building agency (reviewed by the same-level authority)."""
    if is_classified:
        raise ValidationError({"is_classified": ValidationError(CLASSIFIED_REFUSAL, code="classified")})
    require(is_agency_member(actor, agency), "只有建设单位的经办人或负责人可以创建项目备案。")
    if agency.kind != OrganizationKind.AGENCY:
        raise ValidationError({"agency": "建设单位必须是国家机关。"})
    unknown = set(fields) - set(FILING_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "该字段不可在此填写。"))
    filing = ProjectFiling(agency=agency, created_by=actor, level=agency.level, district=agency.district, **fields)
    _references_check(filing)
    filing.full_clean(exclude=["status"])
    filing.save()
    _record(filing, actor, FilingEvent.CREATED, "")
    return filing


@transaction.atomic
def filing_update(*, filing: ProjectFiling, actor: User, is_classified: bool = False, **changes) -> ProjectFiling:
    if is_classified:
        raise ValidationError({"is_classified": ValidationError(CLASSIFIED_REFUSAL, code="classified")})
    _action_check(actor, filing, "edit")
    unknown = set(changes) - set(FILING_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "该字段不可在此修改。"))
    locked = lock(ProjectFiling, filing.pk)
    if locked.status not in (S.DRAFT, S.RETURNED):
        raise TransitionRefused(f"当前状态“{locked.get_status_display()}”不能修改，只有草稿或退回修改的备案可以修改。")
    changed = {}
    for name, value in changes.items():
        before = getattr(locked, name)
        if before != value:
            changed[name] = [str(before), str(value)]
            setattr(locked, name, value)
    _references_check(locked)
    locked.full_clean(exclude=["status"])
    locked.save()
    if changed:
        # What each field was and became: {"field": [before, after]}, as the organization timeline records it.
        timeline_record(obj=locked, actor=actor, action=FilingEvent.UPDATED, data={"changed": changed})
    return locked


def _references_check(filing: ProjectFiling) -> None:
    """What the filing points to must be the agency's own earlier filing and a government department."""
    errors = {}
    previous = filing.previous_filing
    if previous is not None:
        own = {filing.agency_id, filing.agency.parent_id} - {None}
        if previous.agency_id not in own:
            errors["previous_filing"] = "只能选择本单位此前的项目备案。"
        elif filing.pk is not None and previous.pk == filing.pk:
            errors["previous_filing"] = "不能选择本备案自身。"
    other = filing.other_approving_department
    if other is not None and other.kind != OrganizationKind.DEPARTMENT:
        errors["other_approving_department"] = "审批部门须为政府有关部门（第十三条）。"
    if errors:
        raise ValidationError(errors)


def filing_missing_fields(filing: ProjectFiling) -> dict[str, str]:
    """Field -> message for everything a complete filing still lacks."""
    missing = {}
    required = list(REQUIRED_FOR_SUBMISSION)
    if filing.qualification_required:
        required += REQUIRED_WHEN_QUALIFICATION_REQUIRED
    if filing.kind and filing.kind != ProjectKind.NEW:
        required += REQUIRED_UNLESS_NEW
    for name in required:
        value = getattr(filing, name)
        if value in (None, ""):
            label = ProjectFiling._meta.get_field(name).verbose_name
            missing[name] = f"请在“{_step_of(name)}”中填写{label}。"
    if filing.kind and filing.kind != ProjectKind.NEW and not filing.existing_system and not filing.previous_filing_id:
        missing["existing_system"] = (
            f"{ProjectKind(filing.kind).label}项目请在“基本信息”中填写原有系统，或选择此前的项目备案（第十三条）。"
        )
    if filing.government_investment <= Decimal("0"):
        # Art. 13 reviews government-invested projects only; say so rather than ask for a number.
        missing["government_investment"] = (
            "第十三条的审查适用于政府投资的信息化工程。本项目未填写政府投资，不属于审查范围，无须报送；"
            "如有政府投资，请在“基本信息”中填写金额（万元）。"
        )
    return missing


def _approving_department_missing(filing: ProjectFiling) -> str:
    where = "本市" if filing.level == Level.CITY else filing.get_district_display()
    if filing.other_approving_department_id is not None:
        return (
            f"所选的其他审批部门“{filing.other_approving_department}”不是{where}的有效部门，"
            "请在“基本信息”中选择同级的审批部门。"
        )
    department_type = DepartmentType(approving_department_type(filing.kind)).label
    return (
        f"系统中没有{where}的{department_type}部门，审查意见无人接收（第十三条），暂不能提交。"
        "请联系信息化主管部门登记该部门后再提交。"
    )


@transaction.atomic
def filing_submit(*, filing: ProjectFiling, actor: User) -> ProjectFiling:
    _action_check(actor, filing, "submit")
    locked = lock(ProjectFiling, filing.pk)
    _transition(locked, "submit")
    missing = filing_missing_fields(locked)
    if missing:
        raise ValidationError({name: ValidationError(text, code="incomplete") for name, text in missing.items()})
    authority = reviewing_authority_for(locked)
    if authority is None:
        raise ValidationError("未找到同级信息化主管部门，无法提交，请联系系统管理员。")
    department = approving_department_for(locked)
    if department is None:
        raise TransitionRefused(_approving_department_missing(locked), code="approving-department-missing")
    from_state = locked.status
    locked.submit()
    locked.reviewing_authority = authority
    locked.approving_department = department
    locked.submitted_at = timezone.now()
    # A resubmission after a return: the review period runs again with the working days it had left.
    resumed = deadline_resume(subject=locked, kind="project_review", actor=actor)
    if resumed is not None:
        locked.review_due_date = resumed.due_date
    locked.save()
    _record(locked, actor, FilingEvent.SUBMITTED, from_state)
    _notify_filing(
        locked,
        recipients=members_with_roles(authority, *DECIDING_ROLES),
        kind="filing_submitted",
        title=f"项目备案待受理：{locked.title}",
        body=f"{locked.agency.name}提交了项目备案“{locked.title}”，请受理并分派审查（第十三条）。",
        actor=actor,
    )
    return locked


def _reviewers_check(filing: ProjectFiling, actor: User, reviewers, self_review: bool) -> list:
    """Only reviewers of the deciding authority, never a member of the filing agency (回避); reviewing it
    oneself is an explicit choice, not what happens when nobody was picked."""
    from projects.selectors import filing_reviewer_candidates

    chosen = {user.pk: user for user in reviewers}
    if self_review:
        chosen.setdefault(actor.pk, actor)
    if not chosen:
        raise ValidationError(
            {"reviewers": ValidationError("请选择审查人员，或选择“由本人审查”。", code="reviewer-required")}
        )
    eligible = {user.pk for user in filing_reviewer_candidates(filing)}
    conflicted = [u for u in chosen.values() if u.pk not in eligible and is_agency_member(u, filing.agency)]
    if conflicted:
        names = "、".join(str(u) for u in conflicted)
        raise ValidationError(
            {
                "reviewers": ValidationError(
                    f"{names}是建设单位{filing.agency}的工作人员，应当回避，不能审查本项目。",
                    code="reviewer-conflict-of-interest",
                )
            }
        )
    strangers = [u for u in chosen.values() if u.pk not in eligible]
    if strangers:
        names = "、".join(str(u) for u in strangers)
        raise ValidationError(
            {
                "reviewers": ValidationError(
                    f"{names}不是{filing.reviewing_authority or '审查部门'}的审查人员，不能分派。",
                    code="reviewer-not-eligible",
                )
            }
        )
    return list(chosen.values())


@transaction.atomic
def filing_start_review(
    *, filing: ProjectFiling, actor: User, reviewers=(), self_review: bool = False, comment: str = ""
) -> ProjectFiling:
    """Accept the complete filing and assign reviewers; the Art. 13 review period starts today.

    ``reviewers`` are users of the deciding authority; ``self_review=True`` adds the accepting official (to
    review it alone, pass no reviewers). Each acceptance opens a new round of the checklist."""
    _action_check(actor, filing, "start_review")
    locked = lock(ProjectFiling, filing.pk)
    _transition(locked, "start_review")
    reviewers = _reviewers_check(locked, actor, list(reviewers), self_review)
    from_state = locked.status
    today = timezone.localdate()
    locked.review_round += 1
    locked.checklist_complete = False  # the new round's checklist starts empty
    locked.start_review()
    locked.review_started_at = timezone.now()
    locked.review_due_date = working_days_after(today, project_review_working_days())
    locked.save()
    for reviewer in reviewers:
        assign_perm("projects.review_projectfiling", reviewer, locked)
    deadline = deadline_open(
        subject=locked,
        kind="project_review",
        due_date=locked.review_due_date,
        organization=locked.reviewing_authority or reviewing_authority_for(locked),
        legal_basis="Art. 13",
        actor=actor,
        title=f"项目审查：{locked.title}",
    )
    if deadline.due_date != locked.review_due_date:  # resumed after a return: the days left, not a new period
        locked.review_due_date = deadline.due_date
        locked.save(update_fields=["review_due_date"])
    _record(
        locked,
        actor,
        FilingEvent.REVIEW_STARTED,
        from_state,
        comment=comment,
        data={
            "reviewers": [str(r.uuid) for r in reviewers],
            "due_date": locked.review_due_date.isoformat(),
            "round": locked.review_round,
        },
    )
    _notify_filing(
        locked,
        recipients=reviewers,
        kind="filing_review_assigned",
        title=f"请审查项目：{locked.title}",
        body=f"您被指定为“{locked.title}”的审查人，审查期限至 {locked.review_due_date:%Y-%m-%d}（第十三条）。",
        actor=actor,
    )
    return locked


@transaction.atomic
def filing_checklist_save(
    *, filing: ProjectFiling, actor: User, findings: dict[str, tuple[str, str]]
) -> list[ReviewFinding]:
    """Record the reviewer's finding on each Art. 13 dimension: {dimension: (result, text)}."""
    require(may_act_on_filing(actor, filing, "checklist"), "您不是该项目的审查人员。")
    locked = lock(ProjectFiling, filing.pk)
    if locked.status != S.IN_REVIEW:
        raise TransitionRefused(f"当前状态“{locked.get_status_display()}”不能填写审查意见，只有审查中的项目可以。")
    errors = {}
    saved = []
    for dimension, (result, text) in findings.items():
        if dimension not in ReviewDimension.values:
            errors[dimension] = "未知的审查内容。"
            continue
        if result not in FindingResult.values:
            errors[dimension] = "请选择结论：符合、存在问题或不符合。"
            continue
        if result != FindingResult.PASS and not (text or "").strip():
            errors[dimension] = (
                f"“{ReviewDimension(dimension).label}”结论为“{FindingResult(result).label}”，请写明具体意见。"
            )
            continue
        finding, _ = ReviewFinding.objects.update_or_create(
            filing=locked,
            round=locked.review_round,
            dimension=dimension,
            defaults={"result": result, "text": (text or "").strip(), "reviewer": actor},
        )
        saved.append(finding)
    if errors:
        raise ValidationError(errors)
    recorded = ReviewFinding.objects.filter(
        filing=locked, round=locked.review_round, dimension__in=ReviewDimension.values
    ).count()
    locked.checklist_complete = recorded == len(ReviewDimension.values)
    locked.save(update_fields=["checklist_complete", "updated_at"])
    timeline_record(
        obj=locked,
        actor=actor,
        action=FilingEvent.CHECKLIST_SAVED,
        data={f.dimension: f.result for f in saved},
    )
    return saved


@transaction.atomic
def filing_return(*, filing: ProjectFiling, actor: User, comment: str) -> ProjectFiling:
    """Back to the agency with what to revise; the review period pauses and resumes on resubmission."""
    _action_check(actor, filing, "return")
    locked = lock(ProjectFiling, filing.pk)
    _transition(locked, "return")
    if not (comment or "").strip():
        raise ValidationError({"comment": "请写明退回理由和需要修改的内容。"})
    from_state = locked.status
    locked.return_for_revision()
    locked.review_due_date = None
    locked.save()
    # The review period stops while the agency revises; it resumes with the days left on resubmission.
    deadline_pause(subject=locked, kind="project_review", actor=actor, comment=comment.strip())
    _record(locked, actor, FilingEvent.RETURNED, from_state, comment=comment.strip())
    _notify_filing(
        locked,
        recipients=_agency_people(locked),
        kind="filing_returned",
        title=f"项目备案被退回修改：{locked.title}",
        body=f"审查意见：{comment.strip()}\n请修改后重新提交。",
        actor=actor,
    )
    return locked


def _checklist_or_error(filing: ProjectFiling) -> dict[str, ReviewFinding]:
    # Only this round counts: after a return and resubmission every dimension is reviewed again.
    findings = {f.dimension: f for f in ReviewFinding.objects.filter(filing=filing, round=filing.review_round)}
    missing = [str(label) for value, label in ReviewDimension.choices if value not in findings]
    if missing:
        raise ValidationError(
            f"请先完成第十三条规定的全部审查内容：{'、'.join(missing)}。", code="checklist-incomplete"
        )
    return findings


def _issue_opinion(locked: ProjectFiling, actor: User, *, method: str, action: str, opinion: str, conditions: str = ""):
    from_state = locked.status
    getattr(locked, method)()
    now = timezone.now()
    issuer = locked.reviewing_authority or reviewing_authority_for(locked)
    prefix = opinion_number_prefix(issuer)
    year = timezone.localdate().year
    locked.opinion_number = format_opinion_number(
        prefix, year, document_number_next(issuer=issuer, prefix=prefix, year=year)
    )
    locked.decided_at = now
    locked.decided_by = actor
    locked.opinion_summary = opinion.strip()
    locked.conditions = conditions.strip()
    locked.review_due_date = None
    locked.save()
    deadline_meet(subject=locked, kind="project_review", actor=actor)
    _record(locked, actor, action, from_state, comment=opinion.strip(), data={"opinion_number": locked.opinion_number})
    liaisons = []
    if locked.status != S.REJECTED:
        # Art. 13 para. 3: the approving department reads the opinion before approving or funding.
        liaisons = members_with_roles(locked.approving_department, Role.DEPARTMENT_LIAISON)
    _notify_filing(
        locked,
        recipients=[*_agency_people(locked), *liaisons],
        kind="filing_decided",
        title=f"项目审查意见（{locked.opinion_number}）：{locked.title}",
        body=f"审查结论：{locked.get_status_display()}。{locked.conditions and '通过条件：' + locked.conditions}",
        actor=actor,
    )
    return locked


@transaction.atomic
def filing_approve(*, filing: ProjectFiling, actor: User, opinion: str = "") -> ProjectFiling:
    _action_check(actor, filing, "approve")
    locked = lock(ProjectFiling, filing.pk)
    _transition(locked, "approve")
    findings = _checklist_or_error(locked)
    failed = [f.get_dimension_display() for f in findings.values() if f.result == FindingResult.FAIL]
    if failed:
        raise ValidationError(
            f"以下审查内容不符合，不能审查通过：{'、'.join(failed)}（第十三条第三款）。", code="checklist-failed"
        )
    concerns = [f.get_dimension_display() for f in findings.values() if f.result == FindingResult.CONCERN]
    if concerns:
        raise ValidationError(
            f"以下审查内容存在问题：{'、'.join(concerns)}。请选择“有条件通过”并写明条件。", code="checklist-concerns"
        )
    return _issue_opinion(locked, actor, method="approve", action=FilingEvent.APPROVED, opinion=opinion)


@transaction.atomic
def filing_approve_with_conditions(
    *, filing: ProjectFiling, actor: User, conditions: str, opinion: str = ""
) -> ProjectFiling:
    _action_check(actor, filing, "approve_with_conditions")
    locked = lock(ProjectFiling, filing.pk)
    _transition(locked, "approve_with_conditions")
    if not (conditions or "").strip():
        raise ValidationError({"conditions": "请写明通过的条件（建设单位须落实的事项）。"})
    findings = _checklist_or_error(locked)
    failed = [f.get_dimension_display() for f in findings.values() if f.result == FindingResult.FAIL]
    if failed:
        raise ValidationError(
            f"以下审查内容不符合，不能通过：{'、'.join(failed)}（第十三条第三款）。", code="checklist-failed"
        )
    return _issue_opinion(
        locked,
        actor,
        method="approve_with_conditions",
        action=FilingEvent.APPROVED_WITH_CONDITIONS,
        opinion=opinion,
        conditions=conditions,
    )


@transaction.atomic
def filing_reject(*, filing: ProjectFiling, actor: User, opinion: str) -> ProjectFiling:
    _action_check(actor, filing, "reject")
    locked = lock(ProjectFiling, filing.pk)
    _transition(locked, "reject")
    if not (opinion or "").strip():
        raise ValidationError({"opinion": "请写明不予通过的理由。"})
    findings = _checklist_or_error(locked)
    if not any(f.result == FindingResult.FAIL for f in findings.values()):
        raise ValidationError(
            "不予通过须至少有一项审查内容结论为“不符合”（第十三条第三款）。", code="no-failed-dimension"
        )
    return _issue_opinion(locked, actor, method="reject", action=FilingEvent.REJECTED, opinion=opinion)


@transaction.atomic
def filing_record_approval(*, filing: ProjectFiling, actor: User, reference: str, approval_date: date) -> ProjectFiling:
    """The approving department's 立项/经费 approval, after which construction may begin."""
    _action_check(actor, filing, "record_approval")
    locked = lock(ProjectFiling, filing.pk)
    _transition(locked, "record_approval")
    errors = {}
    if not (reference or "").strip():
        errors["reference"] = "请填写审批部门的批复文号。"
    if approval_date is None:
        errors["approval_date"] = "请填写批复日期。"
    elif approval_date > timezone.localdate():
        errors["approval_date"] = "批复日期不能晚于今天。"
    elif locked.decided_at and approval_date < timezone.localtime(locked.decided_at).date():
        errors["approval_date"] = "批复日期不能早于审查意见出具日期（第十三条：先审查，后审批）。"
    if errors:
        raise ValidationError(errors)
    from_state = locked.status
    locked.record_approval()
    if locked.status == S.IN_OPERATION:
        # O&M funding: the system keeps running from the approval on; nothing to build or accept.
        locked.operation_started_on = locked.operation_started_on or approval_date
    locked.approval_reference = reference.strip()
    locked.approval_date = approval_date
    locked.save()
    _record(locked, actor, FilingEvent.APPROVAL_RECORDED, from_state, data={"reference": locked.approval_reference})
    return locked


@transaction.atomic
def filing_request_acceptance(
    *, filing: ProjectFiling, actor: User, planned_on: date | None, place: str, comment: str = ""
) -> ProjectFiling:
    """Art. 14: the agency announces when and where the completion acceptance is held; the authority is told,
    so it can attend (for government-invested projects the agency must invite it)."""
    _action_check(actor, filing, "request_acceptance")
    locked = lock(ProjectFiling, filing.pk)
    _transition(locked, "request_acceptance")
    errors = {}
    if planned_on is None:
        errors["planned_on"] = "请填写验收日期。"
    elif planned_on < timezone.localdate():
        errors["planned_on"] = "验收日期不能早于今天。"
    elif locked.approval_date and planned_on < locked.approval_date:
        errors["planned_on"] = "验收日期不能早于批复日期。"
    if not (place or "").strip():
        errors["place"] = "请填写验收地点。"
    if errors:
        raise ValidationError(errors)
    from_state = locked.status
    locked.request_acceptance()
    locked.acceptance_requested_at = timezone.now()
    locked.acceptance_planned_on = planned_on
    locked.acceptance_place = place.strip()
    locked.save()
    _record(
        locked,
        actor,
        FilingEvent.ACCEPTANCE_REQUESTED,
        from_state,
        comment=comment,
        data={"planned_on": planned_on.isoformat(), "place": locked.acceptance_place},
    )
    authority = locked.reviewing_authority or reviewing_authority_for(locked)
    _notify_filing(
        locked,
        recipients=members_with_roles(authority, *DECIDING_ROLES),
        kind="acceptance_requested",
        title=f"竣工验收邀请：{locked.title}",
        body=(
            f"{locked.agency.name}定于{planned_on.year}年{planned_on.month}月{planned_on.day}日在{locked.acceptance_place}"
            f"组织“{locked.title}”的竣工验收，请派员参加（第十四条）。"
        ),
        actor=actor,
    )
    return locked


@transaction.atomic
def filing_record_acceptance(
    *,
    filing: ProjectFiling,
    actor: User,
    passed: bool,
    held_on: date,
    participants: str,
    authority_invited: bool,
    notes: str = "",
    warranty_end: date | None = None,
) -> ProjectFiling:
    """Arts. 14-15: the agency records its completion acceptance; a pass fixes the warranty.

    Whether the authority attended is not the agency's to say: the authority confirms it
    (``filing_acceptance_attendance_confirm``)."""
    _action_check(actor, filing, "record_acceptance")
    locked = lock(ProjectFiling, filing.pk)
    _transition(locked, "record_acceptance")
    errors = {}
    today = timezone.localdate()
    requested_on = timezone.localtime(locked.acceptance_requested_at).date() if locked.acceptance_requested_at else None
    if not (participants or "").strip():
        errors["participants"] = "请填写参加验收的单位和人员。"
    if held_on is None:
        errors["held_on"] = "请填写验收日期。"
    elif held_on > today:
        errors["held_on"] = "验收日期不能晚于今天。"
    elif locked.approval_date and held_on < locked.approval_date:
        errors["held_on"] = f"验收日期不能早于批复日期（{_cn_date(locked.approval_date)}）。"
    elif requested_on and held_on < requested_on:
        errors["held_on"] = f"验收日期不能早于申请验收的日期（{_cn_date(requested_on)}）。"
    if locked.is_government_invested and not authority_invited:
        errors["authority_invited"] = "政府投资的信息化工程竣工验收应当邀请信息化主管部门参加（第十四条第二款）。"
    if passed and held_on is not None:
        if warranty_end is None:
            errors["warranty_end"] = "验收合格须填写保修期截止日期（第十五条）。"
        elif locked.is_government_invested and warranty_end < warranty_minimum_end(held_on):
            errors["warranty_end"] = (
                f"政府投资项目的保修期自验收合格之日起不得少于两年（第十五条），"
                f"最早应至 {warranty_minimum_end(held_on):%Y-%m-%d}。"
            )
        elif warranty_end <= held_on:
            errors["warranty_end"] = "保修期截止日期必须晚于验收日期（保修期自验收合格之日起算）。"
        elif warranty_end <= today:
            errors["warranty_end"] = "保修期截止日期已过，请核对：保修期自验收合格之日起算，截止日期应晚于今天。"
    if errors:
        raise ValidationError(errors)
    record = AcceptanceRecord.objects.create(
        filing=locked,
        result=AcceptanceResult.PASSED if passed else AcceptanceResult.FAILED,
        held_on=held_on,
        participants=participants.strip(),
        authority_invited=authority_invited,
        notes=(notes or "").strip(),
        warranty_end=warranty_end if passed else None,
        recorded_by=actor,
    )
    from_state = locked.status
    locked.record_acceptance(passed=passed)
    if passed:
        locked.accepted_on = held_on
        locked.warranty_end = warranty_end
    locked.save()
    _record(
        locked,
        actor,
        FilingEvent.ACCEPTANCE_PASSED if passed else FilingEvent.ACCEPTANCE_FAILED,
        from_state,
        comment=record.notes,
        data={"record": str(record.uuid), "authority_invited": authority_invited},
    )
    authority = locked.reviewing_authority or reviewing_authority_for(locked)
    result_text = (
        f"验收合格，保修期至 {warranty_end:%Y-%m-%d}（第十五条）。"
        if passed
        else "验收不合格，须整改后重新申请验收（第十四条）。"
    )
    _notify_filing(
        locked,
        recipients=members_with_roles(authority, *DECIDING_ROLES),
        kind="acceptance_recorded",
        title=f"竣工验收{'合格' if passed else '不合格'}：{locked.title}",
        body=f"{locked.agency.name}于 {held_on:%Y-%m-%d} 组织了“{locked.title}”的竣工验收：{result_text}",
        actor=actor,
    )
    if passed:
        # Art. 15: the agency is reminded before the contractor's warranty runs out.
        deadline_open(
            subject=locked,
            kind="warranty_end",
            due_date=warranty_end,
            organization=locked.agency,
            legal_basis="Art. 15",
            actor=actor,
            title=f"保修期届满：{locked.title}",
        )
    return locked


def _cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@transaction.atomic
def filing_acceptance_attendance_confirm(*, record: AcceptanceRecord, actor: User, attended: bool) -> AcceptanceRecord:
    """Art. 14: the authority itself confirms whether it attended the acceptance (officials of the reviewing
    authority, or the filing's reviewers)."""
    filing = record.filing
    require(
        is_deciding_official(actor, level=filing.level, district=filing.district)
        or is_assigned_reviewer(actor, filing),
        "只有信息化主管部门可以确认是否出席验收。",
    )
    locked = AcceptanceRecord.objects.select_for_update().get(pk=record.pk)
    if locked.attendance_confirmed_at is not None:
        raise TransitionRefused("出席情况已经确认，不能重复确认。", code="attendance-already-confirmed")
    locked.authority_attended = bool(attended)
    locked.attendance_confirmed_by = actor
    locked.attendance_confirmed_at = timezone.now()
    locked.save(update_fields=["authority_attended", "attendance_confirmed_by", "attendance_confirmed_at"])
    timeline_record(
        obj=filing,
        actor=actor,
        action=FilingEvent.ACCEPTANCE_ATTENDANCE_CONFIRMED,
        data={"record": str(locked.uuid), "attended": locked.authority_attended},
    )
    return locked


@transaction.atomic
def filing_start_operation(*, filing: ProjectFiling, actor: User, started_on: date | None = None) -> ProjectFiling:
    """Art. 14: only a project that passed acceptance may enter use."""
    _action_check(actor, filing, "start_operation")
    locked = lock(ProjectFiling, filing.pk)
    if locked.status != S.ACCEPTED or locked.accepted_on is None:
        raise TransitionRefused("未经验收或者验收不合格的信息化工程，不得投入使用（第十四条）。", code="not-accepted")
    started_on = started_on or timezone.localdate()
    if started_on > timezone.localdate():
        raise ValidationError({"started_on": "投入使用日期不能晚于今天：请在实际投入使用后登记。"})
    if started_on < locked.accepted_on:
        raise ValidationError({"started_on": "投入使用日期不能早于验收合格日期（第十四条）。"})
    from_state = locked.status
    locked.start_operation()
    locked.operation_started_on = started_on
    locked.save()
    _record(locked, actor, FilingEvent.OPERATION_STARTED, from_state)
    return locked


ROLE_DOMAIN = {ContractorRole.SUPERVISION: QualificationDomain.SUPERVISION}


def _qualification_check(filing: ProjectFiling, contractor: Organization, role: str, on: date):
    """(certificate, "") when the contractor may take on the role on that day (Art. 11), else (None, why not).

    Where national rules require no qualification there is nothing to check. Only certificates an official
    has verified count."""
    from projects.selectors import valid_qualifications

    if contractor.kind != OrganizationKind.CONTRACTOR:
        raise ValidationError({"contractor": "请选择信息化工程承建单位。"})
    if role not in ContractorRole.values:
        raise ValidationError({"role": "请选择承建、监理或安全服务。"})
    if not filing.qualification_required:
        return None, ""
    domain = ROLE_DOMAIN.get(role) or (
        QualificationDomain.SECURITY_SERVICE if role == ContractorRole.SECURITY else filing.domain
    )
    required = filing.required_qualification_level
    if not domain or required is None:
        raise ValidationError(
            {
                "contractor": "请先在“承建与软件”中填写承建资质领域和要求的最低资质等级；"
                "国家没有资质要求的，请取消勾选“须具备相应资质”。"
            }
        )
    valid = list(valid_qualifications(contractor=contractor, domain=domain, on=on))
    sufficient = [q for q in valid if qualification_level_satisfies(q.level, required)]
    if sufficient:
        return sufficient[0], ""
    if valid:
        detail = f"现有资质为{valid[0].get_level_display()}（证书 {valid[0].number}），低于要求。"
    else:
        detail = "没有在有效期内、经主管部门核验的该领域资质证书。"
    label = f"“{QualificationDomain(domain).label}”{QualificationLevel(required).label}及以上资质"
    return None, f"{contractor.name}未持有有效的{label}（第十一条）。{detail}"


@in_site_language
@transaction.atomic
def filing_contractor_assign(
    *, filing: ProjectFiling, actor: User, contractor: Organization, role: str
) -> FilingContractor:
    """Art. 11: pick a contractor holding a valid, verified qualification in the project's domain at or above
    the required level. An unqualified pick is refused; it is not a violation (nothing was taken on yet)."""
    require(may_act_on_filing(actor, filing, "assign_contractor"), "只有建设单位可以指定承建单位。")
    locked = lock(ProjectFiling, filing.pk)
    if locked.status in (S.ACCEPTED, S.IN_OPERATION, S.REJECTED):
        raise TransitionRefused(f"当前状态“{locked.get_status_display()}”不能再指定承建单位。")
    qualification, why_not = _qualification_check(locked, contractor, role, timezone.localdate())
    if why_not:
        raise ValidationError(
            {"contractor": ValidationError(f"{why_not}不能承揽本项目。", code="contractor-unqualified")}
        )
    assignment, created = FilingContractor.objects.get_or_create(
        filing=locked,
        contractor=contractor,
        role=role,
        defaults={"qualification": qualification, "assigned_by": actor},
    )
    if created:
        basis = f"依据{qualification}" if qualification else "国家无资质要求"
        timeline_record(
            obj=locked,
            actor=actor,
            action=FilingEvent.CONTRACTOR_ASSIGNED,
            comment=f"{contractor.name}（{assignment.get_role_display()}，{basis}）",
        )
    return assignment


@in_site_language
@transaction.atomic
def filing_contract_record(
    *, filing: ProjectFiling, actor: User, contractor: Organization, role: str, signed_on: date
) -> FilingContractor:
    """The contract was taken on (承揽) on ``signed_on``. A contract is a fact and is recorded whatever the
    certificates say; taken on without the qualification Art. 11 requires, it is a violation (Art. 43),
    recorded as one finding per contractor and filing however often the contract is recorded."""
    require(may_act_on_filing(actor, filing, "assign_contractor"), "只有建设单位可以登记承建合同。")
    locked = lock(ProjectFiling, filing.pk)
    if locked.status in (S.DRAFT, S.REJECTED):
        raise TransitionRefused(f"当前状态“{locked.get_status_display()}”不能登记承建合同。")
    if signed_on is None:
        raise ValidationError({"signed_on": "请填写合同签订日期。"})
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": "合同签订日期不能晚于今天：请在签订后登记。"})
    qualification, why_not = _qualification_check(locked, contractor, role, signed_on)
    assignment, _ = FilingContractor.objects.update_or_create(
        filing=locked,
        contractor=contractor,
        role=role,
        defaults={"qualification": qualification, "assigned_by": actor, "contract_signed_on": signed_on},
    )
    timeline_record(
        obj=locked,
        actor=actor,
        action=FilingEvent.CONTRACT_RECORDED,
        comment=f"{contractor.name}（{assignment.get_role_display()}）于{_cn_date(signed_on)}签订合同",
        data={"contractor": str(contractor.uuid), "qualified": not why_not},
    )
    if why_not:
        compliance_finding_record_unqualified(filing=locked, contractor=contractor, actor=actor, detail=why_not)
    return assignment


@transaction.atomic
def filing_document_add(*, filing: ProjectFiling, actor: User, uploaded, description: str = ""):
    require(may_act_on_filing(actor, filing, "upload"), "您无权为该项目上传附件。")
    return attachment_create(obj=filing, uploaded=uploaded, actor=actor, description=description)


@transaction.atomic
def filing_comment(*, filing: ProjectFiling, actor: User, comment: str):
    require(may_act_on_filing(actor, filing, "comment"), "您无权对该项目发表意见。")
    if not (comment or "").strip():
        raise ValidationError({"comment": "请填写意见内容。"})
    return timeline_record(obj=filing, actor=actor, action=FilingEvent.COMMENT, comment=comment.strip())
