"""Permissioned reads of sharing requests and grants (scope in SQL: not visible -> 404)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from portal.access import scope_for
from resources.models import SharingGrant, SharingRequest, SharingRound
from resources.selectors.catalog import own_organization_ids


def sharing_scope_q(user) -> Q | None:
    scope = scope_for(user)
    if scope.city_wide:
        return None
    own = own_organization_ids(user)
    q = Q(pk__in=[])
    if own:
        q |= Q(requester_id__in=own) | Q(provider_id__in=own) | Q(requester__parent_id__in=own)
        q |= Q(provider__parent_id__in=own)
    if scope.districts:
        q |= Q(district__in=scope.districts) | Q(provider__district__in=scope.districts)
    return q


def sharing_requests_visible_to(user) -> QuerySet[SharingRequest]:
    qs = SharingRequest.objects.select_related("resource", "requester", "provider")
    q = sharing_scope_q(user)
    return qs if q is None else qs.filter(q)


def sharing_request_get_for(*, user, uuid) -> SharingRequest:
    request = sharing_requests_visible_to(user).filter(uuid=uuid).first()
    if request is None:
        raise Http404("没有找到该共享申请，或您无权查看。")
    return request


def sharing_rounds(request: SharingRequest) -> list[SharingRound]:
    return list(SharingRound.objects.filter(request=request).select_related("actor").order_by("number"))


def grants_visible_to(user) -> QuerySet[SharingGrant]:
    scope = scope_for(user)
    qs = SharingGrant.objects.select_related("resource", "resource__provider", "grantee", "request")
    if scope.city_wide:
        return qs
    own = own_organization_ids(user)
    q = Q(grantee_id__in=own) | Q(resource__provider_id__in=own)
    if scope.districts:
        q |= Q(grantee__district__in=scope.districts)
    return qs.filter(q)


def grant_get_for(*, user, uuid) -> SharingGrant:
    grant = grants_visible_to(user).filter(uuid=uuid).first()
    if grant is None:
        raise Http404("没有找到该共享授权，或您无权查看。")
    return grant
