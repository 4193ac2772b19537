"""A real Celery worker on the embedded Redis runs our task; the beat schedule names real tasks."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from portal.celery import app

BASE_DIR = Path(__file__).resolve().parent.parent


@pytest.fixture
def worker_queue():
    """A worker listening only on a queue of this test run, so stray messages can't interfere."""
    queue = f"test-{uuid.uuid4().hex}"
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "-Q",
            queue,
            "--pool",
            "solo",
            "--concurrency",
            "1",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--hostname",
            f"{queue}@%h",
            "--loglevel",
            "WARNING",
        ],
        cwd=BASE_DIR,
        env=os.environ.copy(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield queue, worker
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=10)


@pytest.mark.integration
def test_it_round_trips_a_task_through_a_real_worker(worker_queue):
    from portal.tasks import ping

    queue, worker = worker_queue
    value = uuid.uuid4().hex[:8]
    result = ping.apply_async(args=[value], queue=queue)
    try:
        assert result.get(timeout=60) == f"pong:{value}"
    except Exception:
        worker.terminate()
        output = worker.communicate(timeout=20)[0]
        pytest.fail(f"worker did not answer; its output:\n{output}")
    assert worker.poll() is None  # still running until the fixture stops it


def test_it_schedules_only_tasks_that_exist():
    app.loader.import_default_modules()
    registered = set(app.tasks)
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "portal.tasks.beat_heartbeat" in scheduled
    assert scheduled <= registered, f"not registered: {sorted(scheduled - registered)}"
