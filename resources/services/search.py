"""Chinese full-text search: segmentation with rjieba into a 'simple' tsvector (core PostgreSQL only).

PostgreSQL has no Chinese parser in core (zhparser and pg_jieba are extensions the embedded build lacks),
so words are cut in Python with ``rjieba.cut_for_search`` — which emits both the long word and its parts
(出租汽车 -> 出租, 汽车, 出租汽车) — and stored space-separated into a tsvector with the ``simple``
configuration (no stemming, no stop words). The query is cut the same way, so ``出租`` finds 出租汽车运营数据.
Weights: A the name, B the summary, C the item names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import rjieba
from django.db import connection

from resources.models import CatalogResource

_WORD = re.compile(r"\w", re.UNICODE)
# Tokens the 'simple' parser keeps whole (letters and digits only): only those go into a literal vector.
_PLAIN = re.compile(r"^[^\W_]+$", re.UNICODE)
MAX_POSITION = 16_383


def segment(text: str) -> str:
    """Space-separated search tokens of ``text`` (lowercased, punctuation dropped)."""
    return " ".join(t for t in rjieba.cut_for_search(text.lower()) if _WORD.search(t))


def query_tokens(text: str) -> list[str]:
    seen = []
    for token in segment(text).split():
        if token not in seen:
            seen.append(token)
    return seen[:16]


def index_texts(name: str, summary: str, item_names: Iterable[str]) -> tuple[str, str, str]:
    return segment(name), segment(summary), segment(" ".join(item_names))


VECTOR_SQL = (
    "setweight(to_tsvector('simple', {a}), 'A') || setweight(to_tsvector('simple', {b}), 'B') "
    "|| setweight(to_tsvector('simple', {c}), 'C')"
)


def resource_index(resource: CatalogResource, item_names: Iterable[str]) -> None:
    """Recompute one resource's search vector (one UPDATE)."""
    a, b, c = index_texts(resource.name, resource.summary, item_names)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {CatalogResource._meta.db_table} SET search_vector = "  # noqa: S608 (meta name, values bound)
            + VECTOR_SQL.format(a="%s", b="%s", c="%s")
            + " WHERE id = %s",
            [a, b, c, resource.pk],
        )


def resources_index_many(rows: list[tuple[int, str, str, Iterable[str]]]) -> None:
    """Index many resources in one UPDATE ... FROM unnest (bulk import)."""
    if not rows:
        return
    ids, a, b, c = [], [], [], []
    for pk, name, summary, item_names in rows:
        ta, tb, tc = index_texts(name, summary, item_names)
        ids.append(pk)
        a.append(ta)
        b.append(tb)
        c.append(tc)
    table = CatalogResource._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS r SET search_vector = "  # noqa: S608 (meta name, values bound)
            + VECTOR_SQL.format(a="v.a", b="v.b", c="v.c")
            + " FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[]) AS v(id, a, b, c) WHERE r.id = v.id",
            [ids, a, b, c],
        )


def tsvector_literal(a: str, b: str, c: str) -> str | None:
    """The text form of ``setweight(to_tsvector('simple', a), 'A') || … 'B' || … 'C'``, built in Python.

    Bulk import writes rows with COPY, so the vector is sent as a literal instead of computed by an UPDATE
    afterwards (which would write every row twice). Returns None when a token is one the parser might
    split differently (punctuation inside); the caller then lets PostgreSQL compute that row's vector."""
    positions: dict[str, list[str]] = {}
    position = 0
    for text, weight in ((a, "A"), (b, "B"), (c, "C")):
        for token in text.split():
            if not _PLAIN.match(token):
                return None
            position = min(position + 1, MAX_POSITION)
            entries = positions.setdefault(token, [])
            if len(entries) < 256:
                entries.append(f"{position}{weight}")
    return " ".join(f"'{token}':{','.join(entries)}" for token, entries in positions.items())
