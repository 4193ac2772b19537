"""Less work per inserted resource (issue 10: bulk import at 2,000 resources/s).

- The indexes on ``base_database``, ``revision_of`` and ``published_by`` leave out the rows where the key is
  NULL. A draft has none of the three, so a 10,000-row bulk import wrote 30,000 index entries nobody reads.
  Every lookup on these keys names a value (``= x``, ``IS NOT NULL``), which the partial indexes serve.
- ``toast_tuple_target = 8160``: a row is compressed only when it does not fit a page. A resource with its
  search vector and the duplicate matches of a bulk import is 2-2.5 kB, just above PostgreSQL's default of
  about 2 kB, so every such row went through pglz on insert (7 % of the insert's server time, measured with
  perf) and was decompressed again on every search that ranked it.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0016_deadline_indexes_by_organization"),
        ("resources", "0007_search_buckets"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunSQL(
            "ALTER TABLE resources_catalogresource SET (toast_tuple_target = 8160)",
            "ALTER TABLE resources_catalogresource RESET (toast_tuple_target)",
        ),
        migrations.RemoveIndex(
            model_name="catalogresource",
            name="res_basedb_status_idx",
        ),
        migrations.AlterField(
            model_name="catalogresource",
            name="published_by",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="catalogresource",
            name="revision_of",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="revisions",
                to="resources.catalogresource",
                verbose_name="修订的资源",
            ),
        ),
        migrations.AddIndex(
            model_name="catalogresource",
            index=models.Index(
                condition=models.Q(("base_database__isnull", False)),
                fields=["base_database", "status"],
                name="res_basedb_status_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="catalogresource",
            index=models.Index(
                condition=models.Q(("revision_of__isnull", False)), fields=["revision_of"], name="res_revision_of_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="catalogresource",
            index=models.Index(
                condition=models.Q(("published_by__isnull", False)),
                fields=["published_by"],
                name="res_published_by_idx",
            ),
        ),
    ]
