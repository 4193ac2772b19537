"""`make run`: migrate, seed, then web + worker + beat in the foreground until Ctrl-C."""

import os
import signal
import socket
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from portal import embedded
from portal.demo import DEMO_PASSWORD, USERS


class Command(BaseCommand):
    help = "Run the whole portal (gunicorn, Celery worker, Celery beat) for local use."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))

    def handle(self, *args, port, host, **options):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            if probe.connect_ex((host, port)) == 0:
                # Another portal (or anything else) owns the port: leave it and its servers alone.
                raise CommandError(f"端口 {port} 已被占用：请先停止占用它的进程，或用 PORT=8001 make run 换一个端口。")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        if settings.PORTAL_ENV != "production":
            call_command("seed_demo")
        python = sys.executable
        beat_schedule = embedded.VAR_DIR / "celerybeat-schedule"
        commands = {
            "web": [
                python,
                "-m",
                "gunicorn",
                "portal.wsgi:application",
                "--bind",
                f"{host}:{port}",
                "--workers",
                "2",
                "--access-logfile",
                "-",
            ],
            "worker": [python, "-m", "celery", "-A", "portal", "worker", "--loglevel", "INFO", "--concurrency", "2"],
            "beat": [
                python,
                "-m",
                "celery",
                "-A",
                "portal",
                "beat",
                "--loglevel",
                "INFO",
                "--schedule",
                str(beat_schedule),
            ],
        }
        # Own session per child, so Ctrl-C reaches them only through us and we stop them in order.
        processes = {
            name: subprocess.Popen(cmd, start_new_session=True)  # noqa: S603 (fixed commands)
            for name, cmd in commands.items()
        }
        self.stdout.write(self.style.SUCCESS(f"\n信息化促进门户已启动：http://{host}:{port}/"))
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for username, full_name, _org, role in USERS:
            self.stdout.write(f"  {username:<18} {full_name}（{role.label}）")
        self.stdout.write("  admin              系统管理员（/admin/）")
        self.stdout.write("按 Ctrl-C 停止所有进程。\n")

        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping:
                for name, process in processes.items():
                    if process.poll() is not None:
                        self.stderr.write(f"{name} 已退出（返回码 {process.returncode}），正在停止其余进程。")
                        stopping = True
                time.sleep(0.5)
        finally:
            for process in processes.values():
                if process.poll() is None:
                    os.killpg(process.pid, signal.SIGTERM)
            for process in processes.values():
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
            if not os.environ.get("DATABASE_URL") or not os.environ.get("REDIS_URL"):
                embedded.down()
            self.stdout.write("已停止。")
