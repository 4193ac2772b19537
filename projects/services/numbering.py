"""Document numbers (文号) of the opinions an authority issues: one gap-free sequence per issuer, prefix and year."""

from django.db import connection


def document_number_next(*, issuer, prefix: str, year: int) -> int:
    """Allocate the next number for (issuer, prefix, year) in one atomic upsert: safe under concurrency,
    no gaps from rolled-back readers, and the row lock is held until the caller's transaction ends."""
    from projects.models import DocumentNumberSequence

    table = DocumentNumberSequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} (issuer_id, prefix, year, last_number) VALUES (%s, %s, %s, 1)
            ON CONFLICT (issuer_id, prefix, year) DO UPDATE SET last_number = {table}.last_number + 1
            RETURNING last_number
            """,  # noqa: S608 (table name from model meta, values bound)
            [issuer.pk, prefix, year],
        )
        return cursor.fetchone()[0]
