"""Filing pages never lose input; submitting gives a receipt; the dashboard shows each role its work."""

import re

import pytest
from django.urls import reverse

from projects.models import ProjectFiling

pytestmark = pytest.mark.django_db


def edit(filing, step):
    return reverse("projects:filing-edit", args=[filing.uuid, step])


def test_a_step_tab_clicked_with_unsaved_input_saves_it_then_opens_that_step(client, make_filing, clerk):
    filing = make_filing(clerk, "draft")
    client.force_login(clerk)
    data = {"needs": "整合路网监测数据。", "expected_benefits": "预警提前。", "goto": "technical"}
    response = client.post(edit(filing, "needs"), data)
    assert response.status_code == 302
    assert response["Location"] == edit(filing, "technical")
    filing.refresh_from_db()
    assert filing.needs == "整合路网监测数据。"


def test_assigning_a_contractor_keeps_what_was_typed_on_the_step(client, make_filing, clerk, contractor, qualified):
    filing = make_filing(clerk, "draft", supervision_arrangement="", licensed_software="")
    client.force_login(clerk)
    data = {
        "tender_method": "public",
        "supervision_arrangement": "委托监理单位全过程监理。",
        "domain": "system_integration",
        "required_qualification_level": "2",
        "licensed_software": "正版操作系统与数据库。",
        "contractor": str(contractor.pk),
        "role": "construction",
        "assign_contractor": "1",
    }
    response = client.post(edit(filing, "contracting"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    filing.refresh_from_db()
    assert filing.supervision_arrangement == "委托监理单位全过程监理。"
    assert filing.licensed_software == "正版操作系统与数据库。"
    assert filing.contractors.filter(contractor=contractor).exists()
    page = client.get(edit(filing, "contracting")).content.decode()
    assert 'form="filing-form"' in page  # the contractor fields belong to the step form


def test_the_still_missing_list_links_to_each_field(client, make_filing, clerk):
    filing = make_filing(clerk, "draft", needs="")
    client.force_login(clerk)
    page = client.get(edit(filing, "documents")).content.decode()
    assert f'href="{edit(filing, "needs")}#id_needs"' in page


def test_submitting_shows_a_receipt_with_time_next_step_and_due_date(client, make_filing, clerk):
    filing = make_filing(clerk, "draft")
    client.force_login(clerk)
    response = client.post(reverse("projects:filing-action", args=[filing.uuid, "submit"]))
    assert response.status_code == 302
    assert response["Location"].endswith("?receipt=1")
    page = client.get(response["Location"]).content.decode()
    filing = ProjectFiling.objects.get(pk=filing.pk)
    assert 'data-testid="receipt"' in page
    assert filing.submitted_at.astimezone().strftime("%Y-%m-%d %H:%M") in page
    assert "个工作日内出具审查意见" in page


def test_binding_actions_ask_for_confirmation_and_say_what_happens(client, make_filing, clerk, official):
    filing = make_filing(clerk, "in_review")
    client.force_login(official)
    page = client.get(reverse("projects:filing-detail", args=[filing.uuid])).content.decode()
    assert re.search(r'data-confirm="签发后自动编号并生成审查意见书', page)


def test_the_dashboard_shows_a_clerk_tasks_but_not_the_officials_cards(client, clerk, official):
    client.force_login(clerk)
    page = client.get(reverse("dashboard")).content.decode()
    assert 'data-testid="projects-tasks"' in page
    assert 'data-testid="organization-count"' not in page
    assert page.index('data-testid="projects-tasks"') < page.index('data-testid="deadline-panels"')
    client.force_login(official)
    assert 'data-testid="organization-count"' in client.get(reverse("dashboard")).content.decode()
