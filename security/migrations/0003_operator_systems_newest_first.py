"""An operator's systems newest first, by index (issue 15).

- ``secsys_operator_created_idx`` (operator, created_at DESC, id DESC): a clerk's system list is read operator
  by operator. Walking every system of the city newest first read 7,677 rows for a clerk's 25 at city scale.
- ``secsys_operator_name_idx`` and the operator key's own index go: both repeat the unique constraint's
  index on (operator, name), and the new index leads with the operator too.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0016_deadline_indexes_by_organization'),
        ('projects', '0012_district_index_covers_the_count'),
        ('security', '0002_grading_counts_from_covering_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='informationsystem',
            name='secsys_operator_name_idx',
        ),
        migrations.AlterField(
            model_name='informationsystem',
            name='operator',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='information_systems', to='portal.organization', verbose_name='运行维护单位'),
        ),
        migrations.AddIndex(
            model_name='informationsystem',
            index=models.Index(fields=['operator', '-created_at', '-id'], name='secsys_operator_created_idx'),
        ),
    ]
