"""Statistics on the expressions the keyword search filters by (``title__icontains`` is
``UPPER(title::text) LIKE UPPER('%…%')``), so PostgreSQL estimates how many filings a word matches.

Without them it assumed a handful: a common word (平台, 61 % of 100,000 filings) was answered by reading and
sorting every match (960 ms); with them it walks the newest-first index and stops at the page's rows
(1.4 ms). A rare word is still a scan of the visible filings, bounded by the table (issue 15). pg_trgm is
excluded by DESIGN.md; this needs no extension."""

from django.db import migrations

CREATE = (
    "CREATE STATISTICS IF NOT EXISTS filing_search_stats "
    "ON (upper(title::text)), (upper(opinion_number::text)) FROM projects_projectfiling"
)
DROP = "DROP STATISTICS IF EXISTS filing_search_stats"


class Migration(migrations.Migration):
    dependencies = [("projects", "0006_filing_open_review_index")]

    operations = [migrations.RunSQL(CREATE, DROP)]
