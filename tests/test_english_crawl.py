"""The English interface is complete in every chapter: a crawl of the demo world, as each main persona,
renders one page per route in English and finds Han characters only inside data people typed (names,
titles, free text) — never in labels, choices, stored system texts or legal citations."""

import re
from collections import deque
from html import unescape
from urllib.parse import urldefrag, urlsplit

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.urls import Resolver404, resolve

from enforcement.models import Finding
from enforcement.rules import ARTICLE_TEXT
from portal.models import User
from portal.regulation import load_regulation

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("english-crawl")]

HAN = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]+")
OUR_APPS = ("portal", "projects", "planning", "resources", "security", "enforcement")

# Texts the portal itself writes (not people): they must show in the reader's language, so they are not
# treated as typed data even though they are stored in text columns.
SYSTEM_TEXTS = {
    ("portal", "deadlinekind"): {"label", "legal_basis"},
    ("portal", "deadline"): {"legal_basis"},
    ("enforcement", "finding"): {"title"},  # detectors' titles (an inspector's own title would be typed data)
}

# Pages that may show Han on purpose: the law itself is published only in Chinese.
CHINESE_BY_DESIGN = {"regulation", "regulation-article"}

PERSONAS = ("city_official", "agency_clerk", "enforcement", "water_clerk", None)
PER_ROUTE = 1
CALENDAR_TITLE_CHARS = 24
MAX_PAGES = 70


def typed_data() -> list[str]:
    """Every value people typed that a page may show, longest first so parts don't shadow wholes."""
    values: set[str] = set()
    for model in apps.get_models():
        app = model._meta.app_label
        if app not in OUR_APPS:
            continue
        skip = SYSTEM_TEXTS.get((app, model._meta.model_name), set())
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField)) and not f.choices and f.name not in skip
        ]
        if not fields:
            continue
        for row in model.objects.values_list(*fields):
            for value in row:
                if isinstance(value, str) and value and HAN.search(value):
                    values |= {value, *(line.strip() for line in value.splitlines())}
                    if len(value) > CALENDAR_TITLE_CHARS:  # the month calendar shortens titles
                        values.add(value[: CALENDAR_TITLE_CHARS - 1] + "…")
    # An inspector types the title of the finding an inspection records.
    values |= set(Finding.objects.filter(rule__startswith="inspection-").values_list("title", flat=True))
    return sorted((v for v in values if v), key=len, reverse=True)


def visible_text(html: str) -> str:
    html = re.sub(r"<script.*?</script>|<style.*?</style>", "", html, flags=re.S)
    # An article link's tooltip quotes the regulation, which is published in Chinese only.
    html = re.sub(r'(<a class="article-link"[^>]*?) title="[^"]*"', r"\1", html)
    # Attribute values people read: titles, placeholders, aria-labels, alt texts.
    attributes = " ".join(re.findall(r'(?:title|placeholder|aria-label|alt)="([^"]*)"', html))
    return unescape(re.sub(r"<[^>]+>", " ", html) + " " + attributes)


def links(html: str) -> list[str]:
    found = []
    for href in re.findall(r'href="([^"]+)"', html):
        href = unescape(urldefrag(href)[0])
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not href.startswith("/"):
            continue
        if any(href.startswith(p) for p in ("/static/", "/media/", "/admin/", "/api/", "/i18n/", "/accounts/logout")):
            continue
        if re.search(r"(export|download|pdf|letter|\.csv|\.xlsx|format=)", href):
            continue
        found.append(href)
    return found


def law_texts() -> list[str]:
    """The regulation is published in Chinese only; pages quote it (article tooltips, sanction texts)."""
    paragraphs = [p for chapter in load_regulation().chapters for a in chapter.articles for p in a.paragraphs]
    paragraphs += [text.split(" ", 1)[1] for text in ARTICLE_TEXT.values()]  # as the penalty pages quote them
    texts = []
    for paragraph in paragraphs:
        texts += [paragraph, *re.split(r"(?<=[；。：，])", paragraph)]
    return sorted({t.strip() for t in texts if t.strip()}, key=len, reverse=True)


def han_outside_data(html: str, known: list[str]) -> list[str]:
    text = visible_text(html)
    for value in known:
        text = text.replace(value, " ")
    text = text.replace("简体中文", " ")  # the language switch names each language in itself
    # Each finding with a little English context either side, so the template is easy to find.
    return sorted({text[max(m.start() - 12, 0) : m.end() + 12].strip() for m in HAN.finditer(text)})


def crawl(client, known: list[str]) -> tuple[dict[str, list[str]], set[str]]:
    """Breadth-first from the home page and the dashboard: one page per route (the first met)."""
    queue = deque(["/", "/dashboard/"])
    seen_routes: dict[str, int] = {}
    seen_urls: set[str] = set()
    problems: dict[str, list[str]] = {}
    pages = 0
    while queue and pages < MAX_PAGES:
        url = queue.popleft()
        if url in seen_urls:
            continue
        seen_urls.add(url)
        try:
            match = resolve(urlsplit(url).path)
        except Resolver404:
            continue
        route = match.view_name
        if seen_routes.get(route, 0) >= PER_ROUTE or route in CHINESE_BY_DESIGN:
            continue
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        seen_routes[route] = seen_routes.get(route, 0) + 1
        pages += 1
        html = response.content.decode()
        found = han_outside_data(html, known)
        if found:
            problems[f"{route} {url}"] = found[:20]
        queue.extend(links(html))
    assert pages > 10, f"the crawl reached only {pages} pages"
    return problems, set(seen_routes)


def test_english_pages_show_no_chinese_outside_typed_data(client):
    """One demo world, crawled as each persona (seeding it is the expensive part)."""
    call_command("seed_demo", verbosity=0)
    # Longest first, so a typed name inside a quoted article, or a quoted phrase inside typed text, never
    # breaks up the longer text it is part of.
    known = sorted(set(law_texts() + typed_data()), key=len, reverse=True)
    problems, routes = {}, set()
    for username in PERSONAS:
        if username:
            client.force_login(User.objects.get(username=username))
        else:
            client.logout()
        found, seen = crawl(client, known)
        problems |= {f"{username or 'public'} {url}": texts for url, texts in found.items()}
        routes |= seen
    # The crawl reached every chapter's pages (a broken link or a renamed route would silently shrink it).
    namespaces = {route.split(":")[0] for route in routes if ":" in route}
    assert {"projects", "planning", "resources", "disclosure", "security", "enforcement"} <= namespaces, namespaces
    assert len(routes) >= 60, sorted(routes)
    assert not problems, "\n".join(f"{url}: {found}" for url, found in problems.items())
