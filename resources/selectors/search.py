"""Catalog search: the scoped queryset, narrowed by the Chinese tsquery and the facet filters, ranked.

Relevance is ``ts_rank`` over the weighted vector (name A > summary B > item names C), then the newest.
The GIN index on ``search_vector`` finds the matches. Ranking is bounded (it must answer a first page in
<= 50 ms over 1,000,000 resources, where a broad word such as 学校 matches 100,000 of them and ``ts_rank``
over every match took seconds): ``SearchResults`` ranks exactly the ``RANK_WINDOW`` newest matches and
lists the older ones after them, newest first.

- A query matching at most ``RANK_WINDOW`` resources (nearly every real search: a name, a topic and a
  district, an item) is ranked exactly, as ``ORDER BY ts_rank`` over all matches would.
- A broad query is ranked within its newest ``RANK_WINDOW`` matches, found by a plan chosen from the
  planner's estimate of the matches (one EXPLAIN, reused as the count; ``SearchResults._newest_matches``):
  a walk down the primary key for a common word, the GIN bitmap for a rare one, and in between a bounded
  walk over the newest rows, then the GIN bitmap intersected with a range of the newest ids (a BRIN index
  on ``id``). Walking for two words that each match 7 % but together 0.7 % read 43,000 rows (56-107 ms at
  1,000,000 resources); the intersection reads about 600. Either way the work follows ``RANK_WINDOW``, not
  the number of matches.
- Pages past the window continue with the older matches by ``id`` descending, so no match is lost and none
  repeats; ``count`` is capped (DESIGN.md: counts estimated or capped).

Facet counts are taken over at most ``FACET_SAMPLE`` matches in one query and flagged as capped beyond that.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, QuerySet
from django.utils.translation import gettext_lazy as _

from portal.models import Organization
from resources.models import BaseDatabase, CatalogResource, Classification
from resources.rules import OpenAttribute, ShareType, UpdateCycle
from resources.services.search import query_tokens

# Facets count at most this many matches (and browsing shows "2,000+" past them): grouping 10,000 rows six
# ways took 66 ms of a catalog page, 5,000 rows 14-32 ms, 2,000 rows 9-16 ms at 1,000,000 resources.
FACET_SAMPLE = 2_000
FACET_VALUES_SHOWN = 20  # per facet, the most frequent first
RANK_WINDOW = 300
# Below this many estimated matches the newest-first walk would read more than ~15,000 rows of a
# 1,000,000-row catalog; the bitmap over the newest ids is cheaper.
WALK_MIN_MATCHES = 20_000
# Between the two, the newest rows checked first (a bounded walk: about 20 ms at 1,000,000 resources) …
PROBE_ROWS = 15_000
# … then the newest ids expected to hold this many times the window, widened by this factor if short.
ID_RANGE_MARGIN = 2
ID_RANGE_WIDENING = 8
ID_RANGE_TRIES = 2  # then every match
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

    def __init__(
        self,
        matches: QuerySet[CatalogResource],
        query: SearchQuery,
        window: int = RANK_WINDOW,
        *,
        searched: QuerySet[CatalogResource] | None = None,
        columns: tuple[str, ...] = (),
    ):
        """``searched``: the rows ``matches`` were filtered from (the scope and facets), for the bounded walk;
        ``columns``: the only columns a page's rows read (all but the search vector and item keys without)."""
        self.matches = matches.order_by()
        self.columns = columns
        self.searched = searched
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
        """(id, rank, published_at) of the newest ``window`` matches: one EXPLAIN, then one to three queries.

        - The planner expects a common word (``WALK_MIN_MATCHES``): walk newest-first, a short walk.
        - It expects fewer matches than the window: the GIN bitmap finds them all.
        - In between its estimate is least reliable: words that occur together (政府 + 采购 + 统计 + 编号)
          are estimated as if independent (1,411 for 24,064), words that rarely meet the other way. So the
          newest ``PROBE_ROWS`` rows are checked first (a bounded walk), which settles most such searches;
          if they held fewer matches than the window, their share gives the range of newest ids expected to
          hold twice the window, searched through the GIN bitmap, widened if it still held too few."""
        ranked = self.matches.annotate(rank=SearchRank(F("search_vector"), self.query))
        fields = ("pk", "rank", "published_at")
        self._planned = _estimate(self.matches)
        if self._planned >= WALK_MIN_MATCHES:
            return list(ranked.order_by("-id").values_list(*fields)[: self.window])
        # ``id + 0``: no index gives this order, so PostgreSQL intersects the bitmaps instead of walking.
        newest_first = (F("id") + 0).desc()
        if self._planned >= self.window:
            # The floors are literals, so the planner sees how few rows each range holds.
            ids = NewestIds.read(self.matches.model)
            floor = ids.floor(PROBE_ROWS)
            if floor is not None and self.searched is not None:
                rows = self._walk_newest(floor)
                rows_wanted = ID_RANGE_MARGIN * self.window * PROBE_ROWS / max(len(rows), 1)
                for _ in range(ID_RANGE_TRIES):
                    floor = ids.floor(rows_wanted)
                    if len(rows) == self.window or floor is None:
                        break
                    candidates = ranked.filter(pk__gt=floor).order_by(newest_first)
                    rows = list(candidates.values_list(*fields)[: self.window])
                    rows_wanted *= ID_RANGE_WIDENING  # the newest ids held fewer matches than their share
                if len(rows) == self.window:
                    return rows
        return list(ranked.order_by(newest_first).values_list(*fields)[: self.window])

    def _walk_newest(self, floor: int) -> list[tuple]:
        """The newest window of matches among the rows above ``floor``, by a walk PostgreSQL cannot turn into
        an index search: the rows come from a derived table with a LIMIT, which the planner does not flatten,
        and are matched outside it. Offered the GIN index instead, it intersected three common words' posting
        lists (25-35 ms) to save a walk over a few thousand rows; a match written so no index serves it
        (``search_vector || ''``) copied every vector and cost more than the walk."""
        newest = self.searched.order_by("-id").filter(pk__gt=floor).values("id", "search_vector", "published_at")
        inner_sql, inner_params = newest[: PROBE_ROWS * 4].query.sql_with_params()
        compiler = newest.query.get_compiler(connection=connection)
        query_sql, query_params = compiler.compile(self.query)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT s.id, ts_rank(s.search_vector, {query_sql}), s.published_at "  # noqa: S608 (compiled SQL)
                f"FROM ({inner_sql}) AS s WHERE s.search_vector @@ {query_sql} ORDER BY s.id DESC LIMIT %s",
                [*query_params, *inner_params, *query_params, self.window],
            )
            return cursor.fetchall()

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
        rows = self.matches.model.objects.select_related(*_related(self.matches))
        # Without named columns, still neither the search vector nor the item keys (600 and 60 bytes a row).
        rows = rows.only(*self.columns) if self.columns else rows.defer("search_vector", "item_keys")
        by_id = rows.in_bulk(ids)
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


@dataclass
class NewestIds:
    """Where the newest rows of a table begin, from the planner's statistics (one query, no scan): ids grow
    with time, and the histogram's bounds are quantiles of the live rows, so gaps in the ids (deleted rows,
    rolled-back imports) do not shrink a range; without statistics, from the ids' span."""

    rows: float
    bounds: list[int]
    lowest: int
    highest: int

    @classmethod
    def read(cls, model) -> NewestIds:
        table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"""SELECT (SELECT reltuples FROM pg_class WHERE oid = %s::regclass),
                           (SELECT histogram_bounds::text FROM pg_stats
                            WHERE schemaname = current_schema() AND tablename = %s AND attname = 'id'),
                           (SELECT min(id) FROM {table}), (SELECT max(id) FROM {table})""",  # noqa: S608 (meta name)
                [table, table],
            )
            rows, bounds, lowest, highest = cursor.fetchone()
        bounds = [int(b) for b in bounds.strip("{}").split(",")] if bounds else []
        span = (highest - lowest + 1) if highest is not None else 0
        return cls(rows=rows if rows and rows > 0 else span, bounds=bounds, lowest=lowest or 0, highest=highest or 0)

    def floor(self, rows: float) -> int | None:
        """The id above which lie about the newest ``rows`` rows; None when that is the whole table."""
        share = rows / max(self.rows, 1)
        if share >= 1:
            return None
        if len(self.bounds) > 1:
            return self.bounds[max(0, int(len(self.bounds) * (1 - share)) - 1)]
        return self.highest - int(share * (self.highest - self.lowest + 1))


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
    qs: QuerySet[CatalogResource], *, q: str = "", sort: str = "relevance", columns: tuple[str, ...] = ()
) -> QuerySet[CatalogResource] | SearchResults:
    """Date order without a query or with ``sort=date``; otherwise ``SearchResults`` ranked by relevance.
    ``columns``: read only these (a list page's ``CATALOG_ROW_FIELDS``; exports read whole resources)."""
    query = search_query(q)
    if columns and (query is None or sort == "date"):
        qs = qs.only(*columns)
    if query is None:
        return qs.order_by(F("published_at").desc(nulls_last=True), "-id")
    if sort == "date":
        return qs.filter(search_vector=query).order_by(F("published_at").desc(nulls_last=True), "-id")
    return SearchResults(qs.filter(search_vector=query), query, searched=qs, columns=columns)


@dataclass
class FacetValue:
    key: str
    label: str
    count: int


@dataclass
class Facets:
    groups: dict[str, list[FacetValue]] = field(default_factory=dict)
    capped: bool = False
    sample: int = FACET_SAMPLE
    matched: int = 0  # the matches counted, at most FACET_SAMPLE + 1
    labels: dict[str, str] = field(default_factory=lambda: {k: v[1] for k, v in FACETS.items()})

    @property
    def sample_display(self) -> str:
        return f"{self.sample:,}"  # "2,000", as the page's other counts


def catalog_facets(qs: QuerySet[CatalogResource] | SearchResults) -> Facets:
    """Counts per facet value over the (capped) matches: one query, plus two for the names shown."""
    if isinstance(qs, SearchResults):
        qs = qs.matches
    sample = qs.order_by().values(*[column for column, _ in FACETS.values()])[: FACET_SAMPLE + 1]
    sql, params = sample.query.sql_with_params()
    columns = [column for column, _ in FACETS.values()]
    # One pass over the sample with a grouping set per facet (and () for the total), instead of a
    # materialized sample scanned seven times: 23 -> 13 ms. GROUPING(column) is 0 in its own facet's rows.
    sets = ", ".join(f"({column})" for column in columns)
    selected = ", ".join(f"GROUPING({column}), {column}::text" for column in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {selected}, count(*) FROM ({sql}) AS m GROUP BY GROUPING SETS ({sets}, ())",  # noqa: S608 (our SQL)
            params,
        )
        rows = cursor.fetchall()
    facets = Facets()
    counts: dict[str, list[tuple[str, int]]] = {name: [] for name in FACETS}
    names = list(FACETS)
    for row in rows:
        count = row[-1]
        grouped = [i for i in range(len(names)) if row[2 * i] == 0]
        if not grouped:
            facets.capped = count > FACET_SAMPLE
            facets.matched = count
        elif (key := row[2 * grouped[0] + 1]) is not None:
            counts[names[grouped[0]]].append((key, count))
    # Only the values shown are named: the sample's 500 providers looked up by id took 20 ms, for 20 shown.
    counts = {name: sorted(values, key=lambda kv: -kv[1])[:FACET_VALUES_SHOWN] for name, values in counts.items()}
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
        for key, count in values:
            if name == "provider" and key in providers:
                out.append(FacetValue(providers[key][0], providers[key][1], count))
            elif name == "classification":
                code = classes.get(int(key), key)
                out.append(FacetValue(code, f"{code} {class_names.get(code, '')}", count))
            elif name == "base_database" and key in bases:
                out.append(FacetValue(*bases[key], count))
            elif name in CHOICE_LABELS:
                out.append(FacetValue(key, CHOICE_LABELS[name].get(key, key), count))
        facets.groups[name] = out
    return facets
