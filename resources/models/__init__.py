"""Models of Chapter 3; import them from here."""

from resources.models.disclosure import (  # noqa: F401
    AnnualReport,
    AnnualReportStatus,
    ApplicationStatus,
    CatalogEntry,
    DisclosureApplication,
    DisclosureGuide,
    EnterpriseDisclosure,
)
