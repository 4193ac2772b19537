"""Liveness of the three things the portal needs: the database, Redis, and Celery beat.

The checks run side by side in threads of their own and /healthz answers after HEALTH_CHECK_TIMEOUT
at the latest, whatever hangs: a check still running then is reported down ("timeout"), and its
thread finishes on its own (the Redis client's timeouts bound it; the pool is small and fixed, so a
hung database cannot pile up threads).
"""

import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from django.conf import settings
from django.core.cache import cache
from django.db import connection, connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

BEAT_HEARTBEAT_KEY = "health:beat-heartbeat"


def beat_heartbeat_record(*, now: float | None = None) -> None:
    cache.set(BEAT_HEARTBEAT_KEY, now if now is not None else time.time(), timeout=None)


def _check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return {"ok": True}
    except Exception as exc:  # any failure means "down"; the reason is shown to operators
        return {"ok": False, "error": exc.__class__.__name__}


def _check_database_in_thread() -> dict:
    try:
        return _check_database()
    finally:
        connections.close_all()  # this thread's own connection: never left open behind a probe


def _check_redis() -> tuple[dict, float | None]:
    try:
        beat_at = cache.get(BEAT_HEARTBEAT_KEY)
        return {"ok": True}, beat_at
    except Exception as exc:
        return {"ok": False, "error": exc.__class__.__name__}, None


_CHECKS = ThreadPoolExecutor(max_workers=4, thread_name_prefix="healthz")


def _result(future, deadline: float, timed_out):
    try:
        return future.result(timeout=max(0.0, deadline - time.monotonic()))
    except FutureTimeout:
        future.cancel()  # still queued behind a hung check: never run it
        return timed_out


@never_cache
@require_GET
def healthz(request):
    deadline = time.monotonic() + settings.HEALTH_CHECK_TIMEOUT
    database_check = _CHECKS.submit(_check_database_in_thread)
    redis_check = _CHECKS.submit(_check_redis)
    database = _result(database_check, deadline, {"ok": False, "error": "timeout"})
    redis, beat_at = _result(redis_check, deadline, ({"ok": False, "error": "timeout"}, None))
    if beat_at is None:
        beat = {"ok": False, "last_heartbeat_seconds_ago": None}
    else:
        age = max(0.0, time.time() - float(beat_at))
        beat = {"ok": age <= settings.BEAT_HEARTBEAT_MAX_AGE_SECONDS, "last_heartbeat_seconds_ago": round(age, 1)}
    healthy = database["ok"] and redis["ok"] and beat["ok"]
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "database": database, "redis": redis, "beat": beat},
        status=200 if healthy else 503,
    )
