from celery import shared_task
from celery.signals import beat_init

from portal.health import beat_heartbeat_record
from portal.services.calendar import calendar_next_year_watch as watch
from portal.services.deadlines import deadlines_sweep as sweep
from portal.services.notifications import notifications_retry_email as retry
from portal.services.notifications import notifications_send_digests, notifications_send_email


@shared_task(name="portal.tasks.beat_heartbeat", ignore_result=True)
def beat_heartbeat() -> None:
    """Scheduled by beat every 30 s; /healthz reports beat down when the heartbeat goes stale."""
    beat_heartbeat_record()


@beat_init.connect
def _heartbeat_on_beat_start(sender=None, **kwargs) -> None:
    # Healthy as soon as beat starts, not one interval later.
    beat_heartbeat_record()


@shared_task(name="portal.tasks.ping")
def ping(value: str) -> str:
    """Round-trip probe used by the integration tests and operators."""
    return f"pong:{value}"


# --- Deadlines and notifications. Tasks only call services; every one is idempotent, so a retry
# after a killed worker (acks_late) repeats nothing that was committed.


@shared_task(
    name="portal.tasks.deadlines_sweep",
    acks_late=True,
    ignore_result=True,
    soft_time_limit=600,
    time_limit=660,
)
def deadlines_sweep() -> dict:
    """Beat, every 15 minutes: reminders whose moment has come, once each; overdue marking."""
    from celery.exceptions import SoftTimeLimitExceeded

    try:
        return sweep().as_dict()
    except SoftTimeLimitExceeded:
        # Every finished batch is committed; the next run continues where this one stopped.
        return {"interrupted": True}


@shared_task(
    name="portal.tasks.notifications_send_email",
    acks_late=True,
    ignore_result=True,
    soft_time_limit=120,
    time_limit=150,
)
def notifications_send_email_task(ids: list[int]) -> dict:
    """Queued after commit by the service that wrote the notifications."""

    return notifications_send_email(ids)


@shared_task(
    name="portal.tasks.notifications_retry_email",
    acks_late=True,
    ignore_result=True,
    soft_time_limit=240,
    time_limit=300,
)
def notifications_retry_email() -> dict:
    """Beat: failed emails, and pending ones never handed to a worker (broker down, worker killed)."""

    return retry()


@shared_task(
    name="portal.tasks.notifications_daily_digest",
    acks_late=True,
    ignore_result=True,
    soft_time_limit=600,
    time_limit=660,
)
def notifications_daily_digest() -> int:
    """Beat, 07:30 Beijing time: one email per user with the notifications held for the digest."""

    return notifications_send_digests()


@shared_task(
    name="portal.tasks.calendar_next_year_watch",
    acks_late=True,
    ignore_result=True,
    soft_time_limit=60,
    time_limit=120,
)
def calendar_next_year_watch() -> None:
    """Beat, 08:05 Beijing time: remind the city authority to load next year's holiday calendar."""

    watch()
