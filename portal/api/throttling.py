"""DRF's throttles, failing open when Redis (where their counters live) is down or hung.

An outage of Redis must not turn every API call into an error (issue 8, Faults); while it lasts,
requests are not counted. Password guessing through the token view stays limited by django-axes,
whose counters are in PostgreSQL.
"""

from rest_framework import throttling

from portal.redis_guard import REDIS_ERRORS, redis_failed, redis_skipped


class FailOpenMixin:
    def allow_request(self, request, view):
        if redis_skipped():
            return True
        try:
            return super().allow_request(request, view)
        except REDIS_ERRORS as exc:
            redis_failed("API throttling", exc)
            return True


class AnonRateThrottle(FailOpenMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(FailOpenMixin, throttling.UserRateThrottle):
    pass


class ScopedRateThrottle(FailOpenMixin, throttling.ScopedRateThrottle):
    pass
