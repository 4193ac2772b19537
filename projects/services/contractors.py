"""Qualifications (Art. 11) and the findings recorded when an unqualified contractor is engaged (Art. 43)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from portal.access import require
from portal.models import OrganizationKind, User
from portal.services import deadline_open, timeline_record
from portal.workflow import Refused
from projects.events import FilingEvent, RegisterEvent
from projects.models import ComplianceFinding, FindingKind, ProjectFiling, Qualification
from projects.permissions import may_manage_qualifications, may_verify_qualifications
from projects.rules import UNQUALIFIED_CONTRACTOR_ARTICLE, UNQUALIFIED_CONTRACTOR_SANCTION_ARTICLE


@transaction.atomic
def qualification_create(
    *,
    actor: User,
    contractor,
    domain: str,
    level: int,
    number: str,
    issuer: str,
    valid_from: date,
    valid_to: date,
    certificate=None,
) -> Qualification:
    if contractor.kind != OrganizationKind.CONTRACTOR:
        raise ValidationError({"contractor": "只能为信息化工程承建单位登记资质。"})
    require(may_manage_qualifications(actor, contractor), "您无权为该单位登记资质。")
    # Art. 11: a certificate an official registers is checked as it is entered; one the contractor
    # registers itself counts only after an official has verified it against the original.
    verifier = actor if may_verify_qualifications(actor, contractor) else None
    qualification = Qualification(
        contractor=contractor,
        verified_by=verifier,
        verified_at=timezone.now() if verifier else None,
        domain=domain,
        level=level,
        number=number.strip(),
        issuer=issuer.strip(),
        valid_from=valid_from,
        valid_to=valid_to,
        created_by=actor,
    )
    qualification.full_clean()
    qualification.save()
    timeline_record(obj=qualification, actor=actor, action=RegisterEvent.QUALIFICATION_REGISTERED)
    if certificate is not None:
        from portal.services import attachment_create

        attachment_create(obj=qualification, uploaded=certificate, actor=actor, description="资质证书扫描件")
    # Art. 11: an expired certificate stops the contractor from taking on work in the domain.
    deadline_open(
        subject=qualification,
        kind="qualification_expiry",
        due_date=valid_to,
        organization=contractor,
        legal_basis="Art. 11",
        actor=actor,
        title=f"资质证书到期：{qualification}",
    )
    return qualification


@transaction.atomic
def qualification_verify(*, qualification: Qualification, actor: User) -> Qualification:
    """Art. 11: an official checks a contractor's self-registered certificate; from then on it counts."""
    require(may_verify_qualifications(actor, qualification.contractor), "只有信息化主管部门可以核验资质证书。")
    locked = Qualification.objects.select_for_update().get(pk=qualification.pk)
    if locked.verified_at is not None:
        raise Refused("该资质证书已经核验。", code="qualification-already-verified")
    locked.verified_by = actor
    locked.verified_at = timezone.now()
    locked.save(update_fields=["verified_by", "verified_at"])
    timeline_record(obj=locked, actor=actor, action=RegisterEvent.QUALIFICATION_VERIFIED)
    return locked


def compliance_finding_record_unqualified(
    *, filing: ProjectFiling, contractor, actor: User, detail: str
) -> ComplianceFinding:
    """Record the Art. 11 violation of a contract taken on without the qualification (sanction: Art. 43).

    One finding per contractor and filing: recording the same contract again returns the existing finding."""
    finding, created = ComplianceFinding.objects.get_or_create(
        kind=FindingKind.UNQUALIFIED_CONTRACTOR,
        organization=contractor,
        filing=filing,
        defaults={
            "article": UNQUALIFIED_CONTRACTOR_ARTICLE,
            "sanction_article": UNQUALIFIED_CONTRACTOR_SANCTION_ARTICLE,
            "level": filing.level,
            "district": filing.district,
            "description": f"{contractor.name}承揽了“{filing.title}”：{detail}",
            "data": {
                "filing": str(filing.uuid),
                "contractor": str(contractor.uuid),
                "checked_on": timezone.localdate().isoformat(),
            },
            "detected_by": actor if actor is not None and actor.is_authenticated else None,
        },
    )
    if created:
        timeline_record(
            obj=filing,
            actor=actor,
            action=FilingEvent.CONTRACTOR_UNQUALIFIED_FINDING,
            comment=finding.description,
            data={"finding": str(finding.uuid)},
        )
    return finding
