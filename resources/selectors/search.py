"""Catalog search: the scoped queryset, narrowed by the Chinese tsquery and the facet filters, ranked.

Relevance is ``ts_rank`` over the weighted vector (name A > summary B > item names C), then the newest.
The GIN index on ``search_vector`` finds the matches. Ranking is bounded (it must answer a first page in
<= 50 ms over 1,000,000 resources, where a broad word such as 学校 matches 100,000 of them and ``ts_rank``
over every match took seconds): ``SearchResults`` ranks exactly the ``RANK_WINDOW`` newest matches and
lists the older ones after them, newest first.

- A query matching at most ``RANK_WINDOW`` resources (nearly every real search: a name, a topic and a
  district, an item) is ranked exactly, as ``ORDER BY ts_rank`` over all matches would.
- A broad query is ranked within its newest ``RANK_WINDOW`` matches. How they are found depends on the
  planner's estimate of the matches (one EXPLAIN, reused as the count): a common word (at least
  ``WALK_MIN_MATCHES``) walks the primary key newest-first and stops after ``RANK_WINDOW`` matches, a short
  walk; anything rarer intersects the GIN bitmap with the newest ids (a BRIN range on ``id`` sized to hold
  about twice the window) and visits only those rows, widening the range if it held too few. Walking for
  two words that each match 7 % but together 0.7 % read 43,000 rows (56-107 ms at 1,000,000 resources);
  the intersection reads about 600 (17-19 ms). Either way the work follows ``RANK_WINDOW``, not the number
  of matches.
- Pages past the window continue with the older matches by ``id`` descending, so no match is lost and none
  repeats; ``count`` is capped (DESIGN.md: counts estimated or capped).

Facet counts are taken over at most ``FACET_SAMPLE`` matches in one query and flagged as capped beyond that.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _

from portal.models import Organization
from resources.models import BaseDatabase, CatalogResource, Classification
from resources.rules import OpenAttribute, ShareType, UpdateCycle
from resources.services.search import query_tokens

FACET_SAMPLE = 10_000
RANK_WINDOW = 300
# Below this many estimated matches the newest-first walk would read more than ~15,000 rows of a
# 1,000,000-row catalog; the bitmap over the newest ids is cheaper.
WALK_MIN_MATCHES = 20_000
# The newest ids searched first hold about this many times the window's expected matches.
ID_RANGE_MARGIN = 2
ID_RANGE_WIDENING = 8
COUNT_CAP = 10_000
FACETS = {
    "provider": ("provider_id", _("资源提供方")),
    "classification": ("classification_id", _("资源分类")),
    "share_type": ("share_type", _("共享类型")),
    "open_attribute": ("open_attribute", _("开放属性")),
    "update_cycle": ("update_cycle", _("更新周期")),
    "base_database": ("base_database_id", _("基础数据库")),
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


class SearchResults:
    """The matches of a ranked search, sliceable and countable like a queryset (Paginator, exports).

    Rows ``[0, RANK_WINDOW)`` are the newest ``RANK_WINDOW`` matches ordered by ``ts_rank``, then date; rows
    from ``RANK_WINDOW`` on are the remaining matches by ``id`` descending. The window's ids and ranks are
    read once (one query); a page inside it is one more query for its own rows by primary key. When the
    window is not full it holds every match and ``count`` is exact; when it is full the count is
    PostgreSQL's estimate (from the lexeme statistics of ``search_vector``), never less than the window,
    and ``estimated`` is True."""

    def __init__(self, matches: QuerySet[CatalogResource], query: SearchQuery, window: int = RANK_WINDOW):
        self.matches = matches.order_by()
        self.query = query
        self.window = window
        self.estimated = False
        self._ids: list[int] | None = None
        self._count: int | None = None
        self._planned = 0  # the planner's estimate of the matches

    def window_ids(self) -> list[int]:
        """The window's ids in rank order. The query that finds the newest matches reads their vectors anyway,
        so it ranks them too (``ts_rank`` on at most ``window`` rows), and the page then reads only its own
        rows by primary key instead of reading and ranking the whole window again."""
        if self._ids is None:
            rows = self._newest_matches()
            rows.sort(key=lambda r: (-r[1], r[2] is None, -(r[2].timestamp() if r[2] else 0), -r[0]))
            self._ids = [pk for pk, _, _ in rows]
        return self._ids

    def _newest_matches(self) -> list[tuple]:
        """(id, rank, published_at) of the newest ``window`` matches: one EXPLAIN, then usually one query."""
        ranked = self.matches.annotate(rank=SearchRank(F("search_vector"), self.query))
        self._planned = _estimate(self.matches)
        if self._planned >= WALK_MIN_MATCHES:
            return list(ranked.order_by("-id").values_list("pk", "rank", "published_at")[: self.window])
        # ``id + 0``: no index gives this order, so PostgreSQL intersects the bitmaps instead of walking.
        newest_first = (F("id") + 0).desc()
        share = ID_RANGE_MARGIN * self.window / max(self._planned, 1)
        while True:
            candidates = ranked
            if share < 1:
                candidates = ranked.filter(pk__gt=_newest_ids_floor(self.matches.model, share))
            rows = list(candidates.order_by(newest_first).values_list("pk", "rank", "published_at")[: self.window])
            if len(rows) == self.window or share >= 1:
                return rows
            share *= ID_RANGE_WIDENING  # the estimate was high, or the newest ids are sparse: widen

    def count(self) -> int:
        if self._count is None:
            ids = self.window_ids()
            if len(ids) < self.window:
                self._count = len(ids)
            else:
                self.estimated = True
                self._count = max(self.window + 1, self._planned)
        return self._count

    def __len__(self) -> int:
        return self.count()

    def ranked(self) -> QuerySet[CatalogResource]:
        return (
            self.matches.model.objects.filter(pk__in=self.matches.order_by("-id").values("pk")[: self.window])
            .select_related(*_related(self.matches))
            .annotate(rank=SearchRank(F("search_vector"), self.query))
            .order_by("-rank", F("published_at").desc(nulls_last=True), "-id")
        )

    def _rows(self, ids: list[int]) -> list[CatalogResource]:
        by_id = self.matches.model.objects.select_related(*_related(self.matches)).in_bulk(ids)
        return [by_id[pk] for pk in ids if pk in by_id]

    def __getitem__(self, key):
        if isinstance(key, int):
            return self[key : key + 1][0]
        start, stop = key.start or 0, key.stop
        if key.step is not None or start < 0 or stop is None or stop < 0:
            raise ValueError("SearchResults supports only [start:stop] slices.")
        rows: list[CatalogResource] = []
        if start < self.window:
            if self._ids is not None:  # after count() (the paginator): the page's own rows by primary key
                if not self._ids:
                    return rows
                rows += self._rows(self._ids[start:stop])
                complete = len(self._ids) < self.window
            else:  # a slice without count() (exports): the window ranked as a subquery, one query
                end = min(stop, self.window)
                rows += list(self.ranked()[start:end])
                complete = len(rows) < end - start
            if complete:
                return rows  # every match was in the window
        if stop > self.window:
            rows += list(self.matches.order_by("-id")[max(start, self.window) : stop])
        return rows

    def __iter__(self):
        return iter(self[: self.count()])


def _related(qs: QuerySet) -> tuple[str, ...]:
    related = qs.query.select_related
    return tuple(related) if isinstance(related, dict) else ()


def _newest_ids_floor(model, share: float) -> RawSQL:
    """The id above which lie about the newest ``share`` of the table's rows (ids grow with time), computed
    inside the query (an InitPlan). From the planner's histogram of ``id`` when there is one: its bounds are
    quantiles of the live rows, so gaps in the ids (deleted rows, rolled-back imports) do not shrink the
    range; otherwise from the lowest and highest id."""
    table = model._meta.db_table
    return RawSQL(  # noqa: S611 (a table name from model meta; the values are bound)
        f"""SELECT COALESCE(
            (SELECT b[greatest(1, floor(cardinality(b) * (1 - %s))::int)]
               FROM (SELECT histogram_bounds::text::bigint[] AS b FROM pg_stats
                     WHERE schemaname = current_schema() AND tablename = %s AND attname = 'id') h),
            (SELECT max(id) - (%s * (max(id) - min(id)))::bigint FROM {table}))""",  # noqa: S608
        [share, table, share],
    )


def _estimate(qs: QuerySet) -> int:
    """The planner's row estimate for ``qs`` (EXPLAIN, no execution): a count that costs nothing."""
    sql, params = qs.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        import json

        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def catalog_search(
    qs: QuerySet[CatalogResource], *, q: str = "", sort: str = "relevance"
) -> QuerySet[CatalogResource] | SearchResults:
    """Date order without a query or with ``sort=date``; otherwise ``SearchResults`` ranked by relevance."""
    query = search_query(q)
    if query is None:
        return qs.order_by(F("published_at").desc(nulls_last=True), "-id")
    qs = qs.filter(search_vector=query)
    if sort == "date":
        return qs.order_by(F("published_at").desc(nulls_last=True), "-id")
    return SearchResults(qs, query)


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


def catalog_facets(qs: QuerySet[CatalogResource] | SearchResults) -> Facets:
    """Counts per facet value over the (capped) matches: one query, plus two for the names shown."""
    if isinstance(qs, SearchResults):
        qs = qs.matches
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
