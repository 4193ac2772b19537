"""A district official's to-do filings read in urgency order from their district's own index entries (issue 15)."""

import datetime
import django.db.models.functions.comparison
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0016_deadline_indexes_by_organization'),
        ('projects', '0012_district_index_covers_the_count'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='projectfiling',
            index=models.Index(models.F('district'), models.F('status'), models.F('checklist_complete'), django.db.models.functions.comparison.Coalesce(models.F('review_due_date'), models.Value(datetime.date(9999, 12, 31), output_field=models.DateField())), django.db.models.functions.comparison.Coalesce(models.F('submitted_at'), models.F('created_at')), models.F('id'), condition=models.Q(('level', 'district'), ('status__in', ['submitted', 'in_review'])), name='filing_district_todo_idx'),
        ),
    ]
