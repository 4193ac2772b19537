"""Pagination that costs what a page shows, not what the table holds.

``CappedPaginator`` counts at most ``COUNT_CAP + 1`` rows (``SELECT count(*) FROM (… LIMIT 1001)``):
a list of a million visible rows shows "1,000+" instead of paying for count(*) over all of them on
every request. Pages past the counted rows are still served: such a page counts on to its own end and
one row more (its OFFSET reads those rows anyway), which says that it exists and whether another follows;
the API offers cursor pagination for walking a whole list (``portal.api.pagination``).
"""

from collections.abc import Sequence
from functools import reduce
from operator import or_

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db.models import BigIntegerField, F, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.functional import cached_property

# A list counts up to this many rows ("1,000+"; the API's ``count`` reads 1,001). Past a thousand the number
# says "filter the list", not a figure anyone reads row by row; the totals officials work with are the
# dashboards' figures (``portal.figures``). The cap was 10,000, and counting 10,001 rows of a city's list
# was 3-10 ms of every first page at city scale against under 1 ms at demo volumes (issue 15: a district
# official's lists ran 11-38 % slower at scale, the count being most of the difference); 1,001 rows are
# 0.4 ms.
COUNT_CAP = 1_000
# A keyword search counts to this many matches ("200+"): past that the number says "refine the search". Its
# matches are found by reading the rows themselves (a LIKE on the title), so the count's cost follows the cap:
# a district official's 平台 read 1,186 heap pages for 1,001 matches (7.4 ms of a 45 ms page).
SEARCH_COUNT_CAP = 200
# Rows a list page shows (README, page conventions): a table an official scans at a glance, and what the
# server renders per row stays small (a deadline row is about 0.6 ms of template).
PAGE_SIZE = 25


# From this many rows in, a page finds its rows by key first (a "deferred join"): an OFFSET makes PostgreSQL
# build the whole select list of every row it skips, the joins and annotations such as a reviewer's EXISTS
# included (the filing list's page 200: 10,000 rows built for 50, 52 ms); ``pk IN (the page's keys)``
# walks the same index for the keys alone and builds only the rows shown.
DEFERRED_PAGE_FROM = 1_000


class ScopeKeepingQuerySet(QuerySet):
    """A queryset that remembers how its rows were scoped (the attributes named in ``kept``), so
    ``CappedPaginator`` can read it by that scope. Filters, orderings and ``&`` keep the rows within the scope
    and the memory with them; ``|`` and ``^`` widen the rows, so the result forgets it (the class defaults)."""

    kept: tuple[str, ...] = ()

    @classmethod
    def of(cls, queryset: QuerySet):
        """``queryset`` as one of these, its query copied."""
        return cls(model=queryset.model, query=queryset.query.chain(), using=queryset._db)

    def _clone(self):
        clone = super()._clone()
        for name in self.kept:
            setattr(clone, name, getattr(self, name))
        return clone

    def _forgetting(self, combined):
        for name in self.kept:
            combined.__dict__.pop(name, None)
        return combined

    def __or__(self, other):
        return self._forgetting(super().__or__(other))

    def __xor__(self, other):
        return self._forgetting(super().__xor__(other))


class BranchedQuerySet(ScopeKeepingQuerySet):
    """A queryset scoped by an OR of branches (an agency's own rows, an official's district, a reviewer's
    grants) that remembers the branches, so ``CappedPaginator`` counts each through its own index.

    An OR matches no single index range: PostgreSQL counted a district official's 4,436 filings by testing
    the OR on all 100,000 index entries (23-31 ms, issue 15). Each branch has an index of its own, and the
    branches made disjoint (each without the rows of those before it) add up to the OR's rows:
    ``count(*) FROM (branch 1 UNION ALL branch 2 AND NOT branch 1 … LIMIT cap + 1)``. ``UNION ALL``
    streams, so the count still stops at the cap. Filters, orderings and ``&`` keep the branches (the rows
    stay within the OR); ``|`` and ``^`` widen the rows, so the result forgets them.

    Order the branches by how cheap they are to exclude: each row of a branch is tested against every
    branch before it, and ``id = ANY(ARRAY(SELECT …))`` over a few hundred ids costs far more per row than
    ``agency_id IN (2)``; a branch like that goes last."""

    kept = ("branches",)
    branches: tuple[Q, ...] = ()


def filter_any(queryset: QuerySet, branches: Sequence[Q], *, count_by_branch: bool = True) -> QuerySet:
    """``queryset.filter(branch 1 | branch 2 | …)``, counted branch by branch (``BranchedQuerySet``) unless
    ``count_by_branch`` is false: a city-wide OR matches nearly every row, so the plain count reaches the
    cap at once and the branches would only cost planning time."""
    anywhere = reduce(or_, branches)
    if not count_by_branch:
        return queryset.filter(anywhere)
    branched = BranchedQuerySet.of(queryset).filter(anywhere)
    branched.branches = tuple(branches)
    return branched


# The per-organization path reads at most organizations x (rows up to the page's end) index entries; past
# this it costs more than walking the list's order index and skipping other organizations' rows.
ORGANIZATION_KEYS_MAX = 20_000


class OrganizationScopedQuerySet(ScopeKeepingQuerySet):
    """Rows of a set of organizations (``organization_id IN (…)``, a clerk's units or a district's), whose
    pages ``CappedPaginator`` and ``first_rows`` read organization by organization.

    Ordered by a column of its own (a due date), a list's first rows are spread over the organizations, and
    PostgreSQL walked the whole order index, skipping the other organizations' rows: 3,652 deadlines read
    for a clerk's first 50, 3,076 for a district official's, however few were shown. Read per organization
    through an ``(organization, order…)`` index instead (``_first_keys``), a page costs organizations x rows
    up to the page's end, whatever the table holds. ``|`` and ``^`` widen the rows, so they forget the
    scope."""

    kept = ("scope_field", "scope_ids", "scope_lookup")
    scope_field: str = ""
    scope_ids: tuple[int, ...] = ()
    scope_lookup = None  # the ``IN`` condition itself, which a per-organization read leaves out


def scope_to_organizations(queryset: QuerySet, field: str, ids) -> QuerySet:
    """``queryset.filter(<field>__in=ids)`` that pages per organization (``OrganizationScopedQuerySet``)."""
    scoped = OrganizationScopedQuerySet.of(queryset).filter(**{f"{field}__in": sorted(ids)})
    scoped.scope_field, scoped.scope_ids = field, tuple(sorted(ids))
    scoped.scope_lookup = scoped.query.where.children[-1]
    return scoped


def _first_keys(rows: QuerySet, bottom: int, top: int) -> RawSQL | None:
    """The keys of ``rows[bottom:top]``, each organization's first ``top`` rows read through a LATERAL join
    and merged in the list's order; None when the rows are not scoped by organization, not ordered by plain
    columns, or when the organizations' rows up to ``top`` would cost more than walking the order index."""
    ids = getattr(rows, "scope_ids", ())
    order = list(rows.query.order_by)
    if not ids or not order or len(ids) * top > ORGANIZATION_KEYS_MAX:
        return None
    if rows.query.combinator or rows.query.distinct:
        return None
    if not all(isinstance(name, str) and name.lstrip("-").isidentifier() and "__" not in name for name in order):
        return None  # an expression or a related column: walked as before
    columns = {f"k{i}": F(name.lstrip("-")) for i, name in enumerate(order)}
    per_organization = (
        rows.filter(**{rows.scope_field: RawSQL("scope_organization.id", [])})
        .values(key=F("pk"), **columns)
        .order_by(*order)[:top]
    )
    where = per_organization.query.where
    if where.connector == "AND" and not where.negated and rows.scope_lookup in where.children:
        # Each organization's own condition replaces the scope's IN list, which the index scan would
        # otherwise sort and test again for every organization (89 organizations: 4.5 ms instead of 0.8).
        where.children.remove(rows.scope_lookup)
    try:
        sql, params = per_organization.query.sql_with_params()
    except EmptyResultSet:  # a filter that matches nothing (``kind__in=[]``): the plain slice reads no row
        return None
    merged = ", ".join(f"x.k{i} {'DESC' if name.startswith('-') else 'ASC'}" for i, name in enumerate(order))
    # An array (an InitPlan) for ``pk = ANY(…)``, not ``pk IN (SELECT …)``: with the IN, PostgreSQL hashed the
    # keys and scanned the whole table for them when it was small (1,013 filings: 1.2 ms instead of 0.3).
    return RawSQL(  # noqa: S611 (compiled by the ORM, values bound)
        f"ARRAY(SELECT x.key FROM unnest(%s::bigint[]) AS scope_organization(id) CROSS JOIN LATERAL ({sql}) x "  # noqa: S608 (compiled by the ORM, values bound)
        f"ORDER BY {merged} LIMIT %s OFFSET %s)",
        [list(ids), *params, top - bottom, bottom],
        output_field=ArrayField(BigIntegerField()),
    )


def first_rows(rows: QuerySet, count: int) -> QuerySet:
    """``rows[:count]``, read per organization when ``rows`` is scoped by organization (a dashboard panel)."""
    keys = _first_keys(rows, 0, count)
    return rows.filter(pk__any_array=keys) if keys is not None else rows[:count]


def _count_rows(rows: QuerySet, limit: int) -> int:
    """Up to ``limit`` of the rows, counted by key only (no ORDER BY: any ``limit`` rows count the same)."""
    branches = getattr(rows, "branches", ())
    if len(branches) < 2:
        return rows.values("pk")[:limit].count()
    parts = [rows.filter(branch) for branch in branches]
    parts = [part.exclude(reduce(or_, branches[:i])) if i else part for i, part in enumerate(parts)]
    keys = [part.values("pk") for part in parts]
    return keys[0].union(*keys[1:], all=True)[:limit].count()


class CappedPaginator(Paginator):
    count_cap = COUNT_CAP
    deferred_from = DEFERRED_PAGE_FROM

    def __init__(self, *args, count_cap: int | None = None, counted: int | None = None, **kwargs):
        """``counted``: the rows the caller has already counted the same way (at most ``count_cap + 1``)."""
        self.exact = False
        if count_cap is not None:
            self.count_cap = count_cap
        super().__init__(*args, **kwargs)
        if counted is not None:
            self.__dict__["count"] = min(counted, self.count_cap + 1)

    @cached_property
    def count(self) -> int:
        return self._counted(self.count_cap + 1)

    def _counted(self, limit: int) -> int:
        """Up to ``limit`` of the rows (all of a list's, or what the catalog's ranked SearchResults count)."""
        if not isinstance(self.object_list, QuerySet):
            return len(self.object_list)
        # Any ``limit`` rows count the same: without the ORDER BY, PostgreSQL stops after them instead of
        # sorting every visible row first (a district official's 60,000 deadlines: 940 ms -> a few ms).
        rows = self.object_list.order_by()
        if rows.query.combinator:
            return rows[:limit].count()
        # Only the key: the row's annotations (a reviewer's EXISTS, an overdue flag) were computed for every
        # counted row, 4,436 EXISTS subplans of a district official's filings (26 -> 9 ms).
        return _count_rows(rows, limit)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = self.object_list
        keys = _first_keys(rows, bottom, top) if isinstance(rows, QuerySet) else None
        if keys is not None:
            return self._get_page(rows.filter(pk__any_array=keys), number, self)
        if (
            bottom >= self.deferred_from
            and isinstance(rows, QuerySet)
            and rows.ordered
            and not (rows.query.combinator or rows.query.distinct)
        ):
            # The page's keys in the list's order (the subquery keeps its ORDER BY, OFFSET and LIMIT), then
            # those rows, ordered again: the same rows as ``rows[bottom:top]``.
            return self._get_page(rows.filter(pk__in=rows.values("pk")[bottom:top]), number, self)
        return self._get_page(rows[bottom:top], number, self)

    @property
    def capped(self) -> bool:
        """True when there are more rows than were counted (``count`` is then a lower bound)."""
        return not self.exact and self.count > self.count_cap

    def validate_number(self, number):
        number = self._integer(number)
        if number * self.per_page > self.count_cap and ("count" not in self.__dict__ or self.capped):
            # A page that ends past the counted rows, or past the cap before anything was counted: count to its
            # end and one row more, for this request only, which says whether the page exists and whether
            # another follows. Its OFFSET reads those rows anyway; the rows after them are not counted (page
            # 200 of a city's filings: 5,001 rows, not 100,000), nor first the cap's (a second count).
            # ``count`` is then exact only if the list ends on this page.
            end = number * self.per_page + self.orphans
            self.__dict__["count"] = self._counted(end + 1)
            self.exact = self.count <= end
            self.__dict__.pop("num_pages", None)
        return super().validate_number(number)

    def _integer(self, number) -> int:
        from django.core.paginator import EmptyPage, PageNotAnInteger

        try:
            number = int(number)
        except (TypeError, ValueError) as exc:
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from exc
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number

    @property
    def num_pages_display(self) -> str:
        return f"{self.num_pages - 1:,}+" if self.capped else f"{self.num_pages:,}"

    @property
    def count_display(self) -> str:
        """What a page shows for the total: "234" or "1,000+"."""
        if self.capped:
            return f"{self.count_cap:,}+"
        return f"{self.count:,}"
