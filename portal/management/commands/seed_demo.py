from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.demo import DEMO_PASSWORD, USERS, seed_demo

# Each chapter app may add demo rows in its own `demo.seed_demo(organizations)`, in this order.
CHAPTER_APPS = ["projects", "resources", "security", "enforcement", "planning"]


class Command(BaseCommand):
    help = "Load demo organizations, users and chapter data (idempotent). Refused under production settings."

    def handle(self, *args, **options):
        if settings.PORTAL_ENV == "production":
            raise CommandError("演示数据不能载入生产环境（PORTAL_ENV=production）。")
        organizations = seed_demo()
        for app in CHAPTER_APPS:
            if find_spec(f"{app}.demo") is not None:
                import_module(f"{app}.demo").seed_demo(organizations)
        self.stdout.write(self.style.SUCCESS(f"演示数据就绪：{len(organizations)} 个单位，{len(USERS) + 1} 个账号。"))
        self.stdout.write(f"所有演示账号的密码：{DEMO_PASSWORD}")
