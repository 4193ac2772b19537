"""Permissioned reads of Chapter 3; import them from here."""

from resources.selectors.catalog import (
    CATALOG_ROW_FIELDS,
    duplicate_registrations_for,
    is_government_user,
    own_organization_ids,
    public_items,
    resource_get_for,
    resource_items_for,
    resource_versions,
    resources_visible_to,
    sees_all_items,
    stale_resources_for,
)
from resources.selectors.search import catalog_facets, catalog_filter, catalog_search
from resources.selectors.sharing import (
    grant_get_for,
    grants_visible_to,
    sharing_request_get_for,
    sharing_requests_visible_to,
    sharing_rounds,
)

__all__ = [
    "CATALOG_ROW_FIELDS",
    "catalog_facets",
    "catalog_filter",
    "catalog_search",
    "duplicate_registrations_for",
    "grant_get_for",
    "grants_visible_to",
    "is_government_user",
    "own_organization_ids",
    "public_items",
    "resource_get_for",
    "resource_items_for",
    "resource_versions",
    "resources_visible_to",
    "sees_all_items",
    "sharing_request_get_for",
    "sharing_requests_visible_to",
    "sharing_rounds",
    "stale_resources_for",
]
