"""Data for the legal-review corrections (issue 7); schema changes are in 0003 and 0005.

- the approval date of each connected system is the date it was registered (approval and connection were one);
- filings already accepted for review are in their first round, and so are their checklist findings;
- certificates registered by authority staff count as verified; those a contractor registered itself wait for
  an official (Art. 11);
- one Art. 43 finding per contractor and filing: later duplicates (from refused picks) are removed;
- one pending domain application per domain: later duplicates are refused, saying why.
"""

from django.db import migrations
from django.db.models import Min


def forwards(apps, schema_editor):
    ConnectedSystem = apps.get_model("projects", "ConnectedSystem")
    ProjectFiling = apps.get_model("projects", "ProjectFiling")
    Qualification = apps.get_model("projects", "Qualification")
    ComplianceFinding = apps.get_model("projects", "ComplianceFinding")
    DomainApplication = apps.get_model("projects", "DomainApplication")
    Membership = apps.get_model("portal", "Membership")

    for system in ConnectedSystem.objects.filter(approved_on__isnull=True):
        system.approved_on = system.connected_on
        system.save(update_fields=["approved_on"])
    ProjectFiling.objects.filter(review_started_at__isnull=False).update(review_round=1)

    staff = Membership.objects.filter(
        organization__kind="authority",
        role__in=["authority_official", "authority_reviewer", "district_official"],
    ).values("user_id")
    for qualification in Qualification.objects.filter(verified_at__isnull=True, created_by_id__in=staff):
        qualification.verified_by_id = qualification.created_by_id
        qualification.verified_at = qualification.created_at
        qualification.save(update_fields=["verified_by", "verified_at"])

    firsts = (
        ComplianceFinding.objects.filter(filing__isnull=False)
        .values("kind", "organization_id", "filing_id")
        .annotate(first=Min("id"))
    )
    for row in firsts:
        ComplianceFinding.objects.filter(
            kind=row["kind"], organization_id=row["organization_id"], filing_id=row["filing_id"]
        ).exclude(pk=row["first"]).delete()

    seen = set()
    for application in DomainApplication.objects.filter(status="submitted").order_by("submitted_at", "id"):
        if application.domain_name in seen:
            application.status = "refused"
            application.decision_reason = "同一域名已有在先的待审查申请，本申请重复（系统升级时处理）。"
            application.save(update_fields=["status", "decision_reason"])
        seen.add(application.domain_name)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0003_role_groups"),
        ("projects", "0003_legal_review_fields"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
