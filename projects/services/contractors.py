"""Qualifications (Art. 11) and the findings recorded when an unqualified contractor is engaged (Art. 43)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from portal.access import require
from portal.models import OrganizationKind
from portal.services import deadline_open, timeline_record
from projects.models import ComplianceFinding, FindingKind, ProjectFiling, Qualification
from projects.permissions import may_manage_qualifications
from projects.rules import UNQUALIFIED_CONTRACTOR_ARTICLE, UNQUALIFIED_CONTRACTOR_SANCTION_ARTICLE


@transaction.atomic
def qualification_create(
    *,
    actor,
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
    qualification = Qualification(
        contractor=contractor,
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
    timeline_record(obj=qualification, actor=actor, action="qualification_registered")
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


def compliance_finding_record_unqualified(
    *, filing: ProjectFiling, contractor, actor, domain_label: str, required_label: str, detail: str
) -> ComplianceFinding:
    """Record the Art. 11 violation in its own transaction, so it survives the refused assignment."""
    with transaction.atomic():
        finding = ComplianceFinding.objects.create(
            kind=FindingKind.UNQUALIFIED_CONTRACTOR,
            article=UNQUALIFIED_CONTRACTOR_ARTICLE,
            sanction_article=UNQUALIFIED_CONTRACTOR_SANCTION_ARTICLE,
            organization=contractor,
            filing=filing,
            level=filing.level,
            district=filing.district,
            description=(
                f"{contractor.name}拟承揽“{filing.title}”，但未持有有效的{domain_label}资质（要求{required_label}"
                f"及以上）：{detail}"
            ),
            data={
                "filing": str(filing.uuid),
                "contractor": str(contractor.uuid),
                "checked_on": timezone.localdate().isoformat(),
            },
            detected_by=actor if actor is not None and actor.is_authenticated else None,
        )
        timeline_record(
            obj=filing,
            actor=actor,
            action="contractor_refused",
            comment=finding.description,
            data={"finding": str(finding.uuid)},
        )
    return finding
