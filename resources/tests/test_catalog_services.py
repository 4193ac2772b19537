"""Catalog lifecycle (Art. 17), duplicate collection (Arts. 17, 46(1)) and search, through the services."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from portal.models import Notification
from portal.workflow import Refused
from resources import services
from resources.models import CatalogResource, ItemKeyStat, ResourceItem, ResourceStatus
from resources.selectors import catalog_search, resources_visible_to
from resources.tests.conftest import TAXI_ITEMS, fields, item


def test_it_publishes_with_a_generated_code_and_counts_item_keys(make_resource, clerk, official, orgs):
    resource = make_resource(clerk)

    assert resource.status == ResourceStatus.PUBLISHED
    assert resource.code.startswith("201/" + orgs["agency"].uscc[8:17] + "-")
    assert resource.published_on is not None
    assert ItemKeyStat.objects.get(key=services.item_key("车牌号码", "C")).resources == 1


def test_it_tells_the_authority_of_a_submission(make_resource, clerk, official):
    make_resource(clerk, "submitted")

    assert Notification.objects.filter(recipient=official, kind="resource_submitted").count() == 1


def test_it_refuses_a_conditional_resource_without_basis(clerk, orgs):
    with pytest.raises(ValidationError) as error:
        services.resource_create(
            actor=clerk, provider=orgs["agency"], fields=fields(share_type="conditional"), items=TAXI_ITEMS
        )

    assert set(error.value.message_dict) == {"share_condition", "share_basis"}


def test_it_refuses_restricted_items_in_an_unconditional_resource(clerk, orgs):
    with pytest.raises(ValidationError) as error:
        services.resource_create(
            actor=clerk, provider=orgs["agency"], fields=fields(), items=[item("车牌号码", share_type="none")]
        )

    assert set(error.value.message_dict) == {"items.0.share_type"}


def test_it_refuses_an_outsider_registering_for_another_agency(other_clerk, orgs):
    with pytest.raises(PermissionDenied):
        services.resource_create(actor=other_clerk, provider=orgs["agency"], fields=fields(), items=TAXI_ITEMS)


def test_it_requires_a_justification_for_a_duplicate_collection(make_resource, clerk, other_clerk, orgs):
    original = make_resource(clerk)

    with pytest.raises(services.DuplicateCollection) as error:
        services.resource_create(
            actor=other_clerk, provider=orgs["other_agency"], fields=fields(name="出租车营运台账"), items=TAXI_ITEMS
        )

    match = error.value.matches[0]
    assert match.resource == str(original.uuid)
    assert match.provider == orgs["agency"].name
    assert set(match.overlapping_items) == {i["name"] for i in TAXI_ITEMS}
    assert not CatalogResource.objects.filter(provider=orgs["other_agency"]).exists()


def test_it_registers_a_duplicate_with_a_justification(make_resource, clerk, other_clerk, orgs):
    make_resource(clerk)

    resource = services.resource_create(
        actor=other_clerk,
        provider=orgs["other_agency"],
        fields=fields(name="出租车营运台账"),
        items=TAXI_ITEMS,
        duplicate_justification="校车管理需要独立采集核验，交通委数据不含校车标识。",
    )

    assert resource.has_duplicates
    assert resource.duplicate_matches[0]["name"] == "出租汽车运营数据"


def test_it_folds_synonyms_in_item_names(make_resource, clerk, other_clerk, orgs):
    make_resource(clerk, items=[item("身份证号码"), item("车牌号码"), item("营运日期", "D")])

    with pytest.raises(services.DuplicateCollection):
        services.resource_create(
            actor=other_clerk,
            provider=orgs["other_agency"],
            fields=fields(name="驾驶员台账"),
            items=[item("公民身份号码"), item("车牌 号码"), item("营运日期", "D")],
        )


def test_it_does_not_compare_with_the_providers_own_resources(make_resource, clerk, orgs):
    make_resource(clerk)

    again = make_resource(clerk, "draft", name="出租汽车运营数据（区级）")

    assert not again.has_duplicates


def test_it_catches_a_copy_of_a_base_database_made_of_common_items(clerk, other_clerk, orgs, official, population_db):
    people = [item("姓名"), item("身份证号"), item("性别"), item("出生日期", "D"), item("住址")]
    base = services.resource_create(
        actor=other_clerk,
        provider=orgs["other_agency"],
        fields=fields(name="人口基本信息", base_database=population_db),
        items=people,
    )
    services.resource_submit(resource=base, actor=other_clerk)
    services.resource_publish(resource=base, actor=official)

    with pytest.raises(services.DuplicateCollection) as error:
        services.resource_create(
            actor=clerk, provider=orgs["agency"], fields=fields(name="驾驶员人员信息"), items=people[:3]
        )

    assert error.value.matches[0].base_database == "人口基础数据库"


def test_it_keeps_the_published_version_visible_while_a_revision_is_reviewed(make_resource, clerk, official):
    published = make_resource(clerk)

    draft = services.resource_revise(resource=published, actor=clerk)
    services.resource_update(resource=draft, actor=clerk, fields={"summary": "新增夜间运营数据。"})
    services.resource_submit(resource=draft, actor=clerk)
    published.refresh_from_db()
    assert published.status == ResourceStatus.PUBLISHED

    new = services.resource_publish(resource=draft, actor=official)
    published.refresh_from_db()

    assert published.status == ResourceStatus.SUPERSEDED
    assert new.code == published.code
    assert new.version == 2
    assert ItemKeyStat.objects.get(key=services.item_key("车牌号码", "C")).resources == 1


def test_it_refuses_to_edit_a_published_resource(make_resource, clerk):
    resource = make_resource(clerk)

    with pytest.raises(Refused):
        services.resource_update(resource=resource, actor=clerk, fields={"summary": "改"})


def test_it_keeps_history_of_every_change(make_resource, clerk):
    resource = make_resource(clerk, "draft")
    services.resource_update(resource=resource, actor=clerk, fields={"summary": "第二稿"})

    assert resource.history.count() >= 3


def test_search_finds_a_chinese_term_inside_a_longer_name(make_resource, clerk):
    make_resource(clerk)
    make_resource(clerk, name="公交线路站点", summary="公交线路。", items=[item("线路名称"), item("站点名称")])

    names = [r.name for r in catalog_search(CatalogResource.objects.all(), q="出租")]

    assert names == ["出租汽车运营数据"]


def test_search_ranks_name_matches_above_item_matches(make_resource, clerk):
    make_resource(clerk, name="公交线路站点", summary="公交数据。", items=[item("线路名称"), item("出租车接驳点")])
    make_resource(clerk)

    names = [r.name for r in catalog_search(CatalogResource.objects.all(), q="出租")]

    assert names == ["出租汽车运营数据", "公交线路站点"]


def test_the_public_sees_only_open_published_resources(make_resource, clerk, client):
    from django.contrib.auth.models import AnonymousUser

    make_resource(clerk)
    make_resource(clerk, name="执法记录", open_attribute="closed", items=[item("案件编号", open_attribute="closed")])
    make_resource(clerk, "draft", name="草稿资源")

    assert [r.name for r in resources_visible_to(AnonymousUser())] == ["出租汽车运营数据"]


def test_a_broad_search_ranks_its_newest_matches_then_lists_the_older_ones_once(make_resource, clerk):
    from resources.selectors.search import SearchResults, search_query

    # Oldest first: a name match, two item-only matches, then a name match (the newest).
    old_name = make_resource(clerk, name="出租汽车老数据")
    make_resource(clerk, name="公交线路一", summary="公交。", items=[item("线路名称"), item("出租车接驳点")])
    newer_item = make_resource(clerk, name="公交线路二", summary="公交。", items=[item("站点"), item("出租车停靠")])
    newest_name = make_resource(clerk, name="出租汽车新数据")
    everyone = CatalogResource.objects.all()

    results = SearchResults(everyone, search_query("出租"), window=2)  # the window holds the two newest matches
    rows = [r.name for r in results[0:10]]

    assert rows[:2] == [newest_name.name, newer_item.name]  # ranked inside the window: name above item
    assert rows[2:] == ["公交线路一", old_name.name]  # then the older matches, newest first
    assert results.count() > 2  # the window is full: PostgreSQL's estimate, at least one more than it holds
    assert results.estimated
    assert [r.name for r in results[1:3]] == [newer_item.name, "公交线路一"]  # a page across the window's end
    everything = SearchResults(everyone, search_query("出租"))
    assert [r.name for r in everything[0:10]][:2] == [newest_name.name, old_name.name]  # all inside: exact
    assert everything.count() == 4
    assert not everything.estimated


def next_resource_id_after(pk: int) -> None:
    """Resources made next get the ids after ``pk`` (to lay them in chosen search buckets)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT setval(pg_get_serial_sequence('resources_catalogresource', 'id'), %s)", [pk])


def test_a_broad_search_finds_the_same_window_bucket_by_bucket_by_walking_or_at_once(make_resource, clerk, monkeypatch):
    """Matches in buckets b, b + 2 and b + 3 of the ids: each bucket's own lexemes, newest first, in one
    statement that stops reading at the window; past MAX_BUCKET_ARMS the plain lexemes; or a walk for a
    common word. Whichever way, the window is the newest matches."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from resources.selectors import search
    from resources.services.search import SEARCH_BUCKET_SIZE

    with connection.cursor() as cursor:  # above any id other tests drew
        cursor.execute("SELECT nextval(pg_get_serial_sequence('resources_catalogresource', 'id'))")
        b = search.search_bucket(cursor.fetchone()[0]) + 1

    def jump_to_bucket(bucket):
        next_resource_id_after(bucket * SEARCH_BUCKET_SIZE)

    def add(matching, other=0):
        made = [make_resource(clerk, name=f"出租汽车运营数据{i}", items=[item(f"专项{i}")]) for i in range(matching)]
        for i in range(other):
            make_resource(clerk, name=f"公交线路{i}", summary="公交。", items=[item("线路名称")])
        return [r.pk for r in made]

    jump_to_bucket(b)
    oldest = add(4, other=1)
    jump_to_bucket(b + 2)
    middle = add(2, other=1)
    jump_to_bucket(b + 3)
    newest = add(1, other=1)
    query = search.search_query("出租")
    assert search.search_bucket(newest[0]) == b + 3 and search.search_bucket(oldest[0]) == b

    def window(size):
        with CaptureQueriesContext(connection) as captured:
            ids = search.SearchResults(CatalogResource.objects.all(), query, window=size).window_ids()
        return sorted(ids, reverse=True), [q["sql"] for q in captured][1:]  # after the span (no EXPLAIN: patched)

    monkeypatch.setattr(search, "_estimate", lambda qs: 100)  # broad, but not enough to walk
    monkeypatch.setattr(search, "WALK_MAX_ROWS", 0)
    ids, sql = window(3)  # one statement, a bucket an arm, newest first
    assert ids == [*newest, *reversed(middle)] and len(sql) == 1
    assert sql[0].index(f"出租|{b + 3}") < sql[0].index(f"出租|{b + 2}") < sql[0].index(f"出租|{b}'")
    with connection.cursor() as cursor:  # buckets b + 3 and b + 2 held the window: b + 1 and b were not read
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF) " + sql[0])
        arms = [row[0] for row in cursor.fetchall() if "Subquery Scan" in row[0]]
    assert len(arms) == 4 and [arm.endswith("(never executed)") for arm in arms] == [False, False, True, True]
    ids, sql = window(4)  # the fourth from bucket b, in the same statement
    assert ids == [*newest, *reversed(middle), oldest[-1]] and len(sql) == 1
    monkeypatch.setattr(search, "MAX_BUCKET_ARMS", 2)  # buckets b + 3 and b + 2, then the plain lexemes
    capped, sql = window(4)
    assert capped == ids and len(sql) == 2
    assert "出租|" not in sql[1] and f'"id" <= {(b + 2) * SEARCH_BUCKET_SIZE - 1}' in sql[1]
    monkeypatch.setattr(search, "_estimate", lambda qs: 0)  # "rare": the same steps (estimates are not trusted)
    rare, sql = window(4)
    assert rare == ids and len(sql) == 2

    monkeypatch.setattr(search, "WALK_MAX_ROWS", 10**9)  # common: the newest rows walked, here all of them
    monkeypatch.setattr(search, "_estimate", lambda qs: 4)  # (walked: twice the window's share of the ids)
    walked, sql = window(4)
    assert walked == ids and len(sql) == 1 and ") AS s WHERE s.search_vector @@" in sql[0]


def test_a_search_reads_its_buckets_in_one_statement_wherever_its_ids_lie(make_resource, clerk, monkeypatch):
    """A small catalog's search is the same statements wherever its ids lie (the query counts rely on it)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from resources.selectors import search
    from resources.services.search import SEARCH_BUCKET_SIZE

    next_resource_id_after(7 * SEARCH_BUCKET_SIZE - 2)  # the rows straddle a bucket boundary, far from bucket 0
    made = [make_resource(clerk, name=f"出租汽车运营数据{i}", items=[item(f"专项{i}")]).pk for i in range(4)]
    monkeypatch.setattr(search, "_estimate", lambda qs: 100)  # broad, but not enough to walk
    monkeypatch.setattr(search, "WALK_MAX_ROWS", 0)
    with CaptureQueriesContext(connection) as captured:
        ids = search.SearchResults(CatalogResource.objects.all(), search.search_query("出租"), window=3).window_ids()
    assert sorted(ids) == made[1:] and len(captured) == 2 and "UNION ALL" in captured[1]["sql"]


def test_a_querys_lexemes_are_the_parsers_whether_or_not_it_is_asked(django_assert_num_queries):
    """Query lexemes are looked up as they are (no parser on the query side): each word of letters and digits
    is its own lexeme, and a word with other signs is sent to the parser; either way they equal what
    ``to_tsvector('simple', …)`` makes of the words in a document."""
    from django.db import connection

    from resources.selectors.search import query_lexemes
    from resources.services.search import query_tokens

    def parsed(words):
        with connection.cursor() as cursor:
            cursor.execute("SELECT tsvector_to_array(to_tsvector('simple', %s))", [" ".join(words)])
            return sorted(cursor.fetchone()[0])

    plain = query_tokens("GPS定位 2024年 朝阳区出租汽车运营数据 统一社会信用代码")
    with django_assert_num_queries(0):
        lexemes = query_lexemes(plain)
    assert sorted(lexemes) == parsed(plain)
    signs = query_tokens("e-mail C++ 100% a_b 车辆")
    with django_assert_num_queries(1):
        lexemes = query_lexemes(signs)
    assert sorted(lexemes) == parsed(signs) and "c" in lexemes and "e-mail" in lexemes


def test_a_bulk_imported_resource_is_indexed_as_one_registered_by_form(clerk, orgs, monkeypatch):
    """The bulk import casts vectors built as text in Python (``vector_text``), or builds them in SQL where a
    token needs PostgreSQL's parser; either way they must equal what ``resource_index`` writes."""
    from resources.services import bulk
    from resources.services.search import resource_index

    built = []
    original = bulk.vector_text
    monkeypatch.setattr(bulk, "vector_text", lambda *args: built.append(original(*args)) or built[-1])
    whole = _bulk_row("朝阳区出租汽车运营数据2024", "车牌号码", "GPS定位", "车牌颜色")  # 车牌 at two C positions
    whole["summary"] = "全市出租汽车营运情况，按日更新。"
    parsed = _bulk_row("e_mail 出租 3.5版 Über", "车牌号码", "联系e-mail")  # tokens the parser splits or folds
    no_summary = _bulk_row("出租汽车", "车牌号码")
    no_summary["summary"] = "。"  # no token of weight B: the items' positions follow the name's

    imported = bulk.resources_bulk_import(actor=clerk, provider=orgs["agency"], rows=[whole, parsed, no_summary])

    assert [text is not None for text in built] == [True, False, True]
    for one, row in zip(imported, (whole, parsed, no_summary), strict=True):
        resource = CatalogResource.objects.get(pk=one.pk)
        bulk_vector = resource.search_vector
        resource_index(resource, [item["name"] for item in row["items"]])
        resource.refresh_from_db()
        assert bulk_vector == resource.search_vector, row["name"]
        assert resource.item_keys == sorted(resource.items.values_list("key", flat=True))
    assert "'出租':" in CatalogResource.objects.get(pk=imported[0].pk).search_vector


def test_a_search_vector_is_built_in_python_only_from_tokens_the_parser_keeps_whole():
    from resources.services.search import vector_text

    assert vector_text("出租 汽车", "出租", "", 3 << 15) == "'出租':1A,3B '出租|3' '汽车':2A '汽车|3' "
    assert vector_text("gps 2024年", "", "", 0) == "'gps':1A 'gps|0' '2024年':2A '2024年|0' "
    for token in ("a_b", "3.5", "e-mail", "über", "GPS", "x" * 601):
        assert vector_text(f"出租 {token}", "", "", 1) is None, token
    assert vector_text(" ".join(["出租"] * 256), "", "", 1) is None  # PostgreSQL keeps 256 positions a lexeme


def _bulk_row(name: str, *item_names: str) -> dict:
    return {
        "classification": "201", "name": name, "summary": f"{name}。", "format": "database",
        "collection_basis": "道路运输条例", "share_type": "unconditional", "share_method": "interface",
        "open_attribute": "open", "update_cycle": "daily",
        "items": [{"name": item, "data_type": "C"} for item in item_names],
    }  # fmt: skip


def test_a_bulk_import_pauses_the_cycle_collector_and_resumes_it_even_when_refused(clerk, orgs, monkeypatch):
    import gc

    from resources.services import bulk

    enabled_while_importing = []
    original = bulk._duplicate_candidates

    def spy(*args):
        enabled_while_importing.append(gc.isenabled())
        return original(*args)

    monkeypatch.setattr(bulk, "_duplicate_candidates", spy)
    bulk.resources_bulk_import(actor=clerk, provider=orgs["agency"], rows=[_bulk_row("公交线路数据", "线路名称")])
    assert enabled_while_importing == [False] and gc.isenabled()
    with pytest.raises(bulk.BulkInvalid):
        bulk.resources_bulk_import(actor=clerk, provider=orgs["agency"], rows=[{"name": "缺少其余字段"}])
    assert gc.isenabled()


def test_a_bulk_import_inserts_chunk_by_chunk_each_resource_with_its_own_items(clerk, orgs, monkeypatch):
    from resources.services import bulk

    monkeypatch.setattr(bulk, "INSERT_CHUNK_ROWS", 2)
    built = []
    original = bulk._chunk_copy_texts
    monkeypatch.setattr(
        bulk, "_chunk_copy_texts", lambda chunk, constants: built.append(len(chunk)) or original(chunk, constants)
    )
    rows = [_bulk_row(f"公交线路数据{n}", *[f"线路{n}", f"站点{n}", f"票价{n}"][: 1 + n % 3]) for n in range(5)]

    imported = bulk.resources_bulk_import(actor=clerk, provider=orgs["agency"], rows=rows)

    assert built == [1, 2, 2]  # a small first chunk: the server starts inserting sooner
    assert [i.name for i in imported] == [row["name"] for row in rows]
    saved = {r.pk: r for r in CatalogResource.objects.filter(pk__in=[i.pk for i in imported]).prefetch_related("items")}
    for one, row in zip(imported, rows, strict=True):
        resource = saved[one.pk]
        assert resource.uuid == one.uuid and resource.name == row["name"]
        items = sorted(resource.items.all(), key=lambda item: item.position)
        assert [(item.position, item.name) for item in items] == list(enumerate((i["name"] for i in row["items"]), 1))
        assert "'公交':" in resource.search_vector


def test_a_bulk_import_keeps_tabs_newlines_and_backslashes_as_written(clerk, orgs):
    """COPY's text format gives a backslash, tab and newline a meaning; each must arrive as the agency wrote it."""
    from resources.services import bulk

    summary = "第一行\n第二行\t制表\\反斜杠 \\N 不是空值\r\n结束"
    row = _bulk_row("公交线路数据", "线路名称", "站点名称")
    row["summary"] = summary
    row["share_condition"] = "\\N"
    row["items"][1]["description"] = "站点\t名称\\全称"

    [imported] = bulk.resources_bulk_import(actor=clerk, provider=orgs["agency"], rows=[row])

    resource = CatalogResource.objects.get(pk=imported.pk)
    assert resource.summary == summary
    assert resource.share_condition == "\\N"
    assert resource.items.get(position=2).description == "站点\t名称\\全称"
    assert resource.items.get(position=1).length is None and resource.published_on is None


def test_a_resource_row_that_fits_a_page_is_stored_uncompressed(clerk, orgs):
    """Rows of 2-3 kB (a search vector, a bulk import's duplicate matches) went through pglz on every insert, 7 %
    of a bulk insert's server time, and were decompressed again by every search that ranked them (0008)."""
    from django.db import connection

    from resources.services import bulk

    row = _bulk_row("公交线路数据", "线路名称", "站点名称")
    row["summary"] = "公交线路、站点和票价的运营情况。" * 60  # 960 characters, 2.9 kB: compressible, fits a page

    [imported] = bulk.resources_bulk_import(actor=clerk, provider=orgs["agency"], rows=[row])

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_column_size(r.*), pg_column_compression(summary) FROM resources_catalogresource r WHERE id = %s",
            [imported.pk],
        )
        size, compression = cursor.fetchone()
    assert size > 2_100  # above PostgreSQL's default threshold (about 2 kB), which would compress the summary
    assert compression is None


def test_a_bulk_import_failing_in_a_later_chunk_saves_nothing(clerk, orgs, monkeypatch):
    from django.db import IntegrityError

    from resources.services import bulk

    monkeypatch.setattr(bulk, "INSERT_CHUNK_ROWS", 2)
    original = bulk._chunk_copy_texts

    first_ids = []

    def documents(chunk, constants):
        if first_ids:  # a later chunk reuses the first chunk's first id: its COPY fails
            chunk = [(first_ids[0], *chunk[0][1:]), *chunk[1:]]
        else:
            first_ids.append(chunk[0][0])
        return original(chunk, constants)

    monkeypatch.setattr(bulk, "_chunk_copy_texts", documents)
    before = (CatalogResource.objects.count(), ResourceItem.objects.count())
    rows = [_bulk_row(f"地铁客流数据{n}", "线路名称", "进站人数") for n in range(4)]

    with pytest.raises(IntegrityError):
        bulk.resources_bulk_import(actor=clerk, provider=orgs["agency"], rows=rows)

    assert (CatalogResource.objects.count(), ResourceItem.objects.count()) == before


def test_a_bulk_import_reports_refused_duplicates_of_every_chunk_and_saves_nothing(
    make_resource, clerk, other_clerk, orgs, monkeypatch
):
    """Each chunk is checked while the chunk before is inserted; a refused row in any chunk undoes them all."""
    from resources.services import bulk

    make_resource(clerk)  # the taxi resource the duplicates repeat
    monkeypatch.setattr(bulk, "INSERT_CHUNK_ROWS", 2)
    taxi = [i["name"] for i in TAXI_ITEMS]
    rows = [_bulk_row(f"公交线路数据{n}", f"线路{n}") for n in range(5)]
    rows[1] = _bulk_row("出租车台账", *taxi)
    rows[4] = _bulk_row("巡游车台账", *taxi)
    rows[2] = {**_bulk_row("网约车台账", *taxi), "duplicate_justification": "按职责独立采集，已说明口径差异。"}
    before = (CatalogResource.objects.count(), ResourceItem.objects.count())

    with pytest.raises(bulk.BulkInvalid) as refused:
        bulk.resources_bulk_import(actor=other_clerk, provider=orgs["other_agency"], rows=rows)

    assert [(e["row"], e["field"]) for e in refused.value.errors] == [
        (2, "duplicate_justification"),
        (5, "duplicate_justification"),
    ]
    assert refused.value.errors[1]["duplicates"][0]["name"] == "出租汽车运营数据"
    assert (CatalogResource.objects.count(), ResourceItem.objects.count()) == before


def test_a_grant_is_reminded_once_before_it_ends_and_expires_after(make_resource, clerk, other_clerk, orgs):
    from datetime import timedelta

    from django.utils import timezone

    from resources.models import GrantStatus
    from resources.rules import GRANT_EXPIRY_REMINDER_DAYS

    resource = make_resource(clerk)
    today = timezone.localdate()
    ends_on = today + timedelta(days=GRANT_EXPIRY_REMINDER_DAYS)
    request = services.sharing_request_create(
        actor=other_clerk,
        requester=orgs["other_agency"],
        resource=resource,
        items=list(resource.items.order_by("position")[:2]),
        scope="校车",
        purpose="核验",
        method="interface",
        period_end=ends_on,
    )
    services.sharing_agree(request=request, actor=clerk)
    grant = request.grant

    assert services.grants_remind_expiring(today=today - timedelta(days=1)) == 0
    assert services.grants_remind_expiring(today=today) >= 2  # the grantee's people and the provider's
    assert Notification.objects.filter(kind="grant_expiring", recipient=other_clerk).count() == 1
    assert Notification.objects.filter(kind="grant_expiring", recipient=clerk).count() == 1
    assert services.grants_remind_expiring(today=today + timedelta(days=1)) == 0
    assert services.grants_expire(today=ends_on) == 0
    assert services.grants_expire(today=ends_on + timedelta(days=1)) == 1
    grant.refresh_from_db()
    assert grant.status == GrantStatus.EXPIRED


def test_the_facet_sample_note_writes_its_number_as_the_other_counts():
    from resources.selectors.search import FACET_SAMPLE, Facets

    assert Facets().sample == FACET_SAMPLE
    assert Facets(sample=2_000).sample_display == "2,000"


def test_facets_count_the_first_rows_of_the_list_in_its_order(monkeypatch, make_resource, clerk, official):
    """Unordered, the sample came from a sequential scan, which PostgreSQL starts where the last scan of a
    large table got to: each reload of the catalog counted different rows. Now the newest rows, every time."""
    from resources.rules import UpdateCycle
    from resources.selectors import catalog_facets, catalog_filter, search

    monkeypatch.setattr(search, "FACET_SAMPLE", 1)  # counts 2 rows: the sample and one to tell it is capped
    for name, cycle in [
        ("最早的资源", UpdateCycle.YEARLY),
        ("较早的资源", UpdateCycle.MONTHLY),
        ("最新的资源", UpdateCycle.WEEKLY),
    ]:
        make_resource(clerk, name=name, update_cycle=cycle)
    listed = catalog_search(catalog_filter(resources_visible_to(official), {}))

    facets = catalog_facets(listed)

    assert [r.name for r in listed[:2]] == ["最新的资源", "较早的资源"]
    assert sorted(v.key for v in facets.groups["update_cycle"]) == ["monthly", "weekly"]
    assert (facets.matched, facets.capped) == (2, True)
