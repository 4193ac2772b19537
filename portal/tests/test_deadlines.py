"""Deadline services, selectors and pages."""

import csv
import io
from datetime import date, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from freezegun import freeze_time
from openpyxl import load_workbook

from portal.models import Deadline, DeadlineKind, DeadlineState, TimelineEvent
from portal.selectors import deadline_get_for, deadlines_for, deadlines_visible_to
from portal.services import (
    deadline_extend,
    deadline_kind_get,
    deadline_meet,
    deadline_open,
    deadline_waive,
    deadlines_sweep,
)

pytestmark = pytest.mark.django_db
FROZEN = "2026-03-02 10:00:00+08:00"  # a Monday


def open_on(org, *, due=date(2026, 3, 16), kind="demo", **extra):
    return deadline_open(subject=org, kind=kind, due_date=due, organization=org, legal_basis="Art. 13", **extra)


@freeze_time(FROZEN)
def test_it_opens_a_deadline_with_its_first_reminder_planned(orgs):
    deadline = open_on(orgs["agency"])
    assert deadline.state == DeadlineState.OPEN
    assert deadline.title.startswith("演示期限：")
    assert deadline.legal_basis == "Art. 13"
    # -7 working days before 2026-03-16 is 2026-03-05, at 08:00 Beijing time.
    assert deadline.next_action_at == datetime.fromisoformat("2026-03-05 08:00:00+08:00")


@freeze_time(FROZEN)
def test_it_is_idempotent_per_subject_and_kind_while_open(orgs):
    first = open_on(orgs["agency"])
    again = open_on(orgs["agency"], due=date(2026, 4, 1), title="另一个")
    assert again.pk == first.pk
    assert again.due_date == date(2026, 3, 16)
    assert Deadline.objects.count() == 1
    assert TimelineEvent.objects.filter(action="deadline_opened").count() == 1


@freeze_time(FROZEN)
def test_it_opens_a_new_one_after_the_previous_was_met(orgs):
    first = open_on(orgs["agency"])
    deadline_meet(subject=orgs["agency"], kind="demo")
    second = open_on(orgs["agency"])
    assert second.pk != first.pk


@freeze_time(FROZEN)
def test_it_writes_timeline_events_on_the_subject(orgs, official):
    deadline = open_on(orgs["agency"], actor=official)
    deadline_meet(subject=orgs["agency"], kind="demo", actor=official)
    actions = list(
        TimelineEvent.objects.filter(object_id=orgs["agency"].pk, action__startswith="deadline_").values_list(
            "action", "data__deadline"
        )
    )
    assert actions == [("deadline_opened", str(deadline.uuid)), ("deadline_met", str(deadline.uuid))]


@freeze_time(FROZEN)
def test_it_creates_a_kind_from_settings_the_first_time_it_is_used(orgs, settings):
    settings.DEADLINE_KINDS = {
        **settings.DEADLINE_KINDS,
        "test_only_kind": {"label": "测试类型", "legal_basis": "Art. 13", "reminders": [-1, 0, -5, 3]},
    }
    assert not DeadlineKind.objects.filter(pk="test_only_kind").exists()
    deadline = open_on(orgs["agency"], kind="test_only_kind")
    assert deadline.kind.label == "测试类型"
    assert deadline.kind.reminder_offsets == [-5, -1, 0, 3]


def test_it_keeps_the_admins_plan_over_the_settings(db):
    DeadlineKind.objects.filter(pk="demo").update(reminder_offsets=[-2])
    assert deadline_kind_get("demo").reminder_offsets == [-2]


def test_it_seeds_the_kinds_of_the_settings_by_migration(db):
    assert set(DeadlineKind.objects.values_list("code", flat=True)) >= {"generic", "demo"}


def test_it_counts_warranty_and_certificate_reminders_in_calendar_days_and_lets_them_expire(db):
    kinds = {k.code: k for k in DeadlineKind.objects.filter(code__in=["warranty_end", "qualification_expiry", "demo"])}
    assert (kinds["warranty_end"].reminder_unit, kinds["warranty_end"].on_due) == ("calendar", "expire")
    assert kinds["warranty_end"].reminder_offsets == [-60, -30, -7]
    assert (kinds["qualification_expiry"].reminder_unit, kinds["qualification_expiry"].on_due) == ("calendar", "expire")
    assert kinds["qualification_expiry"].reminder_offsets == [-60, -30, -7, 0]
    assert (kinds["demo"].reminder_unit, kinds["demo"].on_due) == ("working", "overdue")


@freeze_time(FROZEN)
def test_it_takes_unit_and_on_due_of_a_new_kind_from_settings(orgs, settings):
    settings.DEADLINE_KINDS = {
        **settings.DEADLINE_KINDS,
        "test_lease": {
            "label": "租期届满",
            "reminders": [-10],
            "reminder_unit": "calendar",
            "on_due": "expire",
        },
    }
    deadline = open_on(orgs["agency"], kind="test_lease")
    assert (deadline.kind.reminder_unit, deadline.kind.on_due) == ("calendar", "expire")
    # 10 calendar days before Mon 2026-03-16 is Fri 03-06 (10 working days would be 03-02).
    assert deadline.next_action_at == datetime.fromisoformat("2026-03-06 08:00:00+08:00")


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"reminder_unit": "weeks"}, "reminder_unit"),
        ({"on_due": "vanish"}, "on_due"),
        ({"on_due": "expire", "reminders": [-7, 3]}, "截止日之后"),
    ],
)
def test_it_refuses_a_malformed_kind_in_settings(orgs, settings, entry, message):
    settings.DEADLINE_KINDS = {**settings.DEADLINE_KINDS, "test_bad": {"label": "坏类型", **entry}}
    with pytest.raises(ValueError, match=message):
        open_on(orgs["agency"], kind="test_bad")


def test_it_refuses_reminders_after_expiry_in_the_admin_plan(db):
    kind = DeadlineKind.objects.get(pk="warranty_end")
    kind.reminder_offsets = [-30, 5]
    with pytest.raises(ValidationError) as error:
        kind.full_clean()
    assert "不能安排截止日之后的提醒" in error.value.message_dict["reminder_offsets"][0]


def test_it_edits_the_unit_and_on_due_in_the_admin(admin_client):
    url = reverse("admin:portal_deadlinekind_change", args=["demo"])
    response = admin_client.get(url)
    assert 'name="reminder_unit"' in response.content.decode()
    response = admin_client.post(
        url,
        {
            "label": "演示期限",
            "legal_basis": "Art. 13",
            "reminder_offsets": "-3,0",
            "reminder_unit": "calendar",
            "on_due": "expire",
        },
    )
    assert response.status_code == 302
    kind = DeadlineKind.objects.get(pk="demo")
    assert (kind.reminder_unit, kind.on_due, kind.reminder_offsets) == ("calendar", "expire", [-3, 0])


def expired_deadline(orgs, *, due=date(2026, 2, 27)):
    with freeze_time("2026-02-20 10:00:00+08:00"):
        deadline = open_on(orgs["agency"], kind="warranty_end", due=due)
    with freeze_time(FROZEN):
        deadlines_sweep()
    return Deadline.objects.get(pk=deadline.pk)


def test_it_neither_meets_nor_extends_nor_waives_an_expired_deadline(orgs, official):
    deadline = expired_deadline(orgs)
    assert deadline.state == DeadlineState.EXPIRED
    with freeze_time(FROZEN):
        assert deadline_meet(subject=orgs["agency"], kind="warranty_end") is None
        with pytest.raises(ValidationError) as error:
            deadline_extend(
                deadline=deadline, new_due_date=date(2026, 4, 1), reason="x", approved_by=official, actor=official
            )
        assert error.value.message_dict["deadline"] == ["期限已届满，不能延期。"]
        with pytest.raises(ValidationError):
            deadline_waive(deadline=deadline, reason="x", actor=official)
        # A new warranty period of the same kind may be opened on the subject.
        assert open_on(orgs["agency"], kind="warranty_end", due=date(2028, 2, 29)).pk != deadline.pk


def test_it_refuses_an_unknown_kind(orgs):
    with pytest.raises(ValueError, match="DEADLINE_KINDS"):
        open_on(orgs["agency"], kind="no_such_kind")


@freeze_time(FROZEN)
def test_it_meets_and_returns_none_when_nothing_is_open(orgs):
    assert deadline_meet(subject=orgs["agency"], kind="demo") is None
    open_on(orgs["agency"])
    met = deadline_meet(subject=orgs["agency"], kind="demo")
    assert met.state == DeadlineState.MET
    assert met.met_at is not None
    assert met.next_action_at is None


def test_it_meets_an_overdue_deadline_late(orgs):
    with freeze_time("2026-03-02 10:00:00+08:00"):
        deadline = open_on(orgs["agency"], due=date(2026, 3, 3))
    with freeze_time("2026-03-04 09:00:00+08:00"):
        deadlines_sweep()
        deadline = Deadline.objects.get(pk=deadline.pk)
        assert deadline.state == DeadlineState.OVERDUE
        assert deadline.overdue_at == datetime.fromisoformat("2026-03-04 00:00:00+08:00")
        met = deadline_meet(subject=orgs["agency"], kind="demo")
    assert met.state == DeadlineState.MET
    assert met.overdue_at is not None and met.met_at > met.overdue_at
    event = TimelineEvent.objects.get(action="deadline_met")
    assert event.data["late"] is True


@freeze_time(FROZEN)
def test_it_extends_an_overdue_deadline_back_to_open(orgs, official):
    deadline = open_on(orgs["agency"], due=date(2026, 2, 27))
    deadlines_sweep()
    deadline = Deadline.objects.get(pk=deadline.pk)
    assert deadline.state == DeadlineState.OVERDUE
    extended = deadline_extend(
        deadline=deadline, new_due_date=date(2026, 3, 20), reason="申请人补正材料", approved_by=official, actor=official
    )
    assert extended.state == DeadlineState.OPEN
    assert extended.due_date == date(2026, 3, 20)
    assert extended.original_due_date == date(2026, 2, 27)
    assert extended.extension_count == 1
    assert extended.overdue_at is None
    assert TimelineEvent.objects.get(action="deadline_extended").data["old_due_date"] == "2026-02-27"


@freeze_time(FROZEN)
def test_it_refuses_an_extension_by_a_clerk(orgs, clerk):
    deadline = open_on(orgs["agency"])
    with pytest.raises(PermissionDenied):
        deadline_extend(deadline=deadline, new_due_date=date(2026, 4, 1), reason="x", approved_by=clerk, actor=clerk)


@freeze_time(FROZEN)
def test_it_says_what_to_fix_in_an_extension(orgs, official):
    deadline = open_on(orgs["agency"])
    with pytest.raises(ValidationError) as excinfo:
        deadline_extend(
            deadline=deadline, new_due_date=date(2026, 3, 10), reason=" ", approved_by=official, actor=official
        )
    assert "晚于当前截止日期" in excinfo.value.message_dict["new_due_date"][0]
    assert "延期理由" in excinfo.value.message_dict["reason"][0]


@freeze_time(FROZEN)
def test_it_waives(orgs, district_official, official):
    deadline = open_on(orgs["haidian_agency"])
    waived = deadline_waive(deadline=deadline, reason="项目已撤销", actor=district_official)
    assert waived.state == DeadlineState.WAIVED
    assert waived.next_action_at is None
    with pytest.raises(ValidationError):
        deadline_waive(deadline=waived, reason="again", actor=official)


@freeze_time(FROZEN)
def test_it_refuses_a_waiver_by_another_districts_official(orgs, district_official):
    deadline = open_on(orgs["chaoyang_agency"])
    with pytest.raises(PermissionDenied):
        deadline_waive(deadline=deadline, reason="x", actor=district_official)


def test_it_copies_the_organizations_district(orgs):
    assert open_on(orgs["haidian_agency"]).district == "110108"
    assert open_on(orgs["agency"]).district == ""
    assert Deadline.objects.get(organization=orgs["haidian_agency"]).district == "110108"


@freeze_time(FROZEN)
def test_it_scopes_deadlines_in_sql(orgs, official, district_official, clerk, other_clerk):
    for key in ("agency", "agency_unit", "other_agency", "haidian_agency", "chaoyang_agency"):
        open_on(orgs[key])
    names = lambda user: sorted(d.organization.name for d in deadlines_visible_to(user))  # noqa: E731
    assert len(names(official)) == 5
    assert names(district_official) == ["海淀区教育委员会"]
    assert names(clerk) == ["北京市交通委员会", "北京市交通委员会信息中心"]
    assert names(other_clerk) == ["北京市教育委员会"]
    assert len(deadlines_for(orgs["agency"])) == 1


@freeze_time(FROZEN)
def test_it_hides_another_organizations_deadline(orgs, other_clerk):
    deadline = open_on(orgs["agency"])
    from django.http import Http404

    with pytest.raises(Http404):
        deadline_get_for(user=other_clerk, uuid=deadline.uuid)


# --- pages ----------------------------------------------------------------------------------------


@pytest.fixture
def many(orgs):
    with freeze_time(FROZEN):
        return [
            open_on(orgs[key], kind=kind)
            for key in ("agency", "agency_unit", "other_agency", "haidian_agency")
            for kind in ("demo", "generic")
        ]


@freeze_time(FROZEN)
def test_it_lists_deadlines_in_scope_with_fixed_queries(client, clerk, many, orgs, make_org, django_assert_num_queries):
    client.force_login(clerk)
    client.get(reverse("deadline-list"))  # the first request renews the session (then at most once a minute)
    # session, user, scope, count, loaded years, unread count, kinds (filter form), page rows: the same
    # however many rows or organizations there are (the organization filter is a text box, not a select).
    with django_assert_num_queries(8):
        response = client.get(reverse("deadline-list"))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 4
    for _ in range(3):
        open_on(make_org("又一个下属单位", parent=orgs["agency"]))
    with django_assert_num_queries(8):
        response = client.get(reverse("deadline-list"))
    assert len(response.context["page"].object_list) == 7
    assert "2004–2026" in response.content.decode()


@freeze_time(FROZEN)
def test_it_filters_the_list(client, official, many, orgs):
    client.force_login(official)
    response = client.get(reverse("deadline-list"), {"kind": "generic", "district": "110108", "state": "open"})
    assert [d.organization for d in response.context["page"]] == [orgs["haidian_agency"]]
    response = client.get(reverse("deadline-list"), {"organization": str(orgs["other_agency"].uuid)})
    assert {d.organization for d in response.context["page"]} == {orgs["other_agency"]}
    typed = orgs["haidian_agency"].name[2:6]  # part of a name, as typed in the box
    response = client.get(reverse("deadline-list"), {"organization": typed})
    assert {d.organization for d in response.context["page"]} == {orgs["haidian_agency"]}
    assert 'data-suggest="/api/v1/organizations/"' in response.content.decode()
    response = client.get(reverse("deadline-list"), {"due_from": "2026-03-17"})
    assert len(response.context["page"]) == 0


@freeze_time(FROZEN)
def test_it_says_how_to_fix_a_reversed_due_range(client, official, many):
    client.force_login(official)
    response = client.get(reverse("deadline-list"), {"due_from": "2026-04-01", "due_to": "2026-03-01"})
    assert "结束日期不能早于开始日期" in response.content.decode()


@freeze_time(FROZEN)
def test_it_exports_csv_with_fixed_queries(client, clerk, many, django_assert_num_queries):
    client.force_login(clerk)
    with django_assert_num_queries(8):  # session, user, scope, rows, session save (3), audit row
        response = client.get(reverse("deadline-list"), {"export": "csv"})
        body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:3] == ["事项", "类型", "责任单位"]
    assert len(rows) == 5
    assert {r[2] for r in rows[1:]} == {"北京市交通委员会", "北京市交通委员会信息中心"}


@freeze_time(FROZEN)
def test_it_exports_xlsx(client, official, many, django_assert_num_queries):
    client.force_login(official)
    with django_assert_num_queries(9):  # as for CSV, plus the kind named in the filter
        response = client.get(reverse("deadline-list"), {"export": "xlsx", "kind": "demo"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][0] == "事项"
    assert len(rows) == 5
    assert all(r[1] == "演示期限" for r in rows[1:])


@freeze_time(FROZEN)
def test_it_shows_the_month_calendar(client, clerk, many):
    client.force_login(clerk)
    response = client.get(reverse("deadline-calendar"), {"month": "2026-03"})
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("演示期限：") == 2  # the two of the transport commission, none of education
    assert "2004–2026" in body
    response = client.get(reverse("deadline-calendar"), {"month": "2027-01"})
    assert "2027 年工作日历尚未载入" in response.content.decode()


@freeze_time(FROZEN)
def test_it_shows_the_detail_with_actions_only_to_officials(client, clerk, official, many):
    deadline = many[0]
    client.force_login(clerk)
    response = client.get(reverse("deadline-detail", args=[deadline.uuid]))
    assert response.status_code == 200
    assert "批准延期" not in response.content.decode()
    client.force_login(official)
    response = client.get(reverse("deadline-detail", args=[deadline.uuid]))
    assert "批准延期" in response.content.decode()


@freeze_time(FROZEN)
def test_it_answers_404_to_an_outsider(client, other_clerk, many):
    client.force_login(other_clerk)
    deadline = many[0]  # transport commission
    assert client.get(reverse("deadline-detail", args=[deadline.uuid])).status_code == 404
    assert client.post(reverse("deadline-waive", args=[deadline.uuid]), {"reason": "x"}).status_code == 404


@freeze_time(FROZEN)
def test_it_answers_403_to_a_clerk_who_tries_to_extend(client, clerk, many):
    client.force_login(clerk)
    response = client.post(
        reverse("deadline-extend", args=[many[0].uuid]), {"new_due_date": "2026-04-01", "reason": "x"}
    )
    assert response.status_code == 403


@freeze_time(FROZEN)
def test_it_extends_from_the_detail_page(client, official, many):
    client.force_login(official)
    response = client.post(
        reverse("deadline-extend", args=[many[0].uuid]), {"new_due_date": "2026-04-01", "reason": "材料补正"}
    )
    assert response.status_code == 302
    assert Deadline.objects.get(pk=many[0].pk).due_date == date(2026, 4, 1)


def test_it_requires_login_for_the_list(client):
    response = client.get(reverse("deadline-list"))
    assert response.status_code == 302


@freeze_time(FROZEN)
def test_it_shows_due_soon_and_overdue_on_the_dashboard(client, clerk, orgs):
    open_on(orgs["agency"], due=date(2026, 3, 5), title="即将到期的事项")
    open_on(orgs["agency_unit"], due=date(2026, 2, 27), title="逾期的事项")
    open_on(orgs["other_agency"], due=date(2026, 3, 4), title="别人的事项")
    deadlines_sweep()
    client.force_login(clerk)
    body = client.get(reverse("dashboard")).content.decode()
    assert "即将到期的事项" in body
    assert "逾期的事项" in body
    assert "别人的事项" not in body


def test_it_lists_filters_exports_and_shows_expired_deadlines(client, official, orgs):
    deadline = expired_deadline(orgs)
    open_on(orgs["agency"])  # an open one, filtered out below
    client.force_login(official)
    with freeze_time(FROZEN):
        response = client.get(reverse("deadline-list"), {"state": "expired"})
        assert [d.pk for d in response.context["page"]] == [deadline.pk]
        assert '<span class="badge bg-info text-dark">已届满</span>' in response.content.decode()
        assert '<option value="expired" selected>已届满</option>' in response.content.decode()
        response = client.get(reverse("deadline-list"), {"export": "csv", "state": "expired"})
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
        assert rows[0][-1] == "届满时间"
        assert (rows[1][6], rows[1][-1], rows[1][-2]) == ("已届满", "2026-02-28 00:00", "")
        response = client.get(reverse("deadline-detail", args=[deadline.uuid]))
        body = response.content.decode()
        assert 'data-testid="expired-at"' in body and "不属于逾期" in body
        assert "批准延期" not in body  # terminal: nothing to extend
        assert "期限届满" in body  # the timeline event's label


def test_it_migrates_the_unit_and_on_due_back_and_forth(db):
    # Inside the test's transaction (PostgreSQL DDL is transactional): rolled back afterwards.
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    # Later apps' reverse data migrations delete rows; checked at once, their deferred foreign keys
    # leave no pending trigger events that would forbid dropping the tables in the same transaction.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes("portal")
    executor.migrate([("portal", "0006_seed_deadline_kinds")])
    with connection.cursor() as cursor:
        columns = {c.name for c in connection.introspection.get_table_description(cursor, "portal_deadlinekind")}
    assert "reminder_unit" not in columns and "on_due" not in columns
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(latest)
    kind = DeadlineKind.objects.get(pk="warranty_end")
    assert (kind.reminder_unit, kind.on_due) == ("calendar", "expire")
