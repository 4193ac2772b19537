from django.core.management.base import BaseCommand

from enforcement.services import findings_detect


class Command(BaseCommand):
    help = "Run every registered violation detector now (the nightly beat task does the same; idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--rule", action="append", dest="rules", help="only this rule (repeatable)")

    def handle(self, *args, **options):
        created = findings_detect(options["rules"])
        for rule, n in created.items():
            self.stdout.write(f"{rule}: {n}")
        self.stdout.write(self.style.SUCCESS(f"新增违法线索 {sum(created.values())} 条。"))
