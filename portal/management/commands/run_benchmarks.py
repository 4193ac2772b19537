"""`make bench`: three sections, each alone with ``--only deadlines|catalog|pages``.

- deadlines (below): the reminder sweep's cost must follow what is due, not the size of the table;
- catalog (``resources/bench.py``): search, duplicate check and bulk import at national scale;
- pages (``portal/bench_pages.py``): every main page and endpoint of each persona on the city-scale
  database (``seed_scale --factor``), server time, queries, throughput beside a bare view, export memory.

Builds its own database (``portal_bench``) on the same PostgreSQL server, migrates it, bulk-loads
deadlines with INSERT ... SELECT generate_series, and times ``deadlines_sweep`` twice:

  A. 1,000,000 open deadlines of which 10,000 are due now;
  B.    10,000 open deadlines, all 10,000 due now.

It prints wall time and query count of each and the ratio A/B (target <= 1.5), then drops the
database. Half of the due deadlines get their "1 working day before" reminder, half become overdue;
every one notifies one user.
"""

import time
from datetime import date, datetime

import psycopg
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

BENCH_DB = "portal_bench"
# The sweep runs on Sunday 2026-03-08 at 10:00. Reminder group: due Mon 03-09, its "1 working day
# before" stage fell on Fri 03-06 08:00. Overdue group: due Fri 03-06 (opened that noon, after its
# on-the-day stage), overdue since Sat 03-07 00:00. Each due deadline has exactly one stage to send.
SWEEP_AT = datetime(2026, 3, 8, 10, 0)
REMINDER_DUE, OVERDUE_DUE = date(2026, 3, 9), date(2026, 3, 6)
TARGET_RATIO = 1.5


def _connect(dbname: str) -> psycopg.Connection:
    """A plain autocommit psycopg connection to ``dbname`` on the portal's server (socket or TCP)."""
    params = {
        key: value
        for key, value in connection.get_connection_params().items()
        if key in {"host", "port", "user", "password", "sslmode"} and value
    }
    return psycopg.connect(dbname=dbname, autocommit=True, **params)


def point_default_at(name: str) -> None:
    """Send the ``default`` connection to another database of the same server (a benchmark's own)."""
    connections["default"].close()
    connections["default"].settings_dict["NAME"] = name
    settings.DATABASES["default"]["NAME"] = name


class Command(BaseCommand):
    help = "Benchmark the deadline sweep (1M open / 10k due vs 10k open / 10k due) in a throwaway database."

    def add_arguments(self, parser):
        parser.add_argument("--total", type=int, default=1_000_000)
        parser.add_argument("--due", type=int, default=10_000)
        parser.add_argument("--keep", action="store_true", help="do not drop the bench database")
        parser.add_argument(
            "--only", choices=["deadlines", "catalog", "pages"], help="run one section of the benchmarks"
        )
        parser.add_argument("--catalog-resources", type=int, default=1_000_000)
        parser.add_argument("--catalog-items", type=int, default=10_000_000)
        parser.add_argument("--factor", type=float, default=1.0, help="pages: seed_scale factor (1 = a whole city)")
        from portal.bench_pages import PAGES_REPEAT

        parser.add_argument(
            "--repeat", type=int, default=PAGES_REPEAT, help="pages: timed requests per page and persona"
        )
        parser.add_argument("--connections", type=int, default=8, help="pages: concurrent connections under load")
        parser.add_argument("--seconds", type=float, default=5.0, help="pages: load duration per page")
        parser.add_argument("--no-load", action="store_true", help="pages: skip the gunicorn throughput part")
        parser.add_argument(
            "--no-demo", action="store_true", help="pages: skip the comparison with the same pages at demo volumes"
        )
        parser.add_argument(
            "--catalog-reuse",
            action="store_true",
            help="measure a catalog kept by an earlier --keep run (no generation)",
        )

    def handle(self, *args, total: int, due: int, keep: bool, **options):
        import gc

        gc.freeze()  # as the WSGI entry point does (portal/wsgi.py): the in-process client measures a worker
        only = options["only"]
        if only in (None, "deadlines"):
            self._deadlines(total=total, due=due, keep=keep)
        if only in (None, "catalog"):
            from resources import bench

            bench.run(
                self.stdout,
                resources=options["catalog_resources"],
                items=options["catalog_items"],
                keep=keep,
                reuse=options["catalog_reuse"],
            )
        if only in (None, "pages"):
            from portal import bench_pages

            bench_pages.run(
                self.stdout,
                factor=options["factor"],
                repeat=options["repeat"],
                connections=options["connections"],
                seconds=options["seconds"],
                load=not options["no_load"],
                compare=not options["no_demo"],
            )

    def _deadlines(self, *, total: int, due: int, keep: bool) -> None:
        original_name = connection.settings_dict["NAME"]
        with _connect(original_name) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
            admin.execute(f'CREATE DATABASE "{BENCH_DB}"')
        settings.NOTIFICATION_EMAIL_DELIVERY = "off"  # the sweep is measured, not the SMTP server
        try:
            point_default_at(BENCH_DB)
            started = time.perf_counter()
            call_command("migrate", verbosity=0)
            self.stdout.write(f"migrated {BENCH_DB} in {time.perf_counter() - started:.1f} s")
            fixture = self._fixture()
            big = self._scenario("A", fixture, total=total, due=due)
            small = self._scenario("B", fixture, total=due, due=due)
        finally:
            point_default_at(original_name)
            if not keep:
                with _connect(original_name) as admin:
                    admin.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
        ratio_time = big["seconds"] / small["seconds"]
        ratio_queries = big["queries"] / small["queries"]
        self.stdout.write("")
        self.stdout.write("deadline sweep                     wall time   queries  due/s")
        for name, row in (("A", big), ("B", small)):
            self.stdout.write(
                f"{name}: {row['total']:>9,} open, {row['due']:>6,} due  {row['seconds']:>8.2f} s  {row['queries']:>7}"
                f"  {row['due'] / row['seconds']:>6.0f}"
            )
        verdict = "OK" if ratio_time <= TARGET_RATIO else "ABOVE TARGET"
        self.stdout.write(
            f"ratio A/B: time {ratio_time:.2f} (target <= {TARGET_RATIO}: {verdict}), queries {ratio_queries:.2f}"
        )

    def _fixture(self) -> dict:
        from django.contrib.contenttypes.models import ContentType

        from portal.models import Level, Organization, OrganizationKind, Role
        from portal.services import membership_create, organization_create, user_create
        from portal.services.deadlines import deadline_kind_get
        from portal.uscc import uscc_check_character

        first17 = "11110000" + "000000001"
        org = organization_create(
            actor=None,
            name="基准测试单位",
            kind=OrganizationKind.AGENCY,
            level=Level.CITY,
            uscc=first17 + uscc_check_character(first17),
            responsible_leader="分管领导",
            responsible_unit="信息中心",
        )
        user = user_create(
            username="bench",
            password="Bench-Password-2026",  # noqa: S106 (throwaway database)
            email="bench@example.invalid",
        )
        membership_create(user=user, organization=org, role=Role.AGENCY_CLERK)
        deadline_kind_get("demo")
        return {"org": org.pk, "content_type": ContentType.objects.get_for_model(Organization).pk}

    def _load(self, fixture: dict, *, total: int, due: int) -> None:
        tz = timezone.get_default_timezone()
        now = timezone.make_aware(SWEEP_AT, tz)
        friday = timezone.make_aware(datetime.combine(OVERDUE_DUE, datetime.min.time()), tz)
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE portal_deadlinereminder, portal_deadline, portal_notification, portal_timelineevent "
                "RESTART IDENTITY"
            )
            # Due rows: ids 1..due; the rest are open and not due for days (next stage later this year).
            cursor.execute(
                """
                INSERT INTO portal_deadline (
                    uuid, content_type_id, object_id, kind, title, legal_basis, organization_id,
                    due_date, due_at, original_due_date, state, opened_at, met_at, overdue_at, waived_at,
                    waive_reason, extension_count, reminders_from, next_action_at, updated_at, opened_by_id
                )
                SELECT
                    md5(i::text || clock_timestamp()::text)::uuid, %(ct)s, i, 'demo', '基准期限 ' || i, 'Art. 13',
                    %(org)s, d.due, NULL, d.due, 'open', d.opened, NULL, NULL, NULL,
                    '', 0, d.opened, d.next_at, d.opened, NULL
                FROM generate_series(1, %(total)s) AS i
                CROSS JOIN LATERAL (
                    SELECT
                        CASE WHEN i > %(due)s THEN %(reminder_due)s::date + 20 + (i %% 200)
                             WHEN i %% 2 = 0 THEN %(reminder_due)s::date
                             ELSE %(overdue_due)s::date END AS due,
                        CASE WHEN i > %(due)s THEN %(now)s + interval '2 days' + (i %% 5000) * interval '1 hour'
                             WHEN i %% 2 = 0 THEN %(friday)s + interval '8 hours'
                             ELSE %(friday)s + interval '1 day' END AS next_at,
                        CASE WHEN i > %(due)s OR i %% 2 = 0 THEN %(friday)s
                             ELSE %(friday)s + interval '12 hours' END AS opened
                ) AS d
                """,
                {
                    "ct": fixture["content_type"],
                    "org": fixture["org"],
                    "now": now,
                    "friday": friday,
                    "total": total,
                    "due": due,
                    "reminder_due": REMINDER_DUE,
                    "overdue_due": OVERDUE_DUE,
                },
            )
        with _connect(BENCH_DB) as raw:
            raw.execute("VACUUM ANALYZE portal_deadline")

    def _scenario(self, name: str, fixture: dict, *, total: int, due: int) -> dict:
        from portal.models import DeadlineReminder, Notification
        from portal.services.deadlines import deadlines_sweep

        started = time.perf_counter()
        self._load(fixture, total=total, due=due)
        self.stdout.write(
            f"{name}: loaded {total:,} open deadlines ({due:,} due) in {time.perf_counter() - started:.1f} s"
        )
        now = timezone.make_aware(SWEEP_AT, timezone.get_default_timezone())
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            result = deadlines_sweep(now=now)
            seconds = time.perf_counter() - started
        reminders = DeadlineReminder.objects.count()
        notifications = Notification.objects.count()
        if result.reminders != due or reminders != due or notifications != due:
            raise SystemExit(f"{name}: expected {due} reminders, got {result.reminders}/{reminders}/{notifications}")
        self.stdout.write(
            f"{name}: swept {result.deadlines:,} deadlines in {result.batches} batches: "
            f"{result.reminders:,} reminders, {result.overdue:,} overdue, {result.notifications:,} notifications"
        )
        return {"total": total, "due": due, "seconds": seconds, "queries": len(queries)}
