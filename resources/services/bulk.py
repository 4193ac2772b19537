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
import math
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, transaction

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
from resources.services.duplicates import CANDIDATE_CAP, catalog_size_estimate, item_key
from resources.services.search import resources_index_many

BATCH_CANDIDATE_CAP = 50 * CANDIDATE_CAP


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
    """Row index -> matches, for the whole batch in three queries (see duplicates.py for the design)."""
    all_keys = sorted(set().union(*keysets)) if keysets else []
    if not all_keys:
        return {}
    df = dict(ItemKeyStat.objects.filter(key__in=all_keys, resources__gt=0).values_list("key", "resources"))
    if not df:
        return {}
    rare = [k for k, n in df.items() if n <= DUPLICATE_COMMON_ITEM_RESOURCES]
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
            {"me": provider_id, "rare": rare, "present": list(df), "cap": BATCH_CANDIDATE_CAP},
        )
        candidates = cursor.fetchall()
    if not candidates:
        return {}
    total = catalog_size_estimate()
    rare_set = set(rare)
    by_key: dict[int, list[int]] = {}
    keys_of: dict[int, set[int]] = {}
    base_of: dict[int, bool] = {}
    for pk, keys, is_base in candidates:
        keys_of[pk] = set(keys)
        base_of[pk] = base_of.get(pk, False) or is_base
        for k in keys:
            if k in rare_set or is_base:
                by_key.setdefault(k, []).append(pk)
    found: dict[int, list[tuple[float, int, set[int]]]] = {}
    for index, keys in enumerate(keysets):
        seen = set()
        for k in keys:
            seen.update(by_key.get(k, ()))
        for pk in seen:
            shared = keys & keys_of[pk]
            if len(shared) < DUPLICATE_MIN_OVERLAP_ITEMS and not (base_of[pk] and shared):
                continue
            if not base_of[pk] and not shared & rare_set:
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


def _copy_items(rows: list[tuple]) -> None:
    """COPY the items in (10x faster than INSERT for 100,000 rows)."""
    table = ResourceItem._meta.db_table
    columns = "uuid, resource_id, position, name, data_type, length, description, share_type, open_attribute, key"
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


@transaction.atomic
def resources_bulk_import(*, actor: User, provider, rows: list) -> list[CatalogResource]:
    """Register ``rows`` as drafts of ``provider``: all of them, or none (``BulkInvalid`` lists every error)."""
    import uuid as uuidlib

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
    keysets = [{item_key(i["name"], i["data_type"]) for i in items} for _, _, items, _ in cleaned]
    duplicates = _batch_duplicates(provider.pk, keysets)
    for position, matches in duplicates.items():
        index, _, _, justification = cleaned[position]
        if len(justification) < DUPLICATE_JUSTIFICATION_MIN_LENGTH:
            errors.append(
                {"row": index, "field": "duplicate_justification", "message": DUPLICATE_REFUSAL, "duplicates": matches}
            )
    if errors:
        raise BulkInvalid(errors)

    resources = [
        CatalogResource(
            provider=provider,
            created_by=actor,
            item_keys=sorted(keysets[position]),
            duplicate_justification=justification if position in duplicates else "",
            duplicate_matches=duplicates.get(position, []),
            has_duplicates=position in duplicates,
            justification_status=JustificationStatus.PENDING if position in duplicates else "",
            stale_after=stale_after(fields["update_cycle"], fields["last_updated_on"]),
            **fields,
        )
        for position, (_, fields, _, justification) in enumerate(cleaned)
    ]
    CatalogResource.objects.bulk_create(resources, batch_size=2_000)
    item_rows = []
    index_rows = []
    for resource, (_, _, items, _) in zip(resources, cleaned, strict=True):
        for position, item in enumerate(items, start=1):
            item_rows.append(
                (
                    uuidlib.uuid4(),
                    resource.pk,
                    position,
                    item["name"],
                    item["data_type"],
                    item.get("length"),
                    item.get("description", ""),
                    item["share_type"],
                    item["open_attribute"],
                    item_key(item["name"], item["data_type"]),
                )
            )
        index_rows.append((resource.pk, resource.name, resource.summary, [i["name"] for i in items]))
    _copy_items(item_rows)
    resources_index_many(index_rows)
    content_type = ContentType.objects.get_for_model(CatalogResource)
    TimelineEvent.objects.bulk_create(
        [
            TimelineEvent(
                content_type=content_type,
                object_id=r.pk,
                actor=actor,
                action="resource_imported",
                to_state=r.status,
                data={"batch": len(resources)},
            )
            for r in resources
        ],
        batch_size=5_000,
    )
    return resources
