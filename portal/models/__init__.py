"""Models of the portal core, one module per concern; import them from here."""

from portal.models.calendar import CalendarDay, CalendarSource, CalendarYear
from portal.models.core import (
    Attachment,
    DepartmentType,
    District,
    Level,
    Membership,
    Organization,
    OrganizationGroupObjectPermission,
    OrganizationKind,
    OrganizationUserObjectPermission,
    Role,
    Sector,
    TimelineEvent,
    User,
)
from portal.models.deadlines import (
    ACTIVE_STATES,
    CLOSED_STATES,
    Deadline,
    DeadlineKind,
    DeadlineReminder,
    DeadlineState,
    OnDue,
    ReminderUnit,
)
from portal.models.guard import PasswordHistory, SecurityEvent, SecurityEventKind
from portal.models.notifications import EmailState, Notification, NotificationPreference

__all__ = [
    "ACTIVE_STATES",
    "CLOSED_STATES",
    "Attachment",
    "CalendarDay",
    "CalendarSource",
    "CalendarYear",
    "Deadline",
    "DeadlineKind",
    "DeadlineReminder",
    "DeadlineState",
    "DepartmentType",
    "District",
    "EmailState",
    "Level",
    "Membership",
    "Notification",
    "NotificationPreference",
    "OnDue",
    "Organization",
    "OrganizationGroupObjectPermission",
    "OrganizationKind",
    "OrganizationUserObjectPermission",
    "PasswordHistory",
    "ReminderUnit",
    "Role",
    "Sector",
    "SecurityEvent",
    "SecurityEventKind",
    "TimelineEvent",
    "User",
]
