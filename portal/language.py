"""Stored and issued texts are written in the site's language (zh-hans), whatever the request's language.

A timeline comment, a notification, a deadline title or a letter is a record: it reads the same for
everyone, later, in the language of the regulation. The interface language of the person whose request
caused it must not leak into it (under English, ``get_status_display()`` or a gettext label inside a
service would store English). The mechanism, in three places:

- ``ActionTable.run`` (portal.workflow) runs every transition of every chapter in the site's language,
  for the pages and the API alike;
- ``timeline_record`` and ``notifications_create_many`` evaluate lazy texts they are given in it;
- a service called outside an ``ActionTable`` that formats labels into stored text, and every letter
  builder, is decorated with ``@in_site_language``.

Messages shown to the requester (form errors, ``Refused``) stay lazy where they are gettext-marked, so
they still render in the requester's language after the service returns.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise

F = TypeVar("F", bound=Callable)


def site_language() -> translation.override:
    """``with site_language(): …`` — a fresh override each time (an override object is not re-entrant)."""
    return translation.override(settings.LANGUAGE_CODE)


def in_site_language(func: F) -> F:
    """Run ``func`` in the site's language (for services that store texts and for letter builders)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with site_language():
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def stored_text(value):
    """A text about to be stored: a lazy translation is evaluated in the site's language."""
    if isinstance(value, Promise):
        with site_language():
            return str(value)
    return value


def reader_is_chinese() -> bool:
    """Whether the text being rendered now is for a Chinese reader (the active language)."""
    return (translation.get_language() or settings.LANGUAGE_CODE).startswith("zh")


def format_yuan(amount) -> str:
    """An amount in yuan as the reader writes it: "60,000.00 元" or "CNY 60,000.00"."""
    from decimal import Decimal, InvalidOperation

    from django.utils.formats import number_format

    try:
        value = Decimal(amount)
    except (InvalidOperation, TypeError, ValueError):
        return "—" if amount in (None, "") else str(amount)
    figure = number_format(value, decimal_pos=2, force_grouping=True)
    return f"{figure} 元" if reader_is_chinese() else f"CNY {figure}"


def parenthesized(text) -> str:
    """ "（text）" for a Chinese reader, " (text)" for an English one."""
    return f"（{text}）" if reader_is_chinese() else f" ({text})"


def listing(items) -> str:
    """Items joined as the reader enumerates them: "甲、乙、丙" or "A, B, C"."""
    return ("、" if reader_is_chinese() else ", ").join(str(item) for item in items)
