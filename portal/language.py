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
