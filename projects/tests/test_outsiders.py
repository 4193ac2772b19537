"""Issue 7: one table of every filing URL, pages and API, and who must be kept out of each.

A filing not visible to the caller is 404 whatever the URL (another agency, another district, a department
liaison outside the opinion); a visible filing the caller's role may not act on is 403, before the body
or the state is looked at. Adding a URL to ``projects/urls.py`` or an action to the API without adding
it here fails ``test_the_table_covers_every_filing_url``.
"""

from datetime import date, timedelta

import pytest
from django.urls import get_resolver, reverse
from rest_framework.test import APIClient

from portal.models import Role
from projects import services
from projects.actions import FILING_ACTIONS
from projects.api.filings import FilingViewSet
from projects.rules import ReviewDimension

from .conftest import pdf_upload

pytestmark = pytest.mark.django_db

AGENCY, OFFICIAL, PARTICIPANT, EITHER, READ = "agency", "official", "participant", "agency-or-official", "read"
TODAY = date.today().isoformat()
ACCEPTANCE = {
    "passed": True,
    "held_on": TODAY,
    "participants": "各方",
    "authority_invited": True,
    "warranty_end": (date.today() + timedelta(days=800)).isoformat(),
}
# action -> (who may act, a body that would be valid)
TRANSITIONS = {
    "submit": (AGENCY, {}),
    "start_review": (OFFICIAL, {}),
    "return": (OFFICIAL, {"comment": "请补充。"}),
    "approve": (OFFICIAL, {"opinion": "同意。"}),
    "approve_with_conditions": (OFFICIAL, {"conditions": "接入政务云。"}),
    "reject": (OFFICIAL, {"opinion": "不符合。"}),
    "record_approval": (EITHER, {"reference": "京发改〔2026〕1号", "approval_date": TODAY}),
    "request_acceptance": (AGENCY, {"planned_on": TODAY, "place": "会议室"}),
    "record_acceptance": (AGENCY, ACCEPTANCE),
    "start_operation": (AGENCY, {}),
}
RECORD = "00000000-0000-4000-8000-000000000000"  # any record: the role is refused before it is looked up
CHECKLIST = {"findings": [{"dimension": d, "result": "pass"} for d in ReviewDimension.values]}


def _file():
    return {"file": pdf_upload(), "description": "附件"}


# (surface, method, path after the filing's base URL, who may, body or a callable making one)
API = [
    ("api", "get", "", READ, None),
    ("api", "patch", "", AGENCY, {"title": "改名"}),
    ("api", "put", "", AGENCY, {"title": "改名", "kind": "new"}),
    *[("api", "post", f"{name}/", who, body) for name, (who, body) in TRANSITIONS.items()],
    ("api", "get", "checklist/", READ, None),
    ("api", "post", "checklist/", OFFICIAL, CHECKLIST),
    ("api", "post", "comments/", PARTICIPANT, {"comment": "意见"}),
    ("api", "get", "timeline/", READ, None),
    ("api", "get", "attachments/", READ, None),
    ("api", "post", "attachments/", PARTICIPANT, _file),
    ("api", "get", "contractors/", READ, None),
    ("api", "post", "contractors/", AGENCY, {"role": "construction"}),
    ("api", "get", "acceptance-records/", READ, None),
    ("api", "post", "confirm_attendance/", OFFICIAL, {"record": RECORD, "attended": True}),
    ("api", "get", "opinion/", READ, None),
]
PAGES = [
    ("page", "get", "", READ, None),
    ("page", "get", "edit/basic/", AGENCY, None),
    ("page", "post", "edit/basic/", AGENCY, {"title": "改名", "kind": "new"}),
    *[
        ("page", "post", f"act/{name}/", who, {**body, "result": "passed"} if name == "record_acceptance" else body)
        for name, (who, body) in TRANSITIONS.items()
    ],
    ("page", "post", "checklist/", OFFICIAL, {f"result_{d}": "pass" for d in ReviewDimension.values}),
    ("page", "post", "documents/", PARTICIPANT, _file),
    ("page", "post", "contractors/", AGENCY, {"role": "construction"}),
    ("page", "post", "comments/", PARTICIPANT, {"comment": "意见"}),
    ("page", "post", f"acceptance/{RECORD}/attendance/", OFFICIAL, {"attended": "yes"}),
    ("page", "get", "opinion.pdf", READ, None),
]
ENDPOINTS = API + PAGES


@pytest.fixture
def chaoyang_official(make_user, chaoyang_authority):
    return make_user("chaoyang_official", chaoyang_authority, Role.DISTRICT_OFFICIAL)


@pytest.fixture
def filing(make_filing, clerk, contractor, qualified, departments):
    """Approved (so it has an opinion) and with a contractor, whose clerk then sees it."""
    filing = make_filing(clerk, "approved")
    services.filing_contractor_assign(filing=filing, actor=clerk, contractor=contractor, role="construction")
    return filing


def _call(user, filing, endpoint, contractor):
    surface, method, path, _, body = endpoint
    body = body() if callable(body) else body
    if isinstance(body, dict) and "role" in body:
        body = {**body, "contractor": str(contractor.uuid) if surface == "api" else contractor.pk}
    if surface == "api":
        client = APIClient()
        client.force_authenticate(user)
        url = f"/api/v1/projects/filings/{filing.uuid}/{path}"
        multipart = isinstance(body, dict) and "file" in body
        return getattr(client, method)(url, body, format="multipart" if multipart else "json")
    from django.test import Client

    client = Client()
    client.force_login(user)
    url = reverse("projects:filing-detail", args=[filing.uuid]) + path
    return getattr(client, method)(url, body or {})


def _mismatches(user, filing, endpoints, expected, contractor):
    wrong = []
    for endpoint in endpoints:
        status = _call(user, filing, endpoint, contractor).status_code
        if status != expected:
            wrong.append((endpoint[0], endpoint[1].upper(), endpoint[2], status))
    return wrong


@pytest.mark.parametrize("outsider", ["other_clerk", "chaoyang_official", "drc_liaison"])
def test_a_filing_is_404_at_every_url_to_whoever_may_not_see_it(request, filing, contractor, outsider):
    user = request.getfixturevalue(outsider)
    endpoints = ENDPOINTS
    if outsider == "drc_liaison":  # Art. 13 para. 3: the approving department reads the opinion, nothing else
        endpoints = [e for e in ENDPOINTS if e[2] not in ("opinion/", "opinion.pdf")]
        assert _call(user, filing, ("api", "get", "opinion/", READ, None), contractor).status_code == 200
    assert _mismatches(user, filing, endpoints, 404, contractor) == []


@pytest.mark.parametrize(
    ("caller", "kinds"),
    [
        ("contractor_clerk", {AGENCY, OFFICIAL, PARTICIPANT, EITHER}),  # sees the project it builds, acts on none
        ("clerk", {OFFICIAL}),  # the agency does not review its own filing
        ("official", {AGENCY}),  # the authority does not write the agency's filing
    ],
)
def test_a_visible_filing_is_403_at_every_url_the_role_may_not_use(request, filing, contractor, caller, kinds):
    user = request.getfixturevalue(caller)
    endpoints = [e for e in ENDPOINTS if e[3] in kinds]
    assert endpoints
    assert _mismatches(user, filing, endpoints, 403, contractor) == []


def _filing_routes():
    """Every filing URL the portal serves: the page patterns and the viewset's routes on one filing."""
    pages = {
        str(p.pattern).removeprefix("filings/<uuid:uuid>/")
        for p in get_resolver("projects.urls").url_patterns
        if str(p.pattern).startswith("filings/<uuid:uuid>/")
    }
    pages = {p.replace("<slug:step>", "basic").replace("<uuid:record>", RECORD) for p in pages}
    pages |= {f"act/{name}/" for name in FILING_ACTIONS} - {"act/<slug:action>/"}
    pages.discard("act/<slug:action>/")
    api = {f"{a.url_path}/" for a in FilingViewSet.get_extra_actions()} | {""}
    return pages, api


def test_the_table_covers_every_filing_url():
    pages, api = _filing_routes()
    assert pages <= {e[2] for e in PAGES}
    assert api <= {e[2] for e in API}
