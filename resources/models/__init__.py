"""Models of Chapter 3; import them from here."""

from resources.models.catalog import (
    EDITABLE_STATES,
    BaseDatabase,
    CatalogResource,
    Classification,
    ItemKeyStat,
    JustificationStatus,
    ResourceCodeSequence,
    ResourceItem,
    ResourceStatus,
)
from resources.models.disclosure import (  # noqa: F401
    AnnualReport,
    AnnualReportStatus,
    ApplicationStatus,
    CatalogEntry,
    DisclosureApplication,
    DisclosureGuide,
    EnterpriseDisclosure,
)
from resources.models.sharing import (
    OPEN_SHARING_STATES,
    GrantStatus,
    RoundParty,
    SharingGrant,
    SharingRequest,
    SharingRound,
    SharingStatus,
)

__all__ = [
    "EDITABLE_STATES",
    "OPEN_SHARING_STATES",
    "BaseDatabase",
    "CatalogResource",
    "Classification",
    "GrantStatus",
    "ItemKeyStat",
    "JustificationStatus",
    "ResourceCodeSequence",
    "ResourceItem",
    "ResourceStatus",
    "RoundParty",
    "SharingGrant",
    "SharingRequest",
    "SharingRound",
    "SharingStatus",
]
