"""The dashboard's to-do panel: what is waiting for this user to act on."""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from uuid import UUID

from django.contrib.auth.models import Permission
from django.db import connection
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.access import scope_for
from portal.models import District, Level, Organization
from projects.models import (
    NO_DUE_DATE,
    ApplicationStatus,
    DomainApplication,
    FilingStatus,
    FilingUserObjectPermission,
    NetworkAccessApplication,
    ProjectFiling,
)
from projects.permissions import AGENCY_ROLES, is_city_official, is_deciding_official, reviews_by_assignment
from projects.selectors.scope import REVIEW_PERMISSION

# --- The dashboard's to-do panel: what is waiting for this user to act on


@dataclass(frozen=True)
class Task:
    """One item of the user's work queue: the object, the action it waits for, and its due date if any."""

    title: str
    kind: str
    action: str
    agency: str
    status: str
    due_date: date | None
    waiting_since: datetime | None
    table: str  # a key of TASK_TABLES: which kind of object
    uuid: UUID

    @property
    def url(self) -> str:
        """Reversed for the rows shown only: each part of the queue reads its first rows, most are cut."""
        if self.table == "filing":
            return reverse("projects:filing-detail", kwargs={"uuid": self.uuid})
        return reverse("projects:application-detail", kwargs={"kind": self.table, "uuid": self.uuid})


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


# The to-do is one statement: a ``UNION ALL`` of one part per kind of task the user has, each part its most
# urgent rows, each row carrying its kind's count up to TASK_COUNT_CAP + 1. It is written as SQL once: built
# through the ORM (three querysets, a filing union of up to six parts each with its count subquery) it cost
# 20-30 ms of Python to compile, for 2-4 ms of execution.
_TASK_PART = """(
    SELECT {n}, cardinality(ARRAY(SELECT c.id FROM {table} c WHERE {counted} LIMIT %(cap)s)),
           COALESCE(x.submitted_at, x.created_at), x.uuid, x.{title}, x.status, {checklist}, {due}, o.name
    FROM {table} x JOIN {organization} o ON o.id = x.agency_id
    WHERE {shown}
    ORDER BY {order}COALESCE(x.submitted_at, x.created_at), x.id
    LIMIT %(limit)s
)"""
# Each kind selects rows the user may see by construction (an agency's own units; a deciding official's
# level and district, where filings_visible_to and _scoped open the non-drafts to them; an assigned
# reviewer's grants), on indexes: the agency and status indexes, filing_todo_idx (a deciding official's
# filings read in urgency order), the primary key. ``{t}``: the table's alias; ``{n}``: the part, for
# the values a kind used twice takes in each part.
_AGENCY_KIND = "{t}.agency_id = ANY(%(units)s) AND {t}.status = ANY(%(agency_states{n})s)"
_CITY_KIND = "{t}.level = %(city)s AND {t}.status = %(state{n})s AND {t}.checklist_complete = %(done{n})s"
_DISTRICT_KIND = (
    "{t}.level = %(district_level)s AND {t}.status = %(state{n})s AND {t}.checklist_complete = %(done{n})s "
    "AND {t}.district {in_districts}"
)
_REVIEWER_KIND = (
    "{t}.id = ANY(ARRAY(SELECT g.content_object_id FROM {grants} g JOIN {permission} p ON p.id = g.permission_id "
    "WHERE g.user_id = %(user)s AND p.codename = %(review)s)) "
    "AND {t}.status = %(in_review)s AND NOT {t}.checklist_complete"
)
_CITY_APPLICATIONS = "{t}.level = %(city)s AND {t}.status = %(submitted)s"
_DISTRICT_APPLICATIONS = "{t}.level = %(district_level)s AND {t}.status = %(submitted)s AND {t}.district {in_districts}"
_ALL_APPLICATIONS = "{t}.status = %(submitted)s"


def _task_parts(user, agencies: set[int], districts: list[str]) -> list[tuple[str, str, dict]]:
    """(task kind, condition, the condition's own values) of each part the user has. ``agencies``: where the
    user is a clerk or manager; ``districts``: those whose filings and applications the user decides."""
    city = is_city_official(user)
    deciding = [(_CITY_KIND, city), (_DISTRICT_KIND, bool(districts))]
    parts = []
    if agencies:
        parts.append(("filing", _AGENCY_KIND, {"agency_states": [state.value for state in AGENCY_TASKS]}))
    for condition, wanted in deciding:
        if wanted:  # to accept and assign; to decide once the checklist is done
            parts.append(("filing", condition, {"state": FilingStatus.SUBMITTED.value, "done": False}))
            parts.append(("filing", condition, {"state": FilingStatus.IN_REVIEW.value, "done": True}))
    if reviews_by_assignment(user):
        parts.append(("filing", _REVIEWER_KIND, {}))
    for kind in ("network", "domain"):
        if agencies:  # the workflow has no 'returned': an agency's drafts
            parts.append((kind, _AGENCY_KIND, {"agency_states": [ApplicationStatus.DRAFT.value]}))
    if city:
        parts.append(("network", _CITY_APPLICATIONS, {}))
        parts.append(("domain", _ALL_APPLICATIONS, {}))  # Art. 30: the city authority decides every domain
    if districts:
        parts.append(("network", _DISTRICT_APPLICATIONS, {}))
    return parts


# (table, title column) of each kind of task.
TASK_TABLES = {
    "filing": (ProjectFiling, "title"),
    "network": (NetworkAccessApplication, "system_name"),
    "domain": (DomainApplication, "domain_name"),
}


def _tasks(user, scope, limit: int) -> tuple[list[Task], dict[str, int]]:
    """Every part's most urgent ``limit`` tasks and each kind's total (the parts of a kind are disjoint, by
    state and checklist flag). The cost follows the rows shown, not the matches: a deciding official's
    filings come in urgency order from ``filing_todo_idx`` and are counted through ``filing_open_review_idx``
    without reading rows (sorting a city's 2,600 submitted filings read 2,600 heap pages: 18 ms)."""
    districts = [d for d in District.values if is_deciding_official(user, level=Level.DISTRICT, district=d)]
    agencies = {org for org, role in scope.grants if role in AGENCY_ROLES}
    parts = _task_parts(user, agencies, districts)
    if not parts:  # a liaison, a contractor: nothing to do here, and nothing to ask the database
        return [], dict.fromkeys(TASK_TABLES, 0)
    constants = {
        "cap": TASK_COUNT_CAP + 1,
        "limit": limit,
        "no_due_date": NO_DUE_DATE.isoformat(),
        "city": Level.CITY.value,
        "district_level": Level.DISTRICT.value,
        "review": REVIEW_PERMISSION,
        "in_review": FilingStatus.IN_REVIEW.value,
        "submitted": ApplicationStatus.SUBMITTED.value,
    }
    params = {
        "units": scope.units_of(agencies),
        "districts": districts,
        "district": districts[0] if districts else "",
        "user": user.pk,
    }
    names = {
        "organization": Organization._meta.db_table,
        "grants": FilingUserObjectPermission._meta.db_table,
        "permission": Permission._meta.db_table,
        # One district (nearly every district official) as an equality, which filing_district_todo_idx reads
        # in urgency order; PostgreSQL 16 reads an index in order only without ``= ANY(…)`` on it.
        "in_districts": "= %(district)s" if len(districts) == 1 else "= ANY(%(districts)s)",
    }
    statements = []
    for n, (kind, condition, values) in enumerate(parts):
        constants.update({f"{name}{n}": value for name, value in values.items()})
        model, title = TASK_TABLES[kind]
        filing = kind == "filing"
        statements.append(
            _TASK_PART.format(
                n=n,
                table=model._meta.db_table,
                title=title,
                counted=condition.format(t="c", n=n, **names),
                shown=condition.format(t="x", n=n, **names),
                checklist="x.checklist_complete" if filing else "false",
                due="x.review_due_date" if filing else "NULL::date",
                order="COALESCE(x.review_due_date, %(no_due_date)s::date), " if filing else "",
                **names,
            )
        )
    with connection.cursor() as cursor:
        cursor.execute(_with_literals(" UNION ALL ".join(statements), constants), params)
        rows = cursor.fetchall()
    counted: dict[int, int] = {}  # part -> its count, the same on each of its rows
    tasks = []
    for n, part_total, since, uuid, title, status, checklist_complete, due_date, agency in rows:
        kind = parts[n][0]
        counted[n] = part_total
        tasks.append(
            Task(
                title=title,
                kind=TASK_KINDS[kind],
                action=_task_action(kind, status, checklist_complete),
                agency=agency,
                status=(FilingStatus if kind == "filing" else ApplicationStatus)(status).label,
                due_date=due_date,
                waiting_since=since,
                table=kind,
                uuid=uuid,
            )
        )
    totals = dict.fromkeys(TASK_TABLES, 0)
    for n, part_total in counted.items():
        totals[parts[n][0]] += part_total
    return tasks, totals


def _literal(value: str | int | bool | list[str]) -> str:
    """A constant of the code (a state, a level, a cap) as SQL text; never a user's value."""
    if isinstance(value, bool | int):
        return str(value).lower()
    if isinstance(value, list):
        return f"ARRAY[{', '.join(map(_literal, value))}]::text[]"
    if not (isinstance(value, str) and value.replace("_", "").replace("-", "").isalnum() and value.isascii()):
        raise ValueError(f"not a constant of the code: {value!r}")
    return f"'{value}'"


def _with_literals(sql: str, constants: dict) -> str:
    """``sql`` with the code's constants written in, the user's values left as parameters. The statement's
    text is then the same for every user of a kind, and PostgreSQL can keep one generic plan for it once the
    connection prepares it: a generic plan uses the partial indexes only where their states are literals
    (a parameter may hold any state), so with every value bound it re-planned each time (2-4 ms)."""
    return re.sub(r"%\((\w+)\)s", lambda m: _literal(constants[m[1]]) if m[1] in constants else m[0], sql)


def _task_action(kind: str, status: str, checklist_complete: bool) -> str:
    if kind != "filing":
        return TASK_DECIDE_APPLICATION if status == ApplicationStatus.SUBMITTED else TASK_SUBMIT_APPLICATION
    if status == FilingStatus.SUBMITTED:
        return TASK_START_REVIEW
    if status == FilingStatus.IN_REVIEW:
        return TASK_DECIDE if checklist_complete else TASK_CHECKLIST
    return AGENCY_TASKS[status]


def filing_tasks_for(user, *, limit: int = TASKS_SHOWN) -> TaskQueue:
    """Chapter 2 items waiting for this user, most urgent first (review due date, then waiting longest):
    filings, network-access and domain applications in one query whatever the number of rows, each kind's
    total counted in the same statement (shown up to TASK_COUNT_CAP)."""
    if not user.is_authenticated:
        return TaskQueue(items=[], total=0)
    tasks, totals = _tasks(user, scope_for(user), limit)
    far = datetime.max.replace(tzinfo=UTC)
    items = sorted(tasks, key=lambda t: (t.due_date is None, t.due_date or date.max, t.waiting_since or far))
    return TaskQueue(
        items=items[:limit],
        total=sum(min(n, TASK_COUNT_CAP) for n in totals.values()),
        capped=any(n > TASK_COUNT_CAP for n in totals.values()),
    )
