"""City-scale volumes on top of the demo data (``manage.py seed_scale``).

DESIGN.md sizes the portal for a whole city. ``seed_scale`` adds those volumes by cloning the demo
rows in SQL (``INSERT … SELECT … FROM generate_series``), never row by row through the ORM:

- every cloned row gets a recognisable, deterministic ``uuid``: ``5ca1e<tag>-0000-4000-8000-<g>``
  where ``tag`` names the volume (3 hex digits) and ``g`` is the copy's number (1, 2, 3 …);
- before inserting, a volume counts its rows in that uuid range (an index range scan) and inserts
  only copies ``existing + 1 … target``: running twice adds nothing, a larger ``--factor`` adds the
  difference;
- each source row is a demo row (never a scaled one), taken round-robin, with the columns a volume
  names overridden by SQL expressions of ``s`` (the source row) and ``g``.

The core volumes (organizations, users with memberships, deadlines, timeline events,
notifications) live here; each chapter adds its own in ``<app>/scale.py`` with ``@register``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec

from django.db import connection

# Apps whose ``scale`` module registers volumes (imported by ``load_volumes``).
SCALE_APPS = ["portal", "projects", "security", "resources", "enforcement"]
UUID_PREFIX = "5ca1e"

# Tags (the uuid range) of the core volumes; chapters use 0x100 and above.
TAG_ORGANIZATION = 0x001
TAG_USER = 0x002
TAG_DEADLINE = 0x003
TAG_TIMELINE = 0x004
TAG_NOTIFICATION = 0x005

# Full-scale volumes (factor 1).
ORGANIZATIONS = 2_000
USERS = 20_000
DEADLINES = 1_000_000
DEADLINES_PER_FILING = 10
TIMELINE_PER_FILING = 3
NOTIFICATIONS_PER_USER = 10
FILING_AGENCIES = 500

DISTRICTS = [
    "110101",
    "110102",
    "110105",
    "110106",
    "110107",
    "110108",
    "110109",
    "110111",
    "110112",
    "110113",
    "110114",
    "110115",
    "110116",
    "110117",
    "110118",
    "110119",
]


def scaled_uuid_sql(tag: int, g: str = "g") -> str:
    """SQL for the uuid of copy ``g`` (an SQL expression) of volume ``tag``."""
    return f"('{UUID_PREFIX}{tag:03x}-0000-4000-8000-' || lpad(to_hex({g}), 12, '0'))::uuid"


def scaled_range(tag: int) -> tuple[str, str]:
    return (
        f"{UUID_PREFIX}{tag:03x}-0000-4000-8000-000000000000",
        f"{UUID_PREFIX}{tag:03x}-0000-4000-8000-ffffffffffff",
    )


def not_scaled_sql(alias: str = "t") -> str:
    """Demo (source) rows: any row whose uuid is not in a scaled range."""
    return f"{alias}.uuid::text NOT LIKE '{UUID_PREFIX}%%'"


def scaled_count(table: str, tag: int) -> int:
    low, high = scaled_range(tag)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table} WHERE uuid BETWEEN %s AND %s", [low, high])  # noqa: S608
        return cursor.fetchone()[0]


def _columns(table: str) -> list[str]:
    with connection.cursor() as cursor:
        return [c.name for c in connection.introspection.get_table_description(cursor, table)]


def clone_rows(
    table: str,
    *,
    tag: int,
    target: int,
    source: str = "TRUE",
    overrides: dict[str, str] | None = None,
    joins: str = "",
    params: dict | None = None,
) -> int:
    """Bring the copies of volume ``tag`` in ``table`` up to ``target``; return how many were inserted.

    ``source`` filters the demo rows to clone (alias ``t``); the copy ``g`` takes source row number
    ``(g - 1) % n``. ``overrides`` maps a column to an SQL expression of ``s`` (the source row), ``g`` and
    the aliases of ``joins`` (extra ``JOIN … ON …`` clauses, which may use ``g``); every other column is
    copied, ``id`` is left to its sequence unless overridden (when another column derives from it) and
    ``uuid`` is the scaled uuid. Percent signs in SQL are written ``%%`` (the statement always has
    parameters).
    """
    existing = scaled_count(table, tag)
    if existing >= target:
        return 0
    overrides = overrides or {}
    columns = [c for c in _columns(table) if c != "id" or "id" in overrides]
    expressions = []
    for column in columns:
        if column in overrides:
            expressions.append(overrides[column])
        elif column == "uuid":
            expressions.append(scaled_uuid_sql(tag))
        else:
            expressions.append(f's."{column}"')
    unknown = set(overrides) - set(columns)
    if unknown:
        raise ValueError(f"{table}: no such columns {sorted(unknown)}")
    sql = f"""
        WITH src AS (
            SELECT t.*, (row_number() OVER (ORDER BY t.id) - 1) AS _rn
            FROM {table} t WHERE ({source}) AND {not_scaled_sql("t")}
        ), srcn AS (SELECT count(*) AS n FROM src)
        INSERT INTO {table} ({", ".join(f'"{c}"' for c in columns)})
        SELECT {", ".join(expressions)}
        FROM generate_series(%(_from)s::bigint, %(_to)s::bigint) AS g
        CROSS JOIN srcn
        JOIN src s ON s._rn = (g - 1) %% srcn.n
        {joins}
    """  # noqa: S608 (table, columns and expressions come from code, values are parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, {**(params or {}), "_from": existing + 1, "_to": target})
        return cursor.rowcount


@dataclass
class ScalePlan:
    """How big to make the city (``factor`` 1 = DESIGN.md's volumes) and what the volumes share."""

    factor: float = 1.0
    say: Callable[[str], None] = print
    inserted: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    def n(self, full: int) -> int:
        return max(1, round(full * self.factor))

    def ids(self, sql: str, params: list | dict | None = None) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params or [])
            return [row[0] for row in cursor.fetchall()]

    def scalar(self, sql: str, params: list | dict | None = None):
        with connection.cursor() as cursor:
            cursor.execute(sql, params or [])
            return cursor.fetchone()[0]

    def execute(self, sql: str, params: list | dict | None = None) -> int:
        with connection.cursor() as cursor:
            cursor.execute(sql, params or [])
            return cursor.rowcount

    def content_type(self, app_label: str, model: str) -> int:
        from django.contrib.contenttypes.models import ContentType

        return ContentType.objects.get_by_natural_key(app_label, model).pk

    # Shared pools (computed on demand, cached for the run).

    def organizations(self, *kinds: str) -> list[int]:
        """Demo and scaled organizations of these kinds, demo first."""
        return self.ids(
            f"SELECT id FROM portal_organization WHERE kind = ANY(%s) "  # noqa: S608 (a constant prefix)
            f"ORDER BY (uuid::text LIKE '{UUID_PREFIX}%%'), id",
            [list(kinds)],
        )

    def filing_agencies(self) -> list[int]:
        return self.organizations("agency")[: self.n(FILING_AGENCIES)]

    def scaled_ids(self, table: str, tag: int) -> list[int]:
        low, high = scaled_range(tag)
        return self.ids(f"SELECT id FROM {table} WHERE uuid BETWEEN %s AND %s ORDER BY uuid", [low, high])  # noqa: S608

    def record(self, name: str, count: int, started: float) -> None:
        self.inserted[name] = self.inserted.get(name, 0) + count
        self.timings[name] = time.perf_counter() - started
        self.say(f"  {name:<36} +{count:>9,}  ({self.timings[name]:.1f} s)")


# --- registry -----------------------------------------------------------------------------------

Volume = Callable[[ScalePlan], int]


@dataclass(order=True)
class _Entry:
    order: int
    name: str
    fn: Volume = field(compare=False)


_REGISTRY: dict[str, _Entry] = {}


def register(name: str, *, order: int) -> Callable[[Volume], Volume]:
    """Register a volume: ``fn(plan)`` inserts what is missing and returns how many rows it added.

    Volumes run by ``order``: core organizations and users (10-19), chapters (20-79), core rows that
    refer to the chapters' rows (deadlines, timeline, notifications: 80-99).
    """

    def decorator(fn: Volume) -> Volume:
        _REGISTRY[name] = _Entry(order, name, fn)
        return fn

    return decorator


def load_volumes() -> list[_Entry]:
    for app in SCALE_APPS:
        if find_spec(f"{app}.scale") is not None:
            import_module(f"{app}.scale")
    return sorted(_REGISTRY.values())


def seed_scale(plan: ScalePlan) -> dict[str, int]:
    """Run every registered volume in order; then refresh the planner's statistics."""
    for entry in load_volumes():
        started = time.perf_counter()
        plan.record(entry.name, entry.fn(plan), started)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    plan.say(f"  {'ANALYZE':<36} {'':>10}  ({time.perf_counter() - started:.1f} s)")
    return plan.inserted


# --- core volumes -------------------------------------------------------------------------------


@register("organizations", order=10)
def organizations(plan: ScalePlan) -> int:
    """2,000 organizations: agencies mostly, some public enterprises and contractors; a third at city
    level, the rest spread over all 16 districts."""
    return clone_rows(
        "portal_organization",
        tag=TAG_ORGANIZATION,
        target=plan.n(ORGANIZATIONS),
        source="t.kind IN ('agency', 'public_enterprise', 'contractor')",
        overrides={
            "name": "s.name || '（' || g || '）'",
            "kind": "CASE WHEN g %% 10 < 8 THEN 'agency' WHEN g %% 10 = 8 THEN 'public_enterprise' "
            "ELSE 'contractor' END",
            "sector": "CASE WHEN g %% 10 = 8 THEN 'water' ELSE '' END",
            "level": "CASE WHEN g %% 3 = 0 THEN 'city' ELSE 'district' END",
            "district": "CASE WHEN g %% 3 = 0 THEN '' ELSE (%(districts)s::text[])[1 + g %% 16] END",
            "parent_id": "NULL",
            "uscc": "'S' || lpad(g::text, 17, '0')",
            "created_at": "now()",
            "updated_at": "now()",
        },
        params={"districts": DISTRICTS},
    )


@register("users and memberships", order=11)
def users(plan: ScalePlan) -> int:
    """20,000 users (the demo password), each a clerk of one scaled organization."""
    added = clone_rows(
        "portal_user",
        tag=TAG_USER,
        target=plan.n(USERS),
        source="t.username = 'agency_clerk'",
        overrides={
            "username": "'scale_user_' || g",
            "email": "'scale_user_' || g || '@example.invalid'",
            "full_name": "'经办人' || g",
            "is_superuser": "false",
            "is_staff": "false",
            "last_login": "NULL",
            "date_joined": "now()",
        },
    )
    organizations = plan.scaled_ids("portal_organization", TAG_ORGANIZATION)
    low, high = scaled_range(TAG_USER)
    added += plan.execute(
        """
        INSERT INTO portal_membership (user_id, organization_id, role, created_at)
        SELECT u.id, (%(orgs)s::bigint[])[1 + (substr(u.username, 12)::int - 1) %% %(n)s],
               CASE o.kind WHEN 'agency' THEN 'agency_clerk' WHEN 'public_enterprise' THEN 'public_enterprise_clerk'
                           ELSE 'contractor_clerk' END,
               now()
        FROM portal_user u
        JOIN portal_organization o ON o.id = (%(orgs)s::bigint[])[1 + (substr(u.username, 12)::int - 1) %% %(n)s]
        WHERE u.uuid BETWEEN %(low)s AND %(high)s
          AND NOT EXISTS (SELECT 1 FROM portal_membership m WHERE m.user_id = u.id)
        """,
        {"orgs": organizations, "n": len(organizations), "low": low, "high": high},
    )
    return added


@register("deadlines", order=80)
def deadlines(plan: ScalePlan) -> int:
    """1,000,000 deadlines on the scaled filings, ten per filing (of ten kinds): 97 % open (due over the next
    400 days, some this week), 3 % overdue; the responsible organization is the filing's agency."""
    from projects.scale import TAG_FILING

    filings = plan.scaled_ids("projects_projectfiling", TAG_FILING)
    if not filings:
        return 0
    kinds = plan.ids("SELECT code FROM portal_deadlinekind ORDER BY code")
    # Copy g: kind (g - 1) %% per of filing (g - 1) / per. The mapping does not depend on the factor, so a
    # larger --factor extends it without colliding with the deadlines already there.
    per = min(DEADLINES_PER_FILING, len(kinds))
    target = min(plan.n(DEADLINES), len(filings) * per)
    return clone_rows(
        "portal_deadline",
        tag=TAG_DEADLINE,
        target=target,
        joins="JOIN projects_projectfiling f ON f.id = (%(filings)s::bigint[])[1 + (g - 1) / %(per)s] "
        "JOIN portal_organization a ON a.id = f.agency_id",
        overrides={
            "content_type_id": "%(ct)s",
            "object_id": "f.id",
            "kind": "(%(kinds)s::text[])[1 + (g - 1) %% %(per)s]",
            "organization_id": "f.agency_id",
            "district": "a.district",
            "due_date": "current_date + (g %% 400)::int - CASE WHEN g %% 100 < 3 THEN 420 ELSE 5 END",
            "due_at": "NULL",
            "original_due_date": "current_date + (g %% 400)::int - CASE WHEN g %% 100 < 3 THEN 420 ELSE 5 END",
            "state": "CASE WHEN g %% 100 < 3 THEN 'overdue' ELSE 'open' END",
            "opened_at": "now() - interval '30 days'",
            "opened_by_id": "NULL",
            "met_at": "NULL",
            "overdue_at": "CASE WHEN g %% 100 < 3 THEN now() - interval '1 day' END",
            "waived_at": "NULL",
            "expired_at": "NULL",
            "waive_reason": "''",
            "extension_count": "0",
            "reminders_from": "now() - interval '30 days'",
            "next_action_at": "CASE WHEN g %% 100 < 3 THEN NULL "
            "ELSE (current_date + (g %% 400)::int - 12)::timestamptz END",
            "updated_at": "now()",
        },
        params={
            "filings": filings,
            "kinds": [str(k) for k in kinds],
            "per": per,
            "ct": plan.content_type("projects", "projectfiling"),
        },
    )


@register("timeline events", order=81)
def timeline(plan: ScalePlan) -> int:
    """Three events per scaled filing, cloned from the demo filings' events."""
    from projects.scale import TAG_FILING

    filings = plan.scaled_ids("projects_projectfiling", TAG_FILING)
    if not filings:
        return 0
    ct = plan.content_type("projects", "projectfiling")
    return clone_rows(
        "portal_timelineevent",
        tag=TAG_TIMELINE,
        target=len(filings) * TIMELINE_PER_FILING,
        source="t.content_type_id = %(ct)s",
        overrides={
            "object_id": "(%(filings)s::bigint[])[1 + (g - 1) %% %(nf)s]",
            "created_at": "now() - (g %% 700) * interval '1 day' + ((g - 1) / %(nf)s) * interval '1 hour'",
        },
        params={"filings": filings, "nf": len(filings), "ct": ct},
    )


@register("notifications", order=82)
def notifications(plan: ScalePlan) -> int:
    """Ten per scaled user; one in ten goes to a demo persona instead (a busy inbox). Most are read."""
    users = plan.scaled_ids("portal_user", TAG_USER)
    demo = plan.ids(f"SELECT id FROM portal_user WHERE uuid::text NOT LIKE '{UUID_PREFIX}%%' ORDER BY id")  # noqa: S608
    return clone_rows(
        "portal_notification",
        tag=TAG_NOTIFICATION,
        target=len(users) * NOTIFICATIONS_PER_USER,
        overrides={
            "recipient_id": "CASE WHEN g %% 10 = 0 THEN (%(demo)s::bigint[])[1 + (g / 10) %% %(nd)s] "
            "ELSE (%(users)s::bigint[])[1 + (g - 1) %% %(nu)s] END",
            "created_at": "now() - (g %% 2000) * interval '1 hour'",
            "read_at": "CASE WHEN g %% 7 = 0 THEN NULL ELSE now() END",
            "email_state": "'sent'",
            "emailed_at": "now()",
        },
        params={"users": users, "nu": len(users), "demo": demo, "nd": len(demo)},
    )
