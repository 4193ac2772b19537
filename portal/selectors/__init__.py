"""Permissioned reads of the portal core, one module per concern; import them from here."""

from portal.selectors.core import attachments_for, organization_get_for, organizations_visible_to, timeline_for
from portal.selectors.deadlines import deadline_get_for, deadlines_for, deadlines_visible_to
from portal.selectors.notifications import notification_get_for, notifications_for, unread_count

__all__ = [
    "attachments_for",
    "deadline_get_for",
    "deadlines_for",
    "deadlines_visible_to",
    "notification_get_for",
    "notifications_for",
    "organization_get_for",
    "organizations_visible_to",
    "timeline_for",
    "unread_count",
]
