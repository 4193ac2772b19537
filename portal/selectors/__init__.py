"""Permissioned reads of the portal core, one module per concern; import them from here."""

from portal.selectors.core import attachments_for, organization_get_for, organizations_visible_to, timeline_for

__all__ = ["attachments_for", "organization_get_for", "organizations_visible_to", "timeline_for"]
