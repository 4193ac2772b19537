"""Property-based API fuzz test (issue 8, "Standing tests"): every operation of the OpenAPI schema the
portal serves at ``/api/v1/schema/``, called with requests schemathesis generates from that schema —
schema-valid ones and ones that break it — as a city official and as an agency clerk (token
authentication, as an agency system calls the API), in process (Django's WSGI handler, no server),
over the demo data (``seed_demo``).

Each response must not be a server error (5xx), and must conform to the schema: a documented status
code, a documented content type, a body and headers that validate against the schema.

Bounded and reproducible: a fixed number of examples per operation (derandomized: the same requests on
every run; no deadline, no shrinking), each generated request sent once as each persona (generating a
request costs about as much as answering it). Each request runs in a savepoint rolled back afterwards,
so every example starts from the same demo data whatever the one before it changed. Path ids are drawn
mostly from the ids the two personas' lists show (so the clerk also tries the official's: 404), the rest
random, so requests reach real objects rather than only 404s. About 860 requests per persona; about 70 s
of CPU in all, seeding included.

All failures of a run are collected and reported together, each with the request that reproduces it
(and the server's traceback for a 5xx). ``FUZZ_OPERATIONS=<regex>`` limits a run to the operations whose
label ("POST /api/v1/projects/filings/") matches, to try a fix quickly."""

import io
import os
import re
import time
import traceback
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token

from portal.models import User

pytestmark = pytest.mark.django_db

SCHEMA_PATH = "/api/v1/schema/?format=json"
PERSONAS = {"official": "city_official", "clerk": "agency_clerk"}
# Examples per operation and generation mode (schema-valid, schema-breaking), for each persona: about
# 5 x 172 operations = 860 requests per persona. What bounds the test's time (see the module docstring).
POSITIVE_EXAMPLES = 3
NEGATIVE_EXAMPLES = 2
# Path ids: where an id of a collection is found in another collection's list (no list of its own).
ID_SOURCES = {
    "/api/v1/projects/annual-plan-items/": "/api/v1/projects/annual-plans/{id}/items/",
    "/api/v1/attachments/": "/api/v1/projects/filings/{id}/attachments/",
}
CHECK_NAMES = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
)


class _ServerErrors:
    """The traceback of the last exception the API answered 5xx for, shown beside the failing request."""

    def __init__(self):
        self.last = ""


@dataclass
class Run:
    requests: int = 0
    server_errors: int = 0
    failures: dict = field(default_factory=dict)  # (operation, failure) -> the first report of it
    failing_requests: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    statuses: Counter = field(default_factory=Counter)


@pytest.fixture
def server_errors(monkeypatch):
    from portal.middleware import ApiErrorMiddleware

    errors = _ServerErrors()
    answer = ApiErrorMiddleware.process_exception

    def process_exception(self, request, exception):
        errors.last = "".join(traceback.format_exception(exception))
        return answer(self, request, exception)

    monkeypatch.setattr(ApiErrorMiddleware, "process_exception", process_exception)
    return errors


@pytest.fixture
def in_process_app(settings, tmp_path, server_errors):
    """Django's WSGI handler (uploads into a directory of this test's own)."""
    from django.core.wsgi import get_wsgi_application

    settings.MEDIA_ROOT = tmp_path / "media"
    # Demo accounts are hashed with the fastest hasher: seeding is not what this test measures.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    django_app = get_wsgi_application()

    def app(environ, start_response):
        # Every WSGI server names the peer; werkzeug's test client leaves it out.
        environ.setdefault("REMOTE_ADDR", "127.0.0.1")
        return django_app(environ, start_response)

    return app


@contextmanager
def _inside_the_test_transaction():
    """The WSGI handler closes the database connection at the start and end of each request; here the
    connection holds the test's transaction, so those signals are off while the handler runs (the test
    client does the same around each of its requests)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def unthrottled(monkeypatch):
    """Hundreds of requests a minute from one account: throttling is tested on its own (portal tests)."""
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(SimpleRateThrottle, "allow_request", lambda self, request, view: True)


def _list_ids(client, path: str, token: str) -> list[str]:
    response = client.get(path, {"page_size": 200}, HTTP_AUTHORIZATION=f"Token {token}")
    if response.status_code != 200 or "json" not in response.get("Content-Type", ""):
        return []
    body = response.json()
    rows = body.get("results", body) if isinstance(body, dict) else body
    return [str(row["id"]) for row in rows if isinstance(row, dict) and "id" in row] if isinstance(rows, list) else []


def _known_ids(schema, tokens: list[str]) -> dict[str, list[str]]:
    """Ids per collection (the path up to ``{id}``), from the lists each persona can read, in the lists'
    own order (the demo data's, the same on every run)."""
    from django.test import Client

    client = Client()
    ids: dict[str, dict[str, None]] = {}
    base = schema.base_path.rstrip("/")
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.method.upper() == "GET" and "{" not in operation.path:
            for token in tokens:
                ids.setdefault(base + operation.path, {}).update(
                    dict.fromkeys(_list_ids(client, base + operation.path, token))
                )
    for collection, nested in ID_SOURCES.items():
        for parent_id in list(ids.get(nested.split("{id}")[0], {}))[:10]:
            for token in tokens:
                found = _list_ids(client, nested.replace("{id}", parent_id), token)
                ids.setdefault(collection, {}).update(dict.fromkeys(found))
    return {collection: list(values) for collection, values in ids.items() if values}


def _fuzz(schema, tokens: dict[str, str], known: dict[str, list[str]], runs: dict[str, Run], errors) -> None:
    """Each generated request is sent once as each persona (generating it costs as much as answering it)."""
    headers = {persona: {"Authorization": f"Token {token}"} for persona, token in tokens.items()}
    only = re.compile(os.environ.get("FUZZ_OPERATIONS", ""))
    for result in schema.get_all_operations():
        operation = result.ok()
        if not only.search(operation.label):
            continue
        full_path = schema.base_path.rstrip("/") + operation.path
        ids = known.get(full_path.split("{id}")[0], []) if "{id}" in full_path else []
        for mode, examples in (
            (schemathesis.GenerationMode.POSITIVE, POSITIVE_EXAMPLES),
            (schemathesis.GenerationMode.NEGATIVE, NEGATIVE_EXAMPLES),
        ):
            strategy = operation.as_strategy(generation_mode=mode)
            _fuzz_operation(operation, strategy, examples, ids, headers, runs, errors)


def _fuzz_operation(operation, strategy, examples: int, ids: list[str], headers: dict, runs: dict, errors) -> None:
    checks = [getattr(schemathesis.checks, name) for name in CHECK_NAMES]

    @hypothesis_settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    @given(case=strategy, data=st.data())
    def call(case, data):
        if ids and "id" in (case.path_parameters or {}) and data.draw(st.integers(0, 9)) < 8:
            case.path_parameters["id"] = data.draw(st.sampled_from(ids))
        for persona, persona_headers in headers.items():
            run = runs[persona]
            started, cpu_started = time.monotonic(), time.process_time()
            errors.last = ""
            with transaction.atomic():
                response = case.call(headers=persona_headers)
                transaction.set_rollback(True)
            run.requests += 1
            run.statuses[response.status_code // 100 * 100] += 1
            if response.status_code >= 500:
                run.server_errors += 1
            try:
                case.validate_response(response, checks=checks, headers=persona_headers)
            except schemathesis.errors.FailureGroup as group:
                run.failing_requests += 1
                for failure in group.exceptions:
                    key = (operation.label, f"{failure.title}: {failure.message.splitlines()[0][:100]}")
                    if key not in run.failures:
                        run.failures[key] = f"{group}\n{errors.last}"
            run.seconds += time.monotonic() - started
            run.cpu_seconds += time.process_time() - cpu_started

    call()


def test_every_operation_answers_without_server_error_and_as_documented(in_process_app, unthrottled, server_errors):
    started, cpu_started = time.monotonic(), time.process_time()
    call_command("seed_demo", stdout=io.StringIO())
    seeded, seed_cpu = time.monotonic(), time.process_time() - cpu_started
    with _inside_the_test_transaction():
        schema = schemathesis.openapi.from_wsgi(SCHEMA_PATH, in_process_app)
    loaded = time.monotonic()
    users = {name: User.objects.get(username=username) for name, username in PERSONAS.items()}
    tokens = {name: Token.objects.get_or_create(user=user)[0].key for name, user in users.items()}
    known = _known_ids(schema, list(tokens.values()))
    harvested = time.monotonic()

    runs = {persona: Run() for persona in tokens}
    with _inside_the_test_transaction():
        _fuzz(schema, tokens, known, runs, server_errors)
    fuzzed = time.monotonic()
    operations = len(list(schema.get_all_operations()))
    summary = "\n".join(
        f"{persona}: {run.requests} requests over {operations} operations, {run.server_errors} server errors, "
        f"{run.failing_requests} failing requests, {len(run.failures)} distinct failures; "
        f"{run.seconds:.1f} s calling and checking ({run.cpu_seconds:.1f} s CPU); "
        f"{', '.join(f'{status // 100}xx {n}' for status, n in sorted(run.statuses.items()))}"
        for persona, run in runs.items()
    )
    summary += (
        f"\ntotal {time.monotonic() - started:.1f} s, {time.process_time() - cpu_started:.1f} s CPU: seed "
        f"{seeded - started:.1f} s ({seed_cpu:.1f} s CPU), schema {loaded - seeded:.1f} s, "
        f"ids {harvested - loaded:.1f} s, generating, calling and checking {fuzzed - harvested:.1f} s"
    )
    print(summary)
    failures = {(persona, *key): message for persona, run in runs.items() for key, message in run.failures.items()}
    report = "\n\n".join(
        f"=== {persona} · {label} · {kind}\n{message}" for (persona, label, kind), message in sorted(failures.items())
    )
    assert not failures, summary + "\n\n" + re.sub(r"\n{3,}", "\n\n", report)
