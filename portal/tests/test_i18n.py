"""English catalog: switching the language changes the screen; the committed .po is complete, the .mo matches it."""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

PO_PATH = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _unquote(line: str) -> str:
    """`msgid "a\\"b"` -> `a"b`: a .po string uses the escapes of a Python string literal."""
    return ast.literal_eval(line[line.index('"') :])


def _po_entries() -> list[dict]:
    """The live (non-obsolete) entries of the English .po: msgid, msgstr, flags (and msgctxt), header left out.
    A plural entry also has msgid_plural and msgstr_plural (its forms in order); its msgstr is the last form."""
    entries, entry, field = [], None, None
    for raw in [*PO_PATH.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            if entry is not None and entry.get("msgid"):
                entries.append(entry)
            entry, field = None, None
            continue
        if line.startswith("#~"):
            entry = {"obsolete": True}  # old strings makemessages keeps at the end: not shown anywhere
            continue
        if entry is None:
            entry = {"flags": set(), "obsolete": False}
        if entry.get("obsolete"):
            continue
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith("msgctxt "):
            field = "msgctxt"  # a context (pgettext): the same msgid translated another way
            entry[field] = _unquote(line)
        elif line.startswith("msgid_plural "):
            field = "msgid_plural"
            entry[field] = _unquote(line)
        elif line.startswith("msgstr["):
            # Plural forms: msgstr[0], msgstr[1]… kept in order in "msgstr_plural".
            field = "msgstr_plural"
            entry.setdefault(field, []).append(_unquote(line))
        elif line.startswith("msgid "):
            field = "msgid"
            entry[field] = _unquote(line)
        elif line.startswith("msgstr "):
            field = "msgstr"
            entry[field] = _unquote(line)
        elif line.startswith('"'):
            if field == "msgstr_plural":
                entry[field][-1] += _unquote(line)
            else:
                entry[field] += _unquote(line)
    for entry in entries:
        if "msgstr_plural" in entry:
            entry["msgstr"] = entry["msgstr_plural"][-1]
    return [e for e in entries if not e["obsolete"]]


def _switch_to_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302


@pytest.mark.django_db
def test_it_shows_the_dashboard_in_english_after_switching_the_language(client, official):
    client.force_login(official)
    _switch_to_english(client)

    page = client.get(reverse("dashboard")).content.decode()

    assert '<html lang="en">' in page
    assert '<h1 class="h4 mb-1" data-testid="dashboard-heading">Dashboard</h1>' in page
    assert '<a class="nav-link" href="/regulation/">Regulation</a>' in page
    assert ">Log out</button>" in page
    assert ">Visible organizations<" in page
    assert "工作台" not in page
    assert "条例全文" not in page


@pytest.mark.django_db
def test_it_shows_the_home_page_in_english_after_switching_the_language(client):
    _switch_to_english(client)

    page = client.get(reverse("home")).content.decode()

    assert '<html lang="en">' in page
    assert '<a class="nav-link" href="/regulation/">Regulation</a>' in page
    assert 'data-testid="regulation-link">Read the Regulation</a>' in page
    assert 'data-testid="login-link">Staff login</a>' in page
    assert "Beijing Municipal Bureau of Economy and Information Technology" in page
    assert "阅读条例全文" not in page
    assert "Government information disclosure" in page  # the public sections, labelled in Python


@pytest.mark.django_db
def test_it_keeps_chinese_by_default(client, official):
    client.force_login(official)

    page = client.get(reverse("dashboard")).content.decode()

    assert '<html lang="zh-hans">' in page
    assert 'data-testid="dashboard-heading">工作台</h1>' in page
    assert '<a class="nav-link" href="/regulation/">条例全文</a>' in page
    assert ">Dashboard<" not in page
    assert ">Regulation<" not in page


def test_it_fills_placeholders_of_block_translations_in_both_languages():
    template = Template(
        "{% load i18n %}{% blocktranslate with level=3 %}第{{ level }}级{% endblocktranslate %}|"
        "{% blocktranslate with n=2 total=5 count=93 %}"
        "第 {{ n }} / {{ total }} 页，共 {{ count }} 条{% endblocktranslate %}"
    )
    with translation.override("en"):
        assert template.render(Context()) == "Level 3|Page 2 of 5, 93 items"
    with translation.override("zh-hans"):
        assert template.render(Context()) == "第3级|第 2 / 5 页，共 93 条"


def test_it_translates_every_entry_of_the_english_catalog():
    entries = _po_entries()

    assert len(entries) > 400
    untranslated = [e["msgid"] for e in entries if not all(s.strip() for s in e.get("msgstr_plural", [e["msgstr"]]))]
    assert untranslated == []
    assert [e["msgid"] for e in entries if "fuzzy" in e["flags"]] == []


def test_it_keeps_the_placeholders_of_python_format_entries():
    entries = [e for e in _po_entries() if "python-format" in e["flags"]]

    assert entries
    for entry in entries:
        for msgstr in entry.get("msgstr_plural", [entry["msgstr"]]):
            assert sorted(_PLACEHOLDER.findall(msgstr)) == sorted(_PLACEHOLDER.findall(entry["msgid"])), entry


def test_it_commits_a_compiled_catalog_that_matches_the_po():
    with MO_PATH.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)

    lookup = catalog.gettext  # not called as gettext(...) here, so makemessages doesn't extract this test's strings
    assert lookup("工作台") == "Dashboard"
    assert lookup("条例全文") == "Regulation"
    assert lookup("统一社会信用代码") == "Unified Social Credit Code"
    plural = catalog.ngettext

    def translated(entry):
        return catalog.pgettext(entry["msgctxt"], entry["msgid"]) if "msgctxt" in entry else lookup(entry["msgid"])

    stale = [e["msgid"] for e in _po_entries() if "msgid_plural" not in e and translated(e) != e["msgstr"]]
    stale += [
        e["msgid"]
        for e in _po_entries()
        if "msgid_plural" in e and [plural(e["msgid"], e["msgid_plural"], n) for n in (1, 2)] != e["msgstr_plural"]
    ]
    assert stale == [], "run `manage.py compilemessages --ignore=.venv` and commit django.mo"
