"""Public pages, the regulation with its anchors, language switch, the dashboard and article links."""

import re

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_it_shows_the_public_home_without_login(client):
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="zh-hans">' in page
    assert "信息化促进门户" in page
    assert 'href="/regulation/"' in page
    assert "政务信息公开" in page
    assert 'href="/accounts/login/"' in page


def test_it_renders_all_49_articles_and_8_chapters_with_anchors(client):
    page = client.get("/regulation/").content.decode()
    articles = re.findall(r'<div id="art-(\d+)"', page)
    assert [int(number) for number in articles] == list(range(1, 50))
    chapters = re.findall(r'<section id="chapter-(\d+)"', page)
    assert [int(number) for number in chapters] == list(range(1, 9))
    for number in range(1, 9):
        assert f'href="#chapter-{number}"' in page  # chapter navigation
    assert "第十三条" in page
    assert "第四十九条" in page


def test_it_switches_the_language_to_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/regulation/"})
    assert response.status_code == 302
    assert '<html lang="en">' in client.get("/regulation/").content.decode()
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert '<html lang="zh-hans">' in client.get("/").content.decode()


def test_it_offers_the_language_switch_in_the_navbar(client):
    page = client.get("/").content.decode()
    assert f'action="{reverse("set_language")}"' in page
    assert 'value="en"' in page


def test_it_redirects_the_dashboard_to_login_for_the_public(client):
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/dashboard/"


def test_it_shows_the_dashboard_with_the_visible_organization_count(client, district_official):
    client.force_login(district_official)
    page = client.get("/dashboard/").content.decode()
    assert re.search(r'data-testid="organization-count">\s*2\s*<', page)
    for panel in ("deadline-panels", "projects-panel"):
        assert f'data-testid="{panel}"' in page
    assert "海淀区经济和信息化局" in page  # my membership
    assert "本区范围" in page


def test_it_shows_a_city_official_the_whole_city(client, official, orgs):
    client.force_login(official)
    page = client.get("/dashboard/").content.decode()
    assert re.search(rf'data-testid="organization-count">\s*{len(orgs)}\s*<', page)
    assert "全市范围" in page


def test_it_builds_the_dashboard_in_a_fixed_number_of_queries(client, official, make_org, django_assert_num_queries):
    for index in range(10):
        make_org(f"机关{index}")
    client.force_login(official)
    # session, user, scope, counts by kind, memberships, unread notifications, session renewal (3),
    # and the panels other apps include (deadlines: due soon + overdue; projects: by status and district),
    # plus 1 for the projects to-do panel: the user's filings, network-access and domain applications to act
    # on, with each kind's total, in one statement (the calendar is read only when a task has a due date),
    # plus 2 for the security panel (systems per level with overdue/unfiled counts; incidents per level)
    with django_assert_num_queries(13 + 2):
        assert client.get("/dashboard/").status_code == 200


def render(source, **context):
    return Template("{% load portal_tags %}" + source).render(Context(context))


def test_it_links_an_article_in_chinese():
    with translation.override("zh-hans"):
        html = render("{% article_link 13 %}")
    assert html.startswith(
        '<a class="article-link" href="/regulation/#art-13" title="第十三条 使用政府投资新建信息化工程的'
    )
    assert html.endswith(">第十三条</a>")


def test_it_links_an_article_in_english():
    with translation.override("en"):
        html = render("{% article_link 13 %}")
    assert 'href="/regulation/#art-13"' in html
    assert html.endswith(">Art. 13</a>")


def test_it_refuses_an_article_the_regulation_does_not_have():
    with pytest.raises(TemplateSyntaxError, match="没有第 50 条"):
        render("{% article_link 50 %}")


def test_it_turns_art_references_in_text_into_links_and_escapes_the_rest():
    with translation.override("zh-hans"):
        html = render("{{ text|link_articles }}", text="<b>罚款</b>上限见 Art. 44，程序见 Art. 43。")
    assert "&lt;b&gt;罚款&lt;/b&gt;" in html
    assert 'href="/regulation/#art-44"' in html
    assert 'href="/regulation/#art-43"' in html
    assert "Art. 44" not in html


def test_it_shows_article_links_on_the_organization_page(client, official, orgs):
    client.force_login(official)
    page = client.get(reverse("organization-detail", args=[orgs["agency"].uuid])).content.decode()
    assert 'href="/regulation/#art-40"' in page
