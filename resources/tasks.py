"""Celery tasks of Chapter 3: they only call services."""

from celery import shared_task

from portal.models import Organization, User
from resources.services import grants_expire, grants_remind_expiring, resources_remind_stale
from resources.services.bulk import BulkInvalid, resources_bulk_import


@shared_task(bind=True)
def resources_bulk_import_task(self, *, actor_id: int, provider_id: int, rows: list) -> dict:
    """A large import from the agency's page; the page polls this task's state for progress."""
    self.update_state(state="PROGRESS", meta={"owner": actor_id, "stage": "正在校验和保存", "total": len(rows)})
    try:
        created = resources_bulk_import(
            actor=User.objects.get(pk=actor_id), provider=Organization.objects.get(pk=provider_id), rows=rows
        )
    except BulkInvalid as invalid:
        return {"owner": actor_id, "ok": False, "errors": invalid.errors[:500], "total": len(rows)}
    return {"owner": actor_id, "ok": True, "created": len(created), "total": len(rows)}


@shared_task
def resources_daily() -> dict:
    """Expire grants past their end date, remind of grants about to end, and of stale resources (Art. 17)."""
    return {
        "grants_expired": grants_expire(),
        "grants_expiring_reminders": grants_remind_expiring(),
        "stale_reminders": resources_remind_stale(),
    }
