"""Binding or destructive actions ask for confirmation and say what will happen (README, "Page conventions").

One table says, for every action of every chapter, whether it binds. The first test holds the action tables
to it (a binding action has the sentence the dialog shows; adding an action forces a decision here); the
second renders each chapter's pages where binding actions are offered and fails when a form posting to one
of them lacks ``data-confirm`` (portal.js turns it into the dialog).
"""

from datetime import date, timedelta
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.urls import resolve, reverse
from django.utils import timezone

from enforcement.actions import CASE_ACTIONS, FINDING_ACTIONS
from enforcement.tests.conftest import calendar_ahead, contractor, finding, make_case, make_violation, officer
from planning.actions import PLAN_ACTIONS
from planning.tests.conftest import calendar_through_review_periods, city_plan, make_district_plan, standards
from resources.actions import CATALOG_ACTIONS, SHARING_ACTIONS
from resources.actions_disclosure import APPLICATION_ACTIONS
from resources.tests.conftest import calendar_through_reply_periods, make_resource
from resources.tests.disclosure_fixtures import calendar_and_limits, record
from security.actions import GRADING_ACTIONS
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
    "finding",
    "make_case",
    "make_district_plan",
    "make_grading",
    "make_resource",
    "make_system",
    "make_violation",
    "officer",
    "record",
    "standards",
]

pytestmark = pytest.mark.django_db

# The one table: each chapter's transition URL, its action table, and which of its actions bind (True:
# approve, refuse, return, revoke, close, decide, publish, withdraw…; False: steps that bind no one).
ACTION_TABLES = {
    "security:grading-action": (
        GRADING_ACTIONS,
        {"submit": True, "supervisor_approve": True, "approve": True, "return": True},
    ),
    "enforcement:finding-action": (FINDING_ACTIONS, {"open_case": True, "dismiss": True}),
    "enforcement:case-action": (
        CASE_ACTIONS,
        {
            "investigate": False,
            "notify": True,
            "request_hearing": True,
            "schedule_hearing": False,
            "hold_hearing": False,
            "decide": True,
            "serve": True,
            "execute": True,
            "record_payment": False,
            "record_reinspection": False,
            "publish": True,
            "close": True,
            "not_penalize": True,
            "refer": True,
            "revoke": True,
            "extend_decision": True,
        },
    ),
    "resources:resource-action": (
        CATALOG_ACTIONS,
        {
            "submit": True,
            "publish": True,
            "return": True,
            "revise": False,
            "record_update": False,
            "review_justification": True,
            "retire": True,
        },
    ),
    "resources:sharing-action": (
        SHARING_ACTIONS,
        {
            "agree": True,
            "counter": True,
            "refuse": True,
            "accept": True,
            "revise": False,
            "escalate": True,
            "decide": True,
            "withdraw": True,
        },
    ),
    "disclosure:application-action": (
        APPLICATION_ACTIONS,
        {
            "confirm_receipt": False,
            "correction_notice": True,
            "correction_received": False,
            "extend": True,
            "consult": False,
            "consultation_answered": False,
            "reply": True,
        },
    ),
    "planning:plan-action": (
        PLAN_ACTIONS,
        {
            "submit_for_review": True,
            "confirm_conformity": True,
            "return_for_revision": True,
            "record_approval": True,
            "publish": True,
        },
    ),
}
# Binding forms outside the action tables: (URL name, the form's hidden step/op/which value or None).
OTHER_BINDING = {
    ("resources:grant-revoke", None),
    ("disclosure:report-manage", "review"),
    ("disclosure:report-manage", "publish"),
    ("security:bulletin-new", None),
    ("security:incident-detail", "end_handling"),
    ("security:incident-detail", "close"),
    ("enforcement:evaluations", "service"),
    ("planning:recognition-publish", None),
    ("planning:standard-withdraw", None),
}
STEP_FIELDS = ("step", "op", "which")


@pytest.mark.parametrize("url_name", ACTION_TABLES)
def test_every_binding_action_has_the_sentence_the_dialog_shows(url_name):
    table, binding = ACTION_TABLES[url_name]
    assert set(binding) == set(table), "decide for each action whether it binds (table above)"
    for name, binds in binding.items():
        assert bool(str(table[name].confirm)) == binds, (name, table[name].confirm)


class _Forms(HTMLParser):
    """The POST forms of a page: their attributes and the value of their step/op/which field."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._open = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._open = {"attrs": attrs, "step": None}
            self.forms.append(self._open)
        elif tag == "input" and self._open is not None and attrs.get("name") in STEP_FIELDS:
            self._open["step"] = attrs.get("value")

    def handle_endtag(self, tag):
        if tag == "form":
            self._open = None


def binding_forms(html: str, page_url: str) -> list[tuple[str, dict]]:
    """(what it does, attributes) of every form on the page that posts to a binding action."""
    parser = _Forms()
    parser.feed(html)
    found = []
    for form in parser.forms:
        match = resolve(urlsplit(form["attrs"].get("action") or page_url).path)
        if match.view_name in ACTION_TABLES:
            action = match.kwargs["action"]
            if ACTION_TABLES[match.view_name][1][action]:
                found.append((f"{match.view_name} {action}", form["attrs"]))
        elif (match.view_name, form["step"]) in OTHER_BINDING:
            found.append((f"{match.view_name} {form['step']}", form["attrs"]))
    return found


def _security(request, orgs, clerk, official):
    from security import services

    make_grading = request.getfixturevalue("make_grading")
    draft = make_grading(clerk, state="draft")
    submitted = make_grading(clerk, state="submitted")
    now = timezone.now()
    reported = services.incident_report(
        actor=clerk,
        organization=orgs["agency"],
        title="网页篡改",
        level="general",
        occurred_at=now - timedelta(hours=6),
        discovered_at=now - timedelta(hours=5),
        description="篡改",
        measures="下线",
    )
    handled = services.incident_report(
        actor=clerk,
        organization=orgs["agency"],
        title="服务中断",
        level="general",
        occurred_at=now - timedelta(hours=6),
        discovered_at=now - timedelta(hours=5),
        description="中断",
        measures="切换",
    )
    services.incident_end_handling(incident=handled, actor=clerk)
    return [
        (clerk, reverse("security:grading-detail", args=[draft.uuid])),
        (official, reverse("security:grading-detail", args=[submitted.uuid])),
        (clerk, reverse("security:incident-detail", args=[reported.uuid])),
        (clerk, reverse("security:incident-detail", args=[handled.uuid])),
        (official, reverse("security:bulletin-new")),
    ]


def _enforcement(request, orgs, clerk, official):
    finding = request.getfixturevalue("finding")
    officer = request.getfixturevalue("officer")
    make = request.getfixturevalue("make_case")
    return [
        (official, reverse("enforcement:finding-detail", args=[finding.uuid])),
        (official, reverse("enforcement:case-detail", args=[make("notified").uuid])),
        (official, reverse("enforcement:case-detail", args=[make("served").uuid])),
        (officer, reverse("enforcement:evaluations")),
    ]


def _resources(request, orgs, clerk, official):
    from resources import services
    from resources.services import disclosure

    make_resource = request.getfixturevalue("make_resource")
    other_clerk = request.getfixturevalue("other_clerk")
    manager = request.getfixturevalue("manager")
    submitted = make_resource(clerk, "submitted")
    published = make_resource(clerk, "published", name="公交运营数据")

    def ask():
        return services.sharing_request_create(
            actor=other_clerk,
            requester=orgs["other_agency"],
            resource=published,
            items=list(published.items.all()[:1]),
            scope="校车",
            purpose="核验",
            method="interface",
            period_end=timezone.localdate() + timedelta(days=30),
        )

    waiting = ask()
    granted = services.sharing_agree(request=ask(), actor=clerk)
    application = request.getfixturevalue("record")(received_on=timezone.localdate())
    disclosure.annual_report_generate(actor=clerk, agency=orgs["agency"], year=2025)  # a draft: review
    reviewed = disclosure.annual_report_generate(actor=clerk, agency=orgs["agency"], year=2024)
    disclosure.annual_report_review(report=reviewed, actor=manager)
    return [
        (official, reverse("resources:resource-detail", args=[submitted.uuid])),
        (clerk, reverse("resources:sharing-detail", args=[waiting.uuid])),
        (other_clerk, reverse("resources:sharing-detail", args=[waiting.uuid])),
        (clerk, reverse("resources:sharing-detail", args=[granted.uuid])),
        (clerk, reverse("disclosure:application-detail", args=[application.uuid])),
        (clerk, reverse("disclosure:report-manage")),
    ]


def _planning(request, orgs, clerk, official):
    from planning import services
    from planning.rules import AwardeeKind

    make = request.getfixturevalue("make_district_plan")
    district_official = request.getfixturevalue("district_official")
    request.getfixturevalue("standards")
    draft = make("draft", title="海淀区规划草案")
    from planning.tests.conftest import pdf_upload

    services.plan_version_add(plan=draft, actor=district_official, note="送审稿", document=pdf_upload())
    services.commendation_create(
        actor=official,
        year=2025,
        title="信息化工作先进个人",
        awardee_kind=AwardeeKind.PERSON,
        person_name="李明",
        citation="主持数据中心建设。",
        conferred_by="北京市人民政府",
        conferred_on=date(2025, 3, 1),
    )
    return [
        (district_official, reverse("planning:plan-detail", args=[draft.uuid])),
        (official, reverse("planning:plan-detail", args=[make("in_review", title="海淀区规划送审").uuid])),
        (official, reverse("planning:recognition-manage")),
        (official, reverse("planning:standard-manage")),
    ]


CHAPTERS = {"security": _security, "enforcement": _enforcement, "resources": _resources, "planning": _planning}


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_forms_posting_to_binding_actions_ask_for_confirmation(chapter, request, client, orgs, clerk, official):
    pages = CHAPTERS[chapter](request, orgs, clerk, official)
    problems, seen = [], set()
    for user, url in pages:
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, url
        forms = binding_forms(response.content.decode(), url)
        assert forms, f"{url}: no binding action offered to {user} (the page was meant to show some)"
        for what, attrs in forms:
            seen.add(what)
            if not attrs.get("data-confirm", "").strip() or not attrs.get("data-confirm-ok", "").strip():
                problems.append(f"{url}: {what}")
    assert not problems, "binding actions without a confirmation:\n" + "\n".join(problems)
    assert seen
