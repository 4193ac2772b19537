"""Chinese full-text search: segmentation with rjieba into a 'simple' tsvector (core PostgreSQL only).

PostgreSQL has no Chinese parser in core (zhparser and pg_jieba are extensions the embedded build lacks),
so words are cut in Python with ``rjieba.cut_for_search`` — which emits both the long word and its parts
(出租汽车 -> 出租, 汽车, 出租汽车) — and stored space-separated into a tsvector with the ``simple``
configuration (no stemming, no stop words). The query is cut in precise mode (its whole words, each of
which is among the document's tokens), so ``出租`` and ``出租汽车`` both find 出租汽车运营数据.
Weights: A the name, B the summary, C the item names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from django.db import connection

from resources.models import CatalogResource

_WORD = re.compile(r"\w", re.UNICODE)


def _jieba():
    """rjieba, imported on first use: its dictionary is 33 MB, which a worker that never segments (most
    pages) need not hold."""
    import rjieba

    return rjieba


def segment(text: str) -> str:
    """Space-separated search tokens of ``text`` (lowercased, punctuation dropped)."""
    return " ".join(t for t in _jieba().cut_for_search(text.lower()) if _WORD.search(t))


def query_tokens(text: str) -> list[str]:
    """The words of a query, cut in *precise* mode (``rjieba.cut``): 出租汽车 stays one word.

    Every precise word of a text is also among its ``cut_for_search`` words, so a document holding the
    query's text matches. Adding the query's sub-words (出租, 汽车) could only narrow the AND and makes the
    planner multiply the frequencies of words that always occur together (it estimated 459 matches for
    77,000 and chose a plan 60 times slower)."""
    seen = []
    words = (t for t in _jieba().cut(text.lower()) if _WORD.search(t))
    for token in words:
        if token not in seen:
            seen.append(token)
    return seen[:16]


@lru_cache(maxsize=100_000)
def _item_tokens(name: str) -> str:
    """One item name's tokens. Item names repeat across the catalog (姓名, 身份证号 …), so a bulk batch of
    100,000 items cuts a few thousand distinct names instead of every one."""
    return segment(name)


def index_texts(name: str, summary: str, item_names: Iterable[str]) -> tuple[str, str, str]:
    """Tokens of weight A, B and C. The items are cut one by one: rjieba cuts a space-joined text block by
    block, so this equals cutting the joined names."""
    return segment(name), segment(summary), " ".join(t for t in map(_item_tokens, item_names) if t)


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
