"""/healthz: database, Redis and the beat heartbeat; 503 as soon as one of them is down."""

import time

import pytest

from portal.health import beat_heartbeat_record

pytestmark = pytest.mark.django_db


def test_it_reports_503_without_any_heartbeat(client, isolated_cache):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"] == {"ok": True}
    assert body["redis"] == {"ok": True}
    assert body["beat"] == {"ok": False, "last_heartbeat_seconds_ago": None}


def test_it_reports_200_with_a_fresh_heartbeat(client, isolated_cache):
    beat_heartbeat_record()
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["beat"]["ok"] is True
    assert body["beat"]["last_heartbeat_seconds_ago"] < 5
    assert "no-cache" in response["Cache-Control"]


def test_it_reports_503_with_a_stale_heartbeat(client, isolated_cache, settings):
    beat_heartbeat_record(now=time.time() - settings.BEAT_HEARTBEAT_MAX_AGE_SECONDS - 10)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["beat"]["ok"] is False


def test_it_records_the_heartbeat_from_the_beat_task(client, isolated_cache):
    from portal.tasks import beat_heartbeat

    beat_heartbeat()  # the task body, as beat's worker runs it
    assert client.get("/healthz").status_code == 200


def test_it_reports_503_when_redis_is_down(client, settings, tmp_path):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"unix://{tmp_path}/closed.sock",
        }
    }
    started = time.monotonic()
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["redis"]["ok"] is False
    assert body["redis"]["error"]
    assert body["database"] == {"ok": True}
    assert time.monotonic() - started < 10  # a dead Redis must not hang the probe


def test_it_needs_no_login(client, isolated_cache):
    beat_heartbeat_record()
    assert client.get("/healthz").status_code == 200
