"""Plans (Art. 6): the district plan's conformity review, approval and publication; who may do what."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from planning import services
from planning.models import PlanStatus
from planning.rules import PlanKind
from planning.tests.conftest import pdf_upload
from portal.models import Deadline, Notification, TimelineEvent
from portal.workflow import Refused

pytestmark = pytest.mark.django_db


def test_it_takes_a_district_plan_through_review_approval_and_publication(
    make_district_plan, district_official, official
):
    plan = make_district_plan("draft")
    services.plan_version_add(plan=plan, actor=district_official, note="送审稿", document=pdf_upload())

    plan = services.plan_submit_for_review(plan=plan, actor=district_official)
    assert plan.status == PlanStatus.IN_REVIEW
    deadline = Deadline.objects.get(object_id=plan.pk, kind_id="plan_conformity_review")
    assert deadline.due_date == plan.review_due_date
    assert Notification.objects.filter(recipient=official, kind="plan_review_requested").exists()

    plan = services.plan_confirm_conformity(plan=plan, actor=official, opinion="符合本市信息化发展规划。")
    assert plan.status == PlanStatus.REVIEWED
    assert Deadline.objects.get(pk=deadline.pk).state == "met"
    assert Notification.objects.filter(recipient=district_official, kind="plan_reviewed").exists()

    plan = services.plan_record_approval(
        plan=plan, actor=district_official, approval_reference="海政发〔2026〕3号", approval_date=date.today()
    )
    assert (plan.status, plan.approved_by_body) == (PlanStatus.APPROVED, "区人民政府")
    plan = services.plan_publish(plan=plan, actor=district_official)
    assert plan.status == PlanStatus.PUBLISHED
    assert plan.published_version.number == 1
    actions = list(TimelineEvent.objects.filter(object_id=plan.pk).values_list("action", flat=True))
    assert "plan_conformity_confirmed" in actions and actions[-1] == "plan_published"


def test_it_returns_a_district_plan_and_takes_it_again(make_district_plan, district_official, official):
    plan = make_district_plan("in_review")

    plan = services.plan_return_for_revision(plan=plan, actor=official, opinion="与本市规划的网络布局不一致。")
    assert plan.status == PlanStatus.RETURNED
    services.plan_version_add(plan=plan, actor=district_official, note="按审核意见修改")
    plan = services.plan_submit_for_review(plan=plan, actor=district_official)

    assert plan.status == PlanStatus.IN_REVIEW
    assert Deadline.objects.filter(object_id=plan.pk, kind_id="plan_conformity_review", state="open").count() == 1


def test_it_lets_only_the_city_authority_review(make_district_plan, district_official):
    plan = make_district_plan("in_review")

    with pytest.raises(PermissionDenied):
        services.plan_confirm_conformity(plan=plan, actor=district_official, opinion="自己审核自己")


def test_it_refuses_approving_a_district_plan_before_the_review(make_district_plan, district_official):
    plan = make_district_plan("draft")
    services.plan_version_add(plan=plan, actor=district_official, note="稿")

    with pytest.raises(Refused) as refused:
        services.plan_record_approval(
            plan=plan, actor=district_official, approval_reference="海政发〔2026〕9号", approval_date=date.today()
        )
    assert refused.value.code == "state-not-allowed"


def test_it_refuses_submitting_a_plan_without_text(make_district_plan, district_official):
    plan = make_district_plan("draft")

    with pytest.raises(Refused) as refused:
        services.plan_submit_for_review(plan=plan, actor=district_official)
    assert refused.value.code == "plan-without-version"


def test_it_fixes_the_text_once_submitted(make_district_plan, district_official):
    plan = make_district_plan("in_review")

    with pytest.raises(Refused) as refused:
        services.plan_version_add(plan=plan, actor=district_official, note="偷偷改")
    assert refused.value.code == "plan-text-fixed"


def test_it_requires_a_special_plan_to_name_the_published_city_plan(clerk, orgs, official, city_plan):
    with pytest.raises(ValidationError) as missing:
        services.plan_create(
            actor=clerk,
            kind=PlanKind.SPECIAL,
            organization=orgs["agency"],
            title="交通规划",
            period_start=2026,
            period_end=2030,
        )
    assert missing.value.error_dict["conforms_to"][0].code == "conformity-missing"

    draft_city = services.plan_create(
        actor=official,
        kind=PlanKind.CITY,
        organization=orgs["authority"],
        title="下一期",
        period_start=2026,
        period_end=2030,
    )
    with pytest.raises(ValidationError) as wrong:
        services.plan_create(
            actor=clerk,
            kind=PlanKind.SPECIAL,
            organization=orgs["agency"],
            title="交通规划",
            period_start=2026,
            period_end=2030,
            conforms_to=draft_city,
        )
    assert wrong.value.error_dict["conforms_to"][0].code == "conformity-not-city-plan"

    plan = services.plan_create(
        actor=clerk,
        kind=PlanKind.SPECIAL,
        organization=orgs["agency"],
        title="交通规划",
        period_start=2026,
        period_end=2030,
        conforms_to=city_plan,
    )
    assert plan.conforms_to == city_plan


def test_it_refuses_drafting_in_another_units_name(other_clerk, district_official, orgs, city_plan):
    with pytest.raises(PermissionDenied):
        services.plan_create(
            actor=other_clerk,
            kind=PlanKind.SPECIAL,
            organization=orgs["agency"],
            title="冒名规划",
            period_start=2026,
            period_end=2030,
            conforms_to=city_plan,
        )
    with pytest.raises(PermissionDenied):
        services.plan_create(
            actor=district_official,
            kind=PlanKind.CITY,
            organization=orgs["authority"],
            title="越级规划",
            period_start=2026,
            period_end=2030,
        )


# --- public pages: published plans only


def test_public_list_shows_only_published_plans(client, make_district_plan, city_plan):
    make_district_plan("approved", title="已批准未公布的规划")
    make_district_plan("in_review", title="审核中的规划")
    published = make_district_plan("published", title="已公布的海淀规划")

    response = client.get(reverse("public-plans"))

    body = response.content.decode()
    assert response.status_code == 200
    assert published.title in body and city_plan.title in body
    assert "已批准未公布的规划" not in body and "审核中的规划" not in body


def test_public_detail_is_404_for_an_unpublished_plan(client, make_district_plan):
    plan = make_district_plan("approved")

    assert client.get(reverse("public-plan-detail", args=[plan.uuid])).status_code == 404


def test_public_document_serves_the_published_version_only(client, make_district_plan, district_official):
    published = make_district_plan("published", title="已公布")
    draft = make_district_plan("draft", title="草稿")
    draft_version = services.plan_version_add(plan=draft, actor=district_official, note="稿", document=pdf_upload())
    from planning.selectors import plan_versions

    public_doc = plan_versions(published)[0].documents[0]
    draft_doc = plan_versions(draft)[0].documents[0]
    assert draft_version.number == 1

    assert client.get(reverse("public-plan-detail", args=[published.uuid])).status_code == 200
    response = client.get(reverse("public-plan-document", args=[public_doc.uuid]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(reverse("public-plan-document", args=[draft_doc.uuid])).status_code == 404


def test_home_page_links_the_public_sections(client):
    body = client.get(reverse("home")).content.decode()

    assert f'href="{reverse("public-plans")}"' in body
    assert f'href="{reverse("public-standards")}"' in body


# --- staff pages


def test_outsider_gets_404_on_a_draft(client, make_district_plan, other_clerk, chaoyang_official):
    plan = make_district_plan("draft")

    for outsider in (other_clerk, chaoyang_official):
        client.force_login(outsider)
        assert client.get(reverse("planning:plan-detail", args=[plan.uuid])).status_code == 404
        response = client.post(reverse("planning:plan-action", args=[plan.uuid, "submit_for_review"]))
        assert response.status_code == 404


def test_reviewer_confirms_conformity_on_the_page(client, make_district_plan, official):
    plan = make_district_plan("in_review")
    client.force_login(official)
    url = reverse("planning:plan-action", args=[plan.uuid, "confirm_conformity"])

    missing = client.post(url, {"opinion": ""})
    done = client.post(url, {"opinion": "符合本市规划。"})

    assert missing.status_code == 400
    assert "请填写审核意见" in missing.content.decode()
    assert done.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.REVIEWED


def test_district_official_may_not_review_on_the_page(client, make_district_plan, district_official):
    plan = make_district_plan("in_review")
    client.force_login(district_official)

    response = client.post(reverse("planning:plan-action", args=[plan.uuid, "confirm_conformity"]), {"opinion": "自审"})

    assert response.status_code == 403


def test_page_answers_409_when_the_state_refuses(client, make_district_plan, district_official):
    plan = make_district_plan("reviewed")
    client.force_login(district_official)

    response = client.post(reverse("planning:plan-version-add", args=[plan.uuid]), {"note": "再改"})

    assert response.status_code == 409


def test_staff_creates_a_plan_on_the_page(client, district_official, orgs, city_plan):
    client.force_login(district_official)

    response = client.post(
        reverse("planning:plan-list"),
        {
            "kind": "district",
            "organization": orgs["haidian_authority"].pk,
            "title": "海淀区新规划",
            "period_start": 2026,
            "period_end": 2025,
            "conforms_to": city_plan.pk,
        },
    )

    assert response.status_code == 400
    assert "规划期截止年不能早于起始年" in response.content.decode()
