"""The dashboard's to-do panel: what is waiting for this user to act on."""

from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.db.models import (
    Count,
    DateField,
    F,
    Q,
    Value,
    Window,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.access import scope_for
from portal.models import District, Level
from projects.models import (
    ApplicationStatus,
    DomainApplication,
    FilingStatus,
    NetworkAccessApplication,
)
from projects.permissions import AGENCY_ROLES, is_city_official, is_deciding_official
from projects.selectors.filings import filings_visible_to, reviewer_grants_q
from projects.selectors.scope import _scoped

# --- The dashboard's to-do panel: what is waiting for this user to act on


@dataclass(frozen=True)
class Task:
    """One item of the user's work queue: the object, the action it waits for, and its due date if any."""

    title: str
    url: str
    kind: str
    action: str
    agency: str
    status: str
    due_date: date | None
    waiting_since: datetime | None


@dataclass(frozen=True)
class TaskQueue:
    items: list[Task]
    total: int
    # True when a kind had more than TASK_COUNT_CAP items: ``total`` is then a lower bound ("300+").
    capped: bool = False


TASKS_SHOWN = 10
# Each kind's total is shown up to this many ("100+"): the panel is a work list, not a report. (The
# matches are all read to find the most urgent, so they are counted in the same pass.)
TASK_COUNT_CAP = 100


# Agency actions by state: the next step the building agency takes (projects/services/filings.py).
AGENCY_TASKS = {
    FilingStatus.DRAFT: _("继续填写并提交"),
    FilingStatus.RETURNED: _("按审查意见修改后重新提交"),
    FilingStatus.APPROVED: _("登记审批部门的批复文号"),
    FilingStatus.APPROVED_WITH_CONDITIONS: _("登记审批部门的批复文号"),
    # Art. 14: the agency holds the acceptance, inviting the authority when government-invested.
    FilingStatus.ACCEPTANCE_REQUESTED: _("组织竣工验收并登记结果"),
    FilingStatus.RECTIFYING: _("整改后重新申请验收"),
}


TASK_START_REVIEW = _("受理并分派审查")


TASK_CHECKLIST = _("填写各项审查要点")


TASK_DECIDE = _("作出并签发审查结论")


TASK_DECIDE_APPLICATION = _("审查申请")


TASK_SUBMIT_APPLICATION = _("继续填写并提交申请")


# Shown on each row so an official can tell a filing from a network or domain application at a glance.
TASK_KINDS = {"filing": _("工程备案"), "network": _("网络接入申请"), "domain": _("域名申请")}


def _deciding_q(user, level_field: str = "level", district_field: str = "district") -> Q | None:
    """Rows whose level the user decides (Art. 13: the same-level authority), from is_deciding_official."""
    q = None
    if is_deciding_official(user, level=Level.CITY, district=""):
        q = Q(**{level_field: Level.CITY})
    districts = [d for d in District.values if is_deciding_official(user, level=Level.DISTRICT, district=d)]
    if districts:
        district_q = Q(**{level_field: Level.DISTRICT, f"{district_field}__in": districts})
        q = district_q if q is None else q | district_q
    return q


def _agency_member_q(scope) -> Q | None:
    """Rows of the agencies (or their units) where the user is a clerk or manager, as is_agency_member."""
    ids = {org for org, role in scope.grants if role in AGENCY_ROLES}
    if not ids:
        return None
    return Q(agency_id__in=scope.units_of(ids))


def _or(*qs: Q | None) -> Q | None:
    present = [q for q in qs if q is not None]
    if not present:
        return None
    combined = present[0]
    for q in present[1:]:
        combined |= q
    return combined


# Orders like ``due ASC NULLS LAST`` without matching the ``review_due_date`` index: walking that index
# with the to-do filter read most of the table before it found ten rows (500 ms at city scale); sorting the
# matches found by the status indexes follows the number of matches instead.
NO_DUE_DATE = date(9999, 12, 31)


def _urgency_order():
    return [
        Coalesce("due", Value(NO_DUE_DATE, output_field=DateField())).asc(),
        F("since").asc(nulls_last=True),
        "id",
    ]


# What a filing task shows and decides by (``_filing_tasks``).
TASK_FIELDS = ("uuid", "title", "status", "checklist_complete", "review_due_date", "submitted_at", "created_at")


def _filing_tasks(user, scope, limit: int) -> tuple[list[Task], int]:
    agency_q = _agency_member_q(scope)
    deciding_q = _deciding_q(user)
    reviewer_q = reviewer_grants_q(user)
    checklist_done = Q(checklist_complete=True)  # this round's findings on every dimension
    wanted = _or(
        agency_q & Q(status__in=list(AGENCY_TASKS)) if agency_q is not None else None,
        deciding_q & Q(status=FilingStatus.SUBMITTED) if deciding_q is not None else None,
        deciding_q & Q(status=FilingStatus.IN_REVIEW) & checklist_done if deciding_q is not None else None,
        reviewer_q & Q(status=FilingStatus.IN_REVIEW) & ~checklist_done,
    )
    matching = (
        filings_visible_to(user)
        .select_related(None)
        .annotate(due=F("review_due_date"), since=Coalesce("submitted_at", "created_at"))
        .filter(wanted)
    )
    # Narrow rows through the sort (what a task shows, and the agency's name), counted in the same pass:
    # sorting a city's 2,600 matches as whole rows joined to three organizations took 60-80 ms, most of
    # it carrying the wide rows; a second statement for the count cost its own planning and compiling.
    rows = list(
        matching.select_related("agency")
        .only(*TASK_FIELDS, "agency__name")
        .annotate(total=Window(Count("id")))
        .order_by(*_urgency_order())[:limit]
    )
    tasks = []
    for filing in rows:
        if filing.status == FilingStatus.SUBMITTED:
            action = TASK_START_REVIEW
        elif filing.status == FilingStatus.IN_REVIEW:
            action = TASK_DECIDE if filing.checklist_complete else TASK_CHECKLIST
        else:
            action = AGENCY_TASKS[filing.status]
        tasks.append(
            Task(
                title=filing.title,
                url=reverse("projects:filing-detail", kwargs={"uuid": filing.uuid}),
                kind=TASK_KINDS["filing"],
                action=action,
                agency=filing.agency.name,
                status=filing.get_status_display(),
                due_date=filing.review_due_date,
                waiting_since=filing.since,
            )
        )
    return tasks, rows[0].total if rows else 0


def _application_tasks(model, kind: str, user, scope, deciding_q: Q | None, limit: int) -> tuple[list[Task], int]:
    """Officials: submitted applications to decide; agencies: their drafts (the workflow has no 'returned')."""
    agency_q = _agency_member_q(scope)
    wanted = _or(
        agency_q & Q(status=ApplicationStatus.DRAFT) if agency_q is not None else None,
        deciding_q & Q(status=ApplicationStatus.SUBMITTED) if deciding_q is not None else None,
    )
    if wanted is None:
        return [], 0
    matching = _scoped(model, user, hide_drafts_from_staff=True).filter(wanted)
    rows = list(
        matching.annotate(
            due=Value(None, output_field=DateField()),
            since=Coalesce("submitted_at", "created_at"),
            total=Window(Count("id")),  # all matches, counted in the pass that sorts them
        ).order_by(*_urgency_order())[:limit]
    )
    tasks = [
        Task(
            title=str(application),
            url=reverse("projects:application-detail", kwargs={"kind": kind, "uuid": application.uuid}),
            kind=TASK_KINDS[kind],
            action=TASK_DECIDE_APPLICATION
            if application.status == ApplicationStatus.SUBMITTED
            else TASK_SUBMIT_APPLICATION,
            agency=application.agency.name,
            status=application.get_status_display(),
            due_date=None,
            waiting_since=application.since,
        )
        for application in rows
    ]
    return tasks, rows[0].total if rows else 0


def filing_tasks_for(user, *, limit: int = TASKS_SHOWN) -> TaskQueue:
    """Chapter 2 items waiting for this user, most urgent first (review due date, then waiting longest).

    At most three queries whatever the number of rows: filings, network-access and domain applications,
    each with its total counted in the same statement (shown up to TASK_COUNT_CAP); a user with no role that acts
    on a kind skips its query.
    """
    if not user.is_authenticated:
        return TaskQueue(items=[], total=0)
    scope = scope_for(user)
    filing_items, filing_total = _filing_tasks(user, scope, limit)
    network_items, network_total = _application_tasks(
        NetworkAccessApplication, "network", user, scope, _deciding_q(user), limit
    )
    # Art. 30: domain applications are decided by the city authority only.
    city_q = Q(pk__isnull=False) if is_city_official(user) else None
    domain_items, domain_total = _application_tasks(DomainApplication, "domain", user, scope, city_q, limit)
    far = datetime.max.replace(tzinfo=UTC)
    items = sorted(
        [*filing_items, *network_items, *domain_items],
        key=lambda t: (t.due_date is None, t.due_date or date.max, t.waiting_since or far),
    )
    totals = (filing_total, network_total, domain_total)
    return TaskQueue(
        items=items[:limit],
        total=sum(min(n, TASK_COUNT_CAP) for n in totals),
        capped=any(n > TASK_COUNT_CAP for n in totals),
    )
