from celery import shared_task

from enforcement import services


@shared_task(name="enforcement.tasks.findings_detect", acks_late=True, ignore_result=True)
def findings_detect() -> dict[str, int]:
    """Nightly: every chapter's detectors -> one open finding per rule and object (idempotent, safe to retry)."""
    return services.findings_detect()
