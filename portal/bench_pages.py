"""`manage.py run_benchmarks --only pages`: every main page and endpoint on the city-scale database.

Runs on the portal's own database after ``seed_scale`` (idempotent, run here with ``--factor``), with
the settings of the process: ``make bench`` sets ``DJANGO_DEBUG=false`` (production behaviour) and
``DJANGO_SECURE_SSL_REDIRECT=false``. Three parts:

1. **Server time and queries**, in process through the test client (the whole middleware stack):
   every page, list endpoint, dashboard, search and export of each persona (agency clerk, city
   official, district official, the public), ``--repeat`` timed requests each (60 by default; median,
   p95) and one more under ``CaptureQueriesContext`` for the query count and SQL time.
2. **Throughput**: gunicorn with 2 workers (as ``make run``), a bare Django view returning a fixed page
   before and after the main pages, loaded for a few seconds each by ``wrk`` with ``--connections``
   keep-alive connections (``make bench`` installs it), as issue 15 measured; the ratio to the mean of the
   bare view's two readings is printed.
   Without ``wrk`` the load comes from Python threads, whose own CPU bounds the bare view on a 2-core
   machine where the client shares the cores with the server (1,253 against wrk's 1,652 requests/s in one
   paired run): every ratio is then about a third too high, and the table says so.
3. **Export memory**: a child process streams the CSV export of the city official (every filing, up to
   100,000 rows) and reports its peak RSS (VmHWM).

Targets (issue 15): p95 <= 100 ms for lists, dashboards and search; throughput >= 5 % of the bare view;
exports of 100,000 rows under 150 MB.
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

P95_TARGET_MS = 100
# Timed requests per page and persona (``--repeat``). 60, not 20: the p95 of 20 requests is their second
# slowest, and the medians of 20 requests of 10-20 ms moved by 10-30 points from one run to the next on this
# machine with no statement changed (the demo comparison, issue 15). 60 add about two minutes to a run.
PAGES_REPEAT = 60
# "At most 10 % slower than at demo volumes": each page's median at city scale against the same page on a
# database of its own with the demo data and a hundredth of a city (``DEMO_FACTOR``), measured in the same
# run. A hundredth, not the demo data alone: every persona's first page is then full at both sizes (the
# demo data give a district official 3 filings), so the two differ in the tables' size, not in rows shown.
DEMO_TARGET = 0.10
DEMO_DB = "portal_bench_demo"
DEMO_FACTOR = 0.01
# Pages deeper than the demo database has rows.
DEEPER_THAN_DEMO = {"filing queue, page 200", "API filings, page 200", "API filings, cursor at row 75,000"}
THROUGHPUT_TARGET = 0.05
EXPORT_TARGET_MB = 150
HOST = "localhost"

PERSONAS = {
    "agency clerk": "agency_clerk",
    "city official": "city_official",
    "district official": "haidian_official",
    "public": None,
}

# (kind, label, path, personas). Kinds: page, list (HTML list), api, search, dashboard, export.
STAFF = ("agency clerk", "city official", "district official")
OFFICIALS = ("city official", "district official")
ENDPOINTS: list[tuple[str, str, str, tuple[str, ...]]] = [
    ("page", "home", "/", ("public", *STAFF)),
    ("page", "public penalties", "/public/penalties/", ("public",)),
    ("page", "open catalog", "/resources/open/", ("public",)),
    ("dashboard", "dashboard", "/dashboard/", STAFF),
    ("dashboard", "enforcement dashboard", "/enforcement/", ("city official",)),
    ("list", "filing queue", "/projects/filings/", STAFF),
    ("list", "filing queue, page 200", "/projects/filings/?page=200", ("city official",)),
    ("search", "filing queue ?q=平台", "/projects/filings/?q=%E5%B9%B3%E5%8F%B0", STAFF),
    ("list", "deadlines", "/deadlines/", STAFF),
    ("list", "notifications", "/notifications/", STAFF),
    ("list", "organizations", "/organizations/", STAFF),
    ("list", "systems", "/security/systems/", STAFF),
    ("list", "gradings", "/security/gradings/", STAFF),
    ("list", "catalog", "/resources/catalog/", STAFF),
    ("list", "cases", "/enforcement/cases/", ("city official",)),
    ("list", "disclosure applications", "/disclosure/applications/", STAFF),
    ("api", "API filings", "/api/v1/projects/filings/", STAFF),
    # The deepest numbered page (rows 9,951-10,000); past it the API answers 400 and points to the cursor.
    ("api", "API filings, page 200", "/api/v1/projects/filings/?page=200", ("city official",)),
    ("api", "API filings, cursor (first page)", "/api/v1/projects/filings/?cursor=", ("city official",)),
    ("api", "API deadlines", "/api/v1/deadlines/", STAFF),
    ("api", "API notifications", "/api/v1/notifications/", STAFF),
    ("api", "API organizations", "/api/v1/organizations/", STAFF),
    ("api", "API systems", "/api/v1/security/systems/", STAFF),
    ("api", "API gradings", "/api/v1/security/gradings/", STAFF),
    ("api", "API catalog", "/api/v1/resources/catalog/", STAFF),
    ("api", "API cases", "/api/v1/enforcement/cases/", ("city official",)),
    ("export", "filings CSV export", "/projects/filings/?export=csv", ("agency clerk", "district official")),
]
# The pages loaded side by side with the bare view (persona, path).
THROUGHPUT = [
    ("public", "/"),
    ("city official", "/dashboard/"),
    ("agency clerk", "/dashboard/"),
    ("city official", "/projects/filings/"),
    ("city official", "/deadlines/"),
    ("city official", "/api/v1/projects/filings/"),
    ("agency clerk", "/api/v1/projects/filings/"),
]


class _Phases:
    """Where one request's server time goes: SQL (every statement, wherever it runs), templates and DRF
    serializers (their own Python, without the SQL they ran), and the rest (middleware, session, scope, the
    view, building the queries). Installed for a measurement only (``with _Phases() as phases``)."""

    REST = "other Python"
    NAMES = ("SQL", "templates", "serializers", REST)

    def __init__(self):
        self.ms: dict[str, float] = dict.fromkeys(self.NAMES, 0.0)
        self.current = self.REST
        self.patched: list[tuple[object, str, object]] = []

    def _execute(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = (time.perf_counter() - started) * 1000
            self.ms["SQL"] += elapsed
            if self.current != self.REST:
                self.ms[self.current] -= elapsed  # counted as SQL, not as the phase's Python

    def _timed(self, owner, name: str, phase: str) -> None:
        original = getattr(owner, name)

        def timed(*args, **kwargs):
            if self.current != self.REST:  # nested (an include, a nested serializer): timed by the outer one
                return original(*args, **kwargs)
            self.current, started = phase, time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.ms[phase] += (time.perf_counter() - started) * 1000
                self.current = self.REST

        setattr(owner, name, timed)
        self.patched.append((owner, name, original))

    def __enter__(self):
        from django.template.backends.django import Template
        from rest_framework.serializers import ListSerializer

        self._timed(Template, "render", "templates")
        self._timed(ListSerializer, "to_representation", "serializers")
        self.wrapper = connection.execute_wrapper(self._execute)
        self.wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        self.wrapper.__exit__(*exc)
        for owner, name, original in reversed(self.patched):
            setattr(owner, name, original)

    def split(self, total_ms: float) -> dict[str, float]:
        """The phases of ``total_ms``; what no phase timed is the rest."""
        timed = self.ms["SQL"] + self.ms["templates"] + self.ms["serializers"]
        return {**self.ms, self.REST: max(0.0, total_ms - timed)}


def _get(client: Client, path: str):
    """``client.get(path)``, a streamed response read to its end (as a browser would)."""
    response = client.get(path)
    if response.streaming:
        for _chunk in response.streaming_content:
            pass
    return response


class _PageRows:
    """The rows a list page shows: ``len(page)`` of the ``page`` its template is given (None elsewhere)."""

    def __init__(self):
        self.shown: int | None = None

    def __enter__(self):
        from django.template.backends.django import Template

        self.original = original = Template.render

        def render(template, context=None, request=None):
            page = (context or {}).get("page")
            if self.shown is None and page is not None and hasattr(page, "object_list"):
                self.shown = len(page.object_list)
            return original(template, context, request)

        Template.render = render
        return self

    def __exit__(self, *exc):
        from django.template.backends.django import Template

        Template.render = self.original


def _rows_shown(response, page_rows: _PageRows) -> int | None:
    """The rows a response shows: an API list's ``results``, else the page its template was given."""
    if response.get("Content-Type", "").startswith("application/json"):
        return len(response.json().get("results", []))
    return page_rows.shown


_WRK_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def wrk_milliseconds(text: str) -> float:
    """A latency as wrk prints it (``812.00us``, ``1.23ms``, ``2.01s``, ``1.05m``) in milliseconds."""
    number = text.rstrip("usm")
    return float(number) * _WRK_UNITS[text[len(number) :]]


def _pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


@dataclass
class Row:
    kind: str
    label: str
    persona: str
    path: str
    status: int = 0
    median: float = 0.0
    p95: float = 0.0
    queries: int = 0
    sql_ms: float = 0.0
    rows: str = ""
    shown: int | None = None  # rows on the page (a list page's page, an API list's results)
    slowest_sql: list[tuple[float, str]] = field(default_factory=list)

    @property
    def target(self) -> bool | None:
        if self.kind in ("list", "api", "search", "dashboard"):
            return self.p95 <= P95_TARGET_MS
        return None


class PagesBench:
    def __init__(
        self, out, *, factor: float, repeat: int, connections: int, seconds: float, load: bool, compare: bool = True
    ):
        self.out = out
        self.factor = factor
        self.repeat = repeat
        self.connections = connections
        self.seconds = seconds
        self.load = load
        self.clients: dict[str, Client] = {}
        self.clients_by_db: dict[str, dict[str, Client]] = {}
        self.wrappers: dict = {}
        self.content_types: dict = {}
        self.cache_prefix = ""
        self.compare = compare

    def say(self, text: str = "") -> None:
        self.out.write(text)

    # --- setup -----------------------------------------------------------------------------------

    def prepare(self, factor: float | None = None) -> None:
        from portal.models import User

        factor = self.factor if factor is None else factor

        started = time.perf_counter()
        call_command("migrate", verbosity=0)  # a fresh clone's database is empty until the first migrate
        if User.objects.filter(username__in=[u for u in PERSONAS.values() if u]).count() != len(PERSONAS) - 1:
            # Only on an empty database: on a scaled one, the demo's detector runs would sweep the whole city.
            call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        self.say(f"demo data ready ({time.perf_counter() - started:.0f} s); seed_scale --factor {factor:g}:")
        call_command("seed_scale", factor=factor, stdout=self.out)
        self._settle()
        if not settings.DEBUG:  # production static storage needs its manifest, as make run builds it
            call_command("collectstatic", interactive=False, verbosity=0)
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}
        from rest_framework.settings import api_settings

        api_settings.reload()
        for persona, username in PERSONAS.items():
            client = Client(HTTP_HOST=HOST)
            if username:
                user = User.objects.get(username=username)
                client.force_login(user)
                from portal.guard.twofactor import SESSION_VERIFIED_KEY

                session = client.session
                session[SESSION_VERIFIED_KEY] = True
                session.save()
            self.clients[persona] = client
        self._deep_cursor()

    def _settle(self) -> None:
        """Leave the database as a working one is between a bulk load and office hours, before anything is
        timed: ``VACUUM (ANALYZE)`` (hint bits and the visibility map set, so index-only counts stay in the
        index and the first reads write nothing) and a ``CHECKPOINT`` (the load's dirty pages on disk). Timed
        straight after a fresh city's 3,250,000 rows, the server was still writing them out: the dashboards'
        medians were 86-106 ms and their p95 131-142 ms, against 55-64 and 58-72 ms for the same pages in the
        next run. On a seeded database both find little to do."""
        from portal.management.commands.run_benchmarks import _connect

        started = time.perf_counter()
        with _connect(connection.settings_dict["NAME"]) as admin:
            admin.execute("VACUUM (ANALYZE)")
            admin.execute("CHECKPOINT")
        self.say(f"  {'VACUUM (ANALYZE), CHECKPOINT':<36} {'':>10}  ({time.perf_counter() - started:.1f} s)")

    def _deep_cursor(self) -> None:
        """The cursor of the 75,000th filing of the city official's API list (as ``next`` links carry it)."""
        from base64 import b64encode
        from urllib.parse import urlencode

        from portal.models import User
        from projects.selectors import filings_visible_to

        official = User.objects.get(username="city_official")
        row = filings_visible_to(official).order_by("-created_at", "-id").values_list("created_at", flat=True)
        found = list(row[75_000:75_001])
        if not found:
            return
        position = found[0]
        cursor = b64encode(urlencode({"p": str(position)}).encode("ascii")).decode("ascii")
        ENDPOINTS.append(
            (
                "api",
                "API filings, cursor at row 75,000",
                f"/api/v1/projects/filings/?cursor={cursor}",
                ("city official",),
            )
        )

    # --- 1. server time and queries ----------------------------------------------------------------

    def measure(self, kind: str, label: str, path: str, persona: str) -> Row:
        client = self.clients[persona]
        row = Row(kind, label, persona, path)
        response = client.get(path)  # warm caches and the connection
        row.status = response.status_code
        if response.status_code != 200:
            return row
        timings = []
        for _ in range(self.repeat):
            started = time.perf_counter()
            _get(client, path)
            timings.append((time.perf_counter() - started) * 1000)
        row.median, row.p95 = statistics.median(timings), _pct(timings, 95)
        with CaptureQueriesContext(connection) as captured, _PageRows() as page_rows:
            response = _get(client, path)
        row.shown = _rows_shown(response, page_rows)
        row.queries = len(captured)
        times = [(float(q["time"]) * 1000, q["sql"]) for q in captured.captured_queries]
        row.sql_ms = sum(t for t, _ in times)
        row.slowest_sql = sorted(times, reverse=True)[:2]
        if path.startswith("/api/") and response.get("Content-Type", "").startswith("application/json"):
            body = response.json()
            row.rows = str(body.get("count", len(body.get("results", []))))
        return row

    def server_times(self) -> list[Row]:
        rows = []
        for kind, label, path, personas in ENDPOINTS:
            for persona in personas:
                rows.append(self.measure(kind, label, path, persona))
        return rows

    def _use(self, name: str) -> None:
        """Serve the in-process requests from database ``name``: its own open connection (kept, so turns cost
        no reconnect), its own content types and cached figures, its own signed-in clients."""
        from django.contrib.contenttypes.models import ContentType
        from django.core.cache import caches
        from django.db import connections
        from django.db.utils import load_backend

        current = connections["default"]
        self.wrappers.setdefault(current.settings_dict["NAME"], current)
        wrapper = self.wrappers.get(name)
        if wrapper is None:
            settings_dict = {**current.settings_dict, "NAME": name}
            wrapper = self.wrappers[name] = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict)
        connections["default"] = wrapper
        # The two databases number their content types differently: each keeps its own cache of them
        # (``ContentTypeManager._cache`` is keyed by database alias, and both are "default").
        type_caches = ContentType.objects._cache
        self.content_types[current.settings_dict["NAME"]] = type_caches.get("default", {})
        type_caches["default"] = self.content_types.get(name, {})
        # Dashboard figures are cached by user id, which both databases use.
        caches["default"].key_prefix = f"{self.cache_prefix}-{name}"
        self.clients = self.clients_by_db.setdefault(name, {})

    def _in_turns(self, row: Row, scale: str) -> tuple[Row, Row]:
        """``row`` measured on both databases, one request on each in turn."""
        measured = {}
        for name in (scale, DEMO_DB):
            self._use(name)
            measured[name] = Row(row.kind, row.label, row.persona, row.path)
            measured[name].status = _get(self.clients[row.persona], row.path).status_code  # warm
        timings = {scale: [], DEMO_DB: []}
        for _ in range(self.repeat):
            for name in (scale, DEMO_DB):
                self._use(name)
                started = time.perf_counter()
                _get(self.clients[row.persona], row.path)
                timings[name].append((time.perf_counter() - started) * 1000)
        for name in (scale, DEMO_DB):
            self._use(name)
            with _PageRows() as page_rows:
                response = _get(self.clients[row.persona], row.path)
            measured[name].shown = _rows_shown(response, page_rows)
            measured[name].median, measured[name].p95 = statistics.median(timings[name]), _pct(timings[name], 95)
        return measured[scale], measured[DEMO_DB]

    def at_demo_volumes(self, rows: list[Row]) -> list[tuple[Row, Row]]:
        """Each list, dashboard and search measured again at city scale and on ``DEMO_DB`` (created, migrated
        and seeded on first use, then reused), one request on each in turn: the machine's speed drifts by more
        than 10 % over a run, and requests a few milliseconds apart see the same machine."""
        from django.core.cache import caches
        from django.db import connections

        from portal.management.commands.run_benchmarks import _connect

        scale = connection.settings_dict["NAME"]
        with _connect(scale) as admin:
            if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DEMO_DB]).fetchone():
                admin.execute(f'CREATE DATABASE "{DEMO_DB}"')
        self.clients_by_db = {scale: self.clients}
        self.wrappers, self.content_types = {}, {}
        self.cache_prefix = caches["default"].key_prefix
        settings.NOTIFICATION_EMAIL_DELIVERY = "off"  # the demo's applications would mail the console
        pairs = []
        try:
            self._use(DEMO_DB)
            self.prepare(DEMO_FACTOR)
            for row in rows:
                if row.target is not None and row.status == 200 and row.label not in DEEPER_THAN_DEMO:
                    pairs.append(self._in_turns(row, scale))
        finally:
            self._use(scale)
            caches["default"].key_prefix = self.cache_prefix
            demo = self.wrappers.get(DEMO_DB)
            if demo is not None and demo is not connections["default"]:
                demo.close()
        return pairs

    def report_demo(self, pairs: list[tuple[Row, Row]]) -> list[tuple[Row, Row, float]]:
        header = f"{'page or endpoint':<40} {'persona':<18} {'scale':>8} {'demo':>8} {'shown':>9} {'change':>7}  target"
        self.say(header)
        self.say("-" * len(header))
        compared = []
        for at_scale, at_demo in pairs:
            if at_demo.status != 200:
                self.say(f"{at_scale.label:<40} {at_scale.persona:<18} status {at_demo.status} at demo volumes")
                continue
            change = at_scale.median / at_demo.median - 1
            shown = "/".join("-" if r.shown is None else str(r.shown) for r in (at_scale, at_demo))
            if at_scale.shown is not None and at_demo.shown is not None and at_demo.shown < at_scale.shown:
                verdict = "fewer rows at demo volumes"  # the cost follows the rows shown: not the same page
            else:
                verdict = "ok" if change <= DEMO_TARGET else "MISSED"
                compared.append((at_scale, at_demo, change))
            self.say(
                f"{at_scale.label:<40} {at_scale.persona:<18} {at_scale.median:>6.1f}ms {at_demo.median:>6.1f}ms "
                f"{shown:>9} {change:>+7.0%}  {verdict}"
            )
        return compared

    # --- 2. throughput ---------------------------------------------------------------------------

    def _free_port(self) -> int:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]

    def _load(self, port: int, path: str, cookie: str | None) -> tuple[float, int, float]:
        """Requests/s, errors and median latency (ms) of ``connections`` keep-alive threads for ``seconds``."""
        headers = {"Host": HOST}
        if cookie:
            headers["Cookie"] = cookie
        deadline = time.perf_counter() + self.seconds
        counts, errors, latencies = (
            [0] * self.connections,
            [0] * self.connections,
            [[] for _ in range(self.connections)],
        )

        def worker(i: int) -> None:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                try:
                    conn.request("GET", path, headers=headers)
                    response = conn.getresponse()
                    response.read()
                except (OSError, http.client.HTTPException):
                    errors[i] += 1
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                    continue
                latencies[i].append((time.perf_counter() - started) * 1000)
                if response.status == 200:
                    counts[i] += 1
                else:
                    errors[i] += 1
            conn.close()

        started = time.perf_counter()
        threads = [threading.Thread(target=worker, args=(i,)) for i in range(self.connections)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
        flat = [x for lat in latencies for x in lat]
        return sum(counts) / elapsed, sum(errors), statistics.median(flat) if flat else 0.0

    def _wrk(self, port: int, path: str, cookie: str | None) -> tuple[float, int, float]:
        command = ["wrk", "-t2", f"-c{self.connections}", f"-d{max(1, round(self.seconds))}s", "-H", f"Host: {HOST}"]
        if cookie:
            command += ["-H", f"Cookie: {cookie}"]
        output = subprocess.run(  # noqa: S603
            [*command, "--latency", f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True
        ).stdout
        rate = float(next(line for line in output.splitlines() if "Requests/sec" in line).split()[-1])
        errors = sum(int(w) for line in output.splitlines() if "Non-2xx" in line for w in line.split()[-1:])
        median = next((line.split()[-1] for line in output.splitlines() if line.strip().startswith("50%")), "0ms")
        return rate, errors, wrk_milliseconds(median)

    def throughput(self) -> list[tuple[str, str, float, int, float]]:
        port = self._free_port()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings_bench",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_SECURE_COOKIES": "false",
            "LOG_LEVEL": "WARNING",
        }
        gunicorn = Path(sys.executable).with_name("gunicorn")
        server = subprocess.Popen(  # noqa: S603
            [
                str(gunicorn),
                "portal.wsgi:application",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
                "--timeout",
                "120",
            ],
            env=env,
            start_new_session=True,
        )
        use_wrk = shutil.which("wrk") is not None
        load = self._wrk if use_wrk else self._load
        results = []
        try:
            for _ in range(100):
                try:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                    conn.request("GET", "/_bench/bare/", headers={"Host": HOST})
                    if conn.getresponse().status == 200:
                        break
                except OSError:
                    time.sleep(0.2)
            self.say(
                f"throughput: gunicorn 2 workers on :{port}, {self.connections} connections, "
                f"{self.seconds:g} s each, load by {'wrk' if use_wrk else 'Python threads'}"
            )
            if not use_wrk:
                self.say(
                    "  NOTE: without wrk the Python client's own CPU caps the bare view's rate, so the ratios "
                    "below are overstated and not issue 15's measure (install wrk: sudo apt-get install -y wrk)"
                )
            bare = load(port, "/_bench/bare/", None)
            results.append(("bare Django view", "/_bench/bare/", *bare))
            for persona, path in THROUGHPUT:
                cookie = None
                client = self.clients[persona]
                if persona != "public":
                    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
                results.append((persona, path, *load(port, path, cookie)))
            # Again at the end: this machine's speed drifts by 10-20 % within minutes (the bare view served
            # 2,449 to 3,035 requests/s in runs of one day), and one reading would carry its drift into every
            # ratio. The pages are compared with the mean of both.
            results.append(("bare Django view, again", "/_bench/bare/", *load(port, "/_bench/bare/", None)))
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        return results

    def breakdown(self, persona: str, path: str, repeat: int = 10) -> dict[str, float]:
        """The median of each phase of ``repeat`` requests, in process (``_Phases``), with the total."""
        client = self.clients[persona]
        client.get(path)
        splits = []
        for _ in range(repeat):
            with _Phases() as phases:
                started = time.perf_counter()
                client.get(path)
                total = (time.perf_counter() - started) * 1000
            splits.append({"total": total, **phases.split(total)})
        return {name: statistics.median(split[name] for split in splits) for name in splits[0]}

    # --- 3. export memory ------------------------------------------------------------------------

    def export_memory(self) -> dict:
        code = (
            "import django, os, time;"
            "django.setup();"
            "from django.test import Client;"
            "from portal.models import User;"
            "from portal.guard.twofactor import SESSION_VERIFIED_KEY as K;"
            f"c = Client(HTTP_HOST='{HOST}');"
            "c.force_login(User.objects.get(username='city_official'));"
            "s = c.session; s[K] = True; s.save();"
            "c.get('/projects/filings/?q=x');"
            "hwm = lambda: int([l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]);"
            "base = hwm(); t = time.perf_counter();"
            "r = c.get('/projects/filings/?export=csv');"
            "n = 0; size = 0\n"
            "for chunk in (r.streaming_content if r.streaming else [r.content]):\n"
            "    n += chunk.count(b'\\n'); size += len(chunk)\n"
            "print(r.status_code, n - 1, size, base, hwm(), time.perf_counter() - t, r.streaming)"
        )
        env = {**os.environ, "DJANGO_DEBUG": "false", "DJANGO_SECURE_SSL_REDIRECT": "false"}
        output = subprocess.run(  # noqa: S603
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True, cwd=settings.BASE_DIR
        ).stdout.split()
        status, rows, size, base, peak, seconds, streaming = output[-7:]
        return {
            "status": int(status),
            "rows": int(rows),
            "mb": int(size) / 2**20,
            "base_mb": int(base) / 1024,
            "peak_mb": int(peak) / 1024,
            "seconds": float(seconds),
            "streaming": streaming == "True",
        }

    # --- report ----------------------------------------------------------------------------------

    def run(self) -> dict:
        self.prepare()
        self.say("")
        self.say(f"pages at city scale (factor {self.factor:g}), DEBUG={settings.DEBUG}, {self.repeat} requests each")
        rows = self.server_times()
        header = (
            f"{'page or endpoint':<40} {'persona':<18} {'median':>8} {'p95':>8} {'queries':>7} {'SQL ms':>7} "
            f"{'rows':>8}  target"
        )
        self.say(header)
        self.say("-" * len(header))
        missed = []
        for r in rows:
            if r.status != 200:
                self.say(f"{r.label:<40} {r.persona:<18} status {r.status}")
                continue
            verdict = {True: "ok", False: "MISSED", None: ""}[r.target]
            if r.target is False:
                missed.append(r)
            self.say(
                f"{r.label:<40} {r.persona:<18} {r.median:>6.1f}ms {r.p95:>6.1f}ms {r.queries:>7} {r.sql_ms:>7.1f} "
                f"{r.rows:>8}  {verdict}"
            )
        if missed:
            self.say("")
            self.say("profile of the missed ones (slowest statements):")
            for r in missed:
                self.say(f"  {r.label} / {r.persona}: {r.sql_ms:.0f} ms SQL in {r.queries} queries")
                for ms, sql in r.slowest_sql:
                    self.say(f"    {ms:7.1f} ms  {sql[:220]}")
        figures = {"rows": rows}
        if self.compare:
            self.say("")
            self.say(f"the same pages at demo volumes (demo data and seed_scale --factor {DEMO_FACTOR:g}, {DEMO_DB}):")
            pairs = self.at_demo_volumes(rows)
            self.say("")
            self.say(
                f"median at city scale against demo volumes, measured in turns (target: at most {DEMO_TARGET:.0%} "
                "slower; shown: rows on the page at scale/demo):"
            )
            figures["demo"] = self.report_demo(pairs)
        if self.load:
            self.say("")
            results = self.throughput()
            bare_rates = [rate for _, path, rate, *_ in results if path == "/_bench/bare/"]
            bare_rate = statistics.mean(bare_rates)
            self.say(f"{'page':<34} {'persona':<16} {'req/s':>8} {'ratio':>7} {'median':>9} {'errors':>6}  target")
            for persona, path, rate, errors, median in results:
                ratio = rate / bare_rate if bare_rate else 0
                verdict = "" if path == "/_bench/bare/" else ("ok" if ratio >= THROUGHPUT_TARGET else "MISSED")
                self.say(f"{path:<34} {persona:<16} {rate:>8.1f} {ratio:>6.1%} {median:>7.1f}ms {errors:>6}  {verdict}")
            figures["throughput"] = results
            if bare_rate:
                self.say(
                    f"  ratios against the mean of the bare view's two readings ({bare_rate:.1f} requests/s; "
                    f"they differ by {abs(bare_rates[-1] - bare_rates[0]) / bare_rate:.0%})"
                )
                # What the target means in time: the machine's cores shared by gunicorn, PostgreSQL and the load
                # generator, so a page at the target may spend this much CPU in all three together.
                cores, rate = os.cpu_count() or 1, THROUGHPUT_TARGET * bare_rate
                self.say(
                    f"  {THROUGHPUT_TARGET:.0%} of the bare view is {rate:.1f} requests/s: at most "
                    f"{cores * 1000 / rate:.1f} ms of CPU a request on {cores} cores, server, database and client "
                    "together (SQL time in the table above counts against it)"
                )
            self.say("")
            self.say(
                "where a request's time goes (in process, one request at a time, median ms of 10; templates "
                "include the panels their tags compute, SQL excluded):"
            )
            self.say(f"{'page':<34} {'persona':<16} {'total':>7} " + " ".join(f"{n:>12}" for n in _Phases.NAMES))
            for persona, path, *_ in results:
                if path != "/_bench/bare/":
                    split = self.breakdown(persona, path)
                    self.say(
                        f"{path:<34} {persona:<16} {split['total']:>7.1f} "
                        + " ".join(f"{split[n]:>12.1f}" for n in _Phases.NAMES)
                    )
        self.say("")
        export = self.export_memory()
        verdict = "ok" if export["peak_mb"] <= EXPORT_TARGET_MB else "MISSED"
        self.say(
            f"CSV export, city official: {export['rows']:,} rows, {export['mb']:.1f} MB in {export['seconds']:.1f} s, "
            f"streamed={export['streaming']}; process peak RSS {export['peak_mb']:.0f} MB "
            f"(before the export {export['base_mb']:.0f} MB; target <= {EXPORT_TARGET_MB} MB: {verdict})"
        )
        figures["export"] = export
        return figures


def run(
    out,
    *,
    factor: float = 1.0,
    repeat: int = PAGES_REPEAT,
    connections: int = 8,
    seconds: float = 5.0,
    load: bool = True,
    compare: bool = True,
):
    return PagesBench(
        out, factor=factor, repeat=repeat, connections=connections, seconds=seconds, load=load, compare=compare
    ).run()
