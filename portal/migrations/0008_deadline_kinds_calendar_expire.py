"""Data: warranty and certificate kinds count reminders in calendar days and expire rather than go overdue.

0006 seeded these rows from the settings of the day, without a unit or on-due behaviour (the fields
came in 0007, with the defaults: working days, overdue). Rows still holding a plan 0006 can have seeded
(the earlier settings or the current ones) get the calendar-day plan; a plan the admin changed since is
left alone. Reversible (back to the defaults of 0007; the offsets stay).
"""

from django.db import migrations

# code -> (plans 0006 may have seeded, the plan now in settings.DEADLINE_KINDS)
PLANS = {
    "warranty_end": ([[-60, -30, -7]], [-60, -30, -7]),
    "qualification_expiry": ([[-60, -20, -5, 0], [-60, -30, -7, 0]], [-60, -30, -7, 0]),
}


def forward(apps, schema_editor):
    DeadlineKind = apps.get_model("portal", "DeadlineKind")
    for code, (seeded, current) in PLANS.items():
        for plan in seeded:
            DeadlineKind.objects.filter(
                code=code, reminder_offsets=plan, reminder_unit="working", on_due="overdue"
            ).update(reminder_offsets=current, reminder_unit="calendar", on_due="expire")


def backward(apps, schema_editor):
    DeadlineKind = apps.get_model("portal", "DeadlineKind")
    DeadlineKind.objects.filter(code__in=list(PLANS), reminder_unit="calendar", on_due="expire").update(
        reminder_unit="working", on_due="overdue"
    )


class Migration(migrations.Migration):
    dependencies = [("portal", "0007_deadline_kind_unit_on_due_expired")]
    operations = [migrations.RunPython(forward, backward)]
