"""The permission matrix, one row per object and action: who gets which status.

Columns, in this order (``tests/permission_world.py`` says who each persona is):

    official  district  reviewer  owner  other  liaison  contractor  enterprise  anonymous

A status is the HTTP status of the response; ``L`` is a redirect to the sign-in page. What the numbers mean,
everywhere in the portal:
- 404: the object is not visible to the caller (another agency's, another district's, a draft of someone else).
- 403: visible, but the caller's role may not take this action.
- 409: the caller may take the action, but not in the object's current state (refused before any write).
- 200/201/204, or 302 after a page form: the action succeeds (undone after the request).
- 400: the caller may act and the state allows it; the body the row sends is refused on its merits.
- 401 (API) / L (pages): not signed in.

A row's ``url`` is a format string over the object ``o`` and the world ``w``; ``body`` a dict or a callable
of the world (for uploads and references to other objects).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

LOGIN = "L"
COLUMNS = ("official", "district", "reviewer", "owner", "other", "liaison", "contractor", "enterprise", "anonymous")


@dataclass(frozen=True)
class Row:
    thing: str
    method: str
    path: str
    expect: str
    body: Any = None
    note: str = ""

    @property
    def api(self) -> bool:
        return self.path.startswith("/api/")

    @property
    def id(self) -> str:
        return f"{self.thing}:{self.method.upper()}:{self.path}"

    def url(self, obj, world) -> str:
        return self.path.format(o=obj, w=world)


def expected_statuses(row: Row) -> dict[str, str]:
    tokens = row.expect.split()
    assert len(tokens) == len(COLUMNS), f"{row.id}: {len(tokens)} statuses for {len(COLUMNS)} personas"
    return dict(zip(COLUMNS, tokens, strict=True))


def rows(thing: str, table: list[tuple]) -> list[Row]:
    return [Row(thing, *entry) for entry in table]


ROWS: list[Row] = [
    *rows(
        "filing",
        [
            ("get", "/projects/filings/{o.uuid}/", "200 404 200 200 404 404 200 404 L"),
            ("get", "/api/v1/projects/filings/{o.uuid}/", "200 404 200 200 404 404 200 404 401"),
        ],
    ),
]
