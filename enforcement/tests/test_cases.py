"""Findings and penalty cases through the services and the API: detection, triage, the clocks, publication."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from enforcement import services
from enforcement.models import Case, CaseStatus, Finding, FindingStatus
from enforcement.tests.conftest import FINE_43, backdate_notice
from portal.models import Deadline
from portal.workflow import Refused


def test_it_records_one_finding_per_violation_and_a_second_run_adds_nothing(make_violation, contractor):
    make_violation()
    make_violation("另一项目，同样无资质。")
    first = services.findings_detect()
    assert first["art11-unqualified-contracting"] == 2
    second = services.findings_detect()
    assert second["art11-unqualified-contracting"] == 0
    assert Finding.objects.filter(status=FindingStatus.OPEN).count() == 2
    finding = Finding.objects.first()
    assert finding.party == contractor
    assert (finding.article_breached, finding.sanctioning_article) == ("11", "43")


def test_it_does_not_raise_a_dismissed_finding_again(finding, official):
    services.finding_dismiss(finding=finding, actor=official, reason="资质证书已于当日续期，系登记延迟。")
    assert services.findings_detect()["art11-unqualified-contracting"] == 0


def test_it_refuses_dismissal_without_reason_and_by_a_clerk(finding, official, clerk):
    with pytest.raises(ValidationError):
        services.finding_dismiss(finding=finding, actor=official, reason=" ")
    with pytest.raises(PermissionDenied):
        services.finding_dismiss(finding=finding, actor=clerk, reason="x")


def test_it_opens_a_case_with_a_number_and_the_90_day_clock(finding, official, officer):
    finding = services.finding_open_case(finding=finding, actor=official, officers=[official, officer])
    case = finding.case
    year = timezone.localdate().year
    assert case.number == f"京经信罚〔{year}〕1号"
    assert case.sanctioning_article == 43 and case.status == CaseStatus.REGISTERED
    deadline = Deadline.objects.get(kind_id="penalty_decision", object_id=case.pk)
    assert deadline.due_date >= timezone.localdate() + timedelta(days=90)


def test_it_refuses_a_case_with_one_officer(finding, official):
    with pytest.raises(ValidationError) as exc:
        services.finding_open_case(finding=finding, actor=official, officers=[official])
    assert exc.value.error_dict["officers"][0].code == "officers-too-few"


def test_it_refuses_a_decision_before_the_notice_and_during_the_defence_period(make_case, official):
    case = make_case("investigating")
    with pytest.raises(Refused):
        services.case_decide(case=case, actor=official, sanctions=FINE_43)
    case = services.case_notify(case=case, actor=official, sanctions=FINE_43)
    assert case.hearing_eligible  # 50,000 CNY reaches the hearing threshold
    with pytest.raises(Refused) as exc:
        services.case_decide(case=case, actor=official, sanctions=FINE_43)
    assert exc.value.code == "defence-period-running"


def test_it_refuses_a_heavier_decision_than_the_notice(make_case, official):
    case = make_case("notified")
    backdate_notice(case)
    heavier = [FINE_43[0], {**FINE_43[1], "amount": "80000"}]
    with pytest.raises(ValidationError) as exc:
        services.case_decide(case=Case.objects.get(pk=case.pk), actor=official, sanctions=heavier)
    assert exc.value.error_dict["sanctions"][0].code == "heavier-than-notice"


def test_it_refuses_a_late_hearing_request(make_case, contractor_clerk):
    case = make_case("notified")
    backdate_notice(case)
    with pytest.raises(Refused) as exc:
        services.case_request_hearing(case=Case.objects.get(pk=case.pk), actor=contractor_clerk)
    assert exc.value.code == "hearing-request-late"


def test_it_runs_a_hearing_notified_7_days_ahead(make_case, official, contractor_clerk):
    case = make_case("notified")
    case = services.case_request_hearing(case=case, actor=contractor_clerk)
    with pytest.raises(ValidationError):
        services.case_schedule_hearing(case=case, actor=official, hearing_date=timezone.localdate() + timedelta(days=6))
    services.case_schedule_hearing(case=case, actor=official, hearing_date=timezone.localdate() + timedelta(days=7))
    assert Case.objects.get(pk=case.pk).hearing_date == timezone.localdate() + timedelta(days=7)


def test_it_serves_publishes_and_withdraws_on_revocation(make_case, official, client):
    case = make_case("published")
    assert case.payment_due == case.served_on + timedelta(days=15) or case.payment_due > case.served_on
    response = client.get(reverse("public-penalties"))
    assert case.number in response.content.decode()
    services.case_revoke(case=case, actor=official, reason="复议撤销")
    response = client.get(reverse("public-penalties"))
    assert case.number not in response.content.decode()


def test_it_needs_the_fine_and_surcharge_paid_before_closing(make_case, official):
    case = make_case("served")
    case = services.case_execute(case=case, actor=official)
    with pytest.raises(Refused):
        services.case_close(case=case, actor=official)
    late = case.payment_due + timedelta(days=2)
    with pytest.raises(ValidationError) as exc:
        services.case_record_payment(case=case, actor=official, paid_on=late, amount=case.fine_total)
    assert exc.value.error_dict["amount"][0].code == "payment-short"
    services.case_record_payment(case=case, actor=official, paid_on=late, amount=case.fine_total * 106 / 100)
    assert services.case_close(case=Case.objects.get(pk=case.pk), actor=official).status == CaseStatus.CLOSED


def test_it_refers_a_case_to_the_supervisory_body(make_case, official):
    case = services.case_refer(case=make_case(), actor=official, body="supervisory", reason="工作人员滥用职权")
    assert case.status == CaseStatus.REFERRED
    assert not Deadline.objects.filter(object_id=case.pk, kind_id="penalty_decision", state="open").exists()


# --- API ------------------------------------------------------------------------------------------------------


def test_api_decide_refuses_a_sanction_outside_the_article_with_400(make_case, official, client):
    case = make_case("notified")
    backdate_notice(case)
    client.force_login(official)
    url = f"/api/v1/enforcement/cases/{case.uuid}/decide/"
    response = client.post(url, {"sanctions": [{"kind": "criticism"}]}, content_type="application/json")
    assert response.status_code == 400, response.content.decode()
    body = response.json()
    assert "第四十三条" in str(body) and "sanction-not-allowed" in str(body)


def test_api_runs_the_transitions_with_409_for_the_wrong_state(make_case, official, client):
    case = make_case()
    client.force_login(official)
    base = f"/api/v1/enforcement/cases/{case.uuid}"
    assert client.post(f"{base}/decide/", {"sanctions": FINE_43}, content_type="application/json").status_code == 409
    response = client.post(f"{base}/investigate/", {}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "investigating"


def test_api_opens_a_case_from_a_finding(finding, official, officer, client):
    client.force_login(official)
    response = client.post(
        f"/api/v1/enforcement/findings/{finding.uuid}/open_case/",
        {"officers": [str(official.uuid), str(officer.uuid)]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "case_opened" and response.json()["case_number"]


def test_outsiders_get_404_for_findings_and_cases(finding, make_case, other_clerk, clerk, client):
    case = make_case()
    for user in (other_clerk, clerk):
        client.force_login(user)
        assert client.get(f"/api/v1/enforcement/findings/{finding.uuid}/").status_code == 404
        assert (
            client.post(
                f"/api/v1/enforcement/findings/{finding.uuid}/dismiss/",
                {"reason": "x"},
                content_type="application/json",
            ).status_code
            == 404
        )
        assert client.get(f"/api/v1/enforcement/cases/{case.uuid}/").status_code == 404
        assert client.get(reverse("enforcement:case-detail", args=[case.uuid])).status_code == 404
        assert client.get(reverse("enforcement:finding-detail", args=[finding.uuid])).status_code == 404
        assert client.get(reverse("enforcement:finding-list")).status_code == 404


def test_the_party_sees_its_case_and_may_not_decide_it(make_case, contractor_clerk, client):
    case = make_case("notified")
    client.force_login(contractor_clerk)
    assert client.get(f"/api/v1/enforcement/cases/{case.uuid}/").status_code == 200
    response = client.post(
        f"/api/v1/enforcement/cases/{case.uuid}/decide/", {"sanctions": FINE_43}, content_type="application/json"
    )
    assert response.status_code == 403


def test_public_decisions_api_lists_only_published(make_case, client):
    published = make_case("published")
    make_case("decided")
    response = client.get("/api/v1/enforcement/decisions/")
    assert response.status_code == 200
    numbers = [row["number"] for row in response.json()["results"]]
    assert numbers == [published.number]


def test_pdfs_quote_the_article(make_case, official, client):
    case = make_case("decided")
    client.force_login(official)
    for name in ("enforcement:case-notice-pdf", "enforcement:case-decision-pdf"):
        response = client.get(reverse(name, args=[case.uuid]))
        assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_credit_export_lists_decisions(make_case, official, client):
    case = make_case("decided")
    make_case()
    client.force_login(official)
    body = b"".join(client.get(reverse("enforcement:credit-export")).streaming_content).decode("utf-8-sig")
    lines = body.strip().splitlines()
    assert len(lines) == 2 and case.number in lines[1] and "50000.00" in lines[1]
