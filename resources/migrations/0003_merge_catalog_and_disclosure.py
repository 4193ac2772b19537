# The catalog (0001_initial, 0002) and disclosure (0001_disclosure) were built side by side; this joins them.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0001_disclosure"),
        ("resources", "0002_code_table_and_base_databases"),
    ]

    operations = []
