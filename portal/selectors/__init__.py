"""Permissioned reads of the portal core, one module per concern; import them from here."""

from portal.selectors.core import (
    attachment_get_for,
    attachment_subject_register,
    attachments_for,
    members_with_roles,
    organization_get_for,
    organizations_visible_to,
    timeline_for,
)
from portal.selectors.deadlines import (
    DEADLINE_ROW_FIELDS,
    deadline_get_for,
    deadlines_for,
    deadlines_visible_to,
)
from portal.selectors.notifications import notification_get_for, notifications_for, unread_count

__all__ = [
    "DEADLINE_ROW_FIELDS",
    "attachment_get_for",
    "attachment_subject_register",
    "attachments_for",
    "deadline_get_for",
    "deadlines_for",
    "deadlines_visible_to",
    "members_with_roles",
    "notification_get_for",
    "notifications_for",
    "organization_get_for",
    "organizations_visible_to",
    "timeline_for",
    "unread_count",
]
