"""Demo deadlines so that `make run` shows the engine at work: due soon, due later, overdue. Idempotent."""

import logging
from datetime import timedelta

from django.utils import timezone

from portal.services import deadline_open, deadlines_sweep
from portal.workdays import MissingCalendarYear, add_working_days

logger = logging.getLogger(__name__)

# organization key (subject and responsible organization), working days from today, title
DEMO_DEADLINES = [
    ("transport", 3, "演示：交通委员会政务外网改造项目审查意见（3 个工作日后到期）"),
    ("haidian_education", 10, "演示：海淀区教育委员会等级保护备案材料补正"),
    ("health", -4, "演示：卫生健康委员会信息资源目录更新（已逾期）"),
    ("chaoyang_health", 1, "演示：朝阳区卫生健康委员会网络安全事件处置报告"),
]


def seed_demo_deadlines(organizations: dict) -> list:
    """Open the demo deadlines (kind "demo") on demo organizations and run the sweep once."""
    today = timezone.localdate()
    opened = []
    for key, working_days, title in DEMO_DEADLINES:
        organization = organizations.get(key)
        if organization is None:
            continue
        try:
            due = add_working_days(today, working_days)
        except MissingCalendarYear as exc:
            logger.warning("demo deadline %s skipped: %s", key, exc)
            continue
        opened.append(
            deadline_open(
                subject=organization,
                kind="demo",
                due_date=due,
                organization=organization,
                legal_basis="Art. 13",
                title=title,
            )
        )
    # The overdue one becomes overdue (and the due-today reminders go out) as the beat would do.
    deadlines_sweep(now=timezone.now() + timedelta(seconds=1))
    return opened
