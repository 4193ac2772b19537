"""A hung Redis costs the request path a bounded time once, then nothing (portal.redis_guard), and /healthz
answers within its deadline whatever hangs. In-process and quick; tests/test_faults.py does the same to a
real portal (gunicorn) with a frozen and a killed redis-server."""

import socket
import time

import pytest
from rest_framework.test import APIClient

from portal import redis_guard

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _urls_loaded():
    """The first request of a test process imports every URL module: not what these tests time."""
    from django.urls import resolve

    resolve("/healthz")


@pytest.fixture
def hung_redis(settings, tmp_path):
    """A socket that accepts connections (the kernel's backlog) and never answers, as a frozen Redis."""
    path = tmp_path / "hung.sock"
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    listener.listen(16)
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "LOCATION": f"unix://{path}",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    redis_guard.redis_reset()
    yield
    redis_guard.redis_reset()
    listener.close()


def test_healthz_answers_in_time_with_redis_hung(client, hung_redis):
    started = time.monotonic()
    response = client.get("/healthz")
    assert time.monotonic() - started < 2
    assert response.status_code == 503
    assert response.json()["redis"]["ok"] is False
    assert response.json()["database"] == {"ok": True}


def test_healthz_answers_in_time_with_the_database_hung(client, settings, monkeypatch):
    settings.HEALTH_CHECK_TIMEOUT = 0.5
    monkeypatch.setattr("portal.health._check_database", lambda: time.sleep(3) or {"ok": True})
    started = time.monotonic()
    response = client.get("/healthz")
    assert time.monotonic() - started < 2
    assert response.status_code == 503
    assert response.json()["database"] == {"ok": False, "error": "timeout"}


def test_the_api_answers_with_redis_hung_and_stops_waiting_for_it(official, hung_redis):
    api = APIClient()
    api.force_authenticate(official)
    started = time.monotonic()
    assert api.get("/api/v1/projects/filings/").status_code == 200  # the throttle fails open
    first = time.monotonic() - started
    assert redis_guard.redis_skipped()
    started = time.monotonic()
    assert api.get("/api/v1/projects/filings/").status_code == 200
    assert time.monotonic() - started < first / 2  # the outage is known: no timeout waited again


def test_rate_limits_let_requests_through_with_redis_hung(rf, hung_redis):
    request = rf.get("/disclosure/track/", REMOTE_ADDR="192.0.2.1")
    assert redis_guard.ratelimited(request=request, group="t", key="ip", rate="1/m", increment=True) is False
    assert redis_guard.redis_skipped()


def test_rate_limits_count_with_redis_up(rf, settings):
    redis_guard.redis_reset()
    request = rf.get("/disclosure/track/", REMOTE_ADDR="192.0.2.2")
    results = [redis_guard.ratelimited(request=request, group="t", key="ip", rate="1/m", increment=True) for _ in "ab"]
    assert results == [False, True]
