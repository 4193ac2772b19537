"""Models of Chapter 2 and Arts. 29-30; import them from here."""

from projects.models.contractors import ComplianceFinding, FindingKind, Qualification
from projects.models.filings import (
    DECIDED_STATES,
    NO_DUE_DATE,
    OPINION_STATES,
    AcceptanceRecord,
    AcceptanceResult,
    ContractorRole,
    DocumentNumberSequence,
    FilingContractor,
    FilingGroupObjectPermission,
    FilingStatus,
    FilingUserObjectPermission,
    ProjectFiling,
    ReviewFinding,
)
from projects.models.network import (
    ApplicationStatus,
    ConnectedSystem,
    DomainApplication,
    MigrationStatus,
    NetworkAccessApplication,
    PrivateNetwork,
    Website,
)
from projects.models.plans import AnnualPlan, AnnualPlanItem

__all__ = [
    "DECIDED_STATES",
    "NO_DUE_DATE",
    "OPINION_STATES",
    "AcceptanceRecord",
    "AcceptanceResult",
    "AnnualPlan",
    "AnnualPlanItem",
    "ApplicationStatus",
    "ComplianceFinding",
    "ConnectedSystem",
    "ContractorRole",
    "DocumentNumberSequence",
    "DomainApplication",
    "FilingContractor",
    "FilingGroupObjectPermission",
    "FilingStatus",
    "FilingUserObjectPermission",
    "FindingKind",
    "MigrationStatus",
    "NetworkAccessApplication",
    "PrivateNetwork",
    "ProjectFiling",
    "Qualification",
    "ReviewFinding",
    "Website",
]
