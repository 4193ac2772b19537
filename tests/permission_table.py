"""The permission matrix, one row per object and action: who gets which status.

Columns, in this order (``tests/permission_world.py`` says who each persona is):

    official  district  reviewer  owner  other  liaison  contractor  enterprise  anonymous

A status is the HTTP status of the response; ``L`` is a redirect to the sign-in page. What the numbers mean,
everywhere in the portal:
- 404: the object is not visible to the caller (another agency's, another district's, a draft of someone else).
- 403: visible, but the caller's role may not take this action.
- 409: the caller may take the action, but not in the object's current state (refused before any write).
- 200/201/204, or 302 after a page form: the action succeeds (undone after the request).
- 400: the caller may act and the state allows it; the body the row sends is refused on its merits.
- 401 (API) / L (pages): not signed in.

A row's ``url`` is a format string over the object ``o`` and the world ``w``; ``body`` a dict or a callable
of the world (for uploads and references to other objects).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from projects.rules import ReviewDimension

REVIEW_DIMENSIONS = ReviewDimension.values

LOGIN = "L"
COLUMNS = ("official", "district", "reviewer", "owner", "other", "liaison", "contractor", "enterprise", "anonymous")


@dataclass(frozen=True)
class Row:
    thing: str
    method: str
    path: str
    expect: str
    body: Any = None
    note: str = ""

    @property
    def api(self) -> bool:
        return self.path.startswith("/api/")

    @property
    def id(self) -> str:
        return f"{self.thing}:{self.method.upper()}:{self.path}"

    def url(self, obj, world) -> str:
        return self.path.format(o=obj, w=world)


def expected_statuses(row: Row) -> dict[str, str]:
    tokens = row.expect.split()
    assert len(tokens) == len(COLUMNS), f"{row.id}: {len(tokens)} statuses for {len(COLUMNS)} personas"
    return dict(zip(COLUMNS, tokens, strict=True))


def rows(thing: str, table: list[tuple]) -> list[Row]:
    return [Row(thing, *entry) for entry in table]


def page_read(expect: str) -> str:
    """The page form of an API read's statuses: not signed in redirects to sign-in."""
    return " ".join(LOGIN if token == "401" else token for token in expect.split())


def page_statuses(expect: str) -> str:
    """The page form of an API row's statuses: success redirects to the object, not signed in to sign-in."""
    page = {"200": "302", "201": "302", "204": "302", "401": LOGIN}
    return " ".join(page.get(token, token) for token in expect.split())


def actions(thing: str, base: str, table: dict[str, tuple], *, page: bool = False) -> list[Row]:
    """One row per transition: ``{name: (statuses as the API answers, body)}`` posted to ``base + name + "/"``;
    ``page``: the same transition on the page (statuses through ``page_statuses``)."""
    return [
        Row(thing, "post", f"{base}{name}/", page_statuses(expect) if page else expect, body)
        for name, (expect, body) in table.items()
    ]


def _pdf(_w):
    from .permission_world import pdf

    return {"file": pdf(), "description": "附件"}


TODAY = date.today().isoformat()
LATER = (date.today() + timedelta(days=20)).isoformat()
RECORD = "00000000-0000-4000-8000-000000000000"  # any record: the role is refused before it is looked up

# Statuses that recur. Columns: official district reviewer owner other liaison contractor enterprise anonymous.
# The approved filing: the authority's staff, the agency and the contractor building it see it; nobody else.
FILING_READ = "200 404 200 200 404 404 200 404 401"
AGENCY_WRITE = "403 404 403 {} 404 404 403 404 401"  # the agency writes; the authority and the contractor may not
OFFICIAL_WRITE = "{} 404 403 403 404 404 403 404 401"  # the deciding official; never the agency, an unassigned reviewer
PARTICIPANT_WRITE = "{} 404 403 {} 404 404 403 404 401"  # the agency and the official (and an assigned reviewer)

# --- Chapter 2: filings. The approved filing (its contractor assigned) at every URL, pages and API ----------

ACCEPTANCE = {
    "passed": True,
    "held_on": TODAY,
    "participants": "各方",
    "authority_invited": True,
    "warranty_end": (date.today() + timedelta(days=800)).isoformat(),
}
# On an approved filing: only recording the approval (agency or official, Art. 13) is open now; the rest of the
# agency's and the official's steps are refused by the state (409) to those whose role may take them.
FILING_TRANSITIONS = {
    "submit": (AGENCY_WRITE.format(409), {}),
    "start_review": (OFFICIAL_WRITE.format(409), {"self_review": True}),
    "return": (OFFICIAL_WRITE.format(409), {"comment": "请补充。"}),
    "approve": (OFFICIAL_WRITE.format(409), {"opinion": "同意。"}),
    "approve_with_conditions": (OFFICIAL_WRITE.format(409), {"conditions": "接入政务云。"}),
    "reject": (OFFICIAL_WRITE.format(409), {"opinion": "不符合。"}),
    "record_approval": (PARTICIPANT_WRITE.format(200, 200), {"reference": "京发改〔2026〕1号", "approval_date": TODAY}),
    "request_acceptance": (AGENCY_WRITE.format(409), {"planned_on": TODAY, "place": "会议室"}),
    "record_acceptance": (AGENCY_WRITE.format(409), ACCEPTANCE),
    "start_operation": (AGENCY_WRITE.format(409), {}),
}
CHECKLIST = {"findings": [{"dimension": d, "result": "pass"} for d in REVIEW_DIMENSIONS]}
FILING_API = "/api/v1/projects/filings/{o.uuid}/"
FILING_PAGE = "/projects/filings/{o.uuid}/"
FILING_URLS = [
    ("get", FILING_API, FILING_READ),
    ("patch", FILING_API, AGENCY_WRITE.format(409), {"title": "改名"}),  # the agency edits drafts only
    ("put", FILING_API, AGENCY_WRITE.format(409), {"title": "改名", "kind": "new"}),
    ("get", FILING_API + "checklist/", FILING_READ),
    ("post", FILING_API + "checklist/", OFFICIAL_WRITE.format(409), CHECKLIST),  # the review is over
    ("post", FILING_API + "comments/", PARTICIPANT_WRITE.format(201, 201), {"comment": "意见"}),
    ("get", FILING_API + "timeline/", FILING_READ),
    ("get", FILING_API + "attachments/", FILING_READ),
    ("post", FILING_API + "attachments/", PARTICIPANT_WRITE.format(201, 201), _pdf),
    ("get", FILING_API + "contractors/", FILING_READ),
    (
        "post",
        FILING_API + "contractors/",
        AGENCY_WRITE.format(201),
        lambda w: {"role": "construction", "contractor": str(w.orgs.contractor.uuid)},
    ),
    ("get", FILING_API + "acceptance-records/", FILING_READ),
    # The official may confirm attendance; no such acceptance record: 404 after the role check.
    ("post", FILING_API + "confirm_attendance/", OFFICIAL_WRITE.format(404), {"record": RECORD, "attended": True}),
    # Art. 13 para. 3: the approving department's liaison reads the opinion, nothing else.
    ("get", FILING_API + "opinion/", "200 404 200 200 404 200 200 404 401"),
    ("get", FILING_PAGE, page_read(FILING_READ)),
    ("get", FILING_PAGE + "edit/basic/", page_read(AGENCY_WRITE.format(200))),
    ("post", FILING_PAGE + "edit/basic/", page_statuses(AGENCY_WRITE.format(302)), {"title": "改名", "kind": "new"}),
    (
        "post",
        FILING_PAGE + "checklist/",
        page_statuses(OFFICIAL_WRITE.format(409)),
        {f"result_{d}": "pass" for d in REVIEW_DIMENSIONS},
    ),
    ("post", FILING_PAGE + "documents/", page_statuses(PARTICIPANT_WRITE.format(302, 302)), _pdf),
    (
        "post",
        FILING_PAGE + "contractors/",
        page_statuses(AGENCY_WRITE.format(302)),
        lambda w: {"role": "construction", "contractor": w.orgs.contractor.pk},
    ),
    ("post", FILING_PAGE + "comments/", page_statuses(PARTICIPANT_WRITE.format(302, 302)), {"comment": "意见"}),
    (
        "post",
        FILING_PAGE + f"acceptance/{RECORD}/attendance/",
        page_statuses(OFFICIAL_WRITE.format(404)),
        {"attended": "yes"},
    ),
    ("get", FILING_PAGE + "opinion.pdf", page_read("200 404 200 200 404 200 200 404 401")),
]
APPLICATION_ACTIONS = {
    "submit": (AGENCY_WRITE.format(409).replace("403 404 401", "404 404 401"), {}),
    "approve": ("200 404 403 403 404 404 404 404 401", {"comment": "同意。"}),
    "refuse": ("200 404 403 403 404 404 404 404 401", {"reason": "不符合。"}),
}
# A submitted application: the agency and the authority's staff see it (the contractor builds no part of it).
APPLICATION_READ = "200 404 200 200 404 404 404 404 401"
RESOURCE_ANYONE = "200 200 200 200 200 200 200 200 401"  # a published, open resource: every signed-in user
RESOURCE_PROVIDER = "403 403 403 {} 403 403 403 403 401"
RESOURCE_OFFICIAL = "{} 403 403 403 403 403 403 403 401"
RESOURCE_EITHER = "{} 403 403 {} 403 403 403 403 401"
# The sharing request of the health commission to the transport commission (the provider).
SHARING_READ = "200 404 200 200 404 404 404 404 401"
SHARING_PROVIDER = "403 404 403 {} 404 404 404 404 401"
SHARING_REQUESTER = "403 404 403 403 404 404 404 404 401"  # no persona is the requester
# A disclosure application to the transport commission: its staff act; the authority's staff read (supervision).
DISCLOSURE_READ = "200 404 200 200 404 404 404 404 401"
DISCLOSURE_STAFF = "403 404 403 {} 404 404 404 404 401"
SECURITY_READ = "200 404 200 200 404 404 404 404 401"
SECURITY_OPERATOR = "403 404 403 {} 404 404 404 404 401"
SECURITY_OFFICIAL = "{} 404 403 403 404 404 404 404 401"
# Enforcement is the authority's: findings are the officials' (not reviewers'); the party reads its own case
# and may ask for a hearing (403 elsewhere).
FINDING_OFFICIAL = "{} 404 404 404 404 404 404 404 401"
CASE_OFFICIAL = "{} 404 404 404 404 404 403 404 401"
# The Haidian plan in the city's conformity review: the city's staff read it; Chaoyang's official does not.
PLAN_READ = "200 404 200 404 404 404 404 404 404"  # the plans API is public for published plans: 404, not 401
PLAN_CITY_REVIEW = "{} 404 403 404 404 404 404 404 401"
PLAN_DRAFTER = "403 404 403 404 404 404 404 404 401"  # Haidian's official (not a persona) records and publishes
EVERYONE = "200 200 200 200 200 200 200 200 200"
STANDARD_MANAGE = "{} 403 403 403 403 403 403 403 401"

ROWS: list[Row] = [
    *rows("filing", FILING_URLS),
    *actions("filing", FILING_API, FILING_TRANSITIONS),
    *actions(
        "filing",
        FILING_PAGE + "act/",
        {
            name: (expect, {**body, "result": "passed"} if name == "record_acceptance" else body)
            for name, (expect, body) in FILING_TRANSITIONS.items()
        },
        page=True,
    ),
    # A draft is the agency's own; a submitted filing waits for the authority to take it.
    *rows(
        "filing_draft",
        [
            ("get", FILING_API, "404 404 404 200 404 404 404 404 401"),
            ("get", FILING_PAGE, "404 404 404 200 404 404 404 404 L"),
            ("post", FILING_API + "submit/", "404 404 404 200 404 404 404 404 401", {}),
        ],
    ),
    *rows(
        "filing_submitted",
        [
            ("get", FILING_API, APPLICATION_READ),
            ("post", FILING_API + "start_review/", "200 404 403 403 404 404 404 404 401", {"self_review": True}),
            # Returning is the official's or an assigned reviewer's: not this reviewer's.
            ("post", FILING_API + "return/", "200 404 403 403 404 404 404 404 401", {"comment": "请补充。"}),
            ("post", FILING_PAGE + "act/start_review/", "302 404 403 403 404 404 404 404 L", {"self_review": "on"}),
        ],
    ),
    # Arts. 29-30: network access and domain applications, submitted and waiting for the decision.
    *[
        row
        for kind, api in (("network", "network-applications"), ("domain", "domain-applications"))
        for row in [
            Row(f"{kind}_application", "get", f"/api/v1/projects/{api}/{{o.uuid}}/", APPLICATION_READ),
            Row(
                f"{kind}_application",
                "get",
                f"/projects/applications/{kind}/{{o.uuid}}/",
                page_read(APPLICATION_READ),
            ),
            *actions(f"{kind}_application", f"/api/v1/projects/{api}/{{o.uuid}}/", APPLICATION_ACTIONS),
            # The page answers a refusal by the state with the detail page and a message (302, nothing written).
            *actions(
                f"{kind}_application",
                f"/projects/applications/{kind}/{{o.uuid}}/",
                {**APPLICATION_ACTIONS, "submit": ("403 404 403 200 404 404 404 404 401", {})},
                page=True,
            ),
        ]
    ],
    # Art. 12: every signed-in user reads the annual plan; its authority alone changes it (403 before the body).
    *rows(
        "annual_plan",
        [
            ("get", "/api/v1/projects/annual-plans/{o.uuid}/", RESOURCE_ANYONE),
            ("get", "/api/v1/projects/annual-plans/{o.uuid}/items/", RESOURCE_ANYONE),
            (
                "post",
                "/api/v1/projects/annual-plans/{o.uuid}/items/",
                RESOURCE_OFFICIAL.format(201),
                lambda w: {"title": "新增项目", "agency": str(w.orgs.agency.uuid), "kind": "new", "budget": 10},
            ),
            ("get", "/projects/plans/{o.uuid}/", page_read(RESOURCE_ANYONE)),
            ("get", "/api/v1/projects/annual-plan-items/{w.plan_item.uuid}/", RESOURCE_ANYONE),
            (
                "post",
                "/api/v1/projects/annual-plan-items/{w.plan_item.uuid}/link/",
                RESOURCE_OFFICIAL.format(200),
                lambda w: {"filing": str(w.filing.uuid)},
            ),
            ("delete", "/api/v1/projects/annual-plan-items/{w.plan_item.uuid}/", RESOURCE_OFFICIAL.format(204)),
        ],
    ),
    # Art. 11 findings are the authority's staff's.
    *rows(
        "compliance_finding", [("get", "/api/v1/projects/findings/{o.uuid}/", "200 404 200 404 404 404 404 404 401")]
    ),
    # --- Chapter 3: the catalog, sharing, disclosure ---------------------------------------------------------
    *rows(
        "resource",
        [
            ("get", "/api/v1/resources/catalog/{o.uuid}/", RESOURCE_ANYONE),
            ("patch", "/api/v1/resources/catalog/{o.uuid}/", RESOURCE_PROVIDER.format(409), {"summary": "改写"}),
            ("get", "/resources/catalog/{o.uuid}/", page_read(RESOURCE_ANYONE)),
            # A published resource is changed through a new version: the edit page sends its provider there.
            ("get", "/resources/catalog/{o.uuid}/edit/", page_read(RESOURCE_PROVIDER.format(302))),
            # Another agency requests it (Art. 21); not its own provider, not the authority, not a company.
            ("get", "/resources/catalog/{o.uuid}/request/", "403 403 403 403 200 403 403 403 L"),
            ("get", "/resources/open/{o.uuid}/", EVERYONE),
        ],
    ),
    # Not open to the public: the catalog is the government's (Art. 21); a department liaison reads opinions,
    # not the catalog; companies and the public see only what is open.
    *rows(
        "resource_closed",
        [
            ("get", "/api/v1/resources/catalog/{o.uuid}/", "200 200 200 200 200 404 404 404 401"),
            ("get", "/resources/catalog/{o.uuid}/", "200 200 200 200 200 404 404 404 L"),
            ("get", "/resources/open/{o.uuid}/", "404 404 404 404 404 404 404 404 404"),
        ],
    ),
    *actions(
        "resource",
        "/api/v1/resources/catalog/{o.uuid}/",
        {
            "submit": (RESOURCE_PROVIDER.format(409), {}),
            "publish": (RESOURCE_OFFICIAL.format(409), {}),
            "return": (RESOURCE_OFFICIAL.format(409), {"reason": "请补充。"}),
            "revise": (RESOURCE_PROVIDER.format(200), {}),
            "record_update": (RESOURCE_PROVIDER.format(200), {"updated_on": TODAY}),
            "review_justification": (RESOURCE_OFFICIAL.format(409), {"accepted": True}),
            "retire": (RESOURCE_EITHER.format(200, 200), {"reason": "停用。"}),
        },
    ),
    *actions(
        "resource",
        "/resources/catalog/{o.uuid}/act/",
        {
            "submit": (RESOURCE_PROVIDER.format(409), {}),
            "publish": (RESOURCE_OFFICIAL.format(409), {}),
            "revise": (RESOURCE_PROVIDER.format(200), {}),
            "retire": (RESOURCE_EITHER.format(200, 200), {"reason": "停用。"}),
        },
        page=True,
    ),
    *rows(
        "sharing_request",
        [
            ("get", "/api/v1/resources/sharing-requests/{o.uuid}/", SHARING_READ),
            ("get", "/resources/sharing/{o.uuid}/", page_read(SHARING_READ)),
        ],
    ),
    *actions(
        "sharing_request",
        "/api/v1/resources/sharing-requests/{o.uuid}/",
        {
            "agree": (SHARING_PROVIDER.format(200), {"comment": "同意。"}),
            "counter": (
                SHARING_PROVIDER.format(200),
                lambda w: {
                    "items": [str(i.uuid) for i in w.resource.items.all()[:1]],
                    "method": "interface",
                    "period_end": LATER,
                    "reason": "缩短期限。",
                },
            ),
            # Art. 21: an unconditional resource is never refused: the provider's refusal is 400 on its merits.
            "refuse": (SHARING_PROVIDER.format(400), {"reason": "不便。"}),
            "accept": (SHARING_REQUESTER, {}),
            "revise": (
                SHARING_REQUESTER,
                lambda w: {
                    "items": [str(i.uuid) for i in w.resource.items.all()[:1]],
                    "scope": "范围",
                    "purpose": "用途",
                    "method": "interface",
                    "period_end": LATER,
                },
            ),
            "escalate": (SHARING_REQUESTER, {"reason": "协调。"}),
            # The authority decides an escalated request: not yet escalated.
            "decide": ("409 404 403 403 404 404 404 404 401", {"grant": True, "reason": "应当共享。"}),
            "withdraw": (SHARING_REQUESTER, {}),
        },
    ),
    *actions(
        "sharing_request",
        "/resources/sharing/{o.uuid}/act/",
        {
            "agree": (SHARING_PROVIDER.format(200), {"comment": "同意。"}),
            "withdraw": (SHARING_REQUESTER, {"reason": "不再需要。"}),
            "escalate": (SHARING_REQUESTER, {"reason": "协调。"}),
        },
        page=True,
    ),
    *rows(
        "disclosure_application",
        [
            ("get", "/api/v1/disclosure/applications/{o.uuid}/", DISCLOSURE_READ),
            ("get", "/disclosure/applications/{o.uuid}/", page_read(DISCLOSURE_READ)),
            # No letter before the reply: 404 to everyone.
            ("get", "/disclosure/applications/{o.uuid}/letter/", "404 404 404 404 404 404 404 404 L"),
        ],
    ),
    *actions(
        "disclosure_application",
        "/api/v1/disclosure/applications/{o.uuid}/",
        {
            "confirm_receipt": (DISCLOSURE_STAFF.format(409), {}),  # recorded on receipt already
            "correction_notice": (DISCLOSURE_STAFF.format(200), {"request": "请补充身份证明。"}),
            "correction_received": (DISCLOSURE_STAFF.format(409), {"received_on": TODAY}),
            "extend": (DISCLOSURE_STAFF.format(200), {"reason": "需要检索。"}),
            "consult": (DISCLOSURE_STAFF.format(200), {"party": "第三方", "third_party": True}),
            "consultation_answered": (DISCLOSURE_STAFF.format(409), {"comment": "同意公开。"}),
            "reply": (DISCLOSURE_STAFF.format(200), {"response_type": "disclosed", "text": "予以公开。"}),
        },
    ),
    *actions(
        "disclosure_application",
        "/disclosure/applications/{o.uuid}/",
        {
            "extend": (DISCLOSURE_STAFF.format(200), {"extend-reason": "需要检索。", "extend-days": 20}),
            "reply": (DISCLOSURE_STAFF.format(200), {"reply-response_type": "disclosed", "reply-text": "予以公开。"}),
        },
        page=True,
    ),
    *rows(
        "disclosure_entry",
        [
            ("get", "/api/v1/disclosure/catalog/{o.uuid}/", EVERYONE),
            ("get", "/disclosure/agencies/{o.agency.uuid}/catalog/{o.index_number}/", EVERYONE),
            ("get", "/disclosure/agencies/{o.agency.uuid}/catalog/new/", page_read(RESOURCE_PROVIDER.format(200))),
        ],
    ),
    # --- Chapter 5: security. The operator's systems; the authority's staff read them -------------------------
    *rows(
        "system",
        [
            ("get", "/api/v1/security/systems/{o.uuid}/", SECURITY_READ),
            ("get", "/security/systems/{o.uuid}/", page_read(SECURITY_READ)),
            ("get", "/security/systems/{o.uuid}/grade/", page_read(SECURITY_OPERATOR.format(200))),
            ("get", "/security/systems/{o.uuid}/evaluations/new/", page_read(SECURITY_OPERATOR.format(200))),
        ],
    ),
    *rows(
        "grading",
        [
            ("get", "/api/v1/security/gradings/{o.uuid}/", SECURITY_READ),
            ("get", "/security/gradings/{o.uuid}/", page_read(SECURITY_READ)),
            # No certificate before approval: 404 to everyone.
            ("get", "/security/gradings/{o.uuid}/certificate.pdf", "404 404 404 404 404 404 404 404 L"),
        ],
    ),
    *actions(
        "grading",
        "/api/v1/security/gradings/{o.uuid}/",
        {
            "submit": (SECURITY_OPERATOR.format(409), {}),
            # A supervising agency's approval: the transport commission has no supervisor here.
            "supervisor_approve": (SECURITY_OPERATOR.format(403), {}),
            "approve": (SECURITY_OFFICIAL.format(200), {}),
            "return": (SECURITY_OFFICIAL.format(200), {"comment": "请补充。"}),
        },
    ),
    *actions(
        "grading",
        "/security/gradings/{o.uuid}/act/",
        {
            "approve": (SECURITY_OFFICIAL.format(200), {}),
            "return": (SECURITY_OFFICIAL.format(200), {"return-comment": "请补充。"}),
        },
        page=True,
    ),
    *rows("evaluation", [("get", "/api/v1/security/evaluations/{o.uuid}/", SECURITY_READ)]),
    *rows(
        "incident",
        [
            ("get", "/api/v1/security/incidents/{o.uuid}/", SECURITY_READ),
            ("get", "/security/incidents/{o.uuid}/", page_read(SECURITY_READ)),
        ],
    ),
    *actions(
        "incident",
        "/api/v1/security/incidents/{o.uuid}/",
        {
            "follow_up": (SECURITY_OPERATOR.format(200), {"text": "已加固。"}),
            "end_handling": (SECURITY_OPERATOR.format(200), {}),
            "close": (SECURITY_OPERATOR.format(409), {"summary": "已处置完毕。"}),  # handling has not ended
        },
    ),
    # --- Chapters 6-7: enforcement ---------------------------------------------------------------------------
    *rows(
        "finding",
        [
            ("get", "/api/v1/enforcement/findings/{o.uuid}/", FINDING_OFFICIAL.format(200)),
            ("get", "/enforcement/findings/{o.uuid}/", page_read(FINDING_OFFICIAL.format(200))),
        ],
    ),
    *actions(
        "finding",
        "/api/v1/enforcement/findings/{o.uuid}/",
        {
            "open_case": (
                FINDING_OFFICIAL.format(200),
                lambda w: {"officers": [str(w.users["official"].uuid), str(w.officer.uuid)]},
            ),
            "dismiss": (FINDING_OFFICIAL.format(200), {"reason": "情节轻微。"}),
        },
    ),
    *actions(
        "finding",
        "/enforcement/findings/{o.uuid}/act/",
        {"dismiss": (FINDING_OFFICIAL.format(200), {"reason": "情节轻微。"})},
        page=True,
    ),
    *rows(
        "case",
        [
            ("get", "/api/v1/enforcement/cases/{o.uuid}/", "200 404 404 404 404 404 200 404 401"),
            ("get", "/enforcement/cases/{o.uuid}/", "200 404 404 404 404 404 200 404 L"),
            # No notice or decision yet: 404 to everyone.
            ("get", "/enforcement/cases/{o.uuid}/notice.pdf", "404 404 404 404 404 404 404 404 L"),
            ("get", "/enforcement/cases/{o.uuid}/decision.pdf", "404 404 404 404 404 404 404 404 L"),
            ("post", "/enforcement/cases/{o.uuid}/evidence/", page_statuses(CASE_OFFICIAL.format(302)), _pdf),
        ],
    ),
    *actions(
        "case",
        "/api/v1/enforcement/cases/{o.uuid}/",
        {
            "investigate": (CASE_OFFICIAL.format(200), {}),
            "notify": (
                CASE_OFFICIAL.format(409),
                {"sanctions": [{"kind": "warning", "amount": None, "serious_reasons": ""}]},
            ),
            # The party asks for a hearing (not before the notice: 409 to the party too).
            "request_hearing": ("409 404 404 404 404 404 409 404 401", {}),
            "schedule_hearing": (CASE_OFFICIAL.format(409), {"hearing_date": LATER}),
            "hold_hearing": (CASE_OFFICIAL.format(409), {"record": "听证笔录"}),
            "decide": (
                CASE_OFFICIAL.format(409),
                {"sanctions": [{"kind": "warning", "amount": None, "serious_reasons": ""}]},
            ),
            "serve": (CASE_OFFICIAL.format(409), {}),
            "execute": (CASE_OFFICIAL.format(409), {}),
            "record_payment": (CASE_OFFICIAL.format(409), {"paid_on": TODAY, "amount": "100"}),
            "record_reinspection": (CASE_OFFICIAL.format(409), {"corrected": True, "result": "已改正。"}),
            "publish": (CASE_OFFICIAL.format(409), {}),
            "close": (CASE_OFFICIAL.format(409), {}),
            "not_penalize": (CASE_OFFICIAL.format(200), {"reason": "情节轻微。"}),
            "refer": (CASE_OFFICIAL.format(200), {"body": "public_security", "reason": "涉嫌犯罪。"}),
            "revoke": (CASE_OFFICIAL.format(409), {"reason": "撤销。"}),
            # No decision period to extend before the investigation: refused on its merits.
            "extend_decision": (
                CASE_OFFICIAL.format(400),
                {"new_due_date": LATER, "reason": "案情复杂。", "approval_reference": "批准文号"},
            ),
        },
    ),
    *actions(
        "case",
        "/enforcement/cases/{o.uuid}/act/",
        {"investigate": (CASE_OFFICIAL.format(200), {}), "close": (CASE_OFFICIAL.format(409), {})},
        page=True,
    ),
    # --- Chapters 1 and 4: plans and standards ------------------------------------------------------------------
    *rows(
        "plan",
        [
            ("get", "/api/v1/portal/plans/{o.uuid}/", PLAN_READ),
            ("get", "/planning/plans/{o.uuid}/", "200 404 200 404 404 404 404 404 L"),
            # The text is the drafter's (Haidian's): the city's official may not add a version.
            ("post", "/planning/plans/{o.uuid}/versions/", page_statuses(PLAN_DRAFTER), {"note": "再改"}),
            ("get", "/plans/{o.uuid}/", "404 404 404 404 404 404 404 404 404"),  # unpublished
        ],
    ),
    *actions(
        "plan",
        "/api/v1/portal/plans/{o.uuid}/",
        {
            "submit_for_review": (PLAN_DRAFTER, {}),
            "confirm_conformity": (PLAN_CITY_REVIEW.format(200), {"opinion": "符合本市规划。"}),
            "return_for_revision": (PLAN_CITY_REVIEW.format(200), {"opinion": "请修改。"}),
            "record_approval": (PLAN_DRAFTER, {"approval_reference": "海政发〔2026〕1号", "approval_date": TODAY}),
            "publish": (PLAN_DRAFTER, {}),
        },
    ),
    *actions(
        "plan",
        "/planning/plans/{o.uuid}/act/",
        {
            "confirm_conformity": (PLAN_CITY_REVIEW.format(200), {"opinion": "符合本市规划。"}),
            "return_for_revision": (PLAN_CITY_REVIEW.format(200), {"opinion": "请修改。"}),
        },
        page=True,
    ),
    *rows("city_plan", [("get", "/plans/{o.uuid}/", EVERYONE), ("get", "/api/v1/portal/plans/{o.uuid}/", EVERYONE)]),
    *rows(
        "standard",
        [
            ("get", "/api/v1/portal/standards/{o.uuid}/", EVERYONE),
            ("patch", "/api/v1/portal/standards/{o.uuid}/", STANDARD_MANAGE.format(200), {"title": "改名"}),
            (
                "post",
                "/api/v1/portal/standards/{o.uuid}/withdraw/",
                STANDARD_MANAGE.format(200),
                {"withdrawn_on": TODAY},
            ),
            (
                "post",
                "/planning/standards/{o.uuid}/withdraw/",
                page_statuses(STANDARD_MANAGE.format(200)),
                {"withdrawn_on": TODAY},
            ),
            ("get", "/standards/{o.uuid}/", EVERYONE),
        ],
    ),
]

# Object URLs with no row yet, each with the reason. ``test_every_url_naming_an_object_is_in_the_table_or_
# listed_as_not_yet`` fails for a new object URL until it has rows here or a line below; give it rows.
_SHARED = "portal core, shared by every chapter: a world of its own (deadlines, notifications, attachments)"
_ORGS = "organizations: the directory, covered by portal/tests/test_organizations.py"
_PUBLIC = "public by design: anyone reads it, there is nothing to keep out"
NOT_YET: dict[str, str] = {
    "api/v1/deadlines/(?P<id>[^/.]+)/$": _SHARED,
    "deadlines/<uuid:uuid>/": _SHARED,
    "deadlines/<uuid:uuid>/extend/": _SHARED,
    "deadlines/<uuid:uuid>/waive/": _SHARED,
    "notifications/<uuid:uuid>/open/": _SHARED,
    "notifications/<uuid:uuid>/read/": _SHARED,
    "api/v1/attachments/<uuid:id>/": _SHARED,
    "attachments/<uuid:uuid>/": _SHARED,
    "api/v1/organizations/(?P<id>[^/.]+)/$": _ORGS,
    "organizations/<uuid:uuid>/": _ORGS,
    "organizations/<uuid:uuid>/attachments/": _ORGS,
    "organizations/<uuid:uuid>/edit/": _ORGS,
    "api/v1/projects/connected-systems/(?P<id>[^/.]+)/$": "registers (Art. 29): not yet in the world",
    "api/v1/projects/connected-systems/(?P<id>[^/.]+)/connect/$": "registers (Art. 29): not yet in the world",
    "projects/registers/systems/<uuid:uuid>/connect/": "registers (Art. 29): not yet in the world",
    "api/v1/projects/private-networks/(?P<id>[^/.]+)/$": "private networks (Art. 29): not yet in the world",
    "projects/private-networks/<uuid:uuid>/<slug:action>/": "private networks (Art. 29): not yet in the world",
    "api/v1/projects/websites/(?P<id>[^/.]+)/$": "websites (Art. 30): not yet in the world",
    "api/v1/projects/qualifications/(?P<id>[^/.]+)/$": "qualifications (Art. 11): not yet in the world",
    "api/v1/projects/qualifications/(?P<id>[^/.]+)/verify/$": "qualifications (Art. 11): not yet in the world",
    "projects/qualifications/<uuid:uuid>/verify/": "qualifications (Art. 11): not yet in the world",
    "api/v1/resources/grants/(?P<id>[^/.]+)/$": "sharing grants: not yet in the world",
    "api/v1/resources/grants/(?P<id>[^/.]+)/revoke/$": "sharing grants: not yet in the world",
    "resources/grants/<uuid:uuid>/revoke/": "sharing grants: not yet in the world",
    "api/v1/disclosure/guides/(?P<id>[^/.]+)/$": _PUBLIC,
    "disclosure/agencies/<uuid:uuid>/": _PUBLIC,
    "disclosure/agencies/<uuid:uuid>/guide/versions/": _PUBLIC,
    "disclosure/agencies/<uuid:uuid>/guide/edit/": "disclosure guides: not yet in the world",
    "disclosure/enterprises/<uuid:uuid>/": _PUBLIC,
    "disclosure/enterprises/<uuid:uuid>/edit/": "public-enterprise disclosure (Art. 20): not yet in the world",
    "disclosure/enterprises/<uuid:uuid>/remind/": "public-enterprise disclosure (Art. 20): not yet in the world",
    "disclosure/reports/<uuid:uuid>/": "annual disclosure reports: not yet in the world",
    "disclosure/reports/<uuid:uuid>/pdf/": "annual disclosure reports: not yet in the world",
    "api/v1/security/bulletins/(?P<id>[^/.]+)/$": "security bulletins: not yet in the world",
    "api/v1/security/bulletins/(?P<id>[^/.]+)/acknowledge/$": "security bulletins: not yet in the world",
    "api/v1/security/bulletins/(?P<id>[^/.]+)/remind/$": "security bulletins: not yet in the world",
    "security/bulletins/<uuid:uuid>/": "security bulletins: not yet in the world",
    "security/plans/<uuid:uuid>/": "emergency plans (Art. 34): not yet in the world",
    "api/v1/enforcement/decisions/(?P<id>[^/.]+)/$": _PUBLIC + " (published decisions, Art. 41)",
    "public/penalties/<uuid:uuid>/": _PUBLIC + " (published decisions, Art. 41)",
    "planning/recognition/<slug:kind>/<uuid:uuid>/publish/": "recognition (Art. 40): not yet in the world",
    "plans/documents/<uuid:uuid>/": _PUBLIC + " (the published plan's text)",
}
