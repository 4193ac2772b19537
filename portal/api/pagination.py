from django.core.paginator import InvalidPage
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination, PageNumberPagination

from portal.paginators import COUNT_CAP, CappedPaginator

# Numbered pages reach this many rows; past them, keyset pages (``?cursor=``). A numbered page past the
# counted rows (``COUNT_CAP``) counts on to its own end, so page 200 of 50 rows counts 10,001 rows; past here
# an OFFSET and that count would grow with the page number, a keyset page does not.
NUMBERED_ROWS = 10_000


class PortalPagination(PageNumberPagination):
    """`count`, `next`, `previous`, `results`; clients may ask for up to 200 rows a page.

    ``count`` is exact up to 1,000; past that it reads 1,001 ("more than 1,000") on every page: count(*)
    over a city's rows on every page-1 request is not free (``portal.paginators.CappedPaginator``).

    Numbered pages reach the first 10,000 rows (``NUMBERED_ROWS``), and the last of them has no ``next``. A
    page starting past them is a 400 on ``page`` that points to keyset pages (``?cursor=``): an OFFSET of
    75,000 rows and the count it needs cost 440 ms at city scale, a keyset page at the same depth costs what
    the first page does (DESIGN.md: API lists on cursor pagination).

    ``page`` and ``page_size`` are checked, not silently replaced (issue 8): a malformed or
    out-of-range value is a 400 with a field error; a page past the last one is a 404."""

    page_size_query_param = "page_size"
    max_page_size = 200
    max_page = NUMBERED_ROWS  # with one row a page; the rows reached are checked below
    django_paginator_class = CappedPaginator

    def _integer(self, request, name: str, minimum: int, maximum: int) -> int | None:
        raw = request.query_params.get(name)
        if raw is None or raw == "":
            return None
        if not raw.isascii() or not raw.isdigit() or not minimum <= int(raw) <= maximum:
            raise ValidationError({name: [f"{name} 应为 {minimum} 至 {maximum} 之间的整数。"]}, code="invalid")
        return int(raw)

    def get_page_size(self, request) -> int:
        size = self._integer(request, self.page_size_query_param, 1, self.max_page_size)
        return size if size is not None else self.page_size

    cursor_query_param = "cursor"

    def paginate_queryset(self, queryset, request, view=None):
        self.cursor = None
        if self.cursor_query_param in request.query_params:
            # Keyset pages (constant cost at any depth); no count.
            self.cursor = PortalCursorPagination()
            self.cursor.page_size = self.page_size
            return self.cursor.paginate_queryset(queryset, request, view)
        page_number = self._integer(request, self.page_query_param, 1, self.max_page) or 1
        self.request = request
        page_size = self.get_page_size(request)
        if (page_number - 1) * page_size >= NUMBERED_ROWS:
            deepest = -(-NUMBERED_ROWS // page_size)
            raise ValidationError(
                {
                    self.page_query_param: [
                        f"页码分页只到前 {NUMBERED_ROWS:,} 条（每页 {page_size} 条时为第 {deepest} 页）；"
                        "更深处请用键集分页：从 ?cursor= 开始，沿 next 链接翻页。"
                    ]
                },
                code="too-deep",
            )
        paginator = self.django_paginator_class(queryset, page_size)
        try:
            self.page = paginator.page(page_number)
        except InvalidPage as exc:
            raise NotFound(f"第 {page_number} 页不存在（共 {paginator.num_pages} 页）。") from exc
        self.display_page_controls = paginator.num_pages > 1 and self.template is not None
        return list(self.page)

    def get_next_link(self):
        # The last numbered page has none: the next one would start past 10,000 rows, a 400 (too-deep).
        # ``count`` (1,001) says there are more: ``?cursor=``.
        if self.page.number * self.page.paginator.per_page >= NUMBERED_ROWS:
            return None
        return super().get_next_link()

    def get_paginated_response(self, data):
        if self.cursor is not None:
            return self.cursor.get_paginated_response(data)
        response = super().get_paginated_response(data)
        # A page past the first 1,000 rows counted on to its own end (``CappedPaginator.validate_number``);
        # the total still reads "more than 1,000", the same on every page.
        response.data["count"] = min(self.page.paginator.count, COUNT_CAP + 1)
        return response

    def get_paginated_response_schema(self, schema):
        # Keyset pages (``?cursor=``) carry no count.
        paginated = super().get_paginated_response_schema(schema)
        paginated["required"] = [name for name in paginated.get("required", []) if name != "count"]
        paginated["properties"]["count"]["description"] = (
            f"总数（{COUNT_CAP:,} 以上为 {COUNT_CAP + 1:,}）；键集分页（cursor）时不返回。"
        )
        return paginated

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        parameters.append(
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "键集分页：首页传空值（?cursor=），之后沿 next 链接翻页；此时不返回 count。",
                "schema": {"type": "string"},
            }
        )
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": NUMBERED_ROWS}
                parameter["description"] = f"页码：只到前 {NUMBERED_ROWS:,} 条（页码 × 每页条数）；更深处请用 cursor。"
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
        return parameters


class PortalCursorPagination(CursorPagination):
    """Keyset pages for walking a whole list: ``?cursor=`` (empty for the first page), then follow ``next``.

    Each page costs the same however deep it is (no OFFSET, no count). The position is the list's own
    ordering (the view's ``?ordering=`` or the queryset's), ``id`` breaking ties."""

    page_size_query_param = "page_size"
    max_page_size = 200

    def get_ordering(self, request, queryset, view):
        for backend in getattr(view, "filter_backends", []) or []:
            if hasattr(backend, "get_ordering"):
                ordering = backend().get_ordering(request, queryset, view)
                if ordering:
                    return tuple(ordering)
        ordering = tuple(queryset.query.order_by or queryset.model._meta.ordering or ("-id",))
        return tuple(str(field) for field in ordering)

    def get_page_size(self, request) -> int:
        return PortalPagination._integer(self, request, self.page_size_query_param, 1, self.max_page_size) or (
            self.page_size
        )
