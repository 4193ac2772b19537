"""Pages of the catalog: registration with the duplicate warning, actions, sharing, public catalog, 404s."""

import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from resources.models import CatalogResource, SharingRequest
from resources.tests.conftest import TAXI_ITEMS

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {
        "classification": "201",
        "name": "出租车营运台账",
        "summary": "校车和出租车营运核验。",
        "format": "database",
        "collection_basis": "《北京市出租汽车管理条例》",
        "share_type": "unconditional",
        "share_method": "interface",
        "open_attribute": "open",
        "update_cycle": "monthly",
        "items-TOTAL_FORMS": str(len(TAXI_ITEMS) + 1),
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "500",
    }
    for index, item in enumerate(TAXI_ITEMS):
        data.update(
            {
                f"items-{index}-name": item["name"],
                f"items-{index}-data_type": item["data_type"],
                f"items-{index}-share_type": "unconditional",
                f"items-{index}-open_attribute": "open",
            }
        )
    blank = len(TAXI_ITEMS)
    data.update(
        {
            f"items-{blank}-data_type": "C",
            f"items-{blank}-share_type": "unconditional",
            f"items-{blank}-open_attribute": "open",
        }
    )
    return {**data, **overrides}


def test_registration_warns_of_duplicates_and_saves_with_a_justification(client, make_resource, clerk, other_clerk):
    make_resource(clerk)
    client.force_login(other_clerk)

    warned = client.post("/resources/catalog/new/", form_data())

    assert warned.status_code == 400
    assert "发现可能的重复采集" in warned.content.decode()
    assert "北京市交通委员会" in warned.content.decode()
    saved = client.post(
        "/resources/catalog/new/", form_data(duplicate_justification="教育委需核验校车驾驶员，口径不同。")
    )
    assert saved.status_code == 302
    resource = CatalogResource.objects.get(name="出租车营运台账")
    assert resource.has_duplicates and resource.items.count() == len(TAXI_ITEMS)


def test_the_duplicate_warning_names_the_field_and_marks_it(client, make_resource, clerk, other_clerk):
    """The page names the justification by its label (not the API's duplicate_justification) and marks the
    textarea invalid, tied to its message for screen readers."""
    make_resource(clerk)
    client.force_login(other_clerk)

    page = client.post("/resources/catalog/new/", form_data()).content.decode()

    assert "duplicate_justification）" not in page
    assert "请写明重复采集的正当理由（不少于10字）" in page
    described = "id_duplicate_justification_error id_duplicate_justification_helptext"
    assert f'aria-invalid="true" aria-describedby="{described}"' in page
    assert 'id="id_duplicate_justification_error"' in page


def test_the_registration_form_is_styled_and_every_item_control_is_named(client, clerk):
    client.force_login(clerk)

    page = client.get("/resources/catalog/new/").content.decode()

    assert 'class="form-control" required id="id_name"' in page
    # The items table has column headers, not labels: each control carries its row and column.
    assert 'aria-label="第1项信息项名称"' in page
    assert 'aria-label="第3项开放属性"' in page
    assert 'class="form-select form-select-sm" id="id_sort"' in client.get("/resources/open/").content.decode()


def test_registration_shows_item_errors_on_the_row(client, clerk):
    client.force_login(clerk)

    response = client.post("/resources/catalog/new/", form_data(**{"items-0-share_type": "none"}))

    assert response.status_code == 400
    assert "矛盾" in response.content.decode()
    assert not CatalogResource.objects.exists()


def test_the_official_publishes_from_the_page(client, make_resource, clerk, official):
    resource = make_resource(clerk, "submitted")
    client.force_login(official)

    page = client.get(f"/resources/catalog/{resource.uuid}/")
    assert 'data-testid="do-publish"' in page.content.decode()
    response = client.post(f"/resources/catalog/{resource.uuid}/act/publish/", {"comment": ""})

    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.status == "published"


def test_the_clerk_cannot_publish(client, make_resource, clerk):
    resource = make_resource(clerk, "submitted")
    client.force_login(clerk)

    assert client.post(f"/resources/catalog/{resource.uuid}/act/publish/", {}).status_code == 403


def test_outsiders_get_404_on_pages(client, make_resource, clerk, other_clerk):
    draft = make_resource(clerk, "draft")
    client.force_login(other_clerk)

    assert client.get(f"/resources/catalog/{draft.uuid}/").status_code == 404
    assert client.get(f"/resources/catalog/{draft.uuid}/edit/").status_code == 404
    assert client.post(f"/resources/catalog/{draft.uuid}/act/submit/").status_code == 404
    assert client.get(f"/resources/open/{draft.uuid}/").status_code == 404


def test_search_page_finds_chinese_terms_with_facets(client, make_resource, clerk, other_clerk):
    make_resource(clerk)
    client.force_login(other_clerk)

    page = client.get("/resources/catalog/", {"q": "出租"}).content.decode()

    assert "出租汽车运营数据" in page
    assert 'data-facet="share_type"' in page
    assert "无条件共享" in page


def test_facets_and_chosen_filters_are_named_by_their_labels_in_either_language(client, make_resource, clerk):
    """A chosen filter showed its parameter name (share_type ✕); the facet headings stayed Chinese in English."""
    make_resource(clerk)

    page = client.get("/resources/open/", {"share_type": "unconditional"}).content.decode()

    assert "share_type ✕" not in page
    assert 'href="?" data-testid="active-filter">共享类型：无条件共享' in page
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get("/resources/open/").content.decode()
    assert "Sharing type" in english
    assert "共享类型" not in english


def test_the_public_catalog_and_its_dcat_need_no_login(client, make_resource, clerk):
    make_resource(clerk)
    make_resource(
        clerk, name="执法案件", open_attribute="closed", items=[{**TAXI_ITEMS[0], "open_attribute": "closed"}]
    )

    page = client.get("/resources/open/", {"q": "出租"})
    dcat = client.get("/resources/open/catalog.jsonld")

    assert page.status_code == 200 and "出租汽车运营数据" in page.content.decode()
    assert "执法案件" not in client.get("/resources/open/").content.decode()
    graph = json.loads(dcat.content)
    assert dcat["Content-Type"].startswith("application/ld+json")
    datasets = [n for n in graph["@graph"] if n.get("@type") == "dcat:Dataset"]
    assert len(datasets) == 1


def test_the_sharing_negotiation_runs_on_pages(client, make_resource, clerk, other_clerk, official):
    conditional = [{**i, "share_type": "conditional"} for i in TAXI_ITEMS]
    resource = make_resource(
        clerk, share_type="conditional", share_condition="行政管理", share_basis="条例", items=conditional
    )
    items = list(resource.items.order_by("position"))
    client.force_login(other_clerk)
    assert 'data-testid="item-row"' not in client.get(f"/resources/catalog/{resource.uuid}/").content.decode()
    period = (timezone.localdate() + timedelta(days=200)).isoformat()
    created = client.post(
        f"/resources/catalog/{resource.uuid}/request/",
        {
            "items": [items[0].pk, items[1].pk],
            "scope": "校车",
            "purpose": "核验",
            "method": "interface",
            "period_end": period,
        },
    )
    assert created.status_code == 302
    sharing = SharingRequest.objects.get()

    client.force_login(clerk)
    countered = client.post(
        f"/resources/sharing/{sharing.uuid}/act/counter/",
        {"items": [items[0].pk], "scope": "校车", "method": "query", "period_end": period, "reason": "仅提供查询"},
    )
    assert countered.status_code == 302
    client.force_login(other_clerk)
    assert client.post(f"/resources/sharing/{sharing.uuid}/act/escalate/", {"reason": "查询不够"}).status_code == 302
    client.force_login(official)
    decided = client.post(
        f"/resources/sharing/{sharing.uuid}/act/decide/", {"grant": "true", "reason": "按修改意见共享"}
    )
    assert decided.status_code == 302

    client.force_login(other_clerk)
    page = client.get(f"/resources/catalog/{resource.uuid}/").content.decode()
    assert "已授权本单位" in page
    assert page.count('data-testid="item-row"') == 1


def _request_first_item(resource, requester):
    """The requester's agency asks for the resource's first item, for thirty days (Art. 21)."""
    from resources import services

    return services.sharing_request_create(
        actor=requester,
        requester=requester.memberships.first().organization,
        resource=resource,
        items=list(resource.items.all()[:1]),
        scope="校车",
        purpose="核验",
        method="interface",
        period_end=timezone.localdate() + timedelta(days=30),
    )


def test_refusing_an_unconditional_resource_shows_the_rule(client, make_resource, clerk, other_clerk):
    resource = make_resource(clerk)
    sharing = _request_first_item(resource, other_clerk)
    client.force_login(clerk)

    response = client.post(f"/resources/sharing/{sharing.uuid}/act/refuse/", {"reason": "不便"})

    assert response.status_code == 400
    assert "无条件共享的信息资源不得拒绝共享" in response.content.decode()


def test_the_import_page_saves_nothing_when_a_row_is_bad(client, clerk):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(clerk)
    rows = [
        {
            "classification": "201",
            "name": "好的资源",
            "summary": "s",
            "format": "database",
            "collection_basis": "b",
            "share_type": "unconditional",
            "share_method": "file",
            "open_attribute": "open",
            "update_cycle": "daily",
            "items": [{"name": "甲", "data_type": "C"}],
        }
    ]
    rows.append({**rows[0], "name": "", "items": []})
    upload = SimpleUploadedFile("batch.json", json.dumps({"resources": rows}).encode(), content_type="application/json")

    response = client.post("/resources/catalog/import/", {"resources": upload})

    assert response.status_code == 400
    assert 'data-testid="import-errors"' in response.content.decode()
    assert not CatalogResource.objects.exists()


def test_stale_and_duplicate_lists_open(client, make_resource, clerk, official):
    resource = make_resource(clerk)
    CatalogResource.objects.filter(pk=resource.pk).update(stale_after=timezone.localdate() - timedelta(days=3))
    client.force_login(official)

    assert "出租汽车运营数据" in client.get("/resources/catalog/stale/").content.decode()
    assert client.get("/resources/catalog/duplicates/").status_code == 200
    client.force_login(clerk)
    assert client.get("/resources/catalog/duplicates/").status_code == 403


def test_the_requester_withdraws_on_the_page(client, make_resource, clerk, other_clerk):
    # The page's withdraw form once sent ``comment`` to a service that takes ``reason``: a 500 (issue 8 matrix).
    from resources.models import SharingRequest

    resource = make_resource(clerk)
    sharing = _request_first_item(resource, other_clerk)
    client.force_login(other_clerk)

    response = client.post(f"/resources/sharing/{sharing.uuid}/act/withdraw/", {"reason": "不再需要"})

    assert response.status_code == 302
    assert SharingRequest.objects.get(pk=sharing.pk).status == "withdrawn"


def test_date_pickers_show_their_dates_in_iso(client, make_resource, clerk, other_clerk):
    """A date input accepts only YYYY-MM-DD: the zh-hans format (2026/12/01) left the picker empty, so the
    sharing request's default period and the counter-proposal's period were lost and the form refused."""
    resource = make_resource(clerk, last_updated_on=timezone.localdate() - timedelta(days=3))
    client.force_login(other_clerk)
    today = timezone.localdate()
    form = client.get(f"/resources/catalog/{resource.uuid}/request/").content.decode()
    assert f'value="{today.replace(year=today.year + 1).isoformat()}"' in form
    sharing = _request_first_item(resource, other_clerk)

    client.force_login(clerk)
    detail = client.get(f"/resources/sharing/{sharing.uuid}/").content.decode()
    assert f'name="period_end" value="{sharing.period_end.isoformat()}"' in detail
    draft = make_resource(clerk, "draft", name="道路停车泊位", last_updated_on=today - timedelta(days=3))
    edit = client.get(f"/resources/catalog/{draft.uuid}/edit/").content.decode()
    assert f'value="{(today - timedelta(days=3)).isoformat()}"' in edit


def test_action_forms_on_one_page_have_ids_of_their_own(client, make_resource, clerk, other_clerk, official):
    """Several action forms share field names (reason, items): with Django's plain ids every "理由" label
    pointed at the first form's field, so typing a reason for 报请协调 went into 修改申请."""
    from resources import services

    conditional = [{**i, "share_type": "conditional"} for i in TAXI_ITEMS]
    resource = make_resource(
        clerk, share_type="conditional", share_condition="行政管理", share_basis="条例", items=conditional
    )
    sharing = _request_first_item(resource, other_clerk)
    services.sharing_counter(
        request=sharing,
        actor=clerk,
        items=list(resource.items.all()[:1]),
        scope="校车",
        method="query",
        period_end=sharing.period_end,
        reason="仅提供查询",
    )
    client.force_login(other_clerk)

    page = client.get(f"/resources/sharing/{sharing.uuid}/").content.decode()

    ids = re.findall(r'\bid="([^"]+)"', page)
    assert sorted({i for i in ids if ids.count(i) > 1}) == []
    assert 'for="id_escalate-reason"' in page and 'id="id_escalate-reason"' in page
    client.force_login(official)
    detail = client.get(f"/resources/catalog/{resource.uuid}/").content.decode()
    ids = re.findall(r'\bid="([^"]+)"', detail)
    assert sorted({i for i in ids if ids.count(i) > 1}) == []
