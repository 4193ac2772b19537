"""Permissioned reads of the catalog. Scope is applied in SQL: not visible -> 404.

Who sees what:
- officials of the city authority: every resource; district officials: their district's providers;
- the provider's clerks and managers (and those of its parent agency): their own resources in every state;
- every agency's clerks and managers: the published catalog (Art. 21: agencies use each other's catalog);
- everyone else, the public included: published resources whose open attribute is not 不予开放.
Items: the provider and officials see all; other agencies see the unconditional items plus the items an
active grant gives their organization; the public sees the open items.
"""

from __future__ import annotations

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from portal.access import scope_for
from portal.models import Organization
from resources.catalog_permissions import AGENCY_ROLES, is_agency_member, is_same_level_official
from resources.models import CatalogResource, GrantStatus, ResourceItem, ResourceStatus, SharingGrant
from resources.rules import OpenAttribute, ShareType

S = ResourceStatus
PUBLIC_Q = Q(status=S.PUBLISHED) & ~Q(open_attribute=OpenAttribute.CLOSED)


def is_government_user(user) -> bool:
    """A clerk or manager of some agency: reads the shared catalog (Art. 21)."""
    scope = scope_for(user)
    return scope.is_staff_official or any(role in AGENCY_ROLES for _, role in scope.grants)


def own_organization_ids(user) -> set[int]:
    scope = scope_for(user)
    return {org for org, role in scope.grants if role in AGENCY_ROLES}


def resource_scope_q(user) -> Q | None:
    """SQL filter of the resources ``user`` may see (None: everything)."""
    scope = scope_for(user)
    if scope.city_wide:
        return None
    own = own_organization_ids(user)
    # First the test that settles most rows at once (most resources are published): PostgreSQL tests an
    # OR's terms in order, and a district's 89 providers, an array from a subquery, are compared one by
    # one on every row (a district official's capped count: 15 -> 9 ms at city scale).
    q = Q(status=S.PUBLISHED) if is_government_user(user) else PUBLIC_Q
    # Provider ids, never joins: OR-ed over ``provider__…`` the scope joined every resource to its provider.
    if own:
        q |= Q(provider_id__in=scope.units_of(own))
    if scope.districts:
        district_orgs = Organization.objects.filter(district__in=scope.districts).values("pk")
        q |= Q(provider__any_array=ArraySubquery(district_orgs))
    return q


# The columns a catalog list row shows (``ResourceListSerializer``, ``resources/_results.html``) and the
# search orders by. The rest of a resource (its legal texts, the search vector of ~600 bytes, the item keys,
# the duplicate matches) and all but two columns of its provider are the detail's: a page of 20 rows read
# whole with the three related objects took about 12 ms, most of it building the objects.
CATALOG_ROW_FIELDS = (
    "uuid",
    "code",
    "name",
    "summary",
    "format",
    "share_type",
    "share_method",
    "open_attribute",
    "update_cycle",
    "published_on",
    "published_at",
    "last_updated_on",
    "status",
    "version",
    "provider__uuid",
    "provider__name",
    "classification__code",
    "classification__name",
    "base_database__code",
    "base_database__name",
)


def resources_visible_to(user) -> QuerySet[CatalogResource]:
    qs = CatalogResource.objects.select_related("provider", "classification", "base_database")
    q = resource_scope_q(user)
    return qs if q is None else qs.filter(q)


def resource_get_for(*, user, uuid) -> CatalogResource:
    resource = resources_visible_to(user).filter(uuid=uuid).first()
    if resource is None:
        raise Http404("没有找到该信息资源，或您无权查看。")
    return resource


def sees_all_items(user, resource: CatalogResource) -> bool:
    provider = resource.provider
    return is_agency_member(user, provider) or is_same_level_official(
        user, level=provider.level, district=provider.district
    )


def resource_items_for(user, resource: CatalogResource) -> list[ResourceItem]:
    """The items ``user`` may see, each with ``granted`` (True when an active grant opens it to them)."""
    items = ResourceItem.objects.filter(resource=resource).order_by("position")
    if sees_all_items(user, resource):
        return [setattr(i, "granted", False) or i for i in items]
    own = own_organization_ids(user)
    if own:
        granted = SharingGrant.objects.filter(
            items=OuterRef("pk"),
            grantee_id__in=own,
            status=GrantStatus.ACTIVE,
            ends_on__gte=timezone.localdate(),
        )
        rows = items.annotate(granted=Exists(granted)).filter(Q(share_type=ShareType.UNCONDITIONAL) | Q(granted=True))
        return list(rows)
    return [setattr(i, "granted", False) or i for i in items.filter(open_attribute=OpenAttribute.OPEN)]


def public_items(resource: CatalogResource) -> list[ResourceItem]:
    return list(ResourceItem.objects.filter(resource=resource, open_attribute=OpenAttribute.OPEN).order_by("position"))


def resource_versions(resource: CatalogResource) -> list[CatalogResource]:
    """The other versions of the same resource: what it revises and what revises it."""
    ids = [resource.revision_of_id] if resource.revision_of_id else []
    return list(
        CatalogResource.objects.filter(Q(pk__in=ids) | Q(revision_of=resource))
        .order_by("version")
        .only("uuid", "version", "status", "name")
    )


def stale_resources_for(user, *, today=None) -> QuerySet[CatalogResource]:
    """Published resources past their declared update cycle, in the user's scope (Art. 17)."""
    today = today or timezone.localdate()
    scope = scope_for(user)
    qs = CatalogResource.objects.filter(status=S.PUBLISHED, stale_after__lt=today).select_related("provider")
    if scope.city_wide:
        return qs.order_by("stale_after", "id")
    own = own_organization_ids(user)
    q = Q(provider_id__in=own) | Q(provider__parent_id__in=own)
    if scope.districts:
        q |= Q(provider__district__in=scope.districts)
    return qs.filter(q).order_by("stale_after", "id")


def duplicate_registrations_for(user) -> QuerySet[CatalogResource]:
    """Resources registered despite overlapping ones, with their justifications: the authority's review list."""
    scope = scope_for(user)
    qs = CatalogResource.objects.filter(has_duplicates=True).exclude(status=S.DRAFT).select_related("provider")
    if scope.city_wide:
        return qs.order_by("-submitted_at", "-id")
    if not scope.districts:
        return qs.none()
    return qs.filter(provider__district__in=scope.districts).order_by("-submitted_at", "-id")
