"""The portal's settings plus one bare view (``/_bench/bare/``), for the throughput part of ``make bench``."""

from portal.settings import *  # noqa: F403

ROOT_URLCONF = "portal.bench_urls"
# The load generator is one client: per-user and per-address API throttles would cap it.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}  # noqa: F405
