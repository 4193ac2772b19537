"""Every write of Chapters 6-7: the nightly detection, triage, one service per case transition, inspections and
evaluations. Each transition: permission, lock, state, timeline event, deadlines, notifications (outbox)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from enforcement import rules
from enforcement.models import (
    DECIDED_STATES,
    Case,
    CaseNumberSequence,
    CaseStatus,
    Finding,
    FindingStatus,
    Inspection,
    InspectionArea,
    PerformanceEvaluation,
    Sanction,
    ServiceEvaluation,
    ServiceGrade,
)
from enforcement.permissions import may_act_on_case, may_enforce
from portal.access import require
from portal.detectors import detectors
from portal.models import Level, Membership, Organization, OrganizationKind, Role, User
from portal.services import (
    attachment_create,
    deadline_extend,
    deadline_meet,
    deadline_open,
    deadline_waive,
    notification_create,
    timeline_record,
)
from portal.workdays import add_calendar_days, add_working_days
from portal.workflow import Refused, ensure_transition, lock

# --- findings -------------------------------------------------------------------------------------------------


def findings_detect(rules: Iterable[str] | None = None) -> dict[str, int]:
    """Ask every registered detector (or only those of ``rules``) for its offenders and record one finding
    per rule and object.

    Idempotent: an object that already has a finding for the rule (open, dismissed or in a case) is skipped,
    and the partial unique constraint makes two overlapping runs insert each open finding once."""
    created: dict[str, int] = {}
    for det in detectors():
        if rules is not None and det.rule not in rules:
            continue
        offenders = list(det.offenders())
        if not offenders:
            created[det.rule] = 0
            continue
        by_type: dict[int, list] = {}
        for obj in offenders:
            by_type.setdefault(ContentType.objects.get_for_model(obj).pk, []).append(obj)
        rows = []
        for ct_id, objs in by_type.items():
            known = set(
                Finding.objects.filter(
                    rule=det.rule, content_type_id=ct_id, object_id__in=[o.pk for o in objs]
                ).values_list("object_id", flat=True)
            )
            for obj in objs:
                if obj.pk in known:
                    continue
                party = det.party(obj)
                rows.append(
                    Finding(
                        rule=det.rule,
                        title=det.title,
                        article_breached=det.article_breached,
                        sanctioning_article=det.sanctioning_article,
                        content_type_id=ct_id,
                        object_id=obj.pk,
                        party=party if isinstance(party, Organization) else None,
                        level=getattr(party, "level", Level.CITY) or Level.CITY,
                        district=getattr(party, "district", "") or "",
                        evidence=det.evidence(obj),
                        subject_url=det.url(obj) if det.url is not None else "",
                    )
                )
        with transaction.atomic():
            Finding.objects.bulk_create(rows, ignore_conflicts=True)
        created[det.rule] = len(rows)
    return created


def _finding_for_update(finding: Finding, actor) -> Finding:
    require(may_enforce(actor, district=finding.district), "您无权处理该违法线索。")
    locked = Finding.objects.select_for_update().get(pk=finding.pk)
    if locked.status != FindingStatus.OPEN:
        raise Refused(f"该线索已{locked.get_status_display()}，不能再处理。")
    return locked


@transaction.atomic
def finding_dismiss(*, finding: Finding, actor: User, reason: str) -> Finding:
    locked = _finding_for_update(finding, actor)
    if not (reason or "").strip():
        raise ValidationError({"reason": ValidationError("请填写不予立案的理由。", code="reason-required")})
    locked.status = FindingStatus.DISMISSED
    locked.dismiss_reason = reason.strip()
    locked.triaged_by, locked.triaged_at = actor, timezone.now()
    locked.save(update_fields=["status", "dismiss_reason", "triaged_by", "triaged_at"])
    timeline_record(
        obj=locked, actor=actor, action="finding_dismissed", to_state="dismissed", comment=locked.dismiss_reason
    )
    return locked


@transaction.atomic
def finding_open_case(
    *, finding: Finding, actor: User, officers: list[User], facts: str = "", competent_department: str = ""
) -> Finding:
    """Register a penalty case from the finding (立案); the finding points at the case."""
    locked = _finding_for_update(finding, actor)
    if locked.party_id is None:
        raise Refused("该线索没有可追责的单位，不能直接立案：请在立案页面填写当事人。", code="party-missing")
    article, item = rules.parse_sanctioning_article(locked.sanctioning_article)
    case = case_register(
        actor=actor,
        party_organization=locked.party,
        article_breached=locked.article_breached,
        sanctioning_article=article,
        sanctioning_item=item,
        facts=(facts or "").strip() or locked.evidence,
        officers=officers,
        competent_department=competent_department,
        district=locked.district,
    )
    locked.status = FindingStatus.CASE_OPENED
    locked.case = case
    locked.triaged_by, locked.triaged_at = actor, timezone.now()
    locked.save(update_fields=["status", "case", "triaged_by", "triaged_at"])
    timeline_record(obj=locked, actor=actor, action="finding_case_opened", to_state="case_opened", comment=case.number)
    return locked


# --- cases ----------------------------------------------------------------------------------------------------


def _authority_of(actor: User, district: str) -> Organization:
    """The authority the actor acts for: the district authority for a district case when they belong to it."""
    rows = list(
        Organization.objects.filter(
            kind=OrganizationKind.AUTHORITY,
            memberships__user=actor,
            memberships__role__in=[Role.AUTHORITY_OFFICIAL, Role.ENFORCEMENT_OFFICER, Role.DISTRICT_OFFICIAL],
        ).distinct()
    )
    for org in rows:
        if district and org.district == district:
            return org
    for org in rows:
        if org.level == Level.CITY:
            return org
    if rows:
        return rows[0]
    city = Organization.objects.filter(kind=OrganizationKind.AUTHORITY, level=Level.CITY).order_by("pk").first()
    if city is None:
        raise Refused("系统中没有信息化主管部门，不能立案。", code="authority-missing")
    return city


def case_number_allocate(*, authority: Organization, year: int) -> str:
    """Next case number of the authority for the year, in one atomic upsert (no duplicates under concurrency)."""
    prefix = rules.case_number_prefix(authority)
    table = CaseNumberSequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} (authority_id, prefix, year, last_number) VALUES (%s, %s, %s, 1)
            ON CONFLICT (authority_id, prefix, year) DO UPDATE SET last_number = {table}.last_number + 1
            RETURNING last_number
            """,  # noqa: S608 (table name from model meta, values bound)
            [authority.pk, prefix, year],
        )
        sequence = cursor.fetchone()[0]
    return rules.format_case_number(prefix, year, sequence)


def _officers_check(officers: list[User]) -> list[User]:
    unique = {o.pk: o for o in officers}
    if len(unique) < rules.MIN_OFFICERS:
        raise ValidationError(
            {
                "officers": ValidationError(
                    f"执法人员不得少于{rules.MIN_OFFICERS}人（{rules.OFFICERS_BASIS}）。", code="officers-too-few"
                )
            }
        )
    staff = set(
        Membership.objects.filter(
            user_id__in=unique,
            organization__kind=OrganizationKind.AUTHORITY,
            role__in=[Role.AUTHORITY_OFFICIAL, Role.ENFORCEMENT_OFFICER, Role.DISTRICT_OFFICIAL],
        ).values_list("user_id", flat=True)
    )
    outsiders = [str(o) for pk, o in unique.items() if pk not in staff]
    if outsiders:
        raise ValidationError(
            {"officers": ValidationError(f"{'、'.join(outsiders)}不是主管部门的执法人员。", code="officer-not-staff")}
        )
    return list(unique.values())


@transaction.atomic
def case_register(
    *,
    actor: User,
    article_breached: str,
    sanctioning_article: int,
    facts: str,
    officers: list[User],
    party_organization: Organization | None = None,
    party_person_name: str = "",
    party_person_id_number: str = "",
    sanctioning_item: int | None = None,
    competent_department: str = "",
    district: str | None = None,
    registered_on: date | None = None,
) -> Case:
    """立案: the case gets its number, its officers and the 90-day decision clock (行政处罚法第六十条)."""
    if district is None:
        district = party_organization.district if party_organization is not None else ""
    require(may_enforce(actor, district=district), "您无权立案。")
    errors = {}
    if party_organization is None:
        if not party_person_name.strip():
            errors["party"] = "请填写当事人：单位，或个人的姓名与身份证件号码。"
        elif not party_person_id_number.strip():
            errors["party_person_id_number"] = "当事人为个人时须填写身份证件号码。"
    if sanctioning_article not in rules.ARTICLE_SANCTIONS:
        errors["sanctioning_article"] = "罚则条款只能是第四十三条至第四十六条。"
    if not (facts or "").strip():
        errors["facts"] = "请写明违法事实。"
    if errors:
        raise ValidationError(errors)
    officers = _officers_check(officers)
    authority = _authority_of(actor, district)
    today = registered_on or timezone.localdate()
    case = Case(
        number=case_number_allocate(authority=authority, year=today.year),
        authority=authority,
        level=Level.DISTRICT if district else Level.CITY,
        district=district,
        party_organization=party_organization,
        party_person_name=party_person_name.strip(),
        party_person_id_number=party_person_id_number.strip(),
        article_breached=str(article_breached),
        sanctioning_article=sanctioning_article,
        sanctioning_item=sanctioning_item,
        competent_department=competent_department.strip(),
        facts=facts.strip(),
        registered_on=today,
        created_by=actor,
    )
    case.full_clean(exclude=["officers", "status"])
    case.save()
    case.officers.set(officers)
    timeline_record(obj=case, actor=actor, action="case_registered", to_state=case.status, comment=case.number)
    deadline_open(
        subject=case,
        kind="penalty_decision",
        due_date=add_calendar_days(today, rules.DECISION_DAYS),
        organization=authority,
        legal_basis=rules.DECISION_BASIS,
        actor=actor,
        title=f"作出处罚决定：{case.number}",
    )
    return case


def case_url(case: Case) -> str:
    return reverse("enforcement:case-detail", kwargs={"uuid": case.uuid})


def _party_users(case: Case) -> list[User]:
    if case.party_organization_id is None:
        return []
    return list(
        User.objects.filter(is_active=True, memberships__organization_id=case.party_organization_id)
        .distinct()
        .order_by("pk")
    )


def _notify(case: Case, recipients, title: str, body: str = "") -> None:
    recipients = list(recipients)
    if recipients:
        notification_create(
            recipients=recipients, kind="penalty_case", title=title, body=body, link=case_url(case), subject=case
        )


def _begin(case: Case, actor: User, action: str, method: str, label: str) -> Case:
    require(may_act_on_case(actor, case, action), f"您无权对该案件执行“{label}”。")
    locked = lock(Case, case.pk)
    ensure_transition(locked, method, label)
    return locked


def _finish(case: Case, actor: User, action: str, before: str, comment: str = "", **data) -> Case:
    case.save()
    timeline_record(
        obj=case, actor=actor, action=action, from_state=before, to_state=case.status, comment=comment, data=data
    )
    return case


@transaction.atomic
def case_investigate(*, case: Case, actor: User) -> Case:
    locked = _begin(case, actor, "investigate", "investigate", "开始调查")
    before = locked.status
    locked.investigate()
    return _finish(locked, actor, "case_investigating", before)


@transaction.atomic
def case_notify(*, case: Case, actor: User, sanctions: list[dict], statement: str = "") -> Case:
    """告知 (行政处罚法第四十四条): the proposed sanction; the rights to a defence and, if it qualifies, a hearing."""
    locked = _begin(case, actor, "notify", "notify", "送达处罚告知书")
    proposed = rules.sanctions_check(
        article=locked.sanctioning_article, sanctions=sanctions, competent_department=locked.competent_department
    )
    before = locked.status
    today = timezone.localdate()
    locked.notify()
    locked.notified_on = today
    locked.proposed_sanctions = [
        {**s, "amount": str(s["amount"]) if s["amount"] is not None else None} for s in proposed
    ]
    locked.hearing_eligible = rules.hearing_qualifies(
        proposed, authority=locked.authority, party_is_person=locked.party_is_person
    )
    _finish(locked, actor, "case_notified", before, comment=statement)
    # The party's period to state a defence and (where it qualifies) ask for a hearing.
    deadline_open(
        subject=locked,
        kind="penalty_hearing_request",
        due_date=add_working_days(today, rules.HEARING_REQUEST_WORKING_DAYS),
        organization=locked.party_organization or locked.authority,
        legal_basis=rules.HEARING_REQUEST_BASIS,
        actor=actor,
        title=f"陈述申辩{'、申请听证' if locked.hearing_eligible else ''}：{locked.number}",
    )
    rights = "并有权在告知之日起5个工作日内要求听证" if locked.hearing_eligible else ""
    _notify(
        locked,
        _party_users(locked),
        f"行政处罚事先告知：{locked.number}",
        f"拟依据{locked.article_citation}给予处罚。你单位有权进行陈述和申辩{rights}（{rules.NOTICE_BASIS}）。",
    )
    return locked


def hearing_request_window_end(case: Case) -> date | None:
    if case.notified_on is None:
        return None
    return add_working_days(case.notified_on, rules.HEARING_REQUEST_WORKING_DAYS)


@transaction.atomic
def case_request_hearing(*, case: Case, actor: User, on: date | None = None) -> Case:
    locked = _begin(case, actor, "request_hearing", "request_hearing", "申请听证")
    if not locked.hearing_eligible:
        raise Refused("拟作出的处罚不属于可以要求听证的情形（行政处罚法第六十三条）。", code="hearing-not-eligible")
    on = on or timezone.localdate()
    end = hearing_request_window_end(locked)
    if end is not None and on > end:
        raise Refused(
            f"听证申请期限已于 {end} 届满（{rules.HEARING_REQUEST_BASIS}：告知后5个工作日内）。",
            code="hearing-request-late",
        )
    before = locked.status
    locked.request_hearing()
    locked.hearing_requested_on = on
    _finish(locked, actor, "hearing_requested", before)
    deadline_meet(subject=locked, kind="penalty_hearing_request", actor=actor)
    _notify(locked, locked.officers.all(), f"当事人申请听证：{locked.number}")
    return locked


@transaction.atomic
def case_schedule_hearing(*, case: Case, actor: User, hearing_date: date) -> Case:
    """The hearing is notified at least 7 days ahead (行政处罚法第六十四条第二项)."""
    require(may_enforce(actor, district=case.district), "您无权安排听证。")
    locked = lock(Case, case.pk)
    if locked.status != CaseStatus.HEARING_REQUESTED:
        raise Refused(f"当前状态“{locked.get_status_display()}”不能安排听证。")
    earliest = timezone.localdate() + timedelta(days=rules.HEARING_NOTICE_DAYS)
    if hearing_date < earliest:
        raise ValidationError(
            {
                "hearing_date": ValidationError(
                    f"听证应当在举行7日前通知当事人（{rules.HEARING_NOTICE_BASIS}）：最早可安排在 {earliest}。",
                    code="hearing-notice-too-short",
                )
            }
        )
    locked.hearing_date = hearing_date
    locked.save(update_fields=["hearing_date", "updated_at"])
    timeline_record(obj=locked, actor=actor, action="hearing_scheduled", comment=str(hearing_date))
    _notify(locked, _party_users(locked), f"听证通知：{locked.number}", f"听证定于 {hearing_date} 举行。")
    return locked


@transaction.atomic
def case_hold_hearing(*, case: Case, actor: User, record: str) -> Case:
    locked = _begin(case, actor, "hold_hearing", "hold_hearing", "记录听证")
    if locked.hearing_date is None or locked.hearing_date > timezone.localdate():
        raise Refused("听证尚未举行：请先安排听证日期，并在听证之后记录。", code="hearing-not-held")
    if not (record or "").strip():
        raise ValidationError({"record": "请填写听证笔录摘要。"})
    before = locked.status
    locked.hold_hearing()
    locked.hearing_record = record.strip()
    return _finish(locked, actor, "hearing_held", before)


@transaction.atomic
def case_decide(
    *, case: Case, actor: User, sanctions: list[dict], decision_text: str = "", correction_due: date | None = None
) -> Case:
    """决定: only after the notice, and after the hearing-request period when the party may ask for one;
    the sanctions within the article and no heavier than the notice announced."""
    locked = _begin(case, actor, "decide", "decide", "作出处罚决定")
    today = timezone.localdate()
    decided = rules.sanctions_check(
        article=locked.sanctioning_article, sanctions=sanctions, competent_department=locked.competent_department
    )
    if locked.status == CaseStatus.NOTIFIED:
        end = hearing_request_window_end(locked)
        if end is not None and today <= end:
            raise Refused(
                f"当事人陈述申辩、申请听证的期限至 {end} 届满，届满前不能作出决定（{rules.HEARING_REQUEST_BASIS}）。",
                code="defence-period-running",
            )
    proposed = {s["kind"]: s for s in locked.proposed_sanctions}
    for s in decided:
        announced = proposed.get(s["kind"])
        heavier = announced is None or (
            s["amount"] is not None and Decimal(str(s["amount"])) > Decimal(str(announced.get("amount") or 0))
        )
        if heavier:
            raise ValidationError(
                {
                    "sanctions": ValidationError(
                        f"决定的“{rules.SanctionKind(s['kind']).label}”重于告知书所列处罚：须重新告知（{rules.NOTICE_BASIS}）。",
                        code="heavier-than-notice",
                    )
                }
            )
    if any(s["kind"] == rules.SanctionKind.CORRECTION for s in decided) and correction_due is None:
        raise ValidationError(
            {"correction_due": ValidationError("责令限期改正须写明改正期限。", code="correction-due-required")}
        )
    if correction_due is not None and correction_due <= today:
        raise ValidationError({"correction_due": "改正期限须晚于今天。"})
    before = locked.status
    locked.decide()
    locked.decided_on = today
    locked.decision_text = (decision_text or "").strip()
    locked.fine_total = sum((s["amount"] for s in decided if s["amount"] is not None), Decimal("0"))
    _finish(locked, actor, "case_decided", before, comment=locked.decision_text)
    Sanction.objects.bulk_create(
        [
            Sanction(
                case=locked,
                kind=s["kind"],
                amount=s["amount"],
                serious_reasons=s["serious_reasons"],
                correction_due=correction_due if s["kind"] == rules.SanctionKind.CORRECTION else None,
            )
            for s in decided
        ]
    )
    deadline_meet(subject=locked, kind="penalty_decision", actor=actor)
    deadline_meet(subject=locked, kind="penalty_hearing_request", actor=actor)
    deadline_open(
        subject=locked,
        kind="penalty_publication",
        due_date=add_working_days(today, rules.PUBLICATION_WORKING_DAYS),
        organization=locked.authority,
        legal_basis=rules.PUBLICATION_BASIS,
        actor=actor,
        title=f"公开处罚决定：{locked.number}",
    )
    if correction_due is not None:
        deadline_open(
            subject=locked,
            kind="penalty_correction",
            due_date=correction_due,
            organization=locked.party_organization or locked.authority,
            legal_basis=locked.article_citation,
            actor=actor,
            title=f"责令改正期限：{locked.number}",
        )
    _notify(locked, _party_users(locked), f"行政处罚决定：{locked.number}")
    return locked


@transaction.atomic
def case_serve(*, case: Case, actor: User, served_on: date | None = None) -> Case:
    """送达: the 15-day payment period starts (行政处罚法第六十七条)."""
    locked = _begin(case, actor, "serve", "serve", "送达决定书")
    served_on = served_on or timezone.localdate()
    if served_on < locked.decided_on or served_on > timezone.localdate():
        raise ValidationError({"served_on": f"送达日期须在决定日期 {locked.decided_on} 与今天之间。"})
    before = locked.status
    locked.serve()
    locked.served_on = served_on
    if locked.fine_total > 0:
        locked.payment_due = add_calendar_days(served_on, rules.PAYMENT_DAYS)
    _finish(locked, actor, "case_served", before)
    if locked.payment_due:
        deadline_open(
            subject=locked,
            kind="penalty_payment",
            due_date=locked.payment_due,
            organization=locked.party_organization or locked.authority,
            legal_basis=rules.PAYMENT_BASIS,
            actor=actor,
            title=f"缴纳罚款：{locked.number}",
        )
    return locked


@transaction.atomic
def case_execute(*, case: Case, actor: User) -> Case:
    locked = _begin(case, actor, "execute", "execute", "进入执行")
    before = locked.status
    locked.execute()
    return _finish(locked, actor, "case_executing", before)


@transaction.atomic
def case_record_payment(*, case: Case, actor: User, paid_on: date, amount: Decimal) -> Case:
    """The fine and any surcharge owed on the day of payment (行政处罚法第七十二条第一项) must be paid in full."""
    require(may_enforce(actor, district=case.district), "您无权登记缴款。")
    locked = lock(Case, case.pk)
    if locked.status not in (CaseStatus.SERVED, CaseStatus.EXECUTING) or locked.fine_total <= 0:
        raise Refused("只有已送达且处以罚款的案件才能登记缴款。")
    if locked.paid_on is not None:
        raise Refused("该案件已登记缴款。")
    owed = locked.fine_total + rules.surcharge(fine=locked.fine_total, payment_due=locked.payment_due, on=paid_on)
    if amount < owed:
        raise ValidationError(
            {"amount": ValidationError(f"截至 {paid_on} 应缴 {owed:,.2f} 元（含加处罚款）。", code="payment-short")}
        )
    locked.paid_on, locked.paid_amount = paid_on, amount
    locked.save(update_fields=["paid_on", "paid_amount", "updated_at"])
    timeline_record(obj=locked, actor=actor, action="payment_recorded", comment=f"{amount} 元，{paid_on}")
    deadline_meet(subject=locked, kind="penalty_payment", actor=actor)
    return locked


@transaction.atomic
def case_record_reinspection(*, case: Case, actor: User, corrected: bool, result: str, on: date | None = None) -> Case:
    """Re-inspection after the correction deadline: the record, and the deadline met (or left overdue)."""
    require(may_enforce(actor, district=case.district), "您无权登记复查。")
    locked = lock(Case, case.pk)
    sanction = locked.sanctions.filter(kind=rules.SanctionKind.CORRECTION).first()
    if sanction is None:
        raise Refused("该案件没有责令改正的处罚，无需复查。")
    if not (result or "").strip():
        raise ValidationError({"result": "请填写复查结论。"})
    on = on or timezone.localdate()
    sanction.reinspected_on, sanction.reinspection_result, sanction.corrected = on, result.strip(), corrected
    sanction.save(update_fields=["reinspected_on", "reinspection_result", "corrected"])
    Inspection.objects.create(
        authority=locked.authority,
        subject=locked.party_organization or locked.authority,
        area=InspectionArea.REINSPECTION,
        level=locked.level,
        district=locked.district,
        planned_on=on,
        conducted_on=on,
        conclusion=result.strip(),
        case=locked,
        created_by=actor,
    )
    timeline_record(
        obj=locked, actor=actor, action="reinspection_recorded", comment=result.strip(), data={"corrected": corrected}
    )
    if corrected:
        deadline_meet(subject=locked, kind="penalty_correction", actor=actor)
    return locked


@transaction.atomic
def case_close(*, case: Case, actor: User) -> Case:
    locked = _begin(case, actor, "close", "close", "结案")
    if locked.fine_total > 0 and locked.paid_on is None:
        raise Refused("罚款尚未缴清，不能结案。", code="fine-unpaid")
    before = locked.status
    locked.close()
    locked.closed_on = timezone.localdate()
    return _finish(locked, actor, "case_closed", before)


@transaction.atomic
def case_not_penalize(*, case: Case, actor: User, reason: str) -> Case:
    locked = _begin(case, actor, "not_penalize", "not_penalize", "不予处罚")
    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写不予处罚的理由。"})
    before = locked.status
    locked.not_penalize()
    locked.outcome_reason = reason.strip()
    locked.closed_on = timezone.localdate()
    _finish(locked, actor, "case_not_penalized", before, comment=locked.outcome_reason)
    _close_clocks(locked, actor, "不予处罚")
    return locked


@transaction.atomic
def case_refer(*, case: Case, actor: User, body: str, reason: str) -> Case:
    """Art. 47 (public security, state security, secrecy, market regulation) or Art. 48 (supervisory body)."""
    locked = _begin(case, actor, "refer", "refer", "移送")
    if body not in rules.ReferralBody.values:
        raise ValidationError({"body": "请选择移送机关。"})
    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写移送理由。"})
    before = locked.status
    locked.refer()
    locked.referral_body = body
    locked.outcome_reason = reason.strip()
    locked.closed_on = timezone.localdate()
    _finish(locked, actor, "case_referred", before, comment=locked.outcome_reason, article=rules.REFERRAL_ARTICLE[body])
    _close_clocks(locked, actor, "已移送")
    return locked


def _close_clocks(case: Case, actor: User, why: str) -> None:
    from portal.selectors.deadlines import deadlines_for

    for deadline in deadlines_for(case).filter(state__in=["open", "overdue"]):
        deadline_waive(deadline=deadline, reason=f"案件{why}", actor=actor)


@transaction.atomic
def case_publish(*, case: Case, actor: User) -> Case:
    """Publish the decision on the public page (within 7 working days of the decision)."""
    require(may_enforce(actor, district=case.district), "您无权公开处罚决定。")
    locked = lock(Case, case.pk)
    if locked.status not in DECIDED_STATES:
        raise Refused("只有已作出的处罚决定才能公开。")
    if locked.is_published:
        raise Refused("该决定已公开。")
    locked.published_at, locked.withdrawn_at = timezone.now(), None
    locked.save(update_fields=["published_at", "withdrawn_at", "updated_at"])
    timeline_record(obj=locked, actor=actor, action="decision_published")
    deadline_meet(subject=locked, kind="penalty_publication", actor=actor)
    return locked


@transaction.atomic
def case_revoke(*, case: Case, actor: User, reason: str) -> Case:
    """A revoked decision is withdrawn from the public page."""
    locked = _begin(case, actor, "revoke", "revoke", "撤销决定")
    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写撤销理由。"})
    before = locked.status
    locked.revoke()
    locked.outcome_reason = reason.strip()
    if locked.published_at is not None:
        locked.withdrawn_at = timezone.now()
    _finish(locked, actor, "case_revoked", before, comment=locked.outcome_reason)
    _close_clocks(locked, actor, "决定已撤销")
    return locked


@transaction.atomic
def case_extend_decision(*, case: Case, actor: User, new_due_date: date, reason: str, approval_reference: str) -> Case:
    """Extending the 90-day decision period needs the approval of the authority's head (行政处罚法第六十条)."""
    from portal.selectors.deadlines import deadlines_for

    require(may_enforce(actor, district=case.district), "您无权延长办案期限。")
    if not (approval_reference or "").strip():
        raise ValidationError({"approval_reference": "请填写负责人批准的文号或记录。"})
    deadline = deadlines_for(case).filter(kind_id="penalty_decision", state__in=["open", "overdue"]).first()
    if deadline is None:
        raise Refused("该案件没有进行中的决定期限。")
    deadline_extend(
        deadline=deadline,
        new_due_date=new_due_date,
        reason=f"{reason}（批准：{approval_reference.strip()}）",
        approved_by=actor,
        actor=actor,
    )
    return case


def case_attach_evidence(*, case: Case, actor: User, uploaded, description: str = ""):
    require(may_enforce(actor, district=case.district), "您无权上传证据。")
    attachment = attachment_create(obj=case, uploaded=uploaded, actor=actor, description=description)
    timeline_record(obj=case, actor=actor, action="evidence_added", data={"name": attachment.original_name})
    return attachment


# --- supervision and evaluations (Arts. 38-41) ----------------------------------------------------------------


@transaction.atomic
def inspection_record(
    *,
    actor: User,
    subject: Organization,
    area: str,
    planned_on: date,
    conducted_on: date | None = None,
    conclusion: str = "",
    violation: dict | None = None,
) -> Inspection:
    """An inspection; ``violation`` ({title, article_breached, sanctioning_article}) records a finding to triage."""
    require(may_enforce(actor, district=subject.district), "您无权登记监督检查。")
    inspection = Inspection(
        authority=_authority_of(actor, subject.district),
        subject=subject,
        area=area,
        level=subject.level,
        district=subject.district,
        planned_on=planned_on,
        conducted_on=conducted_on,
        conclusion=conclusion,
        created_by=actor,
    )
    inspection.full_clean()
    inspection.save()
    timeline_record(obj=inspection, actor=actor, action="inspection_recorded", comment=conclusion)
    if violation:
        rules.parse_sanctioning_article(violation["sanctioning_article"])
        Finding.objects.create(
            rule=f"inspection-{area}",
            title=violation["title"],
            article_breached=violation["article_breached"],
            sanctioning_article=violation["sanctioning_article"],
            content_type=ContentType.objects.get_for_model(Inspection),
            object_id=inspection.pk,
            party=subject,
            level=subject.level,
            district=subject.district,
            evidence=conclusion or violation["title"],
        )
    return inspection


@transaction.atomic
def performance_evaluation_record(
    *, actor: User, year: int, agency: Organization, indicators: dict[str, Decimal], published: bool = False
) -> PerformanceEvaluation:
    """Art. 38: the yearly e-government performance evaluation; the score is the sum of the indicator scores."""
    require(may_enforce(actor, district=agency.district), "您无权登记绩效考核。")
    score = sum((Decimal(str(v)) for v in indicators.values()), Decimal("0"))
    evaluation, _ = PerformanceEvaluation.objects.update_or_create(
        year=year,
        agency=agency,
        defaults={
            "evaluator": _authority_of(actor, agency.district),
            "indicators": {k: str(v) for k, v in indicators.items()},
            "score": score,
            "published": published,
        },
    )
    evaluation.full_clean()
    timeline_record(obj=evaluation, actor=actor, action="evaluation_recorded", comment=str(score))
    return evaluation


def service_grade(score: Decimal) -> str:
    if score >= 90:
        return ServiceGrade.EXCELLENT
    if score >= 75:
        return ServiceGrade.GOOD
    if score >= 60:
        return ServiceGrade.PASS
    return ServiceGrade.FAIL


@transaction.atomic
def service_evaluation_record(
    *,
    actor: User,
    year: int,
    enterprise: Organization,
    sector_authority: Organization,
    score: Decimal,
    summary: str,
    publish: bool = True,
) -> ServiceEvaluation:
    """Art. 41: the sector authority evaluates a public enterprise's information services and publishes it."""
    scope_ok = (
        may_enforce(actor, district=enterprise.district)
        or Membership.objects.filter(user=actor, organization=sector_authority).exists()
    )
    require(scope_ok, "您无权登记服务评估。")
    if enterprise.kind != OrganizationKind.PUBLIC_ENTERPRISE:
        raise ValidationError({"enterprise": "只能评估公共企事业单位（第四十一条）。"})
    evaluation, _ = ServiceEvaluation.objects.update_or_create(
        year=year,
        enterprise=enterprise,
        defaults={
            "sector_authority": sector_authority,
            "score": score,
            "grade": service_grade(Decimal(str(score))),
            "summary": summary,
            "published_at": timezone.now() if publish else None,
        },
    )
    timeline_record(obj=evaluation, actor=actor, action="service_evaluation_recorded", comment=str(score))
    return evaluation
