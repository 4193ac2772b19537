"""Catalog search: the scoped queryset, narrowed by the Chinese tsquery and the facet filters, ranked.

Relevance is ``ts_rank`` over the weighted vector (name A > summary B > item names C), then the newest.
The GIN index on ``search_vector`` finds the matches; the tsvector is short (tokens of one resource's
metadata, never the data itself), so ranking the matches stays cheap. Facet counts are taken over at most
``FACET_SAMPLE`` matches in one query and flagged as capped beyond that (DESIGN.md: counts capped).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, QuerySet

from portal.models import Organization
from resources.models import BaseDatabase, CatalogResource, Classification
from resources.rules import OpenAttribute, ShareType, UpdateCycle
from resources.services.search import query_tokens

FACET_SAMPLE = 10_000
FACETS = {
    "provider": ("provider_id", "资源提供方"),
    "classification": ("classification_id", "资源分类"),
    "share_type": ("share_type", "共享类型"),
    "open_attribute": ("open_attribute", "开放属性"),
    "update_cycle": ("update_cycle", "更新周期"),
    "base_database": ("base_database_id", "基础数据库"),
}
CHOICE_LABELS = {
    "share_type": dict(ShareType.choices),
    "open_attribute": dict(OpenAttribute.choices),
    "update_cycle": dict(UpdateCycle.choices),
}


def search_query(text: str) -> SearchQuery | None:
    tokens = query_tokens(text or "")
    if not tokens:
        return None
    # plainto_tsquery ANDs the tokens; 'simple' keeps them as cut by rjieba.
    return SearchQuery(" ".join(tokens), config="simple", search_type="plain")


def catalog_filter(qs: QuerySet[CatalogResource], filters: dict) -> QuerySet[CatalogResource]:
    """Facet filters by public identifiers: provider UUID, classification code (and its sub-codes), …"""
    if filters.get("provider"):
        qs = qs.filter(provider__uuid=filters["provider"])
    if filters.get("classification"):
        code = str(filters["classification"])
        ids = list(Classification.objects.filter(code__startswith=code).values_list("pk", flat=True))
        qs = qs.filter(classification_id__in=ids)
    for name in ("share_type", "open_attribute", "update_cycle", "status"):
        if filters.get(name):
            qs = qs.filter(**{name: filters[name]})
    if filters.get("base_database"):
        if filters["base_database"] == "any":
            qs = qs.filter(base_database__isnull=False)
        else:
            qs = qs.filter(base_database__code=filters["base_database"])
    return qs


def catalog_search(qs: QuerySet[CatalogResource], *, q: str = "", sort: str = "relevance") -> QuerySet[CatalogResource]:
    query = search_query(q)
    if query is None:
        return qs.order_by(F("published_at").desc(nulls_last=True), "-id")
    qs = qs.filter(search_vector=query)
    if sort == "date":
        return qs.order_by(F("published_at").desc(nulls_last=True), "-id")
    return qs.annotate(rank=SearchRank(F("search_vector"), query)).order_by(
        "-rank", F("published_at").desc(nulls_last=True), "-id"
    )


@dataclass
class FacetValue:
    key: str
    label: str
    count: int


@dataclass
class Facets:
    groups: dict[str, list[FacetValue]] = field(default_factory=dict)
    capped: bool = False
    labels: dict[str, str] = field(default_factory=lambda: {k: v[1] for k, v in FACETS.items()})


def catalog_facets(qs: QuerySet[CatalogResource]) -> Facets:
    """Counts per facet value over the (capped) matches: one query, plus two for the names shown."""
    sample = qs.order_by().values(*[column for column, _ in FACETS.values()])[: FACET_SAMPLE + 1]
    sql, params = sample.query.sql_with_params()
    parts = [
        f"SELECT '{name}' AS facet, {column}::text AS key, count(*) FROM m GROUP BY {column}"  # noqa: S608 (constants)
        for name, (column, _) in FACETS.items()
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH m AS MATERIALIZED ({sql}) SELECT 'total', '', count(*) FROM m UNION ALL "  # noqa: S608 (our SQL)
            + " UNION ALL ".join(parts),
            params,
        )
        rows = cursor.fetchall()
    facets = Facets()
    counts: dict[str, list[tuple[str, int]]] = {name: [] for name in FACETS}
    for facet, key, count in rows:
        if facet == "total":
            facets.capped = count > FACET_SAMPLE
        elif key is not None:
            counts[facet].append((key, count))
    providers = {
        str(pk): (str(uuid), name)
        for pk, uuid, name in Organization.objects.filter(pk__in=[k for k, _ in counts["provider"]]).values_list(
            "pk", "uuid", "name"
        )
    }
    class_rows = list(Classification.objects.values_list("pk", "code", "name"))
    classes = {pk: code for pk, code, _ in class_rows}
    class_names = {code: name for _, code, name in class_rows}
    bases = {str(pk): (code, name) for pk, code, name in BaseDatabase.objects.values_list("pk", "code", "name")}
    for name, values in counts.items():
        out = []
        for key, count in sorted(values, key=lambda kv: -kv[1]):
            if name == "provider" and key in providers:
                out.append(FacetValue(providers[key][0], providers[key][1], count))
            elif name == "classification":
                code = classes.get(int(key), key)
                out.append(FacetValue(code, f"{code} {class_names.get(code, '')}", count))
            elif name == "base_database" and key in bases:
                out.append(FacetValue(*bases[key], count))
            elif name in CHOICE_LABELS:
                out.append(FacetValue(key, CHOICE_LABELS[name].get(key, key), count))
        facets.groups[name] = out[:20]
    return facets
