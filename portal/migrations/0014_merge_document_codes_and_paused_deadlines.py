# Joins two histories that landed side by side: issuing authorities' document codes (issue 7, bug 1)
# and paused/provisional deadlines (issue 7, the next year's calendar). Neither touches the other's tables.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0012_deadline_pause_provisional"),
        ("portal", "0013_seed_document_codes"),
    ]

    operations = []
