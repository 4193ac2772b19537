"""Writes of the portal core, one module per concern; import them from here."""

from portal.services.core import (
    ORGANIZATION_EDITABLE_FIELDS,
    attachment_create,
    membership_create,
    organization_create,
    organization_update,
    timeline_record,
    user_create,
)

__all__ = [
    "ORGANIZATION_EDITABLE_FIELDS",
    "attachment_create",
    "membership_create",
    "organization_create",
    "organization_update",
    "timeline_record",
    "user_create",
]
