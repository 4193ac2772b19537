"""Chapter 2 notifications go through the portal outbox: inbox row with the change, email after commit."""

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from portal.models import EmailState, Notification
from portal.services import notification_preferences_update
from projects import services
from projects.tests.conftest import checklist_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def inline_email(settings):
    settings.NOTIFICATION_EMAIL_DELIVERY = "inline"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PORTAL_BASE_URL = "https://portal.example.gov.cn"


def inbox(user, kind=None):
    rows = Notification.objects.filter(recipient=user).order_by("created_at", "id")
    return list(rows.filter(kind=kind) if kind else rows)


def test_it_tells_the_authority_of_a_submission_in_the_inbox_and_by_email(
    make_filing, clerk, official, reviewer, inline_email, django_capture_on_commit_callbacks
):
    filing = make_filing(clerk)
    with django_capture_on_commit_callbacks(execute=True):
        services.filing_submit(filing=filing, actor=clerk)
    [note] = inbox(official)
    assert (note.kind, note.title) == ("filing_submitted", f"项目备案待受理：{filing.title}")
    assert note.link == reverse("projects:filing-detail", args=[filing.uuid])
    assert note.subject == filing
    assert inbox(reviewer) == []  # reviewers hear when they are assigned, not before
    assert inbox(clerk) == []  # not of one's own action
    assert [m.to for m in mail.outbox] == [["official@example.invalid"]]
    message = mail.outbox[0]
    assert message.subject == f"【信息化促进门户】项目备案待受理：{filing.title}"
    assert f"https://portal.example.gov.cn/projects/filings/{filing.uuid}/" in message.body
    assert Notification.objects.get(pk=note.pk).email_state == EmailState.SENT


def test_it_tells_the_assigned_reviewers(
    make_filing, clerk, official, reviewer, inline_email, django_capture_on_commit_callbacks
):
    filing = make_filing(clerk, "submitted")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        filing = services.filing_start_review(filing=filing, actor=official, reviewers=[reviewer, official])
    [note] = inbox(reviewer)
    assert note.kind == "filing_review_assigned"
    assert f"审查期限至 {filing.review_due_date:%Y-%m-%d}" in note.body
    assert inbox(official, "filing_review_assigned") == []  # the official assigned themself
    assert [m.to for m in mail.outbox] == [["reviewer@example.invalid"]]


def test_it_tells_the_agency_of_a_return_with_what_to_fix(
    make_filing, clerk, manager, official, inline_email, django_capture_on_commit_callbacks
):
    filing = make_filing(clerk, "in_review")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.filing_return(filing=filing, actor=official, comment="请补充需求分析。")
    assert [n.kind for n in inbox(clerk)] == ["filing_returned"]
    assert [n.kind for n in inbox(manager)] == ["filing_returned"]  # the agency's manager too
    assert "请补充需求分析" in inbox(clerk)[0].body
    assert sorted(m.to[0] for m in mail.outbox) == ["clerk@example.invalid", "manager@example.invalid"]


def test_it_writes_nothing_and_sends_nothing_for_a_rolled_back_change(
    make_filing, clerk, official, inline_email, django_capture_on_commit_callbacks
):
    filing = make_filing(clerk, "in_review")
    before = Notification.objects.count()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        services.filing_return(filing=filing, actor=official, comment="请补充需求分析。")
        assert inbox(clerk, "filing_returned")  # written with the change...
        raise RuntimeError("the request fails later")
    assert Notification.objects.count() == before  # ...and gone with it
    assert mail.outbox == []


def test_it_tells_the_agency_and_the_approving_department_of_the_opinion(
    make_filing, clerk, official, drc_liaison, inline_email, django_capture_on_commit_callbacks
):
    filing = make_filing(clerk, "in_review")
    checklist_all(filing, official)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        filing = services.filing_approve(filing=filing, actor=official, opinion="同意建设。")
    [note] = inbox(clerk, "filing_decided")
    assert note.title == f"项目审查意见（{filing.opinion_number}）：{filing.title}"
    assert note.body.startswith(f"审查结论：{filing.get_status_display()}。")
    assert [n.kind for n in inbox(drc_liaison)] == ["filing_decided"]  # Art. 13 para. 3
    assert sorted(m.to[0] for m in mail.outbox) == ["clerk@example.invalid", "drc_liaison@example.invalid"]


def test_it_does_not_send_a_rejection_to_the_approving_department(make_filing, clerk, official, drc_liaison):
    make_filing(clerk, "rejected")
    assert [n.kind for n in inbox(clerk) if n.kind == "filing_decided"] == ["filing_decided"]
    assert inbox(drc_liaison) == []


def test_it_tells_the_authority_of_the_acceptance_result(make_filing, clerk, official):
    filing = make_filing(clerk, "accepted")
    [note] = inbox(official, "acceptance_recorded")
    assert note.title == f"竣工验收合格：{filing.title}"
    assert f"保修期至 {filing.warranty_end:%Y-%m-%d}（第十五条）" in note.body


def test_it_respects_the_recipients_email_preference(
    make_filing, clerk, official, inline_email, django_capture_on_commit_callbacks
):
    notification_preferences_update(user=clerk, choices={"filing_returned": (False, False)})
    filing = make_filing(clerk, "in_review")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.filing_return(filing=filing, actor=official, comment="请补充需求分析。")
    [note] = inbox(clerk, "filing_returned")
    assert note.email_state == EmailState.SKIPPED  # in the inbox, not by email
    assert mail.outbox == []


def test_it_shows_project_notifications_in_the_inbox(client, make_filing, clerk, official):
    filing = make_filing(clerk, "returned")
    client.force_login(clerk)
    response = client.get(reverse("notification-inbox"))
    assert f"项目备案被退回修改：{filing.title}" in response.content.decode()
    response = client.get(reverse("notification-preferences"))
    assert "项目备案退回修改" in response.content.decode()


def test_it_tells_the_agency_of_an_application_decision(clerk, manager, official, orgs):
    application = services.network_application_create(
        actor=clerk,
        agency=orgs["agency"],
        system_name="交通执法业务系统",
        purpose="执法办案",
        internet_unsuitable_reason="涉及执法敏感数据",
        security_level=3,
    )
    application = services.application_submit(application=application, actor=clerk)
    services.application_refuse(application=application, actor=official, reason="请先完成等级保护测评。")
    [note] = inbox(clerk)
    assert note.kind == "application_decided"
    assert note.body == "请先完成等级保护测评。"
    assert note.link == reverse("projects:application-detail", kwargs={"kind": "network", "uuid": application.uuid})
    assert [n.kind for n in inbox(manager)] == ["application_decided"]


def test_it_sends_no_email_directly(make_filing, clerk, official, settings, django_capture_on_commit_callbacks):
    # Email leaves only through the outbox delivery ("off": left to the retry task), never beside it.
    settings.NOTIFICATION_EMAIL_DELIVERY = "off"
    filing = make_filing(clerk, "in_review")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.filing_return(filing=filing, actor=official, comment="请补充需求分析。")
    assert mail.outbox == []
    assert inbox(clerk, "filing_returned")[0].email_state == EmailState.PENDING
