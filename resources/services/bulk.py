"""Bulk registration (JSON with nested items, or two CSV files): all or nothing, every bad row reported.

Up to ``BULK_MAX_RESOURCES`` resources in one transaction. The rows are checked by the same
``resource_input_clean`` as a single registration; the duplicate check reads its candidates once for the
whole batch (one rarity lookup, one postings query over the batch's rare keys, the base databases); then
the resources and the items go to the server by ``COPY``, a chunk at a time, the resources with their
search vectors built as text. A second thread
checks each chunk's rows for duplicate collection and builds its text while PostgreSQL inserts the chunk
before, so Python's share of the import runs beside the server's instead of before it. The rate target is
2,000 resources/s through the real endpoint.
"""

from __future__ import annotations

import csv
import functools
import gc
import io
import json
import math
import os
import time
import uuid as uuidlib
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from operator import itemgetter
from typing import NamedTuple

import orjson
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from portal.access import require
from portal.models import Organization, OrganizationKind, TimelineEvent, User
from portal.validators import NoControlCharactersValidator, has_control_characters
from resources.catalog_permissions import is_agency_member
from resources.models import CatalogResource, ItemKeyStat, JustificationStatus, ResourceItem, ResourceStatus
from resources.rules import (
    BULK_MAX_RESOURCES,
    DUPLICATE_COMMON_ITEM_RESOURCES,
    DUPLICATE_JUSTIFICATION_MIN_LENGTH,
    DUPLICATE_MIN_OVERLAP_ITEMS,
    DUPLICATE_REFUSAL,
    stale_after,
)
from resources.services.catalog_input import ITEM_FIELDS, RESOURCE_FIELDS, Lookups, resource_input_clean
from resources.services.duplicates import catalog_size_estimate, item_key
from resources.services.search import index_texts, vector_text, vectors_index

BATCH_PROBE_KEYS = 1
SCORED_PER_ROW = 10
# One probe key a row scores at most SCORED_PER_ROW of its postings, all counted once: the first ones read.
# The postings query reads no more (each one a heap row), behind a fence that keeps the GIN index: offered
# LIMIT 10 directly, PostgreSQL walked the published resources instead (1.2 s became 9.8 s).
BATCH_POSTINGS_PER_KEY = SCORED_PER_ROW


@dataclass
class BulkInvalid(Exception):
    """The batch was refused; nothing was saved."""

    errors: list[dict] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{len(self.errors)} 处错误，未保存任何资源。"


def bulk_rows_from_csv(resources_file, items_file) -> list[dict]:
    """Two CSV files (UTF-8, BOM allowed): resources with a ``ref`` column, items with ``resource_ref``."""
    errors: list[dict] = []

    def read(upload, name):
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            errors.append({"row": 0, "field": name, "message": "CSV 文件应为 UTF-8 编码。"})
            return []
        return list(csv.DictReader(io.StringIO(text)))

    resources = read(resources_file, "resources")
    items = read(items_file, "items") if items_file is not None else []
    if errors:
        raise BulkInvalid(errors)
    by_ref: dict[str, dict] = {}
    rows = []
    for index, row in enumerate(resources, start=1):
        ref = (row.get("ref") or "").strip()
        if not ref:
            errors.append({"row": index, "field": "ref", "message": "请填写资源的引用编号 ref（信息项文件据此关联）。"})
        elif ref in by_ref:
            errors.append({"row": index, "field": "ref", "message": f"引用编号“{ref}”重复。"})
        data = {name: row.get(name, "") for name in (*RESOURCE_FIELDS, "duplicate_justification")}
        data["items"] = []
        by_ref[ref] = data
        rows.append(data)
    for index, row in enumerate(items, start=1):
        ref = (row.get("resource_ref") or "").strip()
        if ref not in by_ref:
            errors.append({"row": index, "field": "items.resource_ref", "message": f"没有引用编号为“{ref}”的资源。"})
            continue
        by_ref[ref]["items"].append({name: row.get(name, "") for name in ITEM_FIELDS})
    if errors:
        raise BulkInvalid(errors)
    return rows


@dataclass
class DuplicateCandidates:
    """What a batch's duplicate check needs from the database, read once before the insert (three queries);
    scoring a row against it (``matches``) is plain Python, done chunk by chunk in the builder thread while
    PostgreSQL inserts the chunk before (the design of duplicates.py, batched).

    Each row probes with its ``BATCH_PROBE_KEYS`` rarest keys (the key most likely to identify a duplicate
    and, by construction, the shortest posting list), at most ``BATCH_POSTINGS_PER_KEY`` resources each.
    The postings of every probe key of the batch are read in one query, key by key through the partial GIN
    index (``item_keys @> ARRAY[k]``: a one-element check; one ``&&`` against the batch's thousands of keys
    checked every candidate against all of them and took 105 s for 1,000 rows). So a bulk row is flagged
    when a resource shares its rarest item and one more (the single check, ``duplicates.py``, probes with
    the 12 rarest): a bounded, slightly narrower net, which the authority's review of published resources
    completes. Candidates are counted per row by the probe keys they share (a Counter
    over short posting lists), the best ``SCORED_PER_ROW`` are scored with all the row's keys, and the base
    databases (about a thousand resources) are compared with every row. The work follows the batch's rarest
    posting lists, not batch size x catalog. The candidates' names come with them, so that scoring needs no
    query."""

    probes: list[list[int]]
    postings: dict[int, list[int]]
    keys_of: dict[int, set[int]]
    base: set[int]
    base_postings: dict[int, list[int]]
    weight: dict[int, float]
    names: dict[int, tuple[str, str, str]]  # id -> (uuid, name, provider's name)

    def matches(self, index: int, keys: set[int]) -> list[dict]:
        """Row ``index``'s three closest published resources (none: no duplicate collection)."""
        hits: Counter = Counter()
        for k in self.probes[index]:
            hits.update(self.postings.get(k, ()))
        base_hits: Counter = Counter()
        for k in keys:
            base_hits.update(self.base_postings.get(k, ()))
        found = []
        weight = self.weight.__getitem__
        for pk in dict.fromkeys(_most_shared(hits) + _most_shared(base_hits)):
            shared = keys & self.keys_of[pk]
            if len(shared) < DUPLICATE_MIN_OVERLAP_ITEMS and not (pk in self.base and shared):
                continue
            found.append((sum(map(weight, shared)), pk, len(shared)))
        found.sort(reverse=True)
        return [
            {"resource": uuid, "name": name, "provider": provider, "overlapping_items": shared}
            for _, pk, shared in found[:3]
            for uuid, name, provider in (self.names[pk],)
        ]


def _duplicate_candidates(provider_id: int, keysets: list[set[int]]) -> DuplicateCandidates | None:
    """The batch's candidates (``DuplicateCandidates``), or None when no published resource holds its keys."""
    all_keys = sorted(set().union(*keysets)) if keysets else []
    if not all_keys:
        return None
    with connection.cursor() as cursor:  # = ANY(array): one parameter, not an IN list of 50,000
        cursor.execute(
            f"SELECT key, resources FROM {ItemKeyStat._meta.db_table} "  # noqa: S608 (meta name, values bound)
            "WHERE key = ANY(%s::int[]) AND resources > 0",
            [all_keys],
        )
        df = dict(cursor.fetchall())
    if not df:
        return None
    probes = []
    for keys in keysets:
        rare = sorted((k for k in keys if df.get(k, 0) and df[k] <= DUPLICATE_COMMON_ITEM_RESOURCES), key=df.get)
        probes.append(rare[:BATCH_PROBE_KEYS])
    probe_keys = sorted({k for probe in probes for k in probe})
    table, organizations = CatalogResource._meta.db_table, Organization._meta.db_table
    postings: defaultdict[int, list[int]] = defaultdict(list)
    keys_of: dict[int, set[int]] = {}
    names: dict[int, tuple[str, str, str]] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT p.k, r.id, r.item_keys, r.uuid::text, r.name, o.name FROM unnest(%(rare)s::int[]) AS p(k)
            CROSS JOIN LATERAL (
                SELECT id, item_keys, uuid, name, provider_id FROM (
                    SELECT id, item_keys, uuid, name, provider_id FROM {table}
                    WHERE status = 'published' AND item_keys @> ARRAY[p.k]
                    OFFSET 0  -- planned without the LIMIT: through res_item_keys_gin
                ) posting
                WHERE provider_id <> %(me)s
                LIMIT %(per_key)s
            ) r
            JOIN {organizations} o ON o.id = r.provider_id
            """,  # noqa: S608 (table names from model meta, values bound)
            {"me": provider_id, "rare": probe_keys, "per_key": BATCH_POSTINGS_PER_KEY},
        )
        for k, pk, keys, uuid, name, provider in cursor.fetchall():
            postings[k].append(pk)
            if pk not in keys_of:
                keys_of[pk] = set(keys)
                names[pk] = (uuid, name, provider)
        cursor.execute(
            f"SELECT r.id, r.item_keys, r.uuid::text, r.name, o.name FROM {table} r "  # noqa: S608 (meta names)
            f"JOIN {organizations} o ON o.id = r.provider_id "
            "WHERE r.base_database_id IS NOT NULL AND r.status = 'published' AND r.provider_id <> %s",
            [provider_id],
        )
        base = {}
        for pk, keys, uuid, name, provider in cursor.fetchall():
            base[pk] = set(keys)
            names[pk] = (uuid, name, provider)
    if not postings and not base:
        return None
    keys_of.update(base)
    # Base databases by key. A common key (姓名) is in hundreds of them: its list is cut to the few that
    # can be shown, since every one of them is a match of any row holding the key (a base-database match
    # needs one shared item) and a common key weighs little in the ranking.
    base_postings: dict[int, list[int]] = {}
    for pk, keys in base.items():
        for k in keys:
            base_postings.setdefault(k, []).append(pk)
    for k, pks in base_postings.items():
        if df.get(k, 0) > DUPLICATE_COMMON_ITEM_RESOURCES:
            del pks[SCORED_PER_ROW:]
    total = catalog_size_estimate()
    unknown_weight = math.log(total) + 1  # a key no published resource holds
    # Every key of the batch has its weight, so the sums read them with no default.
    weight = dict.fromkeys(all_keys, unknown_weight) | {k: math.log(total / (1 + n)) + 1 for k, n in df.items()}
    return DuplicateCandidates(probes, postings, keys_of, set(base), base_postings, weight, names)


def _most_shared(hits: Counter) -> list[int]:
    """The ``SCORED_PER_ROW`` candidates sharing the most keys, the first found first among equals: as
    ``Counter.most_common``, whose ``heapq.nlargest`` in Python took 40 µs a row where a sort in C takes 5."""
    ranked = sorted(hits.items(), key=itemgetter(1), reverse=True) if len(hits) > SCORED_PER_ROW else hits.items()
    return [pk for pk, _ in ranked][:SCORED_PER_ROW]


def time_ordered_uuids(count: int) -> list[str]:
    """``count`` version 7 UUIDs (RFC 9562) as strings: 48 bits of Unix milliseconds, then random bits.

    The rows of a batch get neighbouring identifiers, so their inserts land on the right-hand leaf pages of
    the ``uuid`` unique indexes (10,000,000 items) instead of one random page per row, each to be read and
    written again in full to the WAL after a checkpoint. The identifier stays unguessable (74 random bits).
    Built as text from one read of the random source (a ``uuid.UUID`` per row cost 10 µs: 1 s a batch)."""
    stamp = f"{time.time_ns() // 1_000_000:012x}"
    head = f"{stamp[:8]}-{stamp[8:]}-7"
    noise = os.urandom(10 * count).hex()
    uuids = []
    for i in range(0, 20 * count, 20):
        r = noise[i : i + 20]
        variant = "89ab"[int(r[3], 16) & 3]  # RFC 9562 variant: the two high bits 10
        uuids.append(f"{head}{r[:3]}-{variant}{r[4:7]}-{r[7:19]}")
    return uuids


class Imported(NamedTuple):
    pk: int
    uuid: uuidlib.UUID
    name: str


# The batch travels to PostgreSQL in COPY's text format, a chunk of resources and their items at a time,
# each straight into its table. COPY's parser reads a chunk three to four times faster than
# ``json_to_recordset`` read the same rows as JSON, and the server's time is the import's critical path: the
# rows used to pass through a temporary table and an ``INSERT ... SELECT`` that built their search vectors,
# which cost a second write and read of every row once the vectors came built as text (``vector_text``).
_RESOURCES_COPY = (
    "COPY {table} (id, uuid, code, classification_id, provider_id, name, summary, format, collection_basis, "
    "share_type, share_condition, share_basis, share_method, open_attribute, update_cycle, published_on, "
    "last_updated_on, stale_after, base_database_id, is_secret, status, version, duplicate_justification, "
    "duplicate_matches, has_duplicates, justification_status, return_reason, item_keys, search_vector, "
    "created_by_id, created_at, updated_at) FROM STDIN"
)
_ITEMS_COPY = (
    "COPY {table} (uuid, resource_id, position, name, data_type, length, description, share_type, open_attribute, key)"
    " FROM STDIN"
)
# COPY's text format: a backslash, tab, newline or carriage return inside a value is escaped; \N is NULL.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_COPY_NULL = "\\N"


def _copy_text(value: str) -> str:
    """A free-text value in COPY's text format. Most values hold no character to escape, and checking costs a
    fraction of ``translate``, which builds a new string every time (600,000 values a batch)."""
    return value if value.isprintable() and "\\" not in value else value.translate(_COPY_ESCAPES)


_TIMELINE_INSERT = """
INSERT INTO {table} (uuid, content_type_id, object_id, actor_id, action, from_state, to_state, comment, data,
                     created_at)
SELECT gen_random_uuid(), %s, id, %s, 'resource_imported', '', 'draft', '', %s::jsonb, %s
FROM unnest(%s::bigint[]) AS id
"""


# The batch goes to the server chunk by chunk, and a second thread builds each chunk's COPY text (search
# tokens included) while PostgreSQL inserts the chunk before: psycopg waits for the server without the GIL, so
# Python's share of the insert runs beside the server's instead of after it.
INSERT_CHUNK_ROWS = 2_000


class _Constants(NamedTuple):
    """The columns every resource of a batch shares, as COPY text."""

    provider: str
    actor: str
    now: str


def _chunk_copy_texts(chunk: list[tuple], constants: _Constants) -> tuple[str, str, list[tuple]]:
    """The resources' and the items' COPY text of ``chunk``: (id, uuid, prepared row, cleaned row) tuples, in
    the columns of ``_RESOURCES_COPY`` and ``_ITEMS_COPY``, and the (id, a, b, c) token texts of the resources
    whose tokens only PostgreSQL's parser can index (``vector_text`` says None): they arrive without a vector
    and get it from ``vectors_index`` with their chunk. Runs in the builder thread: no database access."""
    resources, items, unparsed = [], [], []
    item_uuids = iter(time_ordered_uuids(sum(len(row_items) for _, _, _, (_, _, row_items, _) in chunk)))
    for pk, resource_uuid, row, (_, fields, row_items, _) in chunk:
        a, b, c = index_texts(fields["name"], fields["summary"], row["item_names"])
        vector = vector_text(a, b, c, pk)
        if vector is None:
            unparsed.append((pk, a, b, c))
        base = fields["base_database"]
        updated = fields["last_updated_on"]
        stale = stale_after(fields["update_cycle"], updated)
        matches = row["matches"]
        resources.append(
            "\t".join(
                (
                    str(pk), resource_uuid, "", str(fields["classification"].pk), constants.provider,
                    _copy_text(fields["name"]), _copy_text(fields["summary"]), fields["format"],
                    _copy_text(fields["collection_basis"]), fields["share_type"],
                    _copy_text(fields["share_condition"]), _copy_text(fields["share_basis"]),
                    fields["share_method"], fields["open_attribute"], fields["update_cycle"], _COPY_NULL,
                    updated.isoformat() if updated else _COPY_NULL, stale.isoformat() if stale else _COPY_NULL,
                    str(base.pk) if base else _COPY_NULL, "f", ResourceStatus.DRAFT, "1",
                    _copy_text(row["justification"]), _copy_text(orjson.dumps(matches).decode()),
                    "t" if matches else "f", JustificationStatus.PENDING if matches else "", "",
                    "{" + ",".join(map(str, sorted(row["keys"]))) + "}", vector or _COPY_NULL,
                    constants.actor, constants.now, constants.now,
                )
            )
        )  # fmt: skip
        for position, item in enumerate(row_items, start=1):
            length = item.get("length")
            items.append(
                "\t".join(
                    (
                        next(item_uuids), str(pk), str(position), _copy_text(item["name"]),
                        item["data_type"], _COPY_NULL if length is None else str(length),
                        _copy_text(item.get("description") or ""), item["share_type"],
                        item["open_attribute"], str(item["key"]),
                    )
                )
            )  # fmt: skip
    return "\n".join(resources) + "\n", "\n".join(items) + "\n", unparsed


def _chunk_checked(
    chunk: list[tuple], candidates: DuplicateCandidates | None, refused: list[dict], constants: _Constants
) -> tuple | None:
    """Builder thread: the chunk's duplicate check, then its COPY text (``_chunk_copy_texts``), or None once any
    row of the batch is refused (the check goes on to the end, so that every refused row is reported)."""
    for _, _, row, (index, _, _, justification) in chunk:
        matches = candidates.matches(row["position"], row["keys"]) if candidates else []
        if not matches:
            continue
        if len(justification) < DUPLICATE_JUSTIFICATION_MIN_LENGTH:
            refused.append(
                {"row": index, "field": "duplicate_justification", "message": DUPLICATE_REFUSAL, "duplicates": matches}
            )
        row["matches"], row["justification"] = matches, justification
    return None if refused else _chunk_copy_texts(chunk, constants)


def _copy(cursor, statement: str, text: str) -> None:
    """``COPY ... FROM STDIN`` through Django's cursor, its errors raised as Django's."""
    with connection.wrap_database_errors, cursor.cursor.copy(statement) as copy:
        copy.write(text)


def _insert_resources(
    prepared: list[dict], cleaned: list, candidates: DuplicateCandidates | None, *, provider, actor, now
) -> list[Imported]:
    """Resources and items a chunk at a time, each chunk checked for duplicate collection and built by the
    builder thread while the chunk before is inserted, then the timeline; ids come from the sequence first.
    A row refused by the check stops the inserts (``BulkInvalid`` then undoes them with the transaction)."""
    table = CatalogResource._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, len(prepared)]
        )
        ids = [row[0] for row in cursor.fetchall()]
        work = list(zip(ids, time_ordered_uuids(len(ids)), prepared, cleaned, strict=True))
        # The first chunk is small: until it is built and checked, the server has nothing to insert.
        first = max(1, INSERT_CHUNK_ROWS // 8)
        rest = range(first, len(work), INSERT_CHUNK_ROWS)
        chunks = [work[:first]] + [work[at : at + INSERT_CHUNK_ROWS] for at in rest]
        resources_copy = _RESOURCES_COPY.format(table=table)
        items_copy = _ITEMS_COPY.format(table=ResourceItem._meta.db_table)
        constants = _Constants(str(provider.pk), str(actor.pk), now.isoformat())
        refused: list[dict] = []  # appended by the builder thread only
        check = functools.partial(_chunk_checked, candidates=candidates, refused=refused, constants=constants)
        builder = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bulk-copy")
        try:
            for texts in builder.map(check, chunks):
                if texts is None:
                    continue
                resources_text, items_text, unparsed = texts
                _copy(cursor, resources_copy, resources_text)
                if unparsed:
                    vectors_index(unparsed)
                _copy(cursor, items_copy, items_text)
        finally:  # a failed statement leaves nothing more to build
            builder.shutdown(cancel_futures=True)
        if refused:
            raise BulkInvalid(refused)
        cursor.execute(
            _TIMELINE_INSERT.format(table=TimelineEvent._meta.db_table),
            [
                ContentType.objects.get_for_model(CatalogResource).pk,
                actor.pk,
                json.dumps({"batch": len(ids)}),
                now,
                ids,
            ],
        )
        # New rows wait in the GIN indexes' pending lists, which every search then reads linearly (10,000
        # rows there cost each search 20 ms). Merge them now, in bulk, as VACUUM would.
        cursor.execute("SELECT gin_clean_pending_list('res_search_gin'::regclass)")
    return [Imported(pk, uuidlib.UUID(resource_uuid), row["fields"]["name"]) for pk, resource_uuid, row, _ in work]


def without_cycle_collection(function):
    """Run ``function`` with Python's cycle collector paused (reference counting still frees everything).

    A batch of 10,000 resources is about a million short-lived dicts, lists and sets, none of them in a
    cycle; the collector, triggered by the allocations, walked the whole heap again and again: about 1 s of
    a 5 s import. Paused only for the call and resumed even when the batch is refused."""

    @functools.wraps(function)
    def paused(*args, **kwargs):
        if not gc.isenabled():
            return function(*args, **kwargs)
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            gc.enable()

    return paused


@without_cycle_collection
@transaction.atomic
def resources_bulk_import(*, actor: User, provider, rows: list) -> list[Imported]:
    """Register ``rows`` as drafts of ``provider``: all of them, or none (``BulkInvalid`` lists every error)."""
    require(is_agency_member(actor, provider), "只有资源提供单位的经办人或负责人可以批量登记信息资源。")
    if provider.kind != OrganizationKind.AGENCY:
        raise ValidationError({"provider": "资源提供方必须是国家机关（第十七条）。"})
    if not isinstance(rows, list) or not rows:
        raise BulkInvalid([{"row": 0, "field": "resources", "message": "请提供至少一个资源。"}])
    if len(rows) > BULK_MAX_RESOURCES:
        raise BulkInvalid(
            [
                {
                    "row": 0,
                    "field": "resources",
                    "message": f"一次最多登记{BULK_MAX_RESOURCES}个资源，本次{len(rows)}个。",
                }
            ]
        )
    lookups = Lookups.load()
    errors: list[dict] = []
    cleaned = []
    for index, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            errors.append({"row": index, "field": "", "message": "每个资源应为对象。"})
            continue
        fields, items, row_errors = resource_input_clean(row, lookups)
        for name, messages in row_errors.items():
            errors.extend({"row": index, "field": name, "message": m} for m in messages)
        justification = str(row.get("duplicate_justification") or "").strip()
        if has_control_characters(justification):
            message = str(NoControlCharactersValidator.message)
            errors.append({"row": index, "field": "duplicate_justification", "message": message})
        cleaned.append((index, fields, items, justification))
    if errors:
        raise BulkInvalid(errors)
    for _, _, items, _ in cleaned:
        for item in items:
            item["key"] = item_key(item["name"], item["data_type"])
    keysets = [{i["key"] for i in items} for _, _, items, _ in cleaned]
    candidates = _duplicate_candidates(provider.pk, keysets)
    now = timezone.now()
    prepared = [
        {
            "fields": fields,
            "item_names": [i["name"] for i in items],
            "position": position,
            "keys": keysets[position],
            "matches": [],
            "justification": "",
        }
        for position, (_, fields, items, _) in enumerate(cleaned)
    ]
    return _insert_resources(prepared, cleaned, candidates, provider=provider, actor=actor, now=now)
