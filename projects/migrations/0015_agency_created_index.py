"""A clerk's filings, newest first, read unit by unit from their own index entries (issue 15)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0018_deadline_district'),
        ('projects', '0014_todo_index_checklist_before_order'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='projectfiling',
            index=models.Index(fields=['agency', '-created_at', '-id'], name='filing_agency_created_idx'),
        ),
    ]
