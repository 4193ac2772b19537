"""Settings of the portal process that tests/test_faults.py starts (gunicorn, as in production).

The production settings, with what the test run itself relaxes: no debug pages (as pytest-django runs
the in-process tests) and static files from the finders (tests don't run collectstatic).
"""

from portal.settings import *  # noqa: F403

DEBUG = False
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
WHITENOISE_USE_FINDERS = True
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
