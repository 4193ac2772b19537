"""Bulk registration (JSON with nested items, or two CSV files): all or nothing, every bad row reported.

Up to ``BULK_MAX_RESOURCES`` resources in one transaction. The rows are checked by the same
``resource_input_clean`` as a single registration; the duplicate check runs once for the whole batch
(one rarity lookup, one candidate query over the batch's rare keys and the base databases); then the
resources are inserted with ``bulk_create``, the items with ``COPY`` and the search vectors with one
``UPDATE ... FROM unnest``. The rate target is 2,000 resources/s through the real endpoint.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import uuid as uuidlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from portal.access import require
from portal.models import OrganizationKind, TimelineEvent, User
from resources.catalog_permissions import is_agency_member
from resources.models import CatalogResource, ItemKeyStat, JustificationStatus, ResourceItem
from resources.rules import (
    BULK_MAX_RESOURCES,
    DUPLICATE_COMMON_ITEM_RESOURCES,
    DUPLICATE_JUSTIFICATION_MIN_LENGTH,
    DUPLICATE_MIN_OVERLAP_ITEMS,
    DUPLICATE_REFUSAL,
    stale_after,
)
from resources.services.catalog_input import ITEM_FIELDS, RESOURCE_FIELDS, Lookups, resource_input_clean
from resources.services.duplicates import CANDIDATE_CAP, PROBE_KEYS, catalog_size_estimate, item_key
from resources.services.search import index_texts, resources_index_many, tsvector_literal

BATCH_CANDIDATE_CAP = 50 * CANDIDATE_CAP
SCORED_PER_ROW = 10


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


def _batch_duplicates(provider_id: int, keysets: list[set[int]]) -> dict[int, list[dict]]:
    """Row index -> matches, for the whole batch in three queries (the design of duplicates.py, batched).

    Each row probes with its ``PROBE_KEYS`` rarest keys, as the single check does; candidates are counted by
    the rare keys they share (a Counter over short posting lists), and only the best few per row are scored
    with all keys, so the work follows the rare keys' posting lists, not batch size x candidates."""
    all_keys = sorted(set().union(*keysets)) if keysets else []
    if not all_keys:
        return {}
    with connection.cursor() as cursor:  # = ANY(array): one parameter, not an IN list of 50,000
        cursor.execute(
            f"SELECT key, resources FROM {ItemKeyStat._meta.db_table} "  # noqa: S608 (meta name, values bound)
            "WHERE key = ANY(%s::int[]) AND resources > 0",
            [all_keys],
        )
        df = dict(cursor.fetchall())
    if not df:
        return {}
    probes = []
    for keys in keysets:
        rare = sorted((k for k in keys if df.get(k, 0) and df[k] <= DUPLICATE_COMMON_ITEM_RESOURCES), key=df.get)
        probes.append(rare[:PROBE_KEYS])
    probe_keys = sorted({k for probe in probes for k in probe})
    table = CatalogResource._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            (SELECT id, item_keys, false FROM {table}
             WHERE status = 'published' AND provider_id <> %(me)s AND item_keys && %(rare)s::int[] LIMIT %(cap)s)
            UNION ALL
            (SELECT id, item_keys, true FROM {table}
             WHERE status = 'published' AND base_database_id IS NOT NULL AND provider_id <> %(me)s
               AND item_keys && %(present)s::int[] LIMIT %(cap)s)
            """,  # noqa: S608 (table name from model meta, values bound)
            {"me": provider_id, "rare": probe_keys, "present": list(df), "cap": BATCH_CANDIDATE_CAP},
        )
        candidates = cursor.fetchall()
    if not candidates:
        return {}
    total = catalog_size_estimate()
    probe_set = set(probe_keys)
    postings: dict[int, list[int]] = {}
    base_postings: dict[int, list[int]] = {}
    keys_of: dict[int, set[int]] = {}
    for pk, keys, is_base in candidates:
        keys_of[pk] = set(keys)
        for k in keys:
            if is_base:
                base_postings.setdefault(k, []).append(pk)
            elif k in probe_set:
                postings.setdefault(k, []).append(pk)
    base_ids = {pk for pks in base_postings.values() for pk in pks}
    found: dict[int, list[tuple[float, int, set[int]]]] = {}
    for index, keys in enumerate(keysets):
        hits: Counter = Counter()
        for k in probes[index]:
            hits.update(postings.get(k, ()))
        for k in keys:
            hits.update(base_postings.get(k, ()))
        for pk, _ in hits.most_common(SCORED_PER_ROW):
            shared = keys & keys_of[pk]
            is_base = pk in base_ids
            if len(shared) < DUPLICATE_MIN_OVERLAP_ITEMS and not (is_base and shared):
                continue
            weight = sum(math.log(total / (1 + df.get(k, 0))) + 1 for k in shared)
            found.setdefault(index, []).append((weight, pk, shared))
    if not found:
        return {}
    shown = {pk for rows in found.values() for _, pk, _ in sorted(rows, reverse=True)[:3]}
    names = {
        pk: (str(uuid), name, provider)
        for pk, uuid, name, provider in CatalogResource.objects.filter(pk__in=shown).values_list(
            "pk", "uuid", "name", "provider__name"
        )
    }
    return {
        index: [
            {"resource": names[pk][0], "name": names[pk][1], "provider": names[pk][2], "overlapping_items": len(shared)}
            for _, pk, shared in sorted(rows, reverse=True)[:3]
        ]
        for index, rows in found.items()
    }


RESOURCE_COPY_COLUMNS = (
    "id, uuid, code, classification_id, provider_id, name, summary, format, collection_basis, share_type, "
    "share_condition, share_basis, share_method, open_attribute, update_cycle, published_on, last_updated_on, "
    "stale_after, base_database_id, is_secret, status, version, duplicate_justification, duplicate_matches, "
    "has_duplicates, justification_status, return_reason, item_keys, search_vector, created_by_id, created_at, "
    "updated_at"
)


class Imported(NamedTuple):
    pk: int
    uuid: uuidlib.UUID
    name: str


def _uuids(count: int) -> Iterator[uuidlib.UUID]:
    """Random (version 4) UUIDs from one urandom call: uuid4() one by one costs more than the COPY itself."""
    data = os.urandom(16 * count)
    for offset in range(0, 16 * count, 16):
        yield uuidlib.UUID(bytes=data[offset : offset + 16], version=4)


def _copy_resources(rows: list[dict], *, provider, actor, now) -> list[Imported]:
    """COPY the resources in with ids taken from the sequence first (COPY returns no ids), vectors as literals."""
    table = CatalogResource._meta.db_table
    imported, fallback = [], []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, len(rows)]
        )
        ids = [row[0] for row in cursor.fetchall()]
        with cursor.cursor.copy(f"COPY {table} ({RESOURCE_COPY_COLUMNS}) FROM STDIN") as copy:
            for pk, uuid, row in zip(ids, _uuids(len(rows)), rows, strict=True):
                f, names = row["fields"], row["item_names"]
                a, b, c = index_texts(f["name"], f["summary"], names)
                vector = tsvector_literal(a, b, c)
                if vector is None:
                    fallback.append((pk, f["name"], f["summary"], names))
                base = f["base_database"]
                copy.write_row(
                    (
                        pk, uuid, "", f["classification"].pk, provider.pk, f["name"], f["summary"], f["format"],
                        f["collection_basis"], f["share_type"], f["share_condition"], f["share_basis"],
                        f["share_method"], f["open_attribute"], f["update_cycle"], None, f["last_updated_on"],
                        stale_after(f["update_cycle"], f["last_updated_on"]), base.pk if base else None,
                        False, "draft", 1, row["justification"], json.dumps(row["matches"], ensure_ascii=False),
                        bool(row["matches"]), JustificationStatus.PENDING if row["matches"] else "", "",
                        row["keys"], vector, actor.pk, now, now,
                    )
                )  # fmt: skip
                imported.append(Imported(pk, uuid, f["name"]))
    resources_index_many(fallback)
    return imported


def _copy_timeline(resources: list[Imported], actor: User, now) -> None:
    content_type = ContentType.objects.get_for_model(CatalogResource).pk
    table = TimelineEvent._meta.db_table
    columns = "uuid, content_type_id, object_id, actor_id, action, from_state, to_state, comment, data, created_at"
    data = json.dumps({"batch": len(resources)})
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for r, uuid in zip(resources, _uuids(len(resources)), strict=True):
            copy.write_row((uuid, content_type, r.pk, actor.pk, "resource_imported", "", "draft", "", data, now))


def _copy_items(rows: Iterable[tuple]) -> None:
    """COPY the items in (10x faster than INSERT for 100,000 rows)."""
    table = ResourceItem._meta.db_table
    columns = "uuid, resource_id, position, name, data_type, length, description, share_type, open_attribute, key"
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


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
        cleaned.append((index, fields, items, str(row.get("duplicate_justification") or "").strip()))
    if errors:
        raise BulkInvalid(errors)
    for _, _, items, _ in cleaned:
        for item in items:
            item["key"] = item_key(item["name"], item["data_type"])
    keysets = [{i["key"] for i in items} for _, _, items, _ in cleaned]
    duplicates = _batch_duplicates(provider.pk, keysets)
    for position, matches in duplicates.items():
        index, _, _, justification = cleaned[position]
        if len(justification) < DUPLICATE_JUSTIFICATION_MIN_LENGTH:
            errors.append(
                {"row": index, "field": "duplicate_justification", "message": DUPLICATE_REFUSAL, "duplicates": matches}
            )
    if errors:
        raise BulkInvalid(errors)

    now = timezone.now()
    prepared = [
        {
            "fields": fields,
            "item_names": [i["name"] for i in items],
            "keys": sorted(keysets[position]),
            "matches": duplicates.get(position, []),
            "justification": justification if position in duplicates else "",
        }
        for position, (_, fields, items, justification) in enumerate(cleaned)
    ]
    imported = _copy_resources(prepared, provider=provider, actor=actor, now=now)
    item_count = sum(len(items) for _, _, items, _ in cleaned)
    uuids = _uuids(item_count)
    _copy_items(
        (
            next(uuids),
            resource.pk,
            position,
            item["name"],
            item["data_type"],
            item.get("length"),
            item.get("description", ""),
            item["share_type"],
            item["open_attribute"],
            item["key"],
        )
        for resource, (_, _, items, _) in zip(imported, cleaned, strict=True)
        for position, item in enumerate(items, start=1)
    )
    _copy_timeline(imported, actor, now)
    return imported
