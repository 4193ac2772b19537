"""Notifications: written in the transaction of the change that causes them (an outbox), emailed after commit.

Use ``notifications_create_many`` (or ``notification_create`` for one recipient list) from a service;
email leaves after commit according to ``settings.NOTIFICATION_EMAIL_DELIVERY`` and the recipient's
preferences. Failed and stranded emails are retried by ``notifications_retry_email`` (beat).
Add a notification kind by adding it to ``settings.NOTIFICATION_KINDS``.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from portal.language import stored_text
from portal.models import EmailState, Notification, NotificationPreference, User
from portal.redis_guard import REDIS_ERRORS, redis_failed, redis_skipped

logger = logging.getLogger(__name__)

SUBJECT_PREFIX = "【信息化促进门户】"


@dataclass(frozen=True)
class NotificationDraft:
    recipient_id: int
    kind: str
    title: str
    body: str = ""
    link: str = ""
    content_type_id: int | None = None
    object_id: int | None = None


def _email_states(pairs: set[tuple[int, str]]) -> dict[tuple[int, str], str]:
    """Email state for each (user, kind) from the preferences: one query."""
    if not pairs:
        return {}
    users = {user_id for user_id, _ in pairs}
    kinds = {kind for _, kind in pairs}
    prefs = {
        (p.user_id, p.kind): p
        for p in NotificationPreference.objects.filter(user_id__in=users, kind__in=kinds).only(
            "user_id", "kind", "email", "digest"
        )
    }
    states = {}
    for pair in pairs:
        pref = prefs.get(pair)
        if pref is None:
            states[pair] = EmailState.PENDING
        elif not pref.email:
            states[pair] = EmailState.SKIPPED
        else:
            states[pair] = EmailState.DIGEST if pref.digest else EmailState.PENDING
    return states


def notifications_create_many(drafts: list[NotificationDraft]) -> list[Notification]:
    """Write the notifications now (caller's transaction); queue their email for after commit."""
    if not drafts:
        return []
    unknown = {d.kind for d in drafts} - set(settings.NOTIFICATION_KINDS)
    if unknown:
        raise ValueError(f"未登记的通知类型：{'、'.join(sorted(unknown))}（见 settings.NOTIFICATION_KINDS）")
    states = _email_states({(d.recipient_id, d.kind) for d in drafts})
    created = Notification.objects.bulk_create(
        Notification(
            recipient_id=d.recipient_id,
            kind=d.kind,
            title=stored_text(d.title)[:200],
            body=stored_text(d.body),
            link=d.link[:300],
            content_type_id=d.content_type_id,
            object_id=d.object_id,
            email_state=states[(d.recipient_id, d.kind)],
        )
        for d in drafts
    )
    pending = [n.pk for n in created if n.email_state == EmailState.PENDING]
    if pending:
        transaction.on_commit(lambda: notifications_deliver_later(pending))
    return created


def notification_create(
    *, recipients, kind: str, title: str, body: str = "", link: str = "", subject=None
) -> list[Notification]:
    """One notification per recipient (users or ids) about ``subject``."""
    from django.contrib.contenttypes.models import ContentType

    content_type_id = ContentType.objects.get_for_model(subject).pk if subject is not None else None
    return notifications_create_many(
        [
            NotificationDraft(
                recipient_id=getattr(r, "pk", r),
                kind=kind,
                title=title,
                body=body,
                link=link,
                content_type_id=content_type_id,
                object_id=subject.pk if subject is not None else None,
            )
            for r in recipients
        ]
    )


SEND_EMAIL_TASK = "portal.tasks.notifications_send_email"


def notifications_deliver_later(ids: list[int]) -> None:
    """After commit: hand the emails to Celery (or send inline, or leave them to the retry task)."""
    mode = settings.NOTIFICATION_EMAIL_DELIVERY
    if mode == "inline":
        notifications_send_email(ids)
    elif mode == "celery":
        # Runs after commit, on the request path: whatever the broker does, the action stays a success
        # (the notifications are committed in the outbox; the periodic retry task sends what is not queued).
        if redis_skipped():
            logger.info("broker down: %d notification emails left to the retry task", len(ids))
            return
        # By the task's name: services never import tasks (tasks are the only importers of services).
        # ignore_result: the task keeps none, and waiting on the result backend would be one more Redis call.
        try:
            current_app.send_task(SEND_EMAIL_TASK, args=[ids], ignore_result=True)
        except REDIS_ERRORS as exc:
            redis_failed(f"queueing {len(ids)} notification emails", exc)
        except Exception:
            logger.exception("could not queue %d notification emails; left to the retry task", len(ids))


def _absolute(link: str) -> str:
    return f"{settings.PORTAL_BASE_URL}{link}" if link.startswith("/") else link


def _send_one(notification: Notification) -> None:
    context = {"notification": notification, "url": _absolute(notification.link), "user": notification.recipient}
    message = EmailMultiAlternatives(
        subject=f"{SUBJECT_PREFIX}{notification.title}",
        body=render_to_string("notifications/email/notification.txt", context),
        to=[notification.recipient.email],
    )
    message.attach_alternative(render_to_string("notifications/email/notification.html", context), "text/html")
    message.send()


def notifications_send_email(ids: list[int]) -> dict[str, int]:
    """Send the email of each pending or failed notification, each in its own locked transaction."""
    counts: dict[str, int] = defaultdict(int)
    for pk in ids:
        with transaction.atomic():
            notification = (
                Notification.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("recipient")
                .filter(pk=pk, email_state__in=[EmailState.PENDING, EmailState.FAILED])
                .first()
            )
            if notification is None:
                counts["skipped"] += 1  # sent meanwhile, or another worker holds it
                continue
            notification.attempts += 1
            if not notification.recipient.email or not notification.recipient.is_active:
                notification.email_state = EmailState.SKIPPED
                notification.last_error = "接收人没有有效的电子邮箱。"
            else:
                try:
                    _send_one(notification)
                except Exception as exc:
                    notification.email_state = EmailState.FAILED
                    notification.last_error = f"{type(exc).__name__}: {exc}"[:2000]
                else:
                    notification.email_state = EmailState.SENT
                    notification.emailed_at = timezone.now()
                    notification.last_error = ""
            notification.save(update_fields=["attempts", "email_state", "last_error", "emailed_at"])
            counts[notification.email_state] += 1
    return dict(counts)


def notifications_retry_email(*, older_than_seconds: int = 120, limit: int = 500) -> dict[str, int]:
    """Pick up failed emails and pending ones that were never handed over (broker down, worker killed)."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    ids = list(
        Notification.objects.filter(
            Q(email_state=EmailState.FAILED) | Q(email_state=EmailState.PENDING, created_at__lte=cutoff),
            attempts__lt=settings.NOTIFICATION_EMAIL_MAX_ATTEMPTS,
        )
        .order_by("created_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    return notifications_send_email(ids)


def notifications_send_digests() -> int:
    """One email per user with every notification held for the digest; returns the emails sent."""
    sent = 0
    user_ids = list(
        Notification.objects.filter(email_state=EmailState.DIGEST).values_list("recipient_id", flat=True).distinct()
    )
    for user_id in user_ids:
        with transaction.atomic():
            items = list(
                Notification.objects.select_for_update(skip_locked=True)
                .filter(recipient_id=user_id, email_state=EmailState.DIGEST)
                .order_by("created_at", "id")
            )
            user = User.objects.get(pk=user_id)
            if not items:
                continue
            if not user.email or not user.is_active:
                Notification.objects.filter(pk__in=[n.pk for n in items]).update(email_state=EmailState.SKIPPED)
                continue
            context = {
                "user": user,
                "items": [(n, _absolute(n.link)) for n in items],
                "inbox_url": _absolute("/notifications/"),
            }
            message = EmailMultiAlternatives(
                subject=f"{SUBJECT_PREFIX}每日通知摘要（{len(items)} 条）",
                body=render_to_string("notifications/email/digest.txt", context),
                to=[user.email],
            )
            message.attach_alternative(render_to_string("notifications/email/digest.html", context), "text/html")
            message.send()
            Notification.objects.filter(pk__in=[n.pk for n in items]).update(
                email_state=EmailState.SENT, emailed_at=timezone.now()
            )
            sent += 1
    return sent


# --- inbox actions ------------------------------------------------------------------------------


def notification_mark_read(*, notification: Notification, user: User) -> Notification:
    """Mark one of the user's own notifications read (the selector has already scoped it)."""
    if notification.recipient_id != user.pk:
        from django.http import Http404

        raise Http404("未找到该通知。")
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())
        notification.read_at = timezone.now()
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def notification_preferences_update(*, user: User, choices: dict[str, tuple[bool, bool]]) -> None:
    """``choices``: kind -> (email, digest) for kinds in settings.NOTIFICATION_KINDS."""
    for kind, (email, digest) in choices.items():
        if kind not in settings.NOTIFICATION_KINDS:
            raise ValueError(f"未登记的通知类型：{kind}")
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"email": email, "digest": digest and email}
        )
