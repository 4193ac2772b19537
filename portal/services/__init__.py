"""Writes of the portal core, one module per concern; import them from here."""

from portal.services.calendar import calendar_csv_parse, calendar_year_load
from portal.services.core import (
    ORGANIZATION_EDITABLE_FIELDS,
    attachment_create,
    membership_create,
    organization_create,
    organization_update,
    timeline_record,
    user_create,
)
from portal.services.deadlines import (
    deadline_extend,
    deadline_kind_get,
    deadline_meet,
    deadline_open,
    deadline_pause,
    deadline_resume,
    deadline_waive,
    deadlines_recount,
    deadlines_sweep,
)
from portal.services.notifications import (
    NotificationDraft,
    notification_create,
    notification_mark_read,
    notification_preferences_update,
    notifications_create_many,
    notifications_mark_all_read,
)

__all__ = [
    "ORGANIZATION_EDITABLE_FIELDS",
    "NotificationDraft",
    "attachment_create",
    "calendar_csv_parse",
    "calendar_year_load",
    "deadline_extend",
    "deadline_kind_get",
    "deadline_meet",
    "deadline_open",
    "deadline_pause",
    "deadline_resume",
    "deadline_waive",
    "deadlines_recount",
    "deadlines_sweep",
    "membership_create",
    "notification_create",
    "notification_mark_read",
    "notification_preferences_update",
    "notifications_create_many",
    "notifications_mark_all_read",
    "organization_create",
    "organization_update",
    "timeline_record",
    "user_create",
]
