"""Models of the portal core, one module per concern; import them from here."""

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

__all__ = [
    "Attachment",
    "DepartmentType",
    "District",
    "Level",
    "Membership",
    "Organization",
    "OrganizationGroupObjectPermission",
    "OrganizationKind",
    "OrganizationUserObjectPermission",
    "Role",
    "Sector",
    "TimelineEvent",
    "User",
]
