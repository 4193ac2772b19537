"""Every write to an informatization plan (Art. 6): one function per transition.

Each checks the actor's role (403), locks the row, checks the state (409), moves it, writes the timeline,
opens/closes the conformity-review deadline and queues notifications in the outbox.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from planning.models import Plan, PlanStatus, PlanVersion
from planning.permissions import may_act_on_plan, may_draft_plan
from planning.rules import APPROVER_BY_KIND, PlanKind, plan_conformity_review_working_days
from planning.services.common import notify, working_days_after
from portal.access import require
from portal.models import Level, Organization, OrganizationKind, Role
from portal.selectors import members_with_roles
from portal.services import attachment_create, deadline_meet, deadline_open, timeline_record
from portal.workflow import Refused, ensure_transition, lock

S = PlanStatus
EDITABLE_STATES = (S.DRAFT, S.RETURNED)
PLAN_EDITABLE_FIELDS = ("title", "period_start", "period_end", "summary", "conforms_to")
ACTION_LABELS = {
    "edit": "修改规划",
    "add_version": "上传新版本",
    "submit_for_review": "报送市信息化主管部门审核",
    "confirm_conformity": "审核通过",
    "return_for_revision": "退回修改",
    "record_approval": "登记批准",
    "publish": "公布实施",
}
NO_VERSION = "plan-without-version"


def _check(actor, plan: Plan, action: str) -> None:
    require(may_act_on_plan(actor, plan, action), f"您无权对该规划执行“{ACTION_LABELS[action]}”。")


def _link(plan: Plan) -> str:
    return reverse("planning:plan-detail", args=[plan.uuid])


def _record(plan: Plan, actor, action: str, from_state: str, comment: str = "", data=None) -> None:
    timeline_record(
        obj=plan, actor=actor, action=action, from_state=from_state, to_state=plan.status, comment=comment, data=data
    )


def _city_authority() -> Organization | None:
    return (
        Organization.objects.filter(kind=OrganizationKind.AUTHORITY, level=Level.CITY, is_active=True)
        .order_by("id")
        .first()
    )


def _validate_conformity(kind: str, conforms_to: Plan | None) -> None:
    """Art. 6: a district plan follows the city plan; a department's plan must state the city plan it conforms to."""
    if kind == PlanKind.CITY:
        if conforms_to is not None:
            raise ValidationError({"conforms_to": "本市信息化发展规划依据国家规划编制，不选择所依据的本市规划。"})
        return
    if conforms_to is None:
        if kind == PlanKind.SPECIAL:
            raise ValidationError(
                {
                    "conforms_to": ValidationError(
                        "部门规划应当写明所符合的本市信息化发展规划（第六条第三款）。", code="conformity-missing"
                    )
                }
            )
        return
    if conforms_to.kind != PlanKind.CITY or conforms_to.status != S.PUBLISHED:
        raise ValidationError(
            {"conforms_to": ValidationError("请选择已公布实施的本市信息化发展规划。", code="conformity-not-city-plan")}
        )


@transaction.atomic
def plan_create(
    *,
    actor,
    kind: str,
    organization: Organization,
    title: str,
    period_start: int,
    period_end: int,
    summary: str = "",
    conforms_to: Plan | None = None,
) -> Plan:
    """A new draft. Who drafts follows Art. 6: the city authority, a district authority, or the agency itself."""
    require(may_draft_plan(actor, kind=kind, organization=organization), "您无权以该单位名义编制此类规划（第六条）。")
    _validate_conformity(kind, conforms_to)
    plan = Plan(
        kind=kind,
        organization=organization,
        district=organization.district if kind == PlanKind.DISTRICT else "",
        title=title,
        period_start=period_start,
        period_end=period_end,
        summary=summary,
        conforms_to=conforms_to,
        created_by=actor,
    )
    plan.full_clean(exclude=["status"])
    plan.save()
    _record(plan, actor, "plan_created", "")
    return plan


@transaction.atomic
def plan_update(*, plan: Plan, actor, **changes) -> Plan:
    _check(actor, plan, "edit")
    unknown = set(changes) - set(PLAN_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "该字段不可在此修改。"))
    locked = lock(Plan, plan.pk)
    if locked.status not in EDITABLE_STATES:
        raise Refused(f"当前状态“{locked.get_status_display()}”不能修改，只有编制中或退回修改的规划可以修改。")
    if "conforms_to" in changes:
        _validate_conformity(locked.kind, changes["conforms_to"])
    changed = sorted(name for name, value in changes.items() if getattr(locked, name) != value)
    for name in changed:
        setattr(locked, name, changes[name])
    locked.full_clean(exclude=["status"])
    locked.save()
    if changed:
        timeline_record(obj=locked, actor=actor, action="plan_updated", data={"changed": changed})
    return locked


@transaction.atomic
def plan_version_add(*, plan: Plan, actor, note: str, document=None) -> PlanVersion:
    """A new text of the plan (with its document). Only while it is being drafted or revised."""
    _check(actor, plan, "add_version")
    locked = lock(Plan, plan.pk)
    if locked.status not in EDITABLE_STATES:
        raise Refused(
            f"当前状态“{locked.get_status_display()}”不能上传新版本；审核通过或批准后的文本不能再改动。",
            code="plan-text-fixed",
        )
    if not (note or "").strip():
        raise ValidationError({"note": "请填写修订说明。"})
    number = (PlanVersion.objects.filter(plan=locked).aggregate(n=Max("number"))["n"] or 0) + 1
    version = PlanVersion.objects.create(plan=locked, number=number, note=note.strip(), created_by=actor)
    if document is not None:
        attachment_create(obj=version, uploaded=document, actor=actor, description=f"第{number}版")
    timeline_record(obj=locked, actor=actor, action="plan_version_added", comment=note.strip(), data={"number": number})
    return version


def _latest_version(plan: Plan) -> PlanVersion:
    version = PlanVersion.objects.filter(plan=plan).order_by("-number").first()
    if version is None:
        raise Refused("请先上传规划文本（新版本），再办理此步骤。", code=NO_VERSION)
    return version


@transaction.atomic
def plan_submit_for_review(*, plan: Plan, actor, comment: str = "") -> Plan:
    """Art. 6 para. 2: the district authority sends its plan to the city authority for review."""
    _check(actor, plan, "submit_for_review")
    locked = lock(Plan, plan.pk)
    ensure_transition(locked, "submit_for_review", ACTION_LABELS["submit_for_review"])
    _latest_version(locked)
    authority = _city_authority()
    if authority is None:
        raise ValidationError("未找到市信息化主管部门，无法报送，请联系系统管理员。")
    from_state = locked.status
    locked.submit_for_review()
    locked.submitted_at = timezone.now()
    locked.review_due_date = working_days_after(timezone.localdate(), plan_conformity_review_working_days())
    locked.save()
    deadline_open(
        subject=locked,
        kind="plan_conformity_review",
        due_date=locked.review_due_date,
        organization=authority,
        legal_basis="Art. 6",
        actor=actor,
        title=f"区规划审核：{locked.title}",
    )
    _record(locked, actor, "plan_submitted_for_review", from_state, comment=comment)
    notify(
        recipients=members_with_roles(authority, Role.AUTHORITY_OFFICIAL),
        kind="plan_review_requested",
        title=f"区规划待审核：{locked.title}",
        body=f"{locked.organization.name}报送了“{locked.title}”，请审核是否符合本市信息化发展规划（第六条），"
        f"期限至 {locked.review_due_date:%Y-%m-%d}。",
        subject=locked,
        link=_link(locked),
        actor=actor,
    )
    return locked


def _decide(plan: Plan, actor, *, action: str, method: str, opinion: str, event: str, verdict: str) -> Plan:
    _check(actor, plan, action)
    locked = lock(Plan, plan.pk)
    ensure_transition(locked, method, ACTION_LABELS[action])
    if not (opinion or "").strip():
        raise ValidationError({"opinion": "请填写审核意见（是否符合本市信息化发展规划及理由）。"})
    from_state = locked.status
    getattr(locked, method)()
    locked.reviewed_at = timezone.now()
    locked.reviewed_by = actor
    locked.review_opinion = opinion.strip()
    locked.review_due_date = None
    locked.save()
    deadline_meet(subject=locked, kind="plan_conformity_review", actor=actor)
    _record(locked, actor, event, from_state, comment=locked.review_opinion)
    notify(
        recipients=[
            locked.created_by,
            *members_with_roles(locked.organization, Role.DISTRICT_OFFICIAL, Role.AUTHORITY_OFFICIAL),
        ],
        kind="plan_reviewed",
        title=f"区规划审核{verdict}：{locked.title}",
        body=f"市信息化主管部门审核意见：{locked.review_opinion}",
        subject=locked,
        link=_link(locked),
        actor=actor,
    )
    return locked


@transaction.atomic
def plan_confirm_conformity(*, plan: Plan, actor, opinion: str) -> Plan:
    """The city authority finds the district plan consistent with the city plan; on to the district government."""
    return _decide(
        plan,
        actor,
        action="confirm_conformity",
        method="confirm_conformity",
        opinion=opinion,
        event="plan_conformity_confirmed",
        verdict="通过",
    )


@transaction.atomic
def plan_return_for_revision(*, plan: Plan, actor, opinion: str) -> Plan:
    """The city authority sends the district plan back with what does not conform."""
    return _decide(
        plan,
        actor,
        action="return_for_revision",
        method="return_for_revision",
        opinion=opinion,
        event="plan_returned",
        verdict="退回修改",
    )


@transaction.atomic
def plan_record_approval(
    *, plan: Plan, actor, approval_reference: str, approval_date: date, approved_by_body: str = ""
) -> Plan:
    """Art. 6: approval by the city government (city plan), the district government (after review), or the agency."""
    _check(actor, plan, "record_approval")
    locked = lock(Plan, plan.pk)
    ensure_transition(locked, "record_approval", ACTION_LABELS["record_approval"])
    _latest_version(locked)
    errors = {}
    if not (approval_reference or "").strip():
        errors["approval_reference"] = "请填写批准文号。"
    if approval_date is None:
        errors["approval_date"] = "请填写批准日期。"
    elif approval_date > timezone.localdate():
        errors["approval_date"] = ValidationError("批准日期不能晚于今天。", code="date-in-future")
    if errors:
        raise ValidationError(errors)
    from_state = locked.status
    locked.record_approval()
    locked.approved_by_body = (approved_by_body or "").strip() or str(APPROVER_BY_KIND[locked.kind])
    locked.approval_reference = approval_reference.strip()
    locked.approval_date = approval_date
    locked.save()
    _record(
        locked,
        actor,
        "plan_approved",
        from_state,
        comment=f"{locked.approved_by_body} {locked.approval_reference}",
        data={"approval_date": approval_date.isoformat()},
    )
    return locked


@transaction.atomic
def plan_publish(*, plan: Plan, actor, published_on: date | None = None) -> Plan:
    """Art. 6: 公布实施. The latest version becomes the public text; nothing unpublished is ever public."""
    _check(actor, plan, "publish")
    locked = lock(Plan, plan.pk)
    ensure_transition(locked, "publish", ACTION_LABELS["publish"])
    version = _latest_version(locked)
    published_on = published_on or timezone.localdate()
    if locked.approval_date and published_on < locked.approval_date:
        raise ValidationError(
            {"published_on": ValidationError("公布日期不能早于批准日期。", code="published-before-approval")}
        )
    from_state = locked.status
    locked.publish()
    locked.published_on = published_on
    locked.published_version = version
    locked.save()
    _record(locked, actor, "plan_published", from_state, data={"version": version.number})
    return locked
