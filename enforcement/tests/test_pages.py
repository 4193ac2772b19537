"""Staff pages of Chapters 6-7: inspections that record findings, evaluations, the surcharge on screen."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from enforcement.models import Finding, PerformanceEvaluation, ServiceEvaluation
from portal.models import OrganizationKind


def test_an_inspection_that_finds_a_violation_records_a_finding(client, official, orgs):
    client.force_login(official)
    today = timezone.localdate()
    response = client.post(
        reverse("enforcement:inspection-list"),
        {
            "subject": orgs["other_agency"].pk,
            "area": "disclosure",
            "planned_on": today - timedelta(days=3),
            "conducted_on": today - timedelta(days=1),
            "conclusion": "3件依申请公开逾期答复。",
            "violation_title": "依申请公开逾期答复",
            "article_breached": "19",
            "sanctioning_article": "45(1)",
        },
    )
    assert response.status_code == 302
    finding = Finding.objects.get()
    assert (finding.party, finding.sanctioning_article, finding.status) == (orgs["other_agency"], "45(1)", "open")


def test_an_inspection_violation_needs_its_articles(client, official, orgs):
    client.force_login(official)
    response = client.post(
        reverse("enforcement:inspection-list"),
        {"subject": orgs["agency"].pk, "area": "plan", "planned_on": timezone.localdate(), "violation_title": "未落实"},
    )
    assert response.status_code == 400
    assert "须写明违反的条款" in response.content.decode()
    assert not Finding.objects.exists()


def test_evaluations_are_recorded_ranked_and_published(client, official, orgs, make_org):
    water = make_org("北京市自来水集团", kind=OrganizationKind.PUBLIC_ENTERPRISE)
    client.force_login(official)
    year = timezone.localdate().year - 1
    for agency, lines in ((orgs["agency"], "规划=40\n共享=45"), (orgs["other_agency"], "规划=45\n共享=48")):
        response = client.post(
            reverse("enforcement:evaluations"),
            {
                "which": "performance",
                "perf-year": year,
                "perf-agency": agency.pk,
                "perf-indicators": lines,
                "perf-published": "on",
            },
        )
        assert response.status_code == 302
    response = client.post(
        reverse("enforcement:evaluations"),
        {
            "which": "performance",
            "perf-year": year,
            "perf-agency": orgs["agency"].pk,
            "perf-indicators": "规划=60\n共享=50",
        },
    )
    assert response.status_code == 400 and "超过100分" in response.content.decode()
    response = client.post(
        reverse("enforcement:evaluations"),
        {
            "which": "service",
            "svc-year": year,
            "svc-enterprise": water.pk,
            "svc-sector_authority": orgs["authority"].pk,
            "svc-score": "72",
            "svc-summary": "网上营业厅可用，账单查询滞后。",
        },
    )
    assert response.status_code == 302
    assert ServiceEvaluation.objects.get().grade == "pass"
    client.logout()
    page = client.get(reverse("public-evaluations"), {"year": year})
    ranking = [e.agency for e in page.context["ranking"]]
    assert ranking == [orgs["other_agency"], orgs["agency"]]
    assert PerformanceEvaluation.objects.get(agency=orgs["other_agency"]).score == 93
    assert "北京市自来水集团" in page.content.decode()


def test_the_case_page_computes_the_surcharge_for_any_date(client, official, make_case):
    case = make_case("served")
    client.force_login(official)
    on = case.payment_due + timedelta(days=10)
    response = client.get(reverse("enforcement:case-detail", args=[case.uuid]), {"on": on.isoformat()})
    assert response.context["surcharge"] == case.fine_total * 30 / 100
    assert 'data-testid="surcharge-amount"' in response.content.decode()


def test_staff_pages_are_404_for_outsiders(client, clerk):
    client.force_login(clerk)
    for name in (
        "enforcement:dashboard",
        "enforcement:inspection-list",
        "enforcement:evaluations",
        "enforcement:credit-export",
    ):
        assert client.get(reverse(name)).status_code == 404
