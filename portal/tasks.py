from celery import shared_task
from celery.signals import beat_init

from portal.health import beat_heartbeat_record


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
