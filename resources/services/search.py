"""Chinese full-text search: segmentation with rjieba into a 'simple' tsvector (core PostgreSQL only).

PostgreSQL has no Chinese parser in core (zhparser and pg_jieba are extensions the embedded build lacks),
so words are cut in Python with ``rjieba.cut_for_search`` — which emits both the long word and its parts
(出租汽车 -> 出租, 汽车, 出租汽车) — and stored space-separated into a tsvector with the ``simple``
configuration (no stemming, no stop words). The query is cut in precise mode (its whole words, each of
which is among the document's tokens), so ``出租`` and ``出租汽车`` both find 出租汽车运营数据.
Weights: A the name, B the summary, C the item names.

**Each lexeme is also stored with its resource's id bucket** (``出租|30``: the word, then ``id >>
SEARCH_BUCKET_BITS``, without positions). A GIN index answers an AND of words by decoding each word's whole
posting list; for three words each in 9 % of a million resources that is 270,000 entries (25-35 ms) to rank
the newest few hundred matches. The bucketed lexemes let a search read the newest 32,768 resources through
their own short lists (``出租|30 & 汽车|30``: 30,000 entries) first. Everything else (every match, the
planner's estimates, ``ts_rank``) uses the plain lexemes, as before. Searching every bucket by bucketed
lexemes instead was slower than the plain lists: an OR of 31 buckets' ANDs names no lexeme every match must
hold, so GIN tested each of 270,000 candidates against the whole query (98 ms), and prefixes (``出租|:*``)
went lossy (340 ms). The parser never keeps ``|`` inside a lexeme.
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


# A resource's lexemes are also stored with ``id >> SEARCH_BUCKET_BITS``. Changing it needs a migration that
# rewrites every vector (``catalog_search_bucketed``, migration resources 0007).
SEARCH_BUCKET_BITS = 15
SEARCH_BUCKET_SIZE = 1 << SEARCH_BUCKET_BITS


def search_bucket(pk: int) -> int:
    return pk >> SEARCH_BUCKET_BITS


# ``catalog_search_bucketed`` (migration resources 0007) adds each lexeme of the weighted vector as
# ``lexeme|bucket``.
VECTOR_SQL = (
    "catalog_search_bucketed(setweight(to_tsvector('simple', {a}), 'A') || setweight(to_tsvector('simple', {b}), 'B')"
    " || setweight(to_tsvector('simple', {c}), 'C'), {id} >> " + str(SEARCH_BUCKET_BITS) + ")"
)

# Tokens PostgreSQL's default parser keeps whole, as they are: lowercase ASCII letters and digits and CJK
# ideographs (a word, an ASCII word, a number or a number-word; 'simple' only lowercases, and ``segment`` has
# lowercased). Anything else (``_``, ``.``, ``-``, accented letters…) may be split or folded by the parser.
# Checked a text at a time (one regular expression call a resource, not one a token).
_WHOLE_TOKENS = re.compile(r"[0-9a-z\u3400-\u4dbf\u4e00-\u9fff ]*")
_MAX_TOKEN = 600  # characters; the parser skips a word over 2,047 bytes (3 a character here)
# tsvector limits: positions up to 16,383 and 256 of them a lexeme; past either PostgreSQL clamps or drops.
_MAX_POSITION = 16_383
_MAX_POSITIONS = 256


def vector_text(a: str, b: str, c: str, pk: int) -> str | None:
    """The text of the vector ``VECTOR_SQL`` builds from the tokens ``a``, ``b`` and ``c`` for resource ``pk``
    (``'出租':1A,5C '出租|30' …``), or None where only PostgreSQL's parser can say (a token it may split).

    Each token is one lexeme at the next position (``setweight(…) || …`` continues the positions of the
    texts before), weighted A, B or C, and each lexeme is also given once as ``lexeme|bucket`` without
    positions (``catalog_search_bucketed``). A bulk import copies this text into the vector column instead
    of parsing 10,000 resources' tokens in the server, which spent 180-240 µs a resource there against 80 for
    reading the text, on the import's critical path.
    ``test_a_bulk_imported_resource_is_indexed_as_one_registered_by_form`` holds the two equal."""
    if not (_WHOLE_TOKENS.fullmatch(a) and _WHOLE_TOKENS.fullmatch(b) and _WHOLE_TOKENS.fullmatch(c)):
        return None
    positions: dict[str, list[str]] = {}
    position = 0
    for text, weight in ((a, "A"), (b, "B"), (c, "C")):
        for token in text.split():
            position += 1
            at = positions.get(token)
            if at is None:
                positions[token] = [f"{position}{weight}"]
            else:
                at.append(f"{position}{weight}")
    if (
        position > _MAX_POSITION
        or max(map(len, positions), default=0) > _MAX_TOKEN
        or max(map(len, positions.values()), default=0) >= _MAX_POSITIONS
    ):
        return None
    bucket = f"|{search_bucket(pk)}"
    return "".join(f"'{lexeme}':{','.join(at)} '{lexeme}{bucket}' " for lexeme, at in positions.items())


def _quoted(lexeme: str) -> str:
    """A tsquery operand: quoted, so the lexeme is taken as it is (no parser)."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def tsquery_text(lexemes: list[str], bucket: int | None = None) -> str:
    """The resources holding all ``lexemes`` (``'出租' & '汽车'``), or those of ``bucket`` (``'出租|30' & …``)."""
    suffix = "" if bucket is None else f"|{bucket}"
    return " & ".join(_quoted(lexeme + suffix) for lexeme in lexemes)


def resource_index(resource: CatalogResource, item_names: Iterable[str]) -> None:
    """Recompute one resource's search vector (one UPDATE)."""
    vectors_index([(resource.pk, *index_texts(resource.name, resource.summary, item_names))])


def vectors_index(rows: list[tuple[int, str, str, str]]) -> None:
    """Build the search vectors of resources given as (id, a, b, c) token texts, in one UPDATE."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {CatalogResource._meta.db_table} AS r SET search_vector = "  # noqa: S608 (meta name, values bound)
            + VECTOR_SQL.format(a="t.a", b="t.b", c="t.c", id="t.id")
            + " FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[]) AS t(id, a, b, c) WHERE r.id = t.id",
            [list(column) for column in zip(*rows, strict=True)],
        )
