"""Redis on the request path (issue 8, Faults): bounded, and skipped for a while once it has failed.

Every Redis and broker call is bounded by the timeouts in settings (REDIS_CONNECT_TIMEOUT,
REDIS_SOCKET_TIMEOUT, the publish and result-backend retry policies). A hung Redis would still cost
every request those seconds, so once a call on the request path fails, the request path stops
calling Redis for REDIS_OUTAGE_BACKOFF_SECONDS and degrades instead:

- API throttling lets requests through (django-axes, in PostgreSQL, still locks out password guessing);
- notification emails stay in the outbox, where the periodic retry task (beat) finds them.

/healthz never skips: it probes Redis every time, within its own deadline.
"""

import logging
import threading
import time

from django.conf import settings

logger = logging.getLogger("portal.redis")

_lock = threading.Lock()
_down_until = 0.0


def _errors() -> tuple[type[BaseException], ...]:
    import redis
    from kombu.exceptions import OperationalError

    return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OperationalError)


# What the Redis client and the broker raise when Redis is down or hung (the error pages answer 503).
REDIS_DOWN_ERRORS = _errors()
# Around a Redis call: also the socket errors a client library may let through unwrapped.
REDIS_ERRORS = (*REDIS_DOWN_ERRORS, OSError)


def redis_skipped() -> bool:
    """True while a recent failure says Redis is down: the caller degrades without trying."""
    return time.monotonic() < _down_until


def redis_failed(what: str, exc: BaseException) -> None:
    """Record a failed call; the first failure of an outage is logged (without a traceback: it is the
    service that is down, not the code that is wrong)."""
    global _down_until
    with _lock:
        first = time.monotonic() >= _down_until
        _down_until = time.monotonic() + settings.REDIS_OUTAGE_BACKOFF_SECONDS
    if first:
        logger.warning(
            "Redis unavailable (%s: %s: %s); the request path goes without it for %s s",
            what,
            type(exc).__name__,
            exc,
            settings.REDIS_OUTAGE_BACKOFF_SECONDS,
        )


def redis_reset() -> None:
    """Forget a recorded outage (tests)."""
    global _down_until
    with _lock:
        _down_until = 0.0


def ratelimited(**kwargs) -> bool:
    """django-ratelimit's ``is_ratelimited`` that lets the request through when Redis is down."""
    from django_ratelimit.core import is_ratelimited

    if redis_skipped():
        return False
    try:
        return is_ratelimited(**kwargs)
    except REDIS_ERRORS as exc:
        redis_failed("rate limit", exc)
        return False
