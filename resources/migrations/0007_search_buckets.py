"""Search vectors also hold each lexeme with its resource's id bucket (``出租|30``; resources/services/search.py).

``catalog_search_bucketed(plain, bucket)`` returns a vector of plain lexemes (with their positions and weights)
plus each of them as ``lexeme|bucket`` without positions (10,000 vectors: 75 ms);
``catalog_search_plain(vector)`` drops the bucketed lexemes again (a copy given another id, the reverse).
The parser never keeps ``|`` inside a lexeme. 15 is ``SEARCH_BUCKET_BITS`` as of this migration.
The BRIN index on ``id`` served the search's old "newest ids" ranges and is dropped.
"""

from django.db import migrations

FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION catalog_search_plain(vector tsvector) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ts_delete(vector, ARRAY(SELECT l FROM unnest(tsvector_to_array(vector)) AS l WHERE strpos(l, '|') > 0))
$$;
CREATE OR REPLACE FUNCTION catalog_search_bucketed(plain tsvector, bucket bigint) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT plain || array_to_tsvector(ARRAY(SELECT l || '|' || bucket FROM unnest(tsvector_to_array(plain)) AS l))
$$;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0006_search_id_brin"),
    ]

    operations = [
        migrations.RunSQL(
            FUNCTIONS,
            "DROP FUNCTION IF EXISTS catalog_search_bucketed(tsvector, bigint); "
            "DROP FUNCTION IF EXISTS catalog_search_plain(tsvector)",
        ),
        migrations.RunSQL(
            "UPDATE resources_catalogresource SET search_vector = catalog_search_bucketed(search_vector, id >> 15) "
            "WHERE search_vector IS NOT NULL",
            "UPDATE resources_catalogresource SET search_vector = catalog_search_plain(search_vector) "
            "WHERE search_vector IS NOT NULL",
        ),
        migrations.RemoveIndex(model_name="catalogresource", name="res_id_brin"),
    ]
