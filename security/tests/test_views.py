"""Pages of Chapter 5: every page renders for the people who use it; outsiders get 404."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from security import services
from security.models import GradingFiling, Incident

from .conftest import answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_grading, clerk, official, orgs, evaluator):
    grading = make_grading(clerk, level=3, state="approved")
    services.evaluation_record(
        actor=clerk,
        system=grading.system,
        evaluator=evaluator,
        evaluated_on=timezone.localdate(),
        report_version="2025",
        score=75,
        issues=[("日志留存不足", "medium")],
    )
    plan = services.plan_create(
        actor=clerk, organization=orgs["agency"], version="2026", approved_on=timezone.localdate(), scope="全部"
    )
    now = timezone.now()
    incident = services.incident_report(
        actor=clerk,
        organization=orgs["agency"],
        title="网页篡改",
        level="general",
        occurred_at=now - timedelta(hours=6),
        discovered_at=now - timedelta(hours=5),
        description="篡改",
        measures="下线",
    )
    bulletin = services.bulletin_issue(
        actor=official, issuer=orgs["authority"], kind="alert", title="漏洞预警", body="升级", to_all=True
    )
    return {"grading": grading, "system": grading.system, "plan": plan, "incident": incident, "bulletin": bulletin}


def pages(world):
    return [
        reverse("security:system-list"),
        reverse("security:system-detail", args=[world["system"].uuid]),
        reverse("security:grading-list"),
        reverse("security:grading-detail", args=[world["grading"].uuid]),
        reverse("security:evaluation-due") + "?due=soon",
        reverse("security:incident-list"),
        reverse("security:incident-detail", args=[world["incident"].uuid]),
        reverse("security:plan-list"),
        reverse("security:plan-detail", args=[world["plan"].uuid]),
        reverse("security:bulletin-list"),
        reverse("security:bulletin-detail", args=[world["bulletin"].uuid]),
    ]


def test_every_page_renders_for_the_clerk_and_the_official(client, world, clerk, official):
    for user in (clerk, official):
        client.force_login(user)
        for url in pages(world):
            response = client.get(url)
            assert response.status_code == 200, url
    assert client.get(reverse("security:system-overview")).status_code == 200
    client.force_login(clerk)
    for url in (
        reverse("security:system-new"),
        reverse("security:grading-new", args=[world["system"].uuid]),
        reverse("security:evaluation-new", args=[world["system"].uuid]),
        reverse("security:incident-new"),
        reverse("security:plan-new"),
    ):
        assert client.get(url).status_code == 200, url


def test_the_lists_show_the_rows(client, world, official):
    client.force_login(official)
    assert world["system"].name in client.get(reverse("security:system-list")).content.decode()
    incidents = client.get(reverse("security:incident-list")).content.decode()
    assert "迟报" in incidents and "网页篡改" in incidents
    assert "漏洞预警" in client.get(reverse("security:bulletin-list")).content.decode()


def test_outsiders_get_404_on_every_detail_page(client, world, other_clerk):
    client.force_login(other_clerk)
    for url in pages(world):
        if "/bulletins/" in url or url.endswith("/systems/") or url.endswith("/gradings/") or "?" in url:
            continue
        if url.endswith("/incidents/") or url.endswith("/plans/"):
            continue
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("security:grading-certificate", args=[world["grading"].uuid])).status_code == 404
    assert client.get(reverse("security:grading-new", args=[world["system"].uuid])).status_code == 404


def test_the_public_is_sent_to_login(client, world):
    response = client.get(reverse("security:system-list"))
    assert response.status_code == 302


def test_the_wizard_grades_through_the_matrix_and_refuses_missing_answers(client, clerk, make_system):
    system = make_system(clerk)
    client.force_login(clerk)
    url = reverse("security:grading-new", args=[system.uuid])
    page = client.get(url).content.decode()
    assert 'data-testid="matrix"' in page and "GB/T 22240-2020" in page
    bad = client.post(url, {"business_harm_object": "public", "graded_on": timezone.localdate().isoformat()})
    assert bad.status_code == 400
    assert "请选择一项" in bad.content.decode()
    good = client.post(
        url, {**answers(3, 2), "reason": "initial", "graded_on": timezone.localdate().isoformat()}, follow=True
    )
    assert good.status_code == 200
    assert GradingFiling.objects.get(system=system).level == 3


def test_the_grading_page_runs_its_actions_and_serves_the_certificate(client, clerk, official, make_grading):
    grading = make_grading(clerk, level=3, state="submitted")
    client.force_login(official)
    page = client.get(reverse("security:grading-detail", args=[grading.uuid])).content.decode()
    assert 'data-testid="do-approve"' in page
    response = client.post(reverse("security:grading-action", args=[grading.uuid, "approve"]), {"approve-comment": ""})
    assert response.status_code == 302
    pdf = client.get(reverse("security:grading-certificate", args=[grading.uuid]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    again = client.post(reverse("security:grading-action", args=[grading.uuid, "approve"]), {})
    assert again.status_code == 409


def test_the_phone_form_reports_an_incident(client, clerk):
    client.force_login(clerk)
    now = timezone.localtime()
    response = client.post(
        reverse("security:incident-new"),
        {
            "title": "勒索病毒",
            "level": "larger",
            "occurred_at": (now - timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M"),
            "discovered_at": (now - timedelta(minutes=20)).strftime("%Y-%m-%dT%H:%M"),
            "description": "文件被加密",
            "measures": "断网隔离",
            "records_preserved": "on",
        },
    )
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert not incident.is_late and incident.records_preserved


def test_the_csv_export_lists_the_systems(client, world, official):
    client.force_login(official)
    response = client.get(reverse("security:system-list") + "?export=csv")
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert world["system"].name in content


def test_an_operators_system_list_reads_its_organizations_systems_newest_first(
    client, make_system, clerk, other_clerk, unit_clerk, orgs
):
    """A clerk's list is read operator by operator (the commission and its IT centre) through
    ``secsys_operator_created_idx``, not by walking every system of the city newest first (issue 15)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from security.selectors import system_list

    own = [make_system(clerk, name="交通系统1"), make_system(unit_clerk, name="信息中心系统")]
    make_system(other_clerk, name="教育系统")
    own += [make_system(clerk, name="交通系统2"), make_system(unit_clerk, name="信息中心系统2")]
    clerk.__dict__.pop("_portal_scope", None)
    client.force_login(clerk)

    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("security:system-list"))

    assert [s.name for s in response.context["page"].object_list] == [s.name for s in reversed(own)]
    assert any("CROSS JOIN LATERAL" in q["sql"] for q in captured.captured_queries)
    assert system_list(clerk).scope_ids == tuple(sorted((orgs["agency"].pk, orgs["agency_unit"].pk)))
