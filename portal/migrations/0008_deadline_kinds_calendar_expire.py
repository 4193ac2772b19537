"""Data: warranty and certificate kinds count reminders in calendar days and expire rather than go overdue.

0006 seeded these rows from the settings of that time (working days, overdue). Rows still holding that
seeded plan get the new one; a plan the admin changed since is left alone. Reversible.
"""

from django.db import migrations

# code -> (plan seeded by 0006, plan now in settings.DEADLINE_KINDS)
PLANS = {
    "warranty_end": ([-60, -30, -7], [-60, -30, -7]),
    "qualification_expiry": ([-60, -20, -5, 0], [-60, -30, -7, 0]),
}


def forward(apps, schema_editor):
    DeadlineKind = apps.get_model("portal", "DeadlineKind")
    for code, (seeded, current) in PLANS.items():
        DeadlineKind.objects.filter(
            code=code, reminder_offsets=seeded, reminder_unit="working", on_due="overdue"
        ).update(reminder_offsets=current, reminder_unit="calendar", on_due="expire")


def backward(apps, schema_editor):
    DeadlineKind = apps.get_model("portal", "DeadlineKind")
    for code, (seeded, current) in PLANS.items():
        DeadlineKind.objects.filter(
            code=code, reminder_offsets=current, reminder_unit="calendar", on_due="expire"
        ).update(reminder_offsets=seeded, reminder_unit="working", on_due="overdue")


class Migration(migrations.Migration):
    dependencies = [("portal", "0007_deadline_kind_unit_on_due_expired")]
    operations = [migrations.RunPython(forward, backward)]
