"""`?ordering=` restricted to index-backed fields, with a unique tie-breaker so pages never overlap.

DRF's OrderingFilter allows every serializer field when a view sets no `ordering_fields`, and orders by
exactly what was asked (`?ordering=due_date` alone leaves rows of one date in arbitrary order, so page 2 can
repeat rows of page 1). Views using this filter must list `ordering_fields` (indexed columns only); an
unlisted field is ignored and the view's default `ordering` applies, as in DRF. Only the first valid
field is used: a combination of two indexed columns is not itself index-backed.
"""

from django.core.exceptions import ImproperlyConfigured
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.filters import OrderingFilter

UNIQUE_KEYS = {"id", "pk", "uuid"}


class StableOrderingFilter(OrderingFilter):
    def get_valid_fields(self, queryset, view, context={}):  # noqa: B006 (DRF's signature)
        if getattr(view, "ordering_fields", None) in (None, "__all__"):
            raise ImproperlyConfigured(f"{type(view).__name__} must list its indexed `ordering_fields`.")
        return super().get_valid_fields(queryset, view, context)

    def get_ordering(self, request, queryset, view):
        params = request.query_params.get(self.ordering_param)
        if params:
            fields = [param.strip() for param in params.split(",")]
            ordering = self.remove_invalid_fields(queryset, fields, view, request)[:1]
            if ordering:
                term = ordering[0]
                if term.lstrip("-") in UNIQUE_KEYS:
                    return ordering
                return [term, "-id" if term.startswith("-") else "id"]
        return self.get_default_ordering(view)


FILTER_BACKENDS = [DjangoFilterBackend, StableOrderingFilter]
