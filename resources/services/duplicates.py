"""Duplicate collection (Arts. 17, 46(1)): does a new or changed resource collect what is already collected?

Design (it must answer within 100 ms with 1,000,000 resources and 10,000,000 items):

- **Signatures.** Each information item gets an integer key: a hash of its normalized name (NFKC, no spaces
  or punctuation, synonyms folded: 身份证号码 = 公民身份号码 = 身份证号) and its data type. A resource stores the
  keys of its items in ``item_keys`` (int[]), GIN-indexed over published resources only.
- **Rarity.** ``ItemKeyStat`` counts the published resources holding each key (maintained on publish,
  supersede and retire). A key held by more than ``DUPLICATE_COMMON_ITEM_RESOURCES`` resources is *common*
  (姓名, 身份证号, 联系电话…): it counts towards the overlap but never makes a resource a candidate by itself,
  so the candidate set is bounded by the short posting lists of rare keys instead of the half a million
  resources that hold 姓名 (the plain ``&&`` over all keys took 4.4 s here).
- **Base databases.** Common items are exactly what the base databases of Art. 18 exist for: every
  published base-database resource sharing any key is a candidate too (a small, separately indexed set),
  scored in SQL with the same weights so that only the best ``DUPLICATE_MATCHES_SHOWN`` travel (a common
  key such as 姓名 is in hundreds of them).
  So a register of 姓名 + 身份证号 + 住址 is still caught as duplicating the population base database.
- **Scoring.** Candidates are scored by IDF-weighted overlap (weight log(N / (1 + resources holding the
  key))), shown with the overlapping item names; a match needs ``DUPLICATE_MIN_OVERLAP_ITEMS`` shared items
  and at least one rare one, unless it is a base-database resource.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db import connection

from resources.models import CatalogResource, ItemKeyStat, ResourceItem
from resources.rules import (
    DUPLICATE_COMMON_ITEM_RESOURCES,
    DUPLICATE_MATCHES_SHOWN,
    DUPLICATE_MIN_OVERLAP_ITEMS,
    DUPLICATE_REFUSAL,
)

# Probe with at most this many of the rarest keys, and score at most this many candidates.
PROBE_KEYS = 12
CANDIDATE_CAP = 3_000

# Names that mean the same item (folded before hashing).
SYNONYMS = {
    "身份证号码": "身份证号",
    "公民身份号码": "身份证号",
    "居民身份证号码": "身份证号",
    "身份证件号码": "身份证号",
    "手机号码": "联系电话",
    "手机号": "联系电话",
    "电话号码": "联系电话",
    "联系方式": "联系电话",
    "单位名称": "名称",
    "企业名称": "名称",
    "统一社会信用代码号": "统一社会信用代码",
    "社会信用代码": "统一社会信用代码",
}
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


def normalize_item_name(name: str) -> str:
    text = _NOISE.sub("", unicodedata.normalize("NFKC", name).lower())
    return SYNONYMS.get(text, text)


@lru_cache(maxsize=100_000)
def item_key(name: str, data_type: str) -> int:
    """Signed 32-bit signature of (normalized name, data type); stable across processes (not ``hash()``).
    Remembered: item names repeat across a bulk batch (姓名, 身份证号 …), 100,000 items of a few thousand."""
    digest = hashlib.blake2b(f"{normalize_item_name(name)}|{data_type}".encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big", signed=True)


@dataclass(frozen=True)
class DuplicateMatch:
    resource: str  # UUID
    name: str
    code: str
    provider: str
    base_database: str
    overlapping_items: list[str]
    overlap: float  # weighted share of the new resource's items also in this one (0..1)

    def as_dict(self) -> dict:
        return asdict(self)


class DuplicateCollection(ValidationError):
    """Registering without a justification a resource that overlaps published ones (400, ``duplicates``)."""

    def __init__(self, matches: list[DuplicateMatch]):
        super().__init__({"duplicate_justification": ValidationError(DUPLICATE_REFUSAL, code="duplicate-collection")})
        self.matches = matches


def _weights(keys: Iterable[int]) -> tuple[dict[int, int], int]:
    keys = list(keys)
    counts = dict(ItemKeyStat.objects.filter(key__in=keys).values_list("key", "resources"))
    return counts, catalog_size_estimate()


def catalog_size_estimate() -> int:
    """N for the weights: the planner's row estimate (a weight needs no exact count(*) over a million rows)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT greatest(reltuples, 1)::bigint FROM pg_class WHERE oid = %s::regclass",
            [CatalogResource._meta.db_table],
        )
        return max(int(cursor.fetchone()[0]), 1)


def duplicate_matches(
    *, items: list[tuple[str, str]], provider_id: int, exclude_ids: Iterable[int] = ()
) -> list[DuplicateMatch]:
    """The closest published resources of *other* providers (and base databases) collecting these items."""
    names_by_key: dict[int, str] = {}
    for name, data_type in items:
        names_by_key.setdefault(item_key(name, data_type), name)
    if len(names_by_key) == 0:
        return []
    keys = list(names_by_key)
    df, total = _weights(keys)
    present = [k for k in keys if df.get(k, 0) > 0]
    if not present:
        return []
    rare = sorted((k for k in present if df[k] <= DUPLICATE_COMMON_ITEM_RESOURCES), key=lambda k: df[k])
    probe = rare[:PROBE_KEYS]
    table = CatalogResource._meta.db_table
    exclude = [int(pk) for pk in exclude_ids]
    present_set = set(present)
    weights = {k: math.log(total / (1 + df.get(k, 0))) + 1.0 for k in keys}
    with connection.cursor() as cursor:
        # Only the candidates' key arrays travel; the overlap is a set intersection here, not a per-row
        # unnest/INTERSECT in SQL (which cost more than finding the candidates).
        cursor.execute(
            f"""
            (SELECT id, item_keys, false FROM {table}
             WHERE status = 'published' AND provider_id <> %(me)s AND item_keys && %(probe)s::int[]
               AND NOT (id = ANY(%(exclude)s::bigint[]))
             LIMIT %(cap)s)
            UNION ALL
            (SELECT id, item_keys, true FROM {table} b
             WHERE status = 'published' AND base_database_id IS NOT NULL AND provider_id <> %(me)s
               AND item_keys && %(present)s::int[] AND NOT (id = ANY(%(exclude)s::bigint[]))
             ORDER BY (SELECT sum(u.w) FROM unnest(%(present)s::int[], %(weights)s::float8[]) AS u(k, w)
                       WHERE u.k = ANY(b.item_keys)) DESC, id
             LIMIT %(shown)s)
            """,  # noqa: S608 (table name from model meta, values bound)
            {
                "me": provider_id,
                "probe": probe,
                "present": present,
                "weights": [weights[k] for k in present],
                "exclude": exclude,
                "cap": CANDIDATE_CAP,
                "shown": DUPLICATE_MATCHES_SHOWN,
            },
        )
        found: dict[int, tuple[bool, list[int]]] = {}
        for pk, candidate_keys, is_base in cursor.fetchall():
            shared = found.get(pk, (False, None))[1] or [k for k in candidate_keys if k in present_set]
            found[pk] = (is_base or found.get(pk, (False, None))[0], shared)
        rows = [(pk, is_base, shared) for pk, (is_base, shared) in found.items()]

    weight = weights.__getitem__
    full = sum(weights.values())
    rare_set = set(rare)
    scored = []
    for pk, is_base, shared in rows:
        shared = shared or []
        if len(shared) < DUPLICATE_MIN_OVERLAP_ITEMS and not (is_base and shared):
            continue
        if not is_base and not rare_set.intersection(shared):
            continue
        scored.append((sum(weight(k) for k in shared) / full, pk, shared))
    scored.sort(key=lambda row: (-row[0], row[1]))
    scored = scored[:DUPLICATE_MATCHES_SHOWN]
    if not scored:
        return []
    resources = {
        r.pk: r
        for r in CatalogResource.objects.filter(pk__in=[pk for _, pk, _ in scored]).select_related(
            "provider", "base_database"
        )
    }
    return [
        DuplicateMatch(
            resource=str(resources[pk].uuid),
            name=resources[pk].name,
            code=resources[pk].code,
            provider=resources[pk].provider.name,
            base_database=resources[pk].base_database.name if resources[pk].base_database_id else "",
            overlapping_items=[names_by_key[k] for k in keys if k in set(shared)],
            overlap=round(score, 3),
        )
        for score, pk, shared in scored
    ]


def item_key_stats_add(resource: CatalogResource, delta: int) -> None:
    """Count a resource's distinct item keys in (delta=1, published) or out (delta=-1) of the catalog."""
    rows = {}
    for name, data_type, key in ResourceItem.objects.filter(resource=resource).values_list("name", "data_type", "key"):
        rows.setdefault(key, (name, data_type))
    if not rows:
        return
    table = ItemKeyStat._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} (key, name, data_type, resources)
            SELECT k, n, t, greatest(%(delta)s, 0) FROM unnest(%(keys)s::int[], %(names)s::text[], %(types)s::text[])
                AS u(k, n, t)
            ON CONFLICT (key) DO UPDATE SET resources = greatest({table}.resources + %(delta)s, 0)
            """,  # noqa: S608 (table name from model meta, values bound)
            {
                "keys": list(rows),
                "names": [n for n, _ in rows.values()],
                "types": [t for _, t in rows.values()],
                "delta": delta,
            },
        )
