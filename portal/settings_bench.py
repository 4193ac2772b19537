"""``make bench``: the portal's settings plus one bare view (``/_bench/bare/``), API throttles off (the load
generator is a single client) and a static storage that collects without the missing source map."""

from portal.settings import *  # noqa: F403

ROOT_URLCONF = "portal.bench_urls"
# The load generator is one client: per-user and per-address API throttles would cap it.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}  # noqa: F405
if not DEBUG:  # noqa: F405
    STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "portal.storage_bench.BenchStaticFilesStorage"}}  # noqa: F405
