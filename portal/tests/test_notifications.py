"""Notifications: outbox in the same transaction, email after commit, inbox scoped to its owner."""

from datetime import date

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from freezegun import freeze_time

from portal.models import EmailState, Notification, NotificationPreference
from portal.services import (
    deadline_open,
    deadlines_sweep,
    notification_create,
    notification_preferences_update,
)
from portal.services.notifications import notifications_retry_email, notifications_send_digests

pytestmark = pytest.mark.django_db


@pytest.fixture
def inline_email(settings):
    settings.NOTIFICATION_EMAIL_DELIVERY = "inline"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PORTAL_BASE_URL = "https://portal.example.gov.cn"


class RefusingBackend(BaseEmailBackend):
    """An SMTP server that is down."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP 服务器拒绝连接")


def overdue_deadline(orgs):
    with freeze_time("2026-03-02 10:00:00+08:00"):
        deadline = deadline_open(
            subject=orgs["agency"],
            kind="demo",
            due_date=date(2026, 3, 3),
            organization=orgs["agency"],
            title="政务云迁移方案审查",
        )
    return deadline


def test_it_emails_a_chinese_reminder_with_a_link_after_commit(
    orgs, clerk, inline_email, django_capture_on_commit_callbacks
):
    deadline = overdue_deadline(orgs)
    with django_capture_on_commit_callbacks(execute=True), freeze_time("2026-03-03 09:00:00+08:00"):
        deadlines_sweep()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["clerk@example.invalid"]
    assert message.subject == "【信息化促进门户】今日到期：政务云迁移方案审查"
    assert "今天（2026-03-03）到期" in message.body
    assert "依据：Art. 13" in message.body
    link = f"https://portal.example.gov.cn/deadlines/{deadline.uuid}/"
    assert link in message.body
    html, mime = message.alternatives[0]
    assert mime == "text/html" and link in html and "北京市经济和信息化局" in html
    assert Notification.objects.get(recipient=clerk).email_state == EmailState.SENT


def test_it_emails_the_organization_only_when_a_warranty_expires(
    orgs, clerk, official, inline_email, django_capture_on_commit_callbacks
):
    with freeze_time("2026-10-30 10:00:00+08:00"):
        deadline = deadline_open(
            subject=orgs["agency"],
            kind="warranty_end",
            due_date=date(2026, 10, 31),
            organization=orgs["agency"],
            title="保修期届满：政务云平台",
        )
    with django_capture_on_commit_callbacks(execute=True), freeze_time("2026-11-01 00:15:00+08:00"):
        deadlines_sweep()
    assert [m.to for m in mail.outbox] == [["clerk@example.invalid"]]  # not the official
    message = mail.outbox[0]
    assert message.subject == "【信息化促进门户】期限已届满：保修期届满：政务云平台"
    assert "已于 2026-10-31 届满（依据：Art. 15）" in message.body and "不属于逾期" in message.body
    assert f"https://portal.example.gov.cn/deadlines/{deadline.uuid}/" in message.body
    assert Notification.objects.get(recipient=clerk).kind == "deadline_expired"


def test_it_writes_no_email_before_commit(orgs, clerk, inline_email, django_capture_on_commit_callbacks):
    overdue_deadline(orgs)
    with django_capture_on_commit_callbacks(execute=False) as callbacks, freeze_time("2026-03-03 09:00:00+08:00"):
        deadlines_sweep()
    assert Notification.objects.filter(recipient=clerk).count() == 1  # written with the change
    assert mail.outbox == []  # the email waits for the commit
    assert len(callbacks) == 1


def test_it_retries_a_failed_email(orgs, clerk, inline_email, settings, django_capture_on_commit_callbacks):
    overdue_deadline(orgs)
    settings.EMAIL_BACKEND = "portal.tests.test_notifications.RefusingBackend"
    with django_capture_on_commit_callbacks(execute=True), freeze_time("2026-03-03 09:00:00+08:00"):
        deadlines_sweep()
    notification = Notification.objects.get(recipient=clerk)
    assert notification.email_state == EmailState.FAILED
    assert "拒绝连接" in notification.last_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notifications_retry_email() == {"sent": 1}
    notification = Notification.objects.get(recipient=clerk)
    assert (notification.email_state, notification.attempts) == (EmailState.SENT, 2)
    assert notifications_retry_email() == {}  # nothing left: no second email
    assert len(mail.outbox) == 1


def test_it_respects_email_and_digest_preferences(
    orgs, clerk, manager, inline_email, django_capture_on_commit_callbacks
):
    notification_preferences_update(user=clerk, choices={"deadline_reminder": (False, False)})
    notification_preferences_update(user=manager, choices={"deadline_reminder": (True, True)})
    overdue_deadline(orgs)
    with django_capture_on_commit_callbacks(execute=True), freeze_time("2026-03-03 09:00:00+08:00"):
        deadlines_sweep()
    assert Notification.objects.get(recipient=clerk).email_state == EmailState.SKIPPED
    assert Notification.objects.get(recipient=manager).email_state == EmailState.DIGEST
    assert mail.outbox == []
    assert notifications_send_digests() == 1
    assert mail.outbox[0].to == ["manager@example.invalid"]
    assert mail.outbox[0].subject == "【信息化促进门户】每日通知摘要（1 条）"
    assert "政务云迁移方案审查" in mail.outbox[0].body
    assert Notification.objects.get(recipient=manager).email_state == EmailState.SENT
    assert notifications_send_digests() == 0


def test_it_refuses_an_unregistered_kind(clerk):
    with pytest.raises(ValueError, match="NOTIFICATION_KINDS"):
        notification_create(recipients=[clerk], kind="nonsense", title="x")


# --- inbox ----------------------------------------------------------------------------------------


@pytest.fixture
def notes(clerk, other_clerk):
    mine = notification_create(recipients=[clerk], kind="deadline_reminder", title="我的提醒", link="/deadlines/")
    mine += notification_create(recipients=[clerk], kind="deadline_overdue", title="我的逾期通知")
    theirs = notification_create(recipients=[other_clerk], kind="deadline_reminder", title="别人的提醒")
    return mine, theirs


def test_it_shows_only_my_notifications_with_fixed_queries(client, clerk, notes, django_assert_num_queries):
    client.force_login(clerk)
    client.get(reverse("notification-inbox"))  # the first request renews the session (then at most once a minute)
    # session, user, count, scope (navbar), unread count (navbar), page
    with django_assert_num_queries(6):
        response = client.get(reverse("notification-inbox"))
    body = response.content.decode()
    assert "我的提醒" in body and "我的逾期通知" in body
    assert "别人的提醒" not in body
    assert 'data-testid="unread-count">2<' in body
    notification_create(recipients=[clerk], kind="deadline_reminder", title="第三条")
    with django_assert_num_queries(6):
        client.get(reverse("notification-inbox"))


def test_it_marks_one_read(client, clerk, notes):
    mine, _ = notes
    client.force_login(clerk)
    response = client.post(reverse("notification-read", args=[mine[0].uuid]))
    assert response.status_code == 302
    assert Notification.objects.get(pk=mine[0].pk).read_at is not None
    assert Notification.objects.get(pk=mine[1].pk).read_at is None


def test_it_opens_the_linked_object_and_marks_it_read(client, clerk, notes):
    mine, _ = notes
    client.force_login(clerk)
    response = client.post(reverse("notification-open", args=[mine[0].uuid]))
    assert response.status_code == 302 and response.url == "/deadlines/"
    assert Notification.objects.get(pk=mine[0].pk).read_at is not None


def test_it_answers_404_for_someone_elses_notification(client, clerk, notes):
    _, theirs = notes
    client.force_login(clerk)
    assert client.post(reverse("notification-read", args=[theirs[0].uuid])).status_code == 404
    assert client.post(reverse("notification-open", args=[theirs[0].uuid])).status_code == 404
    assert Notification.objects.get(pk=theirs[0].pk).read_at is None


def test_it_refuses_get_on_mark_read(client, clerk, notes):
    client.force_login(clerk)
    assert client.get(reverse("notification-read", args=[notes[0][0].uuid])).status_code == 405


def test_it_marks_all_mine_read_and_no_one_elses(client, clerk, notes):
    client.force_login(clerk)
    client.post(reverse("notification-read-all"))
    assert Notification.objects.filter(recipient=clerk, read_at__isnull=True).count() == 0
    assert Notification.objects.filter(title="别人的提醒", read_at__isnull=True).count() == 1


def test_it_saves_preferences(client, clerk):
    client.force_login(clerk)
    response = client.get(reverse("notification-preferences"))
    assert "期限提醒" in response.content.decode()
    response = client.post(
        reverse("notification-preferences"), {"email_deadline_reminder": "on", "digest_deadline_reminder": "on"}
    )
    assert response.status_code == 302
    pref = NotificationPreference.objects.get(user=clerk, kind="deadline_reminder")
    assert (pref.email, pref.digest) == (True, True)
    assert NotificationPreference.objects.get(user=clerk, kind="deadline_overdue").email is False


def test_it_requires_login_for_the_inbox(client):
    assert client.get(reverse("notification-inbox")).status_code == 302


def test_it_lists_only_my_notifications_over_the_api(client, clerk, notes, django_assert_num_queries):
    client.force_login(clerk)
    with django_assert_num_queries(7):  # session, user, count, page, session save (savepoint, update, release)
        response = client.get("/api/v1/notifications/")
    assert {n["title"] for n in response.json()["results"]} == {"我的提醒", "我的逾期通知"}
