"""Chapter 2's violation detectors (DESIGN.md "Findings and enforcement"), registered from ProjectsConfig.ready().

- Art. 11 -> Art. 43: a contractor took on (承揽) a project without a valid qualification at the required level;
  the filing workflow records one ComplianceFinding per contractor and filing when the contract is recorded.
- Art. 29 para. 2 -> Art. 46(2): a system connected to the e-government network without an approved application
  (connected, but the application is not approved or was approved only after the connection), and a private
  network recorded as moved onto the e-government network without an approved access application.
"""

from django.urls import reverse
from django.utils.translation import gettext_noop

from portal.detectors import Detector, register


def _unqualified_offenders():
    from projects.models import ComplianceFinding, FindingKind

    return ComplianceFinding.objects.filter(kind=FindingKind.UNQUALIFIED_CONTRACTOR).select_related(
        "organization", "filing"
    )


def _unconnected_offenders():
    from django.db.models import F, Q

    from projects.models import ConnectedSystem
    from projects.models.network import ApplicationStatus

    # Approval is not connection: only a recorded connection can break the rule.
    return (
        ConnectedSystem.objects.filter(connected_on__isnull=False)
        .filter(~Q(application__status=ApplicationStatus.APPROVED) | Q(connected_on__lt=F("approved_on")))
        .select_related("agency", "application")
    )


def _private_network_offenders():
    from django.db.models import Q

    from projects.models import MigrationStatus, PrivateNetwork
    from projects.models.network import ApplicationStatus

    return (
        PrivateNetwork.objects.filter(status=MigrationStatus.MIGRATED)
        .filter(Q(access_application__isnull=True) | ~Q(access_application__status=ApplicationStatus.APPROVED))
        .select_related("agency")
    )


UNQUALIFIED_CONTRACTING = Detector(
    rule="art11-unqualified-contracting",
    title=gettext_noop("未经资质认证或超越资质等级承揽信息化工程"),
    article_breached="11",
    sanctioning_article="43",
    offenders=_unqualified_offenders,
    party=lambda finding: finding.organization,
    evidence=lambda finding: f"{finding.description}（发现于 {finding.detected_at:%Y-%m-%d}）",
    url=lambda finding: (
        reverse("projects:filing-detail", kwargs={"uuid": finding.filing.uuid}) if finding.filing_id else ""
    ),
)

UNAPPROVED_NETWORK_ACCESS = Detector(
    rule="art29-unapproved-network-access",
    title=gettext_noop("未经审查同意擅自接入电子政务网络"),
    article_breached="29(2)",
    sanctioning_article="46(2)",
    offenders=_unconnected_offenders,
    party=lambda system: system.agency,
    evidence=lambda system: (
        f"{system.agency.name}的“{system.name}”于 {system.connected_on} 接入电子政务网络，接入申请未获审查同意。"
    ),
    url=lambda system: reverse(
        "projects:application-detail", kwargs={"kind": "network", "uuid": system.application.uuid}
    ),
)


UNAPPROVED_PRIVATE_NETWORK_MIGRATION = Detector(
    rule="art29-private-network-unapproved-connection",
    title=gettext_noop("存量专网未经审查同意接入电子政务网络"),
    article_breached="29(2)",
    sanctioning_article="46(2)",
    offenders=_private_network_offenders,
    party=lambda network: network.agency,
    evidence=lambda network: (
        f"{network.agency.name}的专网“{network.name}”登记于 {network.migrated_on} 迁入电子政务网络，"
        "没有获得同意的接入申请。"
    ),
    url=lambda network: reverse("projects:private-network-list"),
)


def register_all() -> None:
    register(UNQUALIFIED_CONTRACTING)
    register(UNAPPROVED_NETWORK_ACCESS)
    register(UNAPPROVED_PRIVATE_NETWORK_MIGRATION)
