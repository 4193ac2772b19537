"""Issue 7: what each filing transition does, pinned, through the API as a client calls it.

For every transition: the exact number of queries of the request, exactly one timeline event of the
transition (its actor, from and to state; deadline events the transition opens or closes are the
deadline's own and counted apart), and exactly the notifications it sends. The detail page's queries
are pinned too.
"""

from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from rest_framework.test import APIClient

from portal.models import Notification, TimelineEvent
from projects.models import ProjectFiling

from .conftest import checklist_all

pytestmark = pytest.mark.django_db
TODAY = date.today()

# name: (state before, actor, body, timeline action, state after, notification kind, recipients, queries)
# Recipients by fixture name; the actor is never told of their own action.
CONTRACTS = {
    "submit": ("draft", "clerk", {}, "filing_submitted", "submitted", "filing_submitted", {"official"}, 16),
    "start_review": (
        "submitted",
        "official",
        {"reviewers": ["reviewer"]},
        "review_started",
        "in_review",
        "filing_review_assigned",
        {"reviewer"},
        31,
    ),
    "return": (
        "in_review",
        "official",
        {"comment": "请补充需求分析。"},
        "filing_returned",
        "returned",
        "filing_returned",
        {"clerk"},
        20,
    ),
    "approve": (
        "checked",
        "official",
        {"opinion": "同意建设。"},
        "filing_approved",
        "approved",
        "filing_decided",
        {"clerk", "drc_liaison"},
        22,
    ),
    "approve_with_conditions": (
        "checked",
        "official",
        {"conditions": "接入市政务云。"},
        "filing_approved_with_conditions",
        "approved_with_conditions",
        "filing_decided",
        {"clerk", "drc_liaison"},
        22,
    ),
    "reject": (
        "failed",
        "official",
        {"opinion": "需求不明确。"},
        "filing_rejected",
        "rejected",
        "filing_decided",
        {"clerk"},
        21,
    ),
    "record_approval": (
        "approved",
        "clerk",
        {"reference": "京发改〔2026〕88号", "approval_date": TODAY.isoformat()},
        "approval_recorded",
        "under_construction",
        None,
        set(),
        10,
    ),
    "request_acceptance": (
        "under_construction",
        "clerk",
        {"planned_on": TODAY.isoformat(), "place": "市交通委会议室"},
        "acceptance_requested",
        "acceptance_requested",
        "acceptance_requested",
        {"official"},
        13,
    ),
    "record_acceptance": (
        "acceptance_requested",
        "clerk",
        {
            "passed": True,
            "held_on": TODAY.isoformat(),
            "participants": "建设单位、承建单位、市经信局",
            "authority_invited": True,
            "warranty_end": (TODAY + timedelta(days=3 * 366)).isoformat(),
        },
        "acceptance_passed",
        "accepted",
        "acceptance_recorded",
        {"official"},
        23,
    ),
    "start_operation": ("accepted", "clerk", {}, "operation_started", "in_operation", None, set(), 10),
}


def _filing_in(state, make_filing, clerk, official):
    if state in ("checked", "failed"):
        filing = make_filing(clerk, "in_review")
        checklist_all(filing, official, "pass" if state == "checked" else "fail")
        return filing
    return make_filing(clerk, state)


def _events(filing):
    content_type = ContentType.objects.get_for_model(ProjectFiling)
    return TimelineEvent.objects.filter(content_type=content_type, object_id=filing.pk)


@pytest.mark.parametrize("name", list(CONTRACTS))
def test_each_transition_keeps_its_contract(
    request, name, make_filing, clerk, official, reviewer, drc_liaison, departments, django_assert_num_queries
):
    before, actor_name, body, action, after, kind, recipients, queries = CONTRACTS[name]
    filing = _filing_in(before, make_filing, clerk, official)
    actor = request.getfixturevalue(actor_name)
    if "reviewers" in body:
        body = {"reviewers": [str(request.getfixturevalue(n).uuid) for n in body["reviewers"]]}
    events_before = set(_events(filing).values_list("pk", flat=True))
    notified_before = set(Notification.objects.values_list("pk", flat=True))
    api = APIClient()
    api.force_authenticate(actor)

    with django_assert_num_queries(queries):
        response = api.post(f"/api/v1/projects/filings/{filing.uuid}/{name}/", body, format="json")

    assert response.status_code == 200, response.content.decode()
    assert response.json()["status"] == after
    new_events = _events(filing).exclude(pk__in=events_before)
    transition_events = [e for e in new_events if not e.action.startswith("deadline_")]
    assert [(e.action, e.actor_id, e.from_state, e.to_state) for e in transition_events] == [
        (action, actor.pk, before if before not in ("checked", "failed") else "in_review", after)
    ]
    notes = Notification.objects.exclude(pk__in=notified_before)
    assert {n.kind for n in notes} == ({kind} if kind else set())
    assert {n.recipient.username for n in notes} == recipients


@pytest.mark.parametrize("state", ["submitted", "in_review", "approved"])
def test_the_detail_page_runs_a_fixed_number_of_queries(
    client, state, make_filing, clerk, official, reviewer, django_assert_num_queries
):
    filing = make_filing(clerk, state)
    client.force_login(official)
    client.get(reverse("projects:filing-detail", args=[filing.uuid]))  # session, content types: warm
    with django_assert_num_queries(DETAIL_QUERIES[state]):
        response = client.get(reverse("projects:filing-detail", args=[filing.uuid]))
    assert response.status_code == 200


DETAIL_QUERIES = {"submitted": 14, "in_review": 12, "approved": 12}
