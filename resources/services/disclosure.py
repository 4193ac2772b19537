"""Writes of government information disclosure (Art. 19) and public-enterprise disclosures (Art. 20).

The statutory clock of an application (政府信息公开条例 Arts. 30-33) lives in ``reply_due_date`` and in
one running ``Deadline`` through ``portal.services``:

- receipt (Art. 31: the date depends on the channel) opens ``disclosure_reply`` (20 working days) and
  ``disclosure_correction_notice`` (the 7-working-day window for a 补正 notice, which simply expires);
- a 补正 notice stops the clock: the running reply deadline is met (the agency acted in time) and a new
  one opens, 20 working days from the day the corrected request arrives;
- the one extension meets the running deadline and opens ``disclosure_reply_extended`` at most 20
  working days later;
- consulting pauses the clock: the deadline is met, the working days left are kept, and when the answer
  comes a deadline opens for exactly those days (a third party has 15 working days to answer:
  ``disclosure_consultation``).

Every step also writes a timeline event and tells the applicant by email when an address was given.
"""

import secrets
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from portal import workdays
from portal.access import require, scope_for
from portal.models import Level, Membership, Organization, OrganizationKind, Role
from portal.services import deadline_meet, deadline_open, notification_create, timeline_record
from portal.workflow import Refused, ensure_transition, lock
from resources import rules_disclosure as rules
from resources.models.disclosure import (
    AnnualReport,
    CatalogEntry,
    DisclosureApplication,
    DisclosureGuide,
    EnterpriseDisclosure,
)
from resources.models.disclosure import ApplicationStatus as S

AGENCY_ROLES = (Role.AGENCY_CLERK, Role.AGENCY_MANAGER)
DISCLOSING_KINDS = (OrganizationKind.AGENCY, OrganizationKind.DEPARTMENT, OrganizationKind.AUTHORITY)
# No 0/O, 1/I/L: read over the phone and typed from a letter.
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REPLY_KINDS = ("disclosure_reply", "disclosure_reply_extended")


def add_working_days(start: date, days: int) -> date:
    try:
        return workdays.add_working_days(start, days)
    except workdays.MissingCalendarYear as missing:
        raise ValidationError(
            f"工作日历尚未载入 {missing.year} 年的节假日安排，无法计算期限，请联系系统管理员。", code="calendar-missing"
        ) from missing


def working_days_between(start: date, end: date) -> int:
    try:
        return workdays.working_days_between(start, end)
    except workdays.MissingCalendarYear as missing:
        raise ValidationError(
            f"工作日历尚未载入 {missing.year} 年的节假日安排，无法计算期限，请联系系统管理员。", code="calendar-missing"
        ) from missing


# --- permissions ---------------------------------------------------------------------------------


def is_disclosure_staff(user, agency: Organization) -> bool:
    """A clerk or manager of the agency (or of its parent) handles its disclosure work."""
    scope = scope_for(user)
    return scope.has_role_in(agency.pk, *AGENCY_ROLES) or (
        agency.parent_id is not None and scope.has_role_in(agency.parent_id, *AGENCY_ROLES)
    )


def is_supervising_official(user, organization: Organization) -> bool:
    """The authority (city-wide, or the district's) supervises disclosure (Art. 19) and Art. 20 items."""
    if user.is_superuser:
        return True
    scope = scope_for(user)
    if scope.has_authority_role(level=Level.CITY, district="", roles=(Role.AUTHORITY_OFFICIAL,)):
        return True
    return scope.has_authority_role(
        level=Level.DISTRICT, district=organization.district, roles=(Role.AUTHORITY_OFFICIAL, Role.DISTRICT_OFFICIAL)
    )


def is_enterprise_staff(user, enterprise: Organization) -> bool:
    return scope_for(user).has_role_in(enterprise.pk, Role.PUBLIC_ENTERPRISE_CLERK)


# --- access codes --------------------------------------------------------------------------------


def _random(length: int) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def access_code_hash(code: str) -> str:
    # A keyed hash, not a password hash: codes are random (about 50 bits) and the look-up is rate limited,
    # so a slow hash would only cost every honest look-up.
    return salted_hmac("disclosure-access-code", code.strip().upper()).hexdigest()


def access_code_matches(application: DisclosureApplication, code: str) -> bool:
    return constant_time_compare(application.access_code_hash, access_code_hash(code or ""))


def _new_tracking_number(today: date) -> str:
    while True:
        number = f"GK{today:%Y}{_random(8)}"
        if not DisclosureApplication.objects.filter(tracking_number=number).exists():
            return number


def _tell_applicant(application: DisclosureApplication, subject: str, body: str) -> None:
    if not application.email:
        return
    link = settings.PORTAL_BASE_URL + reverse("disclosure:track")
    text = f"{body}\n\n查询编号：{application.tracking_number}\n查询进度：{link}"
    transaction.on_commit(
        lambda: send_mail(subject, text, None, [application.email], fail_silently=True)  # outbox is for users
    )


def _tell_agency(application: DisclosureApplication, title: str, actor=None) -> None:
    recipients = (
        Membership.objects.filter(organization=application.agency, role__in=AGENCY_ROLES, user__is_active=True)
        .exclude(user=actor if actor is not None and actor.is_authenticated else None)
        .values_list("user_id", flat=True)
    )
    notification_create(
        recipients=sorted(set(recipients)),
        kind="disclosure_application",
        title=title,
        body=str(application),
        link=reverse("disclosure:application-detail", kwargs={"uuid": application.uuid}),
        subject=application,
    )


def _step_date(value: date | None, *, field: str, not_before: date | None = None, label: str = "") -> date:
    today = timezone.localdate()
    value = value or today
    if value > today:
        raise ValidationError({field: "日期不能晚于今天。"})
    if not_before is not None and value < not_before:
        raise ValidationError({field: f"日期不能早于{label} {not_before:%Y-%m-%d}。"})
    return value


# --- applications --------------------------------------------------------------------------------

APPLICANT_FIELDS = (
    "applicant_kind",
    "applicant_name",
    "id_type",
    "id_number",
    "contact",
    "email",
    "address",
    "description",
    "delivery_form",
    "delivery_channel",
)


def _build(*, agency: Organization, channel: str, actor, fields: dict) -> tuple[DisclosureApplication, str]:
    if agency.kind not in DISCLOSING_KINDS or not agency.is_active:
        raise ValidationError({"agency": "请选择受理申请的行政机关。"})
    unknown = set(fields) - set(APPLICANT_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "该字段不可在此填写。"))
    code = _random(10)
    application = DisclosureApplication(
        agency=agency,
        level=agency.level,
        district=agency.district,
        channel=channel,
        tracking_number=_new_tracking_number(timezone.localdate()),
        access_code_hash=access_code_hash(code),
        created_by=actor if actor is not None and actor.is_authenticated else None,
        **fields,
    )
    application.full_clean(exclude=["status"])
    application.save()
    return application, code


def _start_clock(application: DisclosureApplication, *, start: date, actor, first: bool) -> None:
    """Open the reply period from ``start`` (receipt, or arrival of the corrected request)."""
    application.clock_start = start
    application.reply_due_date = add_working_days(start, rules.REPLY_WORKING_DAYS)
    deadline_open(
        subject=application,
        kind="disclosure_reply",
        due_date=application.reply_due_date,
        organization=application.agency,
        legal_basis=rules.REPLY_BASIS,
        actor=actor,
        title=f"答复政府信息公开申请 {application.tracking_number}",
    )
    if first:
        application.correction_notice_by = add_working_days(start, rules.CORRECTION_NOTICE_WORKING_DAYS)
        deadline_open(
            subject=application,
            kind="disclosure_correction_notice",
            due_date=application.correction_notice_by,
            organization=application.agency,
            legal_basis=rules.CORRECTION_BASIS,
            actor=actor,
            title=f"补正告知期限 {application.tracking_number}",
        )


@transaction.atomic
def application_submit_public(*, agency: Organization, **fields) -> tuple[DisclosureApplication, str]:
    """A member of the public applies online; the clock starts when the agency confirms receipt (Art. 31)."""
    application, code = _build(agency=agency, channel=rules.Channel.ONLINE, actor=None, fields=fields)
    timeline_record(obj=application, actor=None, action="disclosure_submitted", to_state=application.status)
    _tell_agency(application, f"收到网上政府信息公开申请 {application.tracking_number}")
    _tell_applicant(
        application,
        "政府信息公开申请已提交",
        f"您向{agency.name}提交的政府信息公开申请已收到。查询码：{code}（请妥善保存，本邮件之外不再显示）。",
    )
    return application, code


@transaction.atomic
def application_record(
    *, actor, agency: Organization, channel: str, received_on: date, **fields
) -> tuple[DisclosureApplication, str]:
    """Staff record an application received in person, by mail or fax, with its Art. 31 receipt date."""
    require(is_disclosure_staff(actor, agency), "只有本机关的经办人或负责人可以登记申请。")
    if channel not in rules.Channel.values:
        raise ValidationError({"channel": "请选择提交方式。"})
    received_on = _step_date(received_on, field="received_on")
    application, code = _build(agency=agency, channel=channel, actor=actor, fields=fields)
    application.confirm_receipt()
    application.received_on = received_on
    _start_clock(application, start=received_on, actor=actor, first=True)
    application.save()
    timeline_record(
        obj=application,
        actor=actor,
        action="disclosure_recorded",
        from_state=S.SUBMITTED,
        to_state=application.status,
        comment=rules.RECEIPT_RULES[channel],
        data={"received_on": str(received_on), "reply_due_date": str(application.reply_due_date)},
    )
    return application, code


def _begin(application: DisclosureApplication, actor, method: str, label: str) -> DisclosureApplication:
    require(is_disclosure_staff(actor, application.agency), "只有受理机关的经办人或负责人可以办理该申请。")
    locked = lock(DisclosureApplication, application.pk)
    ensure_transition(locked, method, label)
    return locked


def _event(application, actor, action: str, from_state: str, comment: str = "", **data) -> None:
    timeline_record(
        obj=application,
        actor=actor,
        action=action,
        from_state=from_state,
        to_state=application.status,
        comment=comment,
        data={"reply_due_date": str(application.reply_due_date or ""), **{k: str(v) for k, v in data.items()}},
    )


def _running_reply_kind(application: DisclosureApplication) -> str:
    return "disclosure_reply_extended" if application.extended_on else "disclosure_reply"


@transaction.atomic
def application_confirm_receipt(
    *, application: DisclosureApplication, actor, received_on: date | None = None
) -> DisclosureApplication:
    """Art. 31(3): an online application is received on the day both sides confirm it."""
    locked = _begin(application, actor, "confirm_receipt", "确认收到申请")
    received_on = _step_date(
        received_on, field="received_on", not_before=timezone.localdate(locked.submitted_at), label="提交日"
    )
    before = locked.status
    locked.confirm_receipt()
    locked.received_on = received_on
    _start_clock(locked, start=received_on, actor=actor, first=True)
    locked.save()
    _event(locked, actor, "disclosure_received", before, rules.RECEIPT_RULES[locked.channel], received_on=received_on)
    _tell_applicant(
        locked,
        "政府信息公开申请已受理",
        f"{locked.agency.name}已于 {received_on:%Y-%m-%d} 确认收到您的申请，"
        f"答复期限为 {locked.reply_due_date:%Y-%m-%d}。",
    )
    return locked


@transaction.atomic
def application_correction_notice(
    *, application: DisclosureApplication, actor, request: str = "", on: date | None = None
) -> DisclosureApplication:
    """条例 Art. 30: ask once, within 7 working days of receipt, for a clearer request; the clock stops."""
    locked = _begin(application, actor, "request_correction", "告知补正")
    if locked.correction_requested_on is not None:
        raise Refused("补正告知只能发出一次（条例第三十条）。", code="correction-already-requested")
    on = _step_date(on, field="on", not_before=locked.received_on, label="收到申请之日")
    if on > locked.correction_notice_by:
        raise Refused(
            f"补正告知须在收到申请之日起 {rules.CORRECTION_NOTICE_WORKING_DAYS} 个工作日内（即 "
            f"{locked.correction_notice_by:%Y-%m-%d} 前）发出（条例第三十条）；现已超过，请直接答复。",
            code="correction-window-closed",
        )
    if not (request or "").strip():
        raise ValidationError({"request": "请写明需要补正的事项和合理的补正期限。"})
    before = locked.status
    locked.request_correction()
    locked.correction_requested_on = on
    locked.correction_request = request.strip()
    locked.save()
    deadline_meet(subject=locked, kind="disclosure_correction_notice", actor=actor)
    deadline_meet(subject=locked, kind="disclosure_reply", actor=actor)
    _event(locked, actor, "disclosure_correction_requested", before, locked.correction_request, on=on)
    _tell_applicant(
        locked,
        "政府信息公开申请需要补正",
        f"{locked.agency.name}请您补正申请：{locked.correction_request}\n答复期限自收到补正后的申请之日起重新计算。",
    )
    return locked


@transaction.atomic
def application_correction_submit(*, application: DisclosureApplication, text: str) -> DisclosureApplication:
    """The applicant sends the corrected request online (the tracking page, after number and code).

    The clock restarts only when the agency confirms receipt (条例 Art. 31(3): online, the day both sides
    confirm), through ``application_correction_received``."""
    locked = lock(DisclosureApplication, application.pk)
    if locked.status != S.CORRECTION:
        raise Refused("该申请当前无需补正。", code="state-not-allowed")
    text = (text or "").strip()
    if len(text) < 5:
        raise ValidationError({"text": "请写明补正后的申请内容（至少 5 个字）。"})
    locked.correction_text = text
    locked.correction_submitted_at = timezone.now()
    locked.save(update_fields=["correction_text", "correction_submitted_at"])
    timeline_record(obj=locked, actor=None, action="disclosure_correction_submitted", comment=text)
    _tell_agency(locked, f"申请人已提交补正：{locked.tracking_number}")
    return locked


@transaction.atomic
def application_correction_received(
    *, application: DisclosureApplication, actor, received_on: date
) -> DisclosureApplication:
    """The corrected request arrived: the 20 working days start again from this day (条例 Art. 30)."""
    locked = _begin(application, actor, "receive_correction", "登记收到补正")
    received_on = _step_date(
        received_on, field="received_on", not_before=locked.correction_requested_on, label="补正告知日"
    )
    before = locked.status
    locked.receive_correction()
    locked.correction_received_on = received_on
    _start_clock(locked, start=received_on, actor=actor, first=False)
    locked.save()
    _event(locked, actor, "disclosure_correction_received", before, received_on=received_on)
    _tell_applicant(
        locked,
        "已收到补正后的申请",
        f"{locked.agency.name}已于 {received_on:%Y-%m-%d} 收到您补正后的申请，答复期限为 "
        f"{locked.reply_due_date:%Y-%m-%d}。",
    )
    return locked


@transaction.atomic
def application_extend(
    *,
    application: DisclosureApplication,
    actor,
    reason: str,
    days: int = rules.EXTENSION_MAX_WORKING_DAYS,
    approved_by: str = "",
    on: date | None = None,
) -> DisclosureApplication:
    """条例 Art. 33 para. 2: one extension of at most 20 working days, approved, and notified in time."""
    locked = _begin(application, actor, "extend", "延期答复")
    if locked.extended_on is not None:
        raise Refused("答复期限只能延长一次（条例第三十三条第二款）。", code="already-extended")
    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写延期理由。"})
    if not 1 <= int(days) <= rules.EXTENSION_MAX_WORKING_DAYS:
        raise ValidationError({"days": f"延长期限为 1 至 {rules.EXTENSION_MAX_WORKING_DAYS} 个工作日。"})
    on = _step_date(on, field="on", not_before=locked.clock_start, label="期限起算日")
    if on > locked.reply_due_date:
        raise Refused(
            f"延期须在答复期限（{locked.reply_due_date:%Y-%m-%d}）届满前告知申请人；现已逾期。",
            code="extension-too-late",
        )
    before, old_due = locked.status, locked.reply_due_date
    locked.extend()
    locked.extended_on = on
    locked.extension_days = int(days)
    locked.extension_reason = reason.strip()
    locked.extension_approved_by = (approved_by or "").strip() or actor.get_full_name() or actor.get_username()
    locked.reply_due_date = add_working_days(old_due, int(days))
    locked.save()
    deadline_meet(subject=locked, kind="disclosure_reply", actor=actor)
    deadline_open(
        subject=locked,
        kind="disclosure_reply_extended",
        due_date=locked.reply_due_date,
        organization=locked.agency,
        legal_basis=rules.EXTENSION_BASIS,
        actor=actor,
        title=f"答复政府信息公开申请（延期）{locked.tracking_number}",
    )
    _event(locked, actor, "disclosure_extended", before, locked.extension_reason, old_due_date=old_due, days=days)
    _tell_applicant(
        locked,
        "政府信息公开申请答复期限延长",
        f"经{locked.extension_approved_by}同意，答复期限由 {old_due:%Y-%m-%d} 延长至 {locked.reply_due_date:%Y-%m-%d}。"
        f"理由：{locked.extension_reason}",
    )
    return locked


@transaction.atomic
def application_consult(
    *,
    application: DisclosureApplication,
    actor,
    party: str,
    third_party: bool = True,
    on: date | None = None,
) -> DisclosureApplication:
    """条例 Art. 32: consult a third party (15 working days to answer) or another agency; the clock pauses."""
    locked = _begin(application, actor, "consult", "征求意见")
    if not (party or "").strip():
        raise ValidationError({"party": "请填写征求意见的第三方或机关。"})
    on = _step_date(on, field="on", not_before=locked.clock_start, label="期限起算日")
    if on > locked.reply_due_date:
        raise Refused("答复期限已届满，不能再中止计算。", code="reply-overdue")
    before = locked.status
    locked.consult()
    locked.consultation_started_on = on
    locked.consultation_party = party.strip()
    locked.consultation_third_party = bool(third_party)
    locked.paused_remaining_days = working_days_between(on, locked.reply_due_date)
    locked.consultation_due_date = add_working_days(on, rules.THIRD_PARTY_WORKING_DAYS) if third_party else None
    locked.save()
    deadline_meet(subject=locked, kind=_running_reply_kind(locked), actor=actor)
    if third_party:
        deadline_open(
            subject=locked,
            kind="disclosure_consultation",
            due_date=locked.consultation_due_date,
            organization=locked.agency,
            legal_basis=rules.CONSULTATION_BASIS,
            actor=actor,
            title=f"第三方答复期限 {locked.tracking_number}",
        )
    _event(locked, actor, "disclosure_consultation_started", before, locked.consultation_party, on=on)
    return locked


@transaction.atomic
def application_consultation_answered(
    *, application: DisclosureApplication, actor, answered_on: date | None = None, comment: str = ""
) -> DisclosureApplication:
    """The answer (or the third party's silence after 15 working days) ends the pause."""
    locked = _begin(application, actor, "end_consultation", "登记征求意见结果")
    answered_on = _step_date(
        answered_on, field="answered_on", not_before=locked.consultation_started_on, label="征求意见日"
    )
    before = locked.status
    locked.end_consultation()
    locked.consultation_days_total += working_days_between(locked.consultation_started_on, answered_on)
    locked.reply_due_date = add_working_days(answered_on, locked.paused_remaining_days or 0)
    locked.paused_remaining_days = None
    locked.save()
    deadline_meet(subject=locked, kind="disclosure_consultation", actor=actor)
    deadline_open(
        subject=locked,
        kind=_running_reply_kind(locked),
        due_date=locked.reply_due_date,
        organization=locked.agency,
        legal_basis=rules.CONSULTATION_BASIS,
        actor=actor,
        title=f"答复政府信息公开申请 {locked.tracking_number}",
    )
    _event(locked, actor, "disclosure_consultation_answered", before, comment, answered_on=answered_on)
    return locked


@transaction.atomic
def application_reply(
    *,
    application: DisclosureApplication,
    actor,
    response_type: str,
    reason: str = "",
    text: str = "",
    fee_method: str = "",
    fee_quantity: int | None = None,
    on: date | None = None,
) -> DisclosureApplication:
    """The reply: one of the official response types, with its legal reason where it refuses."""
    locked = _begin(application, actor, "reply", "答复")
    errors = {}
    if response_type not in rules.ResponseType.values:
        errors["response_type"] = "请选择答复类型。"
    elif response_type in rules.REASON_REQUIRED and reason not in dict(rules.reason_choices(response_type)):
        errors["reason"] = f"“{rules.ResponseType(response_type).label}”须选择法定理由。"
    elif response_type not in rules.REASON_REQUIRED and reason:
        errors["reason"] = "予以公开无需填写理由。"
    if fee_method and fee_method not in rules.FeeMethod.values:
        errors["fee_method"] = "请选择按件计收或按量计收。"
    if fee_method and not fee_quantity:
        errors["fee_quantity"] = "请填写计费件数或页数。"
    if errors:
        raise ValidationError(errors)
    on = _step_date(on, field="on", not_before=locked.clock_start, label="期限起算日")
    before = locked.status
    locked.reply()
    locked.response_type = response_type
    locked.response_reason = reason
    locked.response_text = (text or "").strip()
    locked.replied_on = on
    locked.replied_late = on > locked.reply_due_date
    if fee_method:
        amount, lines = rules.fee_compute(fee_method, int(fee_quantity))
        locked.fee_method, locked.fee_quantity, locked.fee_amount, locked.fee_breakdown = (
            fee_method,
            int(fee_quantity),
            amount,
            lines,
        )
    locked.save()
    for kind in (*REPLY_KINDS, "disclosure_correction_notice"):
        deadline_meet(subject=locked, kind=kind, actor=actor)
    _event(
        locked,
        actor,
        "disclosure_replied",
        before,
        locked.response_text,
        response_type=response_type,
        late=locked.replied_late,
    )
    _tell_applicant(
        locked,
        "政府信息公开申请已答复",
        f"{locked.agency.name}已答复您的申请（{locked.get_response_type_display()}）。请凭查询编号和查询码下载答复书。",
    )
    return locked


# --- guides and catalogs ---------------------------------------------------------------------------

GUIDE_FIELDS = (
    "categories",
    "arrangement",
    "how_to_obtain",
    "office_name",
    "office_address",
    "office_hours",
    "phone",
    "fax",
    "online_contact",
)


@transaction.atomic
def guide_publish(*, actor, agency: Organization, **fields) -> DisclosureGuide:
    """Publish a new version of the agency's guide (条例 Art. 12); the previous one stays as history."""
    require(is_disclosure_staff(actor, agency), "只有本机关的经办人或负责人可以发布公开指南。")
    Organization.objects.select_for_update().get(pk=agency.pk)  # one publisher at a time per agency
    current = DisclosureGuide.objects.filter(agency=agency, is_current=True).first()
    guide = DisclosureGuide(
        agency=agency,
        version=(current.version + 1) if current else 1,
        published_at=timezone.now(),
        published_by=actor,
        **{k: v for k, v in fields.items() if k in GUIDE_FIELDS},
    )
    guide.full_clean(exclude=["is_current"])
    if current:
        DisclosureGuide.objects.filter(pk=current.pk).update(is_current=False)
    guide.save()
    timeline_record(obj=agency, actor=actor, action="disclosure_guide_published", data={"version": guide.version})
    return guide


CATALOG_FIELDS = ("index_number", "name", "summary", "generated_on", "category", "link", "content")


@transaction.atomic
def catalog_entry_create(*, actor, agency: Organization, **fields) -> CatalogEntry:
    require(is_disclosure_staff(actor, agency), "只有本机关的经办人或负责人可以登记公开目录。")
    entry = CatalogEntry(agency=agency, **{k: v for k, v in fields.items() if k in CATALOG_FIELDS})
    entry.full_clean()
    if not entry.link and not entry.content:
        raise ValidationError({"link": "请填写信息的链接或正文。"})
    entry.save()
    timeline_record(obj=entry, actor=actor, action="disclosure_catalog_entry_created")
    return entry


# --- annual report ---------------------------------------------------------------------------------


def annual_report_figures(*, agency: Organization, year: int) -> dict:
    """The report's figures, computed from the applications and the catalog of that year."""
    from django.db.models import Count, Q, Sum

    apps = DisclosureApplication.objects.filter(agency=agency)
    in_year = Q(received_on__year=year)
    counts = apps.aggregate(
        received=Count("id", filter=in_year),
        carried_over=Count("id", filter=Q(received_on__year=year - 1) & (Q(replied_on__year=year))),
        pending=Count("id", filter=in_year & (Q(replied_on__isnull=True) | Q(replied_on__year__gt=year))),
        late=Count("id", filter=Q(replied_on__year=year, replied_late=True)),
        fees=Sum("fee_amount", filter=Q(replied_on__year=year)),
        **{
            code: Count("id", filter=Q(replied_on__year=year, response_type=code)) for code in rules.ResponseType.values
        },
    )
    counts["fees"] = str(counts["fees"] or 0)
    counts["catalog_entries"] = CatalogEntry.objects.filter(agency=agency, generated_on__year=year).count()
    return counts


@transaction.atomic
def annual_report_generate(*, actor, agency: Organization, year: int) -> AnnualReport:
    """Generate (or regenerate, while a draft) the year's figures; the report is due 31 January after."""
    require(is_disclosure_staff(actor, agency), "只有本机关的经办人或负责人可以编制年度报告。")
    report = AnnualReport.objects.select_for_update().filter(agency=agency, year=year).first()
    if report is not None and report.status != "draft":
        raise Refused("年度报告已审核或发布，不能重新生成。", code="state-not-allowed")
    figures = annual_report_figures(agency=agency, year=year)
    if report is None:
        report = AnnualReport(agency=agency, year=year)
    report.figures = figures
    report.generated_at = timezone.now()
    report.save()
    month, day = rules.ANNUAL_REPORT_DUE
    deadline_open(
        subject=report,
        kind="disclosure_annual_report",
        due_date=date(year + 1, month, day),
        organization=agency,
        legal_basis=rules.ANNUAL_REPORT_BASIS,
        actor=actor,
        title=f"{agency.name}{year}年政府信息公开工作年度报告",
    )
    timeline_record(obj=report, actor=actor, action="disclosure_report_generated", to_state=report.status)
    return report


@transaction.atomic
def annual_report_review(*, report: AnnualReport, actor, commentary: str = "") -> AnnualReport:
    require(scope_for(actor).has_role_in(report.agency_id, Role.AGENCY_MANAGER), "年度报告须由本机关负责人审核。")
    locked = lock(AnnualReport, report.pk)
    ensure_transition(locked, "review", "审核")
    before = locked.status
    locked.review()
    locked.commentary = (commentary or locked.commentary).strip()
    locked.reviewed_by = actor
    locked.save()
    timeline_record(
        obj=locked, actor=actor, action="disclosure_report_reviewed", from_state=before, to_state=locked.status
    )
    return locked


@transaction.atomic
def annual_report_publish(*, report: AnnualReport, actor) -> AnnualReport:
    require(is_disclosure_staff(actor, report.agency), "只有本机关的经办人或负责人可以发布年度报告。")
    locked = lock(AnnualReport, report.pk)
    ensure_transition(locked, "publish", "发布")
    before = locked.status
    locked.publish()
    locked.published_at = timezone.now()
    locked.save()
    deadline_meet(subject=locked, kind="disclosure_annual_report", actor=actor)
    timeline_record(
        obj=locked, actor=actor, action="disclosure_report_published", from_state=before, to_state=locked.status
    )
    return locked


# --- public enterprises (Art. 20) ----------------------------------------------------------------


@transaction.atomic
def enterprise_item_update(
    *, actor, enterprise: Organization, kind: str, title: str, content: str, link: str = ""
) -> EnterpriseDisclosure:
    """Art. 20: publish or update a service commitment, fee standard or procedure; stamps the date."""
    require(
        is_enterprise_staff(actor, enterprise) or is_supervising_official(actor, enterprise),
        "只有本单位经办人可以更新公开事项。",
    )
    if enterprise.kind != OrganizationKind.PUBLIC_ENTERPRISE:
        raise ValidationError({"enterprise": "第二十条公开事项只适用于公共企事业单位。"})
    item = EnterpriseDisclosure.objects.select_for_update().filter(enterprise=enterprise, kind=kind).first()
    item = item or EnterpriseDisclosure(enterprise=enterprise, kind=kind)
    item.title, item.content, item.link = title, content, link
    item.updated_on = timezone.localdate()
    item.updated_by = actor
    item.full_clean()
    item.save()
    timeline_record(obj=enterprise, actor=actor, action="enterprise_disclosure_updated", data={"kind": kind})
    return item


@transaction.atomic
def enterprise_remind(*, actor, enterprise: Organization, message: str = "") -> int:
    """Art. 20 para. 2: the supervising authority reminds an enterprise of missing or stale items."""
    require(is_supervising_official(actor, enterprise), "只有行业主管部门或信息化主管部门可以发送提醒。")
    recipients = list(
        Membership.objects.filter(
            organization=enterprise, role=Role.PUBLIC_ENTERPRISE_CLERK, user__is_active=True
        ).values_list("user_id", flat=True)
    )
    body = message.strip() or "请及时公开并更新服务承诺、收费标准、办事过程等信息（《北京市信息化促进条例》第二十条）。"
    notification_create(
        recipients=recipients,
        kind="enterprise_disclosure_reminder",
        title=f"信息公开提醒：{enterprise.name}",
        body=body,
        link=reverse("disclosure:enterprise", kwargs={"uuid": enterprise.uuid}),
        subject=enterprise,
    )
    timeline_record(obj=enterprise, actor=actor, action="enterprise_disclosure_reminded", comment=body)
    return len(recipients)
