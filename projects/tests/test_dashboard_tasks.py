"""The dashboard's to-do panel: each persona sees exactly what waits for them, in a fixed number of queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from projects import services
from projects.models import ProjectFiling
from projects.selectors import filing_tasks_for, tasks
from projects.tests.conftest import checklist_all

pytestmark = pytest.mark.django_db


def titles(user):
    return {task.title: str(task.action) for task in filing_tasks_for(user).items}


def test_it_gives_the_city_official_submitted_filings_of_the_city_to_accept(
    make_filing, official, clerk, haidian_clerk
):
    make_filing(clerk, "submitted", title="市级待受理")
    make_filing(haidian_clerk, "submitted", title="海淀待受理")
    make_filing(clerk, "draft", title="市级草稿")
    assert titles(official) == {"市级待受理": "受理并分派审查"}


def test_it_gives_the_district_official_their_district_only(
    make_filing, district_official, clerk, haidian_clerk, chaoyang_clerk, chaoyang_authority
):
    make_filing(haidian_clerk, "submitted", title="海淀待受理")
    make_filing(chaoyang_clerk, "submitted", title="朝阳待受理")
    make_filing(clerk, "submitted", title="市级待受理")
    with CaptureQueriesContext(connection) as captured:
        assert titles(district_official) == {"海淀待受理": "受理并分派审查"}
    # one district as an equality, which filing_district_todo_idx reads in urgency order (no sort)
    [to_do] = [q["sql"] for q in captured.captured_queries if "UNION ALL" in q["sql"]]
    assert "x.district = '110108'" in to_do and "district = ANY" not in to_do  # bound: a parameter


def test_the_code_constants_are_written_into_the_statement_and_the_users_values_bound(
    make_filing, official, district_official, clerk
):
    """The same text for every user of a kind, with the states as literals: a generic plan of the prepared
    statement can then use the partial indexes (filing_todo_idx), whose predicates name the states."""
    make_filing(clerk, "submitted", title="市级待受理")
    statements = []

    def keep(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        filing_tasks_for(official)
        filing_tasks_for(district_official)
    to_do = [(sql, params) for sql, params in statements if "UNION ALL" in sql]
    assert len(to_do) == 2
    for sql, params in to_do:
        assert "x.status = 'submitted'" in sql and "LIMIT 101" in sql and "'9999-12-31'::date" in sql
        assert set(params) == {"units", "districts", "district", "user"}  # the user's own values only
    assert to_do[1][1]["district"] == "110108"
    with pytest.raises(ValueError, match="not a constant"):
        tasks._literal("x' OR '1'='1")


def test_it_gives_the_assigned_reviewer_their_filing_under_review(make_filing, official, reviewer, clerk):
    mine = make_filing(clerk, "submitted", title="指派给我")
    services.filing_start_review(filing=mine, actor=official, reviewers=[reviewer])
    make_filing(clerk, "in_review", title="指派给他人")  # the official reviews it himself
    assert titles(reviewer) == {"指派给我": "填写各项审查要点"}


def test_a_reviewer_who_has_left_every_authority_role_no_longer_sees_or_reviews_the_filing(
    make_filing, official, reviewer, clerk, orgs
):
    """The grant stays in the table; it counts only while its holder is staff of an authority."""
    from portal.models import Membership, Role
    from projects.permissions import is_assigned_reviewer
    from projects.selectors import filings_visible_to

    filing = make_filing(clerk, "submitted", title="原审查人员的项目")
    services.filing_start_review(filing=filing, actor=official, reviewers=[reviewer])
    assert titles(reviewer) == {"原审查人员的项目": "填写各项审查要点"}

    Membership.objects.filter(user=reviewer).update(organization=orgs["other_agency"], role=Role.AGENCY_CLERK)
    moved = type(reviewer).objects.get(pk=reviewer.pk)  # a new request: scope and permissions read afresh

    assert titles(moved) == {}
    assert not filings_visible_to(moved).filter(pk=filing.pk).exists()
    assert not is_assigned_reviewer(moved, filing)
    superuser = type(reviewer).objects.create_superuser("root", "root@example.com", "unused-Passw0rd!")
    assert is_assigned_reviewer(superuser, filing)  # holds every permission, as before


def test_it_asks_the_deciding_official_for_a_decision_once_the_checklist_is_complete(make_filing, official, clerk):
    done = make_filing(clerk, "in_review", title="审查要点已完成")
    checklist_all(done, official)
    make_filing(clerk, "in_review", title="审查要点未完成")  # the official is its reviewer too
    assert titles(official) == {"审查要点已完成": "作出并签发审查结论", "审查要点未完成": "填写各项审查要点"}


def test_a_new_round_asks_for_the_checklist_again_though_the_last_round_was_complete(make_filing, official, clerk):
    filing = make_filing(clerk, "in_review", title="第二轮审查")
    checklist_all(filing, official)
    assert titles(official) == {"第二轮审查": "作出并签发审查结论"}
    services.filing_return(filing=filing, actor=official, comment="补充安全方案。")
    services.filing_submit(filing=ProjectFiling.objects.get(pk=filing.pk), actor=clerk)
    services.filing_start_review(filing=ProjectFiling.objects.get(pk=filing.pk), actor=official, self_review=True)
    assert titles(official) == {"第二轮审查": "填写各项审查要点"}  # round 1's six findings do not count
    services.filing_checklist_save(
        filing=ProjectFiling.objects.get(pk=filing.pk), actor=official, findings={"security": ("pass", "")}
    )
    assert titles(official) == {"第二轮审查": "填写各项审查要点"}  # one of six
    checklist_all(ProjectFiling.objects.get(pk=filing.pk), official)
    assert titles(official) == {"第二轮审查": "作出并签发审查结论"}


def test_it_gives_the_clerk_the_next_step_of_their_own_agency(make_filing, clerk, other_clerk):
    make_filing(clerk, "draft", title="我的草稿")
    make_filing(clerk, "returned", title="被退回")
    make_filing(clerk, "approved", title="已通过")
    make_filing(clerk, "acceptance_requested", title="待验收")
    make_filing(clerk, "submitted", title="等待受理")  # waits on the authority, not on me
    make_filing(clerk, "in_operation", title="已投入使用")
    make_filing(other_clerk, "draft", title="教委草稿")
    make_filing(other_clerk, "returned", title="教委被退回")
    assert titles(clerk) == {
        "我的草稿": "继续填写并提交",
        "被退回": "按审查意见修改后重新提交",
        "已通过": "登记审批部门的批复文号",
        "待验收": "组织竣工验收并登记结果",
    }


def test_it_gives_the_liaison_nothing_to_do(make_filing, clerk, drc_liaison):
    make_filing(clerk, "approved")
    assert filing_tasks_for(drc_liaison).items == []
    assert filing_tasks_for(drc_liaison).total == 0


def test_it_puts_network_applications_in_the_queues(clerk, official, orgs):
    draft = services.network_application_create(
        actor=clerk,
        agency=orgs["agency"],
        system_name="交通视频专网接入",
        purpose="视频会商",
        internet_unsuitable_reason="涉及内部调度数据。",
        security_level=3,
    )
    assert titles(clerk) == {"交通视频专网接入": "继续填写并提交申请"}
    assert titles(official) == {}
    services.application_submit(application=draft, actor=clerk)
    assert titles(clerk) == {}
    assert titles(official) == {"交通视频专网接入": "审查申请"}
    (task,) = filing_tasks_for(official).items
    assert task.url == reverse("projects:application-detail", kwargs={"kind": "network", "uuid": draft.uuid})


def test_it_orders_by_review_due_date_and_caps_the_list(make_filing, official, clerk):
    for index in range(12):
        make_filing(clerk, "submitted", title=f"待受理{index:02d}")
    urgent = make_filing(clerk, "in_review", title="最紧急")
    ProjectFiling.objects.filter(pk=urgent.pk).update(review_due_date=timezone.localdate() - timedelta(days=1))
    queue = filing_tasks_for(official)
    assert queue.total == 13
    assert len(queue.items) == 10
    assert queue.items[0].title == "最紧急"
    assert [t.title for t in queue.items[1:]] == [f"待受理{index:02d}" for index in range(9)]  # waiting longest first


def test_it_shows_the_tasks_on_the_dashboard_with_overdue_and_due_soon_marked(client, make_filing, official, clerk):
    late = make_filing(clerk, "in_review", title="已逾期的审查")
    soon = make_filing(clerk, "in_review", title="明天到期的审查")
    make_filing(clerk, "submitted", title="新提交的备案")
    today = timezone.localdate()
    ProjectFiling.objects.filter(pk=late.pk).update(review_due_date=today - timedelta(days=2))
    ProjectFiling.objects.filter(pk=soon.pk).update(review_due_date=today + timedelta(days=1))
    client.force_login(official)
    page = client.get(reverse("dashboard")).content.decode()
    assert 'data-testid="projects-tasks"' in page
    assert reverse("projects:filing-detail", kwargs={"uuid": late.uuid}) in page
    assert page.index("已逾期的审查") < page.index("明天到期的审查") < page.index("新提交的备案")
    assert page.count('data-urgency="overdue"') == 1
    assert page.count('data-urgency="soon"') == 1
    assert "受理并分派审查" in page
    assert "北京市交通委员会" in page


def test_it_shows_the_clerk_their_returned_filing_on_the_dashboard(client, make_filing, clerk, other_clerk):
    make_filing(clerk, "returned", title="被退回的备案")
    make_filing(other_clerk, "draft", title="教委的草稿")
    client.force_login(clerk)
    page = client.get(reverse("dashboard")).content.decode()
    assert "被退回的备案" in page
    assert "按审查意见修改后重新提交" in page
    assert "教委的草稿" not in page


def test_it_shows_an_empty_state_when_nothing_waits(client, drc_liaison):
    client.force_login(drc_liaison)
    page = client.get(reverse("dashboard")).content.decode()
    assert 'data-testid="tasks-empty"' in page
    assert "暂无待办事项" in page


STATES = ["submitted", "in_review", "returned", "draft", "approved"]


@pytest.mark.parametrize(("rows", "official_tasks"), [(3, 2), (15, 6)])
def test_it_builds_the_dashboard_tasks_in_a_fixed_number_of_queries(
    rows, official_tasks, client, make_filing, official, clerk, django_assert_num_queries
):
    for index in range(rows):
        make_filing(clerk, STATES[index % len(STATES)], title=f"项目{index}")
    client.force_login(official)
    # The 13 of the empty dashboard (portal/tests/test_pages.py, which already counts the to-do panel's one
    # query) plus the working-day calendar (1), read only when a task has a review due date, to mark those
    # due within 3 working days.
    with django_assert_num_queries(13 + 2 + 1):  # + 2: the security panel
        response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="task"') == official_tasks  # submitted + in_review


def test_an_officials_area_figures_are_counted_at_most_once_a_minute(
    client, official, clerk, make_filing, django_assert_num_queries
):
    """portal/figures.py: the city-wide counts by status, district and level are kept for a minute; the to-do
    list is read live; an agency user's figures are never kept."""
    make_filing(clerk, "submitted")
    client.force_login(official)
    first = client.get("/dashboard/").content.decode()
    assert "统计于" in first
    make_filing(clerk, "submitted", title="一分钟内提交的项目")
    # The first visit's 15 (portal/tests/test_pages.py) less its session renewal (3) and the 4 grouped counts
    # of the directory, projects and security panels (kept); the to-do list and the deadlines stay live.
    with django_assert_num_queries(15 - 3 - 4):
        page = client.get("/dashboard/").content.decode()
    assert 'data-testid="projects-panel"' in page and "一分钟内提交的项目" in page  # the to-do list is live
    client.force_login(clerk)
    assert "统计于" not in client.get("/dashboard/").content.decode()


def test_it_gives_the_city_official_every_submitted_domain_application(clerk, official, orgs, district_official):
    """Art. 30: the city authority decides domain registrations, a district's agency's included."""
    draft = services.domain_application_create(
        actor=clerk, agency=orgs["agency"], domain_name="jtw-portal.beijing.gov.cn", website_name="交通门户",
        purpose="政务公开", links_to_city_portal=True,
    )  # fmt: skip
    assert titles(clerk) == {"jtw-portal.beijing.gov.cn": "继续填写并提交申请"}
    services.application_submit(application=draft, actor=clerk)
    assert titles(official) == {"jtw-portal.beijing.gov.cn": "审查申请"}
    assert titles(district_official) == {}


def test_each_kind_of_task_is_counted_up_to_the_cap(monkeypatch, make_filing, official, clerk):
    """The panel is a work list: past the cap a kind's total reads "100+" instead of counting every match."""
    monkeypatch.setattr(tasks, "TASK_COUNT_CAP", 3)
    for index in range(5):
        make_filing(clerk, "submitted", title=f"待受理{index}")
    queue = filing_tasks_for(official)
    assert (queue.total, queue.capped, len(queue.items)) == (3, True, 5)
    monkeypatch.setattr(tasks, "TASK_COUNT_CAP", 5)
    assert (filing_tasks_for(official).total, filing_tasks_for(official).capped) == (5, False)
