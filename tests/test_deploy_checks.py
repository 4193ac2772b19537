"""Production settings pass Django's deployment checks; models and migrations agree."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def test_it_passes_check_deploy_under_production_settings():
    # Only what production would have: the test process's own switches (e.g. the browser test's
    # DJANGO_ALLOW_ASYNC_UNSAFE) are no part of a deployment.
    inherited = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = inherited | {
        "PORTAL_ENV": "production",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "portal.example.gov.cn",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "no issues" in output


def test_it_has_no_missing_migrations():
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_database_that_accepts_no_connection_costs_seconds_not_a_worker(settings):
    # Issue 8, Faults: without a connect timeout, a request waits for PostgreSQL until gunicorn kills it.
    assert 0 < settings.DATABASES["default"]["OPTIONS"]["connect_timeout"] <= 10
