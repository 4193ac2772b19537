"""Issue 8, standing test: the permission matrix. Every row of ``tests/permission_table.py`` (an object, a
URL, a method and a body) is requested by each persona of ``tests/permission_world.py``; the status must be
the one the table names. A new chapter adds things to the world and rows to the table, not test code.

The world is built once per module inside an outer transaction; every row runs in a savepoint of its own
and every persona's request in a savepoint inside that, so a transition that succeeds for one persona is
undone before the next persona (and the next row) asks.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client
from django.urls import get_resolver, resolve
from rest_framework.test import APIClient

from .permission_table import LOGIN, NOT_YET, ROWS, Row, expected_statuses
from .permission_world import PERSONAS, build_world

# One worker runs the whole matrix (``make test`` distributes with ``--dist loadgroup``), so the world is built
# once, not once for each run of rows another module's tests interrupt.
pytestmark = pytest.mark.xdist_group("permission-matrix")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The world and one signed-in client per persona (a client's handler loads the middleware once)."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            world = build_world()
            world.clients = {persona: _client(user) for persona, user in world.users.items()}
            yield world
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _client(user) -> APIClient:
    """Signed in as a person past the second factor (as the root conftest's ``force_login`` does per test)."""
    from portal.guard.twofactor import SESSION_VERIFIED_KEY

    client = APIClient()
    if user is not None:
        Client.force_login(client, user)
        session = client.session
        session[SESSION_VERIFIED_KEY] = True
        session.save()
    return client


def request_as(world, persona: str, row: Row):
    url = row.url(getattr(world, row.thing), world)
    body = row.body(world) if callable(row.body) else row.body
    client = world.clients[persona]
    if row.api:
        multipart = isinstance(body, dict) and any(hasattr(v, "read") for v in body.values())
        return getattr(client, row.method)(url, body, format="multipart" if multipart else "json")
    if row.method == "get":
        return client.get(url, body or {})
    return getattr(client, row.method)(url, body or {}, format="multipart")


def observed(response) -> str:
    if response.status_code == 302 and "/accounts/login/" in response.get("Location", ""):
        return LOGIN
    return str(response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
def test_each_persona_gets_the_status_the_table_names(world, row):
    expected = expected_statuses(row)
    wrong = {}
    for persona in PERSONAS:
        with transaction.atomic():
            got = observed(request_as(world, persona, row))
            transaction.set_rollback(True)
        if got != expected[persona]:
            wrong[persona] = f"expected {expected[persona]}, got {got}"
    assert wrong == {}, f"{row.method.upper()} {row.url(getattr(world, row.thing), world)}"


def test_the_table_is_well_formed():
    ids = [r.id for r in ROWS]
    assert len(ids) == len(set(ids))
    for row in ROWS:
        assert set(expected_statuses(row)) == set(PERSONAS)


class _Any:
    """Stands for any object in a row's URL: every attribute is another one, and each formats as a uuid."""

    def __getattr__(self, name):
        return self

    def __format__(self, spec):
        return "00000000-0000-4000-8000-000000000001"


def _object_routes() -> set[str]:
    """Every URL of the portal that names one object (a uuid in the path), pages and API."""
    routes = set()

    def walk(resolver, prefix=""):
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if hasattr(pattern, "url_patterns"):
                walk(pattern, route)
            elif ("<uuid:" in route or "(?P<id>" in route) and "(?P<format>" not in route:
                routes.add(route.replace("/^", "/"))  # how resolve() spells a router's route

    walk(get_resolver())
    return routes


def _table_routes() -> set[str]:
    return {resolve(row.path.format(o=_Any(), w=_Any())).route for row in ROWS}


def test_every_url_naming_an_object_is_in_the_table_or_listed_as_not_yet():
    """A new page or API action on an object fails here until the table has a row for it (or NOT_YET says
    why not yet)."""
    missing = _object_routes() - _table_routes() - set(NOT_YET)
    assert missing == set()
    assert set(NOT_YET) & _table_routes() == set()  # a route with rows comes off the list
