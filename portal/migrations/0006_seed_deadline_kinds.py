"""Data: a DeadlineKind row for every kind in settings.DEADLINE_KINDS (existing rows are left alone).

Kinds added to the settings later are created the first time they are used.
"""

from django.conf import settings
from django.db import migrations


def seed(apps, schema_editor):
    DeadlineKind = apps.get_model("portal", "DeadlineKind")
    for code, entry in getattr(settings, "DEADLINE_KINDS", {}).items():
        DeadlineKind.objects.get_or_create(
            code=code,
            defaults={
                "label": entry["label"],
                "legal_basis": entry.get("legal_basis", ""),
                "reminder_offsets": sorted({int(o) for o in entry.get("reminders", [])}),
            },
        )


def unseed(apps, schema_editor):
    # Only the kinds no deadline uses; the others are history.
    DeadlineKind = apps.get_model("portal", "DeadlineKind")
    Deadline = apps.get_model("portal", "Deadline")
    used = Deadline.objects.values("kind")
    DeadlineKind.objects.filter(code__in=list(getattr(settings, "DEADLINE_KINDS", {}))).exclude(code__in=used).delete()


class Migration(migrations.Migration):
    dependencies = [("portal", "0005_seed_calendar")]
    operations = [migrations.RunPython(seed, unseed)]
