import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.scale import ScalePlan, seed_scale


class Command(BaseCommand):
    help = (
        "Add a whole city's volumes on top of the demo data (idempotent): 2,000 organizations, 20,000 users, "
        "100,000 filings, 1,000,000 deadlines, 200,000 systems, 1,000,000 catalog resources … "
        "--factor scales them all. Refused under production settings."
    )

    def add_arguments(self, parser):
        parser.add_argument("--factor", type=float, default=1.0, help="1 = DESIGN.md's volumes; 0.01 = a hundredth")

    def handle(self, *args, factor: float, **options):
        if settings.PORTAL_ENV == "production":
            raise CommandError("规模数据不能载入生产环境（PORTAL_ENV=production）。")
        if not 0 < factor <= 10:
            raise CommandError("--factor 应在 0 与 10 之间。")
        from portal.models import Organization

        if not Organization.objects.filter(kind="agency").exists():
            raise CommandError("请先载入演示数据：manage.py seed_demo")
        started = time.perf_counter()
        self.stdout.write(f"seed_scale --factor {factor:g}")
        inserted = seed_scale(ScalePlan(factor=factor, say=self.stdout.write))
        self.stdout.write(
            self.style.SUCCESS(f"{sum(inserted.values()):,} rows added in {time.perf_counter() - started:.1f} s")
        )
