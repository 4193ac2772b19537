"""Agencies' informatization management (Art. 40): training (Art. 28) and assessments (Art. 40) per year."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from planning import services
from planning.rules import DevelopmentKind
from planning.selectors import agencies_missing_development, development_summary
from portal.models import Organization

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def _training(actor, organization, **extra):
    return services.development_record_create(
        actor=actor,
        organization=organization,
        kind=DevelopmentKind.TRAINING,
        held_on=date(YEAR, 1, 10),
        title="电子政务培训",
        participants=30,
        hours=Decimal("4"),
        **extra,
    )


def _assessment(actor, organization):
    return services.development_record_create(
        actor=actor,
        organization=organization,
        kind=DevelopmentKind.ASSESSMENT,
        held_on=date(YEAR, 1, 11),
        title="信息化知识考核",
        participants=30,
        passed=28,
    )


def test_organization_labels_name_the_e_government_leader_and_unit():
    assert "电子政务主管负责人" in str(Organization._meta.get_field("responsible_leader").verbose_name)
    assert "电子政务管理内部机构" in str(Organization._meta.get_field("responsible_unit").verbose_name)


def test_it_records_an_agencys_training_and_assessment(clerk, orgs):
    _training(clerk, orgs["agency"])
    _assessment(clerk, orgs["agency"])

    row = development_summary(clerk, year=YEAR).get(pk=orgs["agency"].pk)
    assert (row.training_count, row.training_participants, row.assessment_count, row.assessment_passed) == (
        1,
        30,
        1,
        28,
    )


def test_it_checks_what_each_kind_needs(clerk, orgs):
    with pytest.raises(ValidationError) as no_passed:
        services.development_record_create(
            actor=clerk,
            organization=orgs["agency"],
            kind=DevelopmentKind.ASSESSMENT,
            held_on=date(YEAR, 1, 1),
            title="考核",
            participants=10,
        )
    assert "passed" in no_passed.value.error_dict
    with pytest.raises(ValidationError) as future:
        services.development_record_create(
            actor=clerk,
            organization=orgs["agency"],
            kind=DevelopmentKind.TRAINING,
            held_on=timezone.localdate() + timedelta(days=3),
            title="培训",
            participants=10,
            hours=Decimal("2"),
        )
    assert future.value.error_dict["held_on"][0].code == "date-in-future"


def test_another_agencys_clerk_may_not_record(other_clerk, orgs):
    with pytest.raises(PermissionDenied):
        _training(other_clerk, orgs["agency"])


def test_authority_sees_agencies_missing_either(official, clerk, other_clerk, orgs):
    _training(clerk, orgs["agency"])
    _assessment(clerk, orgs["agency"])
    _training(other_clerk, orgs["other_agency"])

    missing = set(agencies_missing_development(official, year=YEAR).values_list("name", flat=True))

    assert orgs["other_agency"].name in missing  # training but no assessment
    assert orgs["haidian_agency"].name in missing  # neither
    assert orgs["agency"].name not in missing


def test_compliance_page_for_officials_only(client, official, clerk, orgs):
    _training(clerk, orgs["agency"])
    client.force_login(clerk)
    assert client.get(reverse("planning:development-compliance")).status_code == 403

    client.force_login(official)
    response = client.get(reverse("planning:development-compliance"), {"year": YEAR, "missing": "1"})
    csv_rows = client.get(reverse("planning:development-compliance"), {"year": YEAR, "format": "csv"})

    body = response.content.decode()
    assert response.status_code == 200 and "缺考核" in body
    assert orgs["agency"].name in body
    assert len(csv_rows.content.decode("utf-8-sig").splitlines()) == 1 + response.context["page"].paginator.count


def test_clerk_records_on_the_page_and_sees_only_their_agency(client, clerk, other_clerk, orgs):
    _training(other_clerk, orgs["other_agency"], notes="")
    services.development_record_create(
        actor=other_clerk,
        organization=orgs["other_agency"],
        kind=DevelopmentKind.TRAINING,
        held_on=date(YEAR, 1, 12),
        title="教委内部培训",
        participants=3,
        hours=Decimal("1"),
    )
    client.force_login(clerk)

    bad = client.post(
        reverse("planning:development-list"),
        {
            "organization": orgs["agency"].pk,
            "kind": "assessment",
            "held_on": f"{YEAR}-01-05",
            "title": "考核",
            "participants": 5,
        },
    )
    good = client.post(
        reverse("planning:development-list"),
        {
            "organization": orgs["agency"].pk,
            "kind": "assessment",
            "held_on": f"{YEAR}-01-05",
            "title": "考核",
            "participants": 5,
            "passed": 5,
        },
    )
    page = client.get(reverse("planning:development-list")).content.decode()

    assert bad.status_code == 400 and "考核合格人数" in bad.content.decode()
    assert good.status_code == 302
    assert "教委内部培训" not in page and orgs["other_agency"].name not in page
