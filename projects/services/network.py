"""E-government network access and legacy private networks (Art. 29), domains and websites (Art. 30).

Lighter than filings, same machinery: one function per transition, permission, lock, state, timeline.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from portal.access import require
from portal.models import User
from portal.selectors import members_with_roles
from portal.services import deadline_meet, deadline_open, timeline_record
from portal.workflow import Refused, ensure_transition, lock
from projects.events import RegisterEvent
from projects.models import (
    ApplicationStatus,
    ConnectedSystem,
    DomainApplication,
    NetworkAccessApplication,
    PrivateNetwork,
    Website,
)
from projects.permissions import AGENCY_ROLES, is_agency_member, is_city_official, is_deciding_official
from projects.rules import CLASSIFIED_REFUSAL
from projects.services.notifications import notify

NETWORK_FIELDS = ("system_name", "purpose", "internet_unsuitable_reason", "security_level", "bandwidth_mbps")
DOMAIN_FIELDS = ("domain_name", "website_name", "purpose", "links_to_city_portal")


def _notify_decision(application, *, actor: User, title: str) -> None:
    kind = "network" if isinstance(application, NetworkAccessApplication) else "domain"
    notify(
        recipients=[application.created_by, *members_with_roles(application.agency, *AGENCY_ROLES)],
        kind="application_decided",
        title=title,
        body=application.decision_reason or title,
        subject=application,
        link=reverse("projects:application-detail", kwargs={"kind": kind, "uuid": application.uuid}),
        actor=actor,
    )


def may_decide(actor: User, application) -> bool:
    """Network access: the same-level authority (Art. 29); domains: the city authority (Art. 30)."""
    if isinstance(application, DomainApplication):
        return is_city_official(actor)
    return is_deciding_official(actor, level=application.level, district=application.district)


def _create(model, fields_allowed, *, actor: User, agency, **fields):
    require(is_agency_member(actor, agency), "只有本单位的经办人或负责人可以提出申请。")
    unknown = set(fields) - set(fields_allowed)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "该字段不可在此填写。"))
    application = model(agency=agency, created_by=actor, level=agency.level, district=agency.district, **fields)
    application.full_clean(exclude=["status"])
    application.save()
    timeline_record(obj=application, actor=actor, action=RegisterEvent.APPLICATION_CREATED, to_state=application.status)
    return application


def _classified_refuse(is_classified: bool) -> None:
    """Art. 37: what involves state secrets is handled under the secrecy rules, not in this portal."""
    if is_classified:
        raise ValidationError({"is_classified": ValidationError(CLASSIFIED_REFUSAL, code="classified")})


@transaction.atomic
def network_application_create(
    *, actor: User, agency, is_classified: bool = False, **fields
) -> NetworkAccessApplication:
    _classified_refuse(is_classified)
    return _create(NetworkAccessApplication, NETWORK_FIELDS, actor=actor, agency=agency, **fields)


@transaction.atomic
def domain_application_create(*, actor: User, agency, is_classified: bool = False, **fields) -> DomainApplication:
    _classified_refuse(is_classified)
    if "domain_name" in fields:
        fields["domain_name"] = fields["domain_name"].strip().lower()
        if Website.objects.filter(domain_name=fields["domain_name"]).exists():
            raise ValidationError({"domain_name": "该域名已登记在网站名录中。"})
    return _create(DomainApplication, DOMAIN_FIELDS, actor=actor, agency=agency, **fields)


@transaction.atomic
def application_submit(*, application, actor: User):
    require(is_agency_member(actor, application.agency), "只有本单位的经办人或负责人可以提交申请。")
    locked = lock(type(application), application.pk)
    ensure_transition(locked, "submit", "提交")
    if isinstance(locked, DomainApplication):
        _domain_pending_check(locked)
    from_state = locked.status
    locked.submit()
    locked.submitted_at = timezone.now()
    try:
        with transaction.atomic():  # the partial unique index decides a race between two submissions
            locked.save()
    except IntegrityError as exc:
        raise Refused(_DOMAIN_PENDING.format(domain=locked.domain_name), code="domain-application-pending") from exc
    timeline_record(
        obj=locked,
        actor=actor,
        action=RegisterEvent.APPLICATION_SUBMITTED,
        from_state=from_state,
        to_state=locked.status,
    )
    return locked


_DOMAIN_PENDING = "域名 {domain} 已有一份待审查的注册申请，请等待该申请审查完毕，不要重复提交（第三十条）。"


def _domain_pending_check(application: DomainApplication) -> None:
    """Art. 30: one pending review per domain, and none for a domain already registered."""
    if Website.objects.filter(domain_name=application.domain_name).exists():
        raise Refused(f"域名 {application.domain_name} 已登记在网站名录中。", code="domain-registered")
    pending = DomainApplication.objects.filter(domain_name=application.domain_name, status=ApplicationStatus.SUBMITTED)
    if pending.exclude(pk=application.pk).exists():
        raise Refused(_DOMAIN_PENDING.format(domain=application.domain_name), code="domain-application-pending")


@transaction.atomic
def application_approve(*, application, actor: User, comment: str = "", network_address: str = ""):
    """Approve; the connected system (approved, not yet connected) or the website is registered in the same
    transaction."""
    require(may_decide(actor, application), "您无权审查该申请。")
    locked = lock(type(application), application.pk)
    ensure_transition(locked, "approve", "审查同意")
    from_state = locked.status
    locked.approve()
    locked.decided_at = timezone.now()
    locked.decided_by = actor
    locked.decision_reason = comment.strip()
    locked.save()
    today = timezone.localdate()
    if isinstance(locked, NetworkAccessApplication):
        ConnectedSystem.objects.create(
            agency=locked.agency,
            name=locked.system_name,
            application=locked,
            level=locked.level,
            district=locked.district,
            security_level=locked.security_level,
            approved_on=today,
        )
    else:
        Website.objects.create(
            agency=locked.agency,
            name=locked.website_name,
            domain_name=locked.domain_name,
            application=locked,
            links_to_city_portal=locked.links_to_city_portal,
            level=locked.level,
            district=locked.district,
            registered_on=today,
        )
    timeline_record(
        obj=locked,
        actor=actor,
        action=RegisterEvent.APPLICATION_APPROVED,
        from_state=from_state,
        to_state=locked.status,
        comment=locked.decision_reason,
    )
    _notify_decision(locked, actor=actor, title=f"申请已获同意：{locked}")
    return locked


@transaction.atomic
def application_refuse(*, application, actor: User, reason: str):
    require(may_decide(actor, application), "您无权审查该申请。")
    locked = lock(type(application), application.pk)
    ensure_transition(locked, "refuse", "不予同意")
    if not (reason or "").strip():
        raise ValidationError({"reason": "请写明不予同意的理由。"})
    from_state = locked.status
    locked.refuse()
    locked.decided_at = timezone.now()
    locked.decided_by = actor
    locked.decision_reason = reason.strip()
    locked.save()
    timeline_record(
        obj=locked,
        actor=actor,
        action=RegisterEvent.APPLICATION_REFUSED,
        from_state=from_state,
        to_state=locked.status,
        comment=locked.decision_reason,
    )
    _notify_decision(locked, actor=actor, title=f"申请未获同意：{locked}")
    return locked


@transaction.atomic
def connected_system_connect(*, system: ConnectedSystem, actor: User, connected_on: date) -> ConnectedSystem:
    """Record the day an approved system was actually connected to the e-government network (Art. 29)."""
    require(
        is_agency_member(actor, system.agency)
        or is_deciding_official(actor, level=system.level, district=system.district),
        "您无权登记该系统的接入情况。",
    )
    locked = lock(ConnectedSystem, system.pk)
    if locked.connected_on is not None:
        raise Refused(f"该系统已于{locked.connected_on:%Y-%m-%d}接入。", code="already-connected")
    _connection_date_check(locked, connected_on, field="connected_on")
    locked.connected_on = connected_on
    locked.save(update_fields=["connected_on"])
    timeline_record(
        obj=locked.application,
        actor=actor,
        action=RegisterEvent.SYSTEM_CONNECTED,
        data={"connected_on": connected_on.isoformat()},
    )
    return locked


def _connection_date_check(system: ConnectedSystem, day: date | None, *, field: str) -> None:
    if day is None:
        raise ValidationError({field: "请填写接入日期。"})
    if day > timezone.localdate():
        raise ValidationError({field: "接入日期不能晚于今天：请在实际接入后登记。"})
    if day < system.approved_on:
        raise ValidationError(
            {
                field: f"接入日期不能早于接入申请获批之日（{system.approved_on:%Y-%m-%d}）："
                "未经批准不得接入（第二十九条）。"
            }
        )


@transaction.atomic
def private_network_register(
    *,
    actor: User,
    agency,
    name: str,
    migration_plan: str,
    migration_deadline: date,
    description: str = "",
    built_year: int | None = None,
    is_classified: bool = False,
) -> PrivateNetwork:
    """Art. 29 para. 3: register an existing private network with its plan and deadline to migrate."""
    _classified_refuse(is_classified)
    require(
        is_agency_member(actor, agency) or is_deciding_official(actor, level=agency.level, district=agency.district),
        "您无权登记该单位的专用网络。",
    )
    if migration_deadline is not None and migration_deadline <= timezone.localdate():
        raise ValidationError({"migration_deadline": "迁移期限应当晚于今天。"})
    network = PrivateNetwork(
        agency=agency,
        name=name,
        description=description,
        built_year=built_year,
        migration_plan=migration_plan,
        migration_deadline=migration_deadline,
        level=agency.level,
        district=agency.district,
        registered_by=actor,
    )
    network.full_clean(exclude=["status"])
    network.save()
    timeline_record(obj=network, actor=actor, action=RegisterEvent.PRIVATE_NETWORK_REGISTERED, to_state=network.status)
    deadline_open(
        subject=network,
        kind="network_migration",
        due_date=migration_deadline,
        organization=agency,
        legal_basis="Art. 29",
        actor=actor,
        title=f"专网迁入电子政务网络：{name}",
    )
    return network


def _may_update_network(actor: User, network) -> bool:
    return is_agency_member(actor, network.agency) or is_deciding_official(
        actor, level=network.level, district=network.district
    )


@transaction.atomic
def private_network_start_migration(*, network: PrivateNetwork, actor: User) -> PrivateNetwork:
    require(_may_update_network(actor, network), "您无权更新该专网的迁移进度。")
    locked = lock(PrivateNetwork, network.pk)
    ensure_transition(locked, "start_migration", "开始迁移")
    from_state = locked.status
    locked.start_migration()
    locked.save()
    timeline_record(
        obj=locked, actor=actor, action=RegisterEvent.MIGRATION_STARTED, from_state=from_state, to_state=locked.status
    )
    return locked


@transaction.atomic
def private_network_complete_migration(
    *,
    network: PrivateNetwork,
    actor: User,
    access_application: NetworkAccessApplication | None,
    migrated_on: date | None,
):
    """Art. 29: the network's systems now run on the e-government network. That is a connection, so it needs
    the agency's approved access application (Art. 46(2) otherwise); the connection date is recorded on the
    connected-system register."""
    require(_may_update_network(actor, network), "您无权更新该专网的迁移进度。")
    locked = lock(PrivateNetwork, network.pk)
    ensure_transition(locked, "complete_migration", "完成迁移")
    if access_application is None:
        raise ValidationError(
            {
                "access_application": ValidationError(
                    "接入电子政务网络须经批准（第二十九条）：请选择本单位已获同意的接入申请；"
                    "尚未申请的，请先提出接入申请。",
                    code="access-approval-required",
                )
            }
        )
    if access_application.agency_id != locked.agency_id or access_application.status != ApplicationStatus.APPROVED:
        raise ValidationError(
            {
                "access_application": ValidationError(
                    "所选接入申请不是本单位已获同意的申请（第二十九条）。", code="access-approval-required"
                )
            }
        )
    system = lock(ConnectedSystem, access_application.connected_system.pk)
    migrated_on = migrated_on or timezone.localdate()
    _connection_date_check(system, migrated_on, field="migrated_on")
    from_state = locked.status
    locked.complete_migration()
    locked.migrated_on = migrated_on
    locked.access_application = access_application
    locked.save()
    if system.connected_on is None:
        system.connected_on = migrated_on
        system.save(update_fields=["connected_on"])
    deadline_meet(subject=locked, kind="network_migration", actor=actor)
    timeline_record(
        obj=locked, actor=actor, action=RegisterEvent.MIGRATION_COMPLETED, from_state=from_state, to_state=locked.status
    )
    return locked
