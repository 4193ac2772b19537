"""Liveness of the three things the portal needs: the database, Redis, and Celery beat."""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
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


def _check_redis() -> tuple[dict, float | None]:
    try:
        beat_at = cache.get(BEAT_HEARTBEAT_KEY)
        return {"ok": True}, beat_at
    except Exception as exc:
        return {"ok": False, "error": exc.__class__.__name__}, None


@never_cache
@require_GET
def healthz(request):
    database = _check_database()
    redis, beat_at = _check_redis()
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
