"""Stored texts are written in Chinese whatever the requester's interface language (portal.language).

Each row performs one action of a chapter through its page, by a person using the English interface,
and reads every text the action stored or sent (timeline comments, notifications, deadline titles, the
e-mails sent after commit): none may
carry an English word the interface would have put there (a status, a choice label).
"""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from enforcement.tests.conftest import calendar_ahead, contractor, contractor_clerk, make_case, officer
from planning.tests.conftest import city_plan, make_district_plan
from portal.models import Deadline, Notification, TimelineEvent
from projects.tests.conftest import calendar_through_review_periods, checklist_all, departments, make_filing
from resources.tests.conftest import calendar_through_reply_periods, make_resource
from resources.tests.disclosure_fixtures import calendar_and_limits, record
from security.tests.conftest import calendar_through_periods, make_grading, make_system

# Fixtures of the chapters' conftests, used here across chapters.
__all__ = [
    "calendar_ahead",
    "calendar_and_limits",
    "calendar_through_periods",
    "calendar_through_reply_periods",
    "calendar_through_review_periods",
    "city_plan",
    "contractor",
    "contractor_clerk",
    "departments",
    "make_case",
    "make_district_plan",
    "make_filing",
    "make_grading",
    "make_resource",
    "make_system",
    "officer",
    "record",
]

pytestmark = pytest.mark.django_db

# A Latin word of three letters or more (not part of a number like GK2026ABC12), outside links: what an
# English interface would have put there.
LATIN_WORD = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{3,}(?![A-Za-z0-9])")
LINK = re.compile(r"https?://\S+")
NOT_INTERFACE = {"PDF"}


def _projects(request, orgs, clerk, official):
    filing = request.getfixturevalue("make_filing")(clerk, "in_review")
    checklist_all(filing, official)
    return official, reverse("projects:filing-action", args=[filing.uuid, "approve"]), {"opinion": "同意建设。"}


def _security(request, orgs, clerk, official):
    now = timezone.localtime()
    data = {
        "title": "网页篡改",
        "level": "major",
        "occurred_at": (now - timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "discovered_at": (now - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "description": "首页被篡改。",
        "measures": "已下线。",
    }
    return clerk, reverse("security:incident-new"), data


def _security_grading(request, orgs, clerk, official):
    grading = request.getfixturevalue("make_grading")(clerk, state="submitted")
    return official, reverse("security:grading-action", args=[grading.uuid, "approve"]), {"comment": ""}


def _enforcement(request, orgs, clerk, official):
    request.getfixturevalue("contractor_clerk")  # the party, whom the notice notifies
    case = request.getfixturevalue("make_case")("investigating")
    data = {"kinds": ["warning"], "statement": "拟给予警告。"}
    return official, reverse("enforcement:case-action", args=[case.uuid, "notify"]), data


def _resources(request, orgs, clerk, official):
    application = request.getfixturevalue("record")(received_on=timezone.localdate())
    data = {"reply-response_type": "disclosed", "reply-text": "所申请的信息已公开，见附件。"}
    return clerk, reverse("disclosure:application-action", args=[application.uuid, "reply"]), data


def _planning(request, orgs, clerk, official):
    plan = request.getfixturevalue("make_district_plan")("in_review")
    data = {"opinion": "符合本市规划。"}
    return official, reverse("planning:plan-action", args=[plan.uuid, "confirm_conformity"]), data


ACTIONS = {
    "projects: approve a filing": _projects,
    "security: report an incident": _security,
    "security: approve a grading": _security_grading,
    "enforcement: notify a penalty": _enforcement,
    "disclosure: reply to an application": _resources,
    "planning: confirm a plan's conformity": _planning,
}


def stored_since(marks: dict) -> list[str]:
    texts = []
    for event in TimelineEvent.objects.filter(pk__gt=marks["event"]):
        texts.append(event.comment)
    for notification in Notification.objects.filter(pk__gt=marks["notification"]):
        texts += [notification.title, notification.body]
    texts += list(Deadline.objects.filter(pk__gt=marks["deadline"]).values_list("title", flat=True))
    return [t for t in texts if t]


def latest_ids() -> dict:
    def last(model):
        return model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    return {"event": last(TimelineEvent), "notification": last(Notification), "deadline": last(Deadline)}


@pytest.mark.parametrize("action", ACTIONS)
def test_an_action_taken_in_english_stores_chinese_text(
    action, request, client, orgs, clerk, official, mailoutbox, django_capture_on_commit_callbacks
):
    user, url, data = ACTIONS[action](request, orgs, clerk, official)
    marks = latest_ids()
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302, re.sub(r"<[^>]+>", " ", response.content.decode().split("<main")[-1])[:3000]
    texts = stored_since(marks) + [f"{m.subject}\n{m.body}" for m in mailoutbox]
    assert texts, "the action stored no text: the row tests nothing"
    english = {t: words for t in texts if (words := set(LATIN_WORD.findall(LINK.sub("", t))) - NOT_INTERFACE)}
    assert not english, english
