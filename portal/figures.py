"""Dashboard figures over a whole city or district, kept for a minute.

An official's dashboard counts every system, filing and case of their area: at city scale (200,000
systems, 100,000 filings) each grouped count reads its whole set, 30-100 ms, on every visit, and no index
bounds a count of everything. These figures are an overview, not a work list, so they may be a minute old:
each official's are computed at most once a minute (Redis) and the panel says when they were taken. What
a user must act on (the to-do list, deadlines) is always read live, and agency users, whose sets are small
and indexed by agency, are not cached, except for figures over the city's shared rows when they say so
(``shared_if``: the catalog's facets once they count more than their sample, the city's newest published
resources, the same for every clerk).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.utils import timezone

from portal.access import scope_for

FIGURES_TTL_SECONDS = 60
T = TypeVar("T")


def area_figures(
    name: str, user, compute: Callable[[], T], *, shared_if: Callable[[T], bool] | None = None
) -> tuple[T, object]:
    """``(compute(), taken_at)``: for an official with a city or district scope at most a minute old
    (``taken_at`` is when they were counted); for anyone else too when ``shared_if(figures)`` holds;
    otherwise computed now (``taken_at`` None)."""
    scope = scope_for(user)
    official = scope.city_wide or bool(scope.districts)
    if not official and shared_if is None:
        return compute(), None
    today = timezone.localdate().isoformat()  # "overdue" counts change at midnight
    key = f"figures:{name}:{user.pk}:{today}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    figures = compute()
    if not official and not shared_if(figures):
        return figures, None
    entry = (figures, timezone.now())
    cache.set(key, entry, FIGURES_TTL_SECONDS)
    return entry
