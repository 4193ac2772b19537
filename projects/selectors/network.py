"""Reads of the e-government network and domains (Arts. 29-30): applications, private networks, registers."""

from django.db.models import (
    QuerySet,
)

from projects.models import (
    ApplicationStatus,
    ConnectedSystem,
    DomainApplication,
    NetworkAccessApplication,
    PrivateNetwork,
    Website,
)
from projects.selectors.scope import _get, _scoped


def network_applications_visible_to(user) -> QuerySet[NetworkAccessApplication]:
    return _scoped(NetworkAccessApplication, user, hide_drafts_from_staff=True)


def domain_applications_visible_to(user) -> QuerySet[DomainApplication]:
    return _scoped(DomainApplication, user, hide_drafts_from_staff=True)


def private_networks_visible_to(user) -> QuerySet[PrivateNetwork]:
    return _scoped(PrivateNetwork, user)


def connected_systems_visible_to(user) -> QuerySet[ConnectedSystem]:
    return _scoped(ConnectedSystem, user)


def websites_visible_to(user) -> QuerySet[Website]:
    return _scoped(Website, user)


def network_application_get_for(*, user, uuid) -> NetworkAccessApplication:
    return _get(network_applications_visible_to(user), uuid, "未找到该接入申请。")


def domain_application_get_for(*, user, uuid) -> DomainApplication:
    return _get(domain_applications_visible_to(user), uuid, "未找到该域名申请。")


def private_network_get_for(*, user, uuid) -> PrivateNetwork:
    return _get(private_networks_visible_to(user), uuid, "未找到该专网。")


def connected_system_get_for(*, user, uuid) -> ConnectedSystem:
    return _get(connected_systems_visible_to(user).select_related("application"), uuid, "未找到该系统。")


def approved_network_applications_by_agency(agency_ids) -> dict[int, list[NetworkAccessApplication]]:
    """Approved access applications of these agencies, newest first, grouped by agency (one query)."""
    grouped: dict[int, list[NetworkAccessApplication]] = {}
    if not agency_ids:
        return grouped
    rows = NetworkAccessApplication.objects.filter(
        agency_id__in=agency_ids, status=ApplicationStatus.APPROVED
    ).order_by("-decided_at", "-id")
    for application in rows:
        grouped.setdefault(application.agency_id, []).append(application)
    return grouped
