from django.core.paginator import InvalidPage
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination

from portal.paginators import CappedPaginator


class PortalPagination(PageNumberPagination):
    """`count`, `next`, `previous`, `results`; clients may ask for up to 200 rows a page.

    ``count`` is exact up to 10,000; past that it reads 10,001 ("more than 10,000"): count(*) over a
    city's rows on every page-1 request is not free (``portal.paginators.CappedPaginator``). A page past
    the first 10,000 rows is still served (counted exactly for that request).

    ``page`` and ``page_size`` are checked, not silently replaced (issue 8): a malformed or
    out-of-range value is a 400 with a field error; a page past the last one is a 404."""

    page_size_query_param = "page_size"
    max_page_size = 200
    max_page = 1_000_000
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

    def paginate_queryset(self, queryset, request, view=None):
        page_number = self._integer(request, self.page_query_param, 1, self.max_page) or 1
        self.request = request
        page_size = self.get_page_size(request)
        paginator = self.django_paginator_class(queryset, page_size)
        try:
            self.page = paginator.page(page_number)
        except InvalidPage as exc:
            raise NotFound(f"第 {page_number} 页不存在（共 {paginator.num_pages} 页）。") from exc
        self.display_page_controls = paginator.num_pages > 1 and self.template is not None
        return list(self.page)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page}
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
        return parameters
