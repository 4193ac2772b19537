"""Inter-agency sharing (Art. 21; 国发〔2016〕51号): request, negotiation, escalation, decision, grant.

The provider answers within ``RESOURCE_SHARING_REPLY_WORKING_DAYS`` working days (a ``sharing_reply``
deadline with reminders): agree, counter-proposal or refusal with reasons. An unconditional resource, and a
base database that is not secret (Art. 18), cannot be refused (400 naming the rule). When negotiation fails,
or the provider lets the deadline pass, the requester escalates to the same-level authority, whose decision
binds both sides. Every step is a ``SharingRound``; an agreement becomes a ``SharingGrant``.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from portal.access import require
from portal.models import User
from portal.services import deadline_meet, deadline_open, timeline_record
from portal.workflow import Refused, ensure_transition, lock
from resources.catalog_permissions import is_agency_member, may_decide_sharing
from resources.models import (
    CatalogResource,
    GrantStatus,
    ResourceStatus,
    RoundParty,
    SharingGrant,
    SharingRequest,
    SharingRound,
    SharingStatus,
)
from resources.rules import (
    BASE_DATABASE_REFUSAL,
    GRANT_EXPIRY_REMINDER_DAYS,
    UNCONDITIONAL_REFUSAL,
    ShareType,
    sharing_reply_working_days,
)
from resources.services.common import agency_people, notify, officials_for, working_days_after

R = SharingStatus
REPLY_KIND = "sharing_reply"
GRANT_END_KIND = "sharing_grant_end"
LABELS = {
    "agree": "同意共享",
    "counter": "提出修改意见",
    "refuse": "拒绝共享",
    "accept": "接受修改意见",
    "revise": "修改申请",
    "escalate": "报请主管部门协调",
    "decide": "协调决定",
    "withdraw": "撤回申请",
}


def sharing_link(request: SharingRequest) -> str:
    return reverse("resources:sharing-detail", args=[request.uuid])


def _items_of(resource: CatalogResource, items) -> list:
    items = list(items)
    if not items:
        raise ValidationError({"items": "请至少选择一个信息项。"}, code="items-missing")
    foreign = [i for i in items if i.resource_id != resource.pk]
    if foreign:
        raise ValidationError({"items": "所选信息项不属于该资源。"}, code="items-foreign")
    return items


def _check_period(period_end: date) -> None:
    if period_end <= timezone.localdate():
        raise ValidationError({"period_end": "使用期限应晚于今天。"}, code="period-past")


def _round(request, *, party, action, actor, reason="", terms=True) -> SharingRound:
    number = (request.rounds.aggregate(n=Max("number"))["n"] or 0) + 1
    return SharingRound.objects.create(
        request=request,
        number=number,
        party=party,
        action=action,
        item_names=[i.name for i in request.items.order_by("position")] if terms else [],
        scope=request.scope if terms else "",
        purpose=request.purpose if terms else "",
        method=request.method if terms else "",
        period_end=request.period_end if terms else None,
        reason=reason,
        actor=actor,
    )


def _record(request, actor, action, before, comment=""):
    timeline_record(
        obj=request, actor=actor, action=action, from_state=before, to_state=request.status, comment=comment
    )


def _tell(request, recipients, kind, title, body, actor):
    notify(
        recipients=recipients,
        kind=kind,
        title=title,
        body=body,
        subject=request,
        link=sharing_link(request),
        actor=actor,
    )


def _open_reply_deadline(request: SharingRequest, actor) -> None:
    due = working_days_after(timezone.localdate(), sharing_reply_working_days())
    request.reply_due_date = due
    request.save(update_fields=["reply_due_date", "updated_at"])
    deadline_open(
        subject=request,
        kind=REPLY_KIND,
        due_date=due,
        organization=request.provider,
        legal_basis="Art. 21；国发〔2016〕51号",
        actor=actor,
        title=f"答复共享申请：{request.requester}申请“{request.resource}”",
    )


@transaction.atomic
def sharing_request_create(
    *, actor: User, requester, resource: CatalogResource, items, scope: str, purpose: str, method: str, period_end: date
) -> SharingRequest:
    require(is_agency_member(actor, requester), "只有需求单位的经办人或负责人可以申请共享。")
    if resource.status != ResourceStatus.PUBLISHED:
        raise Refused("只能申请共享政务信息资源目录中已发布的资源（第二十一条）。", code="resource-not-published")
    if resource.provider_id == requester.pk:
        raise ValidationError({"resource": "不能申请共享本单位的资源。"}, code="own-resource")
    if resource.is_secret:
        raise ValidationError({"resource": "涉及国家秘密的资源不在本门户共享。"}, code="secret")
    items = _items_of(resource, items)
    closed = [i.name for i in items if i.share_type == ShareType.NONE]
    if closed:
        raise ValidationError({"items": f"以下信息项不予共享，不能申请：{'、'.join(closed)}。"}, code="item-not-shared")
    if not scope.strip() or not purpose.strip():
        raise ValidationError({"purpose": "请写明共享范围和用途（第二十一条）。"}, code="purpose-missing")
    _check_period(period_end)
    provider = resource.provider
    request = SharingRequest.objects.create(
        resource=resource,
        requester=requester,
        provider=provider,
        requested_by=actor,
        scope=scope.strip(),
        purpose=purpose.strip(),
        method=method,
        period_end=period_end,
        level=requester.level,
        district=requester.district,
    )
    request.items.set(items)
    _open_reply_deadline(request, actor)
    _round(request, party=RoundParty.REQUESTER, action="request", actor=actor)
    _record(request, actor, "sharing_requested", "")
    _tell(
        request,
        agency_people(provider),
        "sharing_requested",
        f"收到共享申请：{requester.name}申请“{resource.name}”",
        f"请于{request.reply_due_date:%Y-%m-%d}前答复（第二十一条）。",
        actor,
    )
    return request


def _provider_check(actor, request, action):
    require(is_agency_member(actor, request.provider), f"只有提供单位可以{LABELS[action]}。")


def _requester_check(actor, request, action):
    require(is_agency_member(actor, request.requester), f"只有需求单位可以{LABELS[action]}。")


def _grant(request: SharingRequest, actor, *, by_decision: bool) -> SharingGrant:
    grant = SharingGrant.objects.create(
        request=request,
        resource=request.resource,
        grantee=request.requester,
        purpose=request.purpose,
        method=request.method,
        ends_on=request.period_end,
        by_decision=by_decision,
    )
    grant.items.set(request.items.all())
    deadline_open(
        subject=grant,
        kind=GRANT_END_KIND,
        due_date=grant.ends_on,
        organization=grant.grantee,
        legal_basis="Art. 21",
        actor=actor,
        title=f"共享授权到期：{request.resource}",
    )
    timeline_record(obj=grant, actor=actor, action="grant_created", to_state=grant.status)
    return grant


@transaction.atomic
def sharing_agree(*, request: SharingRequest, actor: User, comment: str = "") -> SharingRequest:
    _provider_check(actor, request, "agree")
    locked = lock(SharingRequest, request.pk)
    ensure_transition(locked, "agree", LABELS["agree"])
    before = locked.status
    locked.agree()
    locked.decided_at = timezone.now()
    locked.save()
    deadline_meet(subject=locked, kind=REPLY_KIND, actor=actor)
    _round(locked, party=RoundParty.PROVIDER, action="agree", actor=actor, reason=comment)
    _grant(locked, actor, by_decision=False)
    _record(locked, actor, "sharing_agreed", before, comment)
    _tell(
        locked,
        agency_people(locked.requester),
        "sharing_answered",
        f"提供单位同意共享“{locked.resource}”",
        comment,
        actor,
    )
    return locked


@transaction.atomic
def sharing_counter(
    *,
    request: SharingRequest,
    actor: User,
    items,
    scope: str,
    method: str,
    period_end: date,
    reason: str,
) -> SharingRequest:
    """The provider proposes changed items, scope, method or period; the requester accepts, revises or escalates."""
    _provider_check(actor, request, "counter")
    if not reason.strip():
        raise ValidationError({"reason": "请说明修改意见的理由。"}, code="reason-missing")
    locked = lock(SharingRequest, request.pk)
    ensure_transition(locked, "counter", LABELS["counter"])
    items = _items_of(locked.resource, items)
    _check_period(period_end)
    before = locked.status
    locked.counter()
    locked.scope, locked.method, locked.period_end = scope.strip() or locked.scope, method, period_end
    locked.save()
    locked.items.set(items)
    deadline_meet(subject=locked, kind=REPLY_KIND, actor=actor)
    _round(locked, party=RoundParty.PROVIDER, action="counter", actor=actor, reason=reason)
    _record(locked, actor, "sharing_countered", before, reason)
    _tell(
        locked,
        agency_people(locked.requester),
        "sharing_answered",
        f"提供单位对共享“{locked.resource}”提出修改意见",
        reason,
        actor,
    )
    return locked


def _refusal_forbidden(resource: CatalogResource) -> str:
    if resource.share_type == ShareType.UNCONDITIONAL:
        return UNCONDITIONAL_REFUSAL
    if resource.base_database_id and not resource.is_secret:
        return BASE_DATABASE_REFUSAL
    return ""


@transaction.atomic
def sharing_refuse(*, request: SharingRequest, actor: User, reason: str) -> SharingRequest:
    _provider_check(actor, request, "refuse")
    rule = _refusal_forbidden(request.resource)
    if rule:
        code = "unconditional-cannot-refuse" if "无条件" in rule else "base-database-cannot-refuse"
        raise ValidationError({"reason": ValidationError(rule, code=code)})
    if not reason.strip():
        raise ValidationError({"reason": "拒绝共享须说明理由和依据。"}, code="reason-missing")
    locked = lock(SharingRequest, request.pk)
    ensure_transition(locked, "refuse", LABELS["refuse"])
    before = locked.status
    locked.refuse()
    locked.save()
    deadline_meet(subject=locked, kind=REPLY_KIND, actor=actor)
    _round(locked, party=RoundParty.PROVIDER, action="refuse", actor=actor, reason=reason, terms=False)
    _record(locked, actor, "sharing_refused", before, reason)
    _tell(
        locked,
        agency_people(locked.requester),
        "sharing_answered",
        f"提供单位拒绝共享“{locked.resource}”",
        reason,
        actor,
    )
    return locked


@transaction.atomic
def sharing_accept(*, request: SharingRequest, actor: User, comment: str = "") -> SharingRequest:
    _requester_check(actor, request, "accept")
    locked = lock(SharingRequest, request.pk)
    ensure_transition(locked, "accept_counter", LABELS["accept"])
    before = locked.status
    locked.accept_counter()
    locked.decided_at = timezone.now()
    locked.save()
    _round(locked, party=RoundParty.REQUESTER, action="accept", actor=actor, reason=comment)
    _grant(locked, actor, by_decision=False)
    _record(locked, actor, "sharing_accepted", before, comment)
    _tell(
        locked,
        agency_people(locked.provider),
        "sharing_answered",
        f"需求单位接受修改意见：{locked.resource}",
        comment,
        actor,
    )
    return locked


@transaction.atomic
def sharing_revise(
    *,
    request: SharingRequest,
    actor: User,
    items,
    scope: str,
    purpose: str,
    method: str,
    period_end: date,
    reason: str = "",
) -> SharingRequest:
    """The requester answers a counter-proposal or refusal with changed terms: a new round for the provider."""
    _requester_check(actor, request, "revise")
    locked = lock(SharingRequest, request.pk)
    ensure_transition(locked, "revise", LABELS["revise"])
    items = _items_of(locked.resource, items)
    _check_period(period_end)
    before = locked.status
    locked.revise()
    locked.scope, locked.purpose, locked.method, locked.period_end = scope.strip(), purpose.strip(), method, period_end
    locked.save()
    locked.items.set(items)
    _open_reply_deadline(locked, actor)
    _round(locked, party=RoundParty.REQUESTER, action="revise", actor=actor, reason=reason)
    _record(locked, actor, "sharing_revised", before, reason)
    _tell(
        locked, agency_people(locked.provider), "sharing_requested", f"共享申请已修改：{locked.resource}", reason, actor
    )
    return locked


@transaction.atomic
def sharing_escalate(*, request: SharingRequest, actor: User, reason: str) -> SharingRequest:
    """Art. 21 para. 2: negotiation failed (or the provider let the deadline pass): the same-level authority decides."""
    _requester_check(actor, request, "escalate")
    if not reason.strip():
        raise ValidationError({"reason": "请说明协商未达成一致的情况。"}, code="reason-missing")
    locked = lock(SharingRequest, request.pk)
    ensure_transition(locked, "escalate", LABELS["escalate"])
    if locked.status == R.AWAITING_PROVIDER and (
        locked.reply_due_date is None or locked.reply_due_date >= timezone.localdate()
    ):
        raise Refused(
            f"提供单位的答复期限（{locked.reply_due_date:%Y-%m-%d}）尚未届满，请先等待答复或协商。",
            code="reply-period-running",
        )
    before = locked.status
    locked.escalate()
    locked.escalated_at = timezone.now()
    locked.save()
    _round(locked, party=RoundParty.REQUESTER, action="escalate", actor=actor, reason=reason, terms=False)
    _record(locked, actor, "sharing_escalated", before, reason)
    recipients = officials_for(level=locked.level, district=locked.district) + agency_people(locked.provider)
    _tell(
        locked,
        recipients,
        "sharing_escalated",
        f"共享争议报请协调：{locked.requester}申请“{locked.resource}”",
        reason,
        actor,
    )
    return locked


@transaction.atomic
def sharing_decide(
    *, request: SharingRequest, actor: User, grant: bool, reason: str, items=None, period_end: date | None = None
) -> SharingRequest:
    """The authority's decision binds both sides (Art. 21 para. 2)."""
    require(may_decide_sharing(actor, request), "只有同级信息化主管部门可以作出协调决定。")
    if not reason.strip():
        raise ValidationError({"reason": "请写明协调决定的理由。"}, code="reason-missing")
    locked = lock(SharingRequest, request.pk)
    ensure_transition(locked, "decide_grant" if grant else "decide_deny", LABELS["decide"])
    before = locked.status
    if grant:
        if items is not None:
            locked.items.set(_items_of(locked.resource, items))
        if period_end is not None:
            _check_period(period_end)
            locked.period_end = period_end
        locked.decide_grant()
    else:
        rule = _refusal_forbidden(locked.resource)
        if rule:
            raise ValidationError({"grant": ValidationError(rule, code="unconditional-cannot-refuse")})
        locked.decide_deny()
    locked.decided_at = timezone.now()
    locked.save()
    _round(
        locked,
        party=RoundParty.AUTHORITY,
        action="decide_grant" if grant else "decide_deny",
        actor=actor,
        reason=reason,
    )
    if grant:
        _grant(locked, actor, by_decision=True)
    _record(locked, actor, "sharing_decided", before, reason)
    recipients = agency_people(locked.requester) + agency_people(locked.provider)
    verdict = "共享" if grant else "不予共享"
    _tell(locked, recipients, "sharing_decided", f"协调决定：{verdict}“{locked.resource}”", reason, actor)
    return locked


@transaction.atomic
def sharing_withdraw(*, request: SharingRequest, actor: User, reason: str = "") -> SharingRequest:
    _requester_check(actor, request, "withdraw")
    locked = lock(SharingRequest, request.pk)
    ensure_transition(locked, "withdraw", LABELS["withdraw"])
    before = locked.status
    locked.withdraw()
    locked.save()
    deadline_meet(subject=locked, kind=REPLY_KIND, actor=actor)
    _round(locked, party=RoundParty.REQUESTER, action="withdraw", actor=actor, reason=reason, terms=False)
    _record(locked, actor, "sharing_withdrawn", before, reason)
    return locked


@transaction.atomic
def grant_revoke(*, grant: SharingGrant, actor: User, reason: str) -> SharingGrant:
    require(is_agency_member(actor, grant.resource.provider), "只有提供单位可以撤销共享授权。")
    if not reason.strip():
        raise ValidationError({"reason": "撤销共享授权须说明理由。"}, code="reason-missing")
    locked = lock(SharingGrant, grant.pk)
    if locked.status != GrantStatus.ACTIVE:
        raise Refused("该授权已不在有效期内。")
    if locked.by_decision:
        raise Refused("依主管部门协调决定的授权不能由提供单位单方撤销（第二十一条第二款）。", code="binding-decision")
    locked.status = GrantStatus.REVOKED
    locked.revoke_reason = reason.strip()
    locked.revoked_at = timezone.now()
    locked.save()
    deadline_meet(subject=locked, kind=GRANT_END_KIND, actor=actor)
    timeline_record(
        obj=locked, actor=actor, action="grant_revoked", from_state="active", to_state="revoked", comment=reason
    )
    notify(
        recipients=agency_people(locked.grantee),
        kind="sharing_grant_changed",
        title=f"共享授权已撤销：{locked.resource}",
        body=reason,
        subject=locked,
        link=sharing_link(locked.request),
        actor=actor,
    )
    return locked


def grants_expire(*, today: date | None = None) -> int:
    """Mark active grants past their end date expired (selectors already hide them from that day)."""
    today = today or timezone.localdate()
    return SharingGrant.objects.filter(status=GrantStatus.ACTIVE, ends_on__lt=today).update(status=GrantStatus.EXPIRED)


def grants_remind_expiring(*, today: date | None = None) -> int:
    """Tell grantee and provider that a grant ends in ``GRANT_EXPIRY_REMINDER_DAYS`` days (Art. 21).

    The daily task runs once a day, so selecting the grants ending exactly that many days from today
    reminds each grant once, without a flag to maintain."""
    from datetime import timedelta

    today = today or timezone.localdate()
    ends_on = today + timedelta(days=GRANT_EXPIRY_REMINDER_DAYS)
    grants = SharingGrant.objects.filter(status=GrantStatus.ACTIVE, ends_on=ends_on).select_related(
        "resource__provider", "grantee", "request"
    )
    sent = 0
    with transaction.atomic():
        for grant in grants:
            sent += notify(
                recipients=agency_people(grant.grantee) + agency_people(grant.resource.provider),
                kind="grant_expiring",
                title=f"共享授权即将到期：{grant.resource.name}",
                body=f"{grant.grantee.name}对“{grant.resource.name}”的共享授权将于{ends_on:%Y年%m月%d日}到期；"
                "需要继续使用的，请重新提出共享申请。",
                subject=grant.request,
                link=sharing_link(grant.request),
                actor=None,
            )
    return sent
