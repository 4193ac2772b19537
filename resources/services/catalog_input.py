"""Input of a catalog resource, checked field by field with Chinese messages (pages, API and bulk share it).

``resource_input_clean`` turns raw values (JSON or CSV strings) into typed ones and reports every error
by field (``items.3.data_type`` for the fourth item), never stopping at the first. ``resource_rules_check``
holds the legal rules on typed values (国发〔2016〕51号 Art. 5), so the form path and the raw path apply
the same law.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from portal.validators import NoControlCharactersValidator, has_control_characters
from resources.models import BaseDatabase, CatalogResource, Classification, ResourceItem
from resources.rules import (
    BASIS_REQUIRED_MESSAGE,
    BASIS_REQUIRED_SHARE_TYPES,
    BULK_MAX_ITEMS_PER_RESOURCE,
    CONDITION_REQUIRED_MESSAGE,
    ITEM_SHARE_RANK,
    DataType,
    OpenAttribute,
    ResourceFormat,
    ShareMethod,
    ShareType,
    UpdateCycle,
)

CHOICE_FIELDS = {
    "format": ResourceFormat,
    "share_type": ShareType,
    "share_method": ShareMethod,
    "open_attribute": OpenAttribute,
    "update_cycle": UpdateCycle,
}
REQUIRED_TEXT = ("name", "summary", "collection_basis")
OPTIONAL_TEXT = ("share_condition", "share_basis")
RESOURCE_FIELDS = (
    "classification",
    "name",
    "summary",
    "format",
    "collection_basis",
    "share_type",
    "share_condition",
    "share_basis",
    "share_method",
    "open_attribute",
    "update_cycle",
    "last_updated_on",
    "base_database",
)
ITEM_FIELDS = ("name", "data_type", "length", "description", "share_type", "open_attribute")
ITEM_CHOICES = {"data_type": DataType, "share_type": ShareType, "open_attribute": OpenAttribute}


def _max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length or 10_000


def _choice_label(choices) -> str:
    return "、".join(f"{value}（{label}）" for value, label in choices.choices)


def _spec(model, name: str, choices) -> tuple[frozenset, str, str]:
    return frozenset(choices.values), _choice_label(choices), str(model._meta.get_field(name).verbose_name)


# Precomputed once: a batch of 10,000 resources checks these 150,000 times (enum .values is not cached).
RESOURCE_CHOICE_SPECS = {name: _spec(CatalogResource, name, choices) for name, choices in CHOICE_FIELDS.items()}
ITEM_CHOICE_SPECS = {name: _spec(ResourceItem, name, choices) for name, choices in ITEM_CHOICES.items()}
TEXT_SPECS = {
    name: (str(CatalogResource._meta.get_field(name).verbose_name), _max_length(CatalogResource, name))
    for name in REQUIRED_TEXT + OPTIONAL_TEXT
}
ITEM_NAME_MAX = _max_length(ResourceItem, "name")
ITEM_DESCRIPTION_MAX = _max_length(ResourceItem, "description")


@dataclass
class Lookups:
    """Code tables, loaded once per request or batch (two queries)."""

    classifications: dict[str, Classification] = field(default_factory=dict)
    base_databases: dict[str, BaseDatabase] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Lookups:
        return cls(
            classifications={c.code: c for c in Classification.objects.all()},
            base_databases={b.code: b for b in BaseDatabase.objects.all()},
        )


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def resource_input_clean(data: dict, lookups: Lookups) -> tuple[dict, list[dict], dict[str, list[str]]]:
    """(typed resource fields, typed items, errors by field)."""
    errors: dict[str, list[str]] = {}

    def error(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    fields: dict = {}
    code = _text(data.get("classification"))
    if not code:
        error("classification", "请填写资源分类代码。")
    elif code not in lookups.classifications:
        error("classification", f"资源分类代码“{code}”不在目录分类代码表中。")
    else:
        fields["classification"] = lookups.classifications[code]
    for name, (label, max_length) in TEXT_SPECS.items():
        value = _text(data.get(name))
        if name in REQUIRED_TEXT and not value:
            error(name, f"请填写{label}。")
        elif len(value) > max_length:
            error(name, f"{label}不能超过{max_length}个字符。")
        elif has_control_characters(value):
            error(name, str(NoControlCharactersValidator.message))
        fields[name] = value
    for name, (values, options, label) in RESOURCE_CHOICE_SPECS.items():
        value = _text(data.get(name))
        if not value:
            error(name, f"请选择{label}：{options}。")
        elif value not in values:
            error(name, f"{label}“{value}”无效，可选：{options}。")
        else:
            fields[name] = value
    raw_date = _text(data.get("last_updated_on"))
    fields["last_updated_on"] = None
    if raw_date:
        try:
            fields["last_updated_on"] = date.fromisoformat(raw_date)
        except ValueError:
            error("last_updated_on", "最近一次实际更新日期格式应为 YYYY-MM-DD。")
    base = _text(data.get("base_database"))
    fields["base_database"] = None
    if base:
        if base not in lookups.base_databases:
            error("base_database", f"基础数据库代码“{base}”不存在，可选：{'、'.join(lookups.base_databases)}。")
        else:
            fields["base_database"] = lookups.base_databases[base]

    raw_items = data.get("items")
    items: list[dict] = []
    if not isinstance(raw_items, list) or not raw_items:
        error("items", "请至少填写一个信息项。")
        raw_items = []
    elif len(raw_items) > BULK_MAX_ITEMS_PER_RESOURCE:
        error("items", f"一个资源最多{BULK_MAX_ITEMS_PER_RESOURCE}个信息项。")
        raw_items = []
    for index, raw in enumerate(raw_items):
        prefix = f"items.{index}"
        if not isinstance(raw, dict):
            error(prefix, "信息项应为对象。")
            continue
        item = {}
        name = _text(raw.get("name"))
        if not name:
            error(f"{prefix}.name", "请填写信息项名称。")
        elif len(name) > ITEM_NAME_MAX:
            error(f"{prefix}.name", f"信息项名称不能超过{ITEM_NAME_MAX}个字符。")
        elif has_control_characters(name):
            error(f"{prefix}.name", str(NoControlCharactersValidator.message))
        item["name"] = name
        for key, (values, options, label) in ITEM_CHOICE_SPECS.items():
            value = _text(raw.get(key))
            if not value and key != "data_type":
                value = fields.get(key, "")  # an item inherits the resource's share type / open attribute
            if not value:
                error(f"{prefix}.{key}", f"请选择{label}：{options}。")
            elif value not in values:
                error(f"{prefix}.{key}", f"{label}“{value}”无效，可选：{options}。")
            item[key] = value
        length = raw.get("length")
        item["length"] = None
        if length not in (None, ""):
            try:
                item["length"] = int(length)
                if item["length"] <= 0:
                    raise ValueError
            except (TypeError, ValueError):
                error(f"{prefix}.length", "数据长度应为正整数。")
        description = _text(raw.get("description"))
        if len(description) > ITEM_DESCRIPTION_MAX:
            error(f"{prefix}.description", f"说明不能超过{ITEM_DESCRIPTION_MAX}个字符。")
        elif has_control_characters(description):
            error(f"{prefix}.description", str(NoControlCharactersValidator.message))
        item["description"] = description
        items.append(item)
    if not errors:
        for name, messages in resource_rules_check(fields, items).items():
            errors.setdefault(name, []).extend(messages)
    return fields, items, errors


def resource_rules_check(fields: dict, items: list[dict]) -> dict[str, list[str]]:
    """The legal rules on typed values (国发〔2016〕51号 Art. 5; Art. 17)."""
    errors: dict[str, list[str]] = {}
    share_type = fields.get("share_type")
    if share_type == ShareType.CONDITIONAL and not fields.get("share_condition"):
        errors.setdefault("share_condition", []).append(CONDITION_REQUIRED_MESSAGE)
    if share_type in BASIS_REQUIRED_SHARE_TYPES and not fields.get("share_basis"):
        errors.setdefault("share_basis", []).append(BASIS_REQUIRED_MESSAGE)
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        name = item.get("name", "")
        if name in seen:
            errors.setdefault(f"items.{index}.name", []).append(f"信息项“{name}”与第{seen[name] + 1}项重复。")
        seen.setdefault(name, index)
        item_share = item.get("share_type")
        # An item may be more open than its resource (a conditional resource with unconditional items),
        # but an unconditional resource cannot hide restricted items, and a non-shared one shares nothing.
        item_rank, resource_rank = ITEM_SHARE_RANK.get(item_share), ITEM_SHARE_RANK.get(share_type)
        contradicts = (
            item_rank is not None
            and resource_rank is not None
            and ((resource_rank == 0 and item_rank > 0) or (share_type == ShareType.NONE and item_rank < 2))
        )
        if contradicts:
            errors.setdefault(f"items.{index}.share_type", []).append(
                f"信息项的共享类型（{ShareType(item_share).label}）与资源的共享类型（{ShareType(share_type).label}）矛盾。"
            )
    return errors
