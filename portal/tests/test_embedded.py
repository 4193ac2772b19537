"""The embedded PostgreSQL sizes its shared buffers to the machine, once, right after initdb."""

import os
import subprocess
import sys
from pathlib import Path

import psycopg

from portal import embedded

GIB = 2**30


def test_shared_buffers_are_an_eighth_of_memory_between_the_default_and_two_gigabytes(monkeypatch):
    def machine(memory):
        sizes = {"SC_PAGE_SIZE": 4096, "SC_PHYS_PAGES": memory // 4096}
        monkeypatch.setattr(embedded.os, "sysconf", sizes.__getitem__)
        return embedded.shared_buffers_mb()

    assert machine(4 * GIB) == 512
    assert machine(24 * GIB) == 2048
    assert machine(512 * 2**20) == 128


def _start(var_dir: Path) -> str:
    """``postgres_url()`` in a process of its own, as ``manage.py`` calls it; returns the server's start time."""
    env = {**os.environ, "PORTAL_VAR_DIR": str(var_dir)}
    start = "from portal.embedded import postgres_url; postgres_url()"
    subprocess.run([sys.executable, "-c", start], env=env, check=True)
    with psycopg.connect(host=str(var_dir / "pgdata"), user="postgres", dbname="postgres") as conn:
        blocks, started = conn.execute(
            "SELECT setting::bigint, pg_postmaster_start_time()::text FROM pg_settings WHERE name = 'shared_buffers'"
        ).fetchone()
    assert blocks * 8 // 1024 == embedded.shared_buffers_mb()
    return started


def test_a_new_server_gets_its_shared_buffers_and_a_second_start_leaves_it_running(tmp_path):
    try:
        first = _start(tmp_path)
        assert _start(tmp_path) == first  # not restarted: the setting was already there
        assert "shared_buffers" in (tmp_path / "pgdata" / "postgresql.auto.conf").read_text()
    finally:
        env = {**os.environ, "PORTAL_VAR_DIR": str(tmp_path)}
        subprocess.run([sys.executable, "-m", "portal.embedded", "down"], env=env, check=True)
