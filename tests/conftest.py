import pytest


@pytest.fixture(autouse=True)
def role_groups_for_transactional_tests(request):
    """Transactional tests flush every table after themselves, including the role groups that
    data migration 0003 created; put them back so each such test starts like a migrated database."""
    if "transactional_db" not in request.fixturenames and "live_server" not in request.fixturenames:
        return
    request.getfixturevalue("transactional_db")
    from django.contrib.auth.models import Group

    from portal.models import Role

    for role in Role.values:
        Group.objects.get_or_create(name=role)


@pytest.fixture
def short_lived_connections():
    """Live-server request threads must close their database connections, or the test database can't be dropped."""
    from django.db import connections

    config = connections.settings["default"]
    before = config["CONN_MAX_AGE"]
    config["CONN_MAX_AGE"] = 0
    yield
    config["CONN_MAX_AGE"] = before
