"""Shared test fixtures: the five personas every test speaks of, built through services."""

import pytest

# DRF's throttles keep ``time.time`` as a class attribute, bound when the module is first imported. Imported
# for the first time inside a test with a frozen clock (freezegun), they would keep freezegun's fake after the
# test, and every later throttled API request on that worker would fail. Import them before any test runs.
import rest_framework.throttling  # noqa: F401

from portal.demo import DEMO_PASSWORD
from portal.models import District, Level, OrganizationKind, Role
from portal.services import membership_create, organization_create, user_create
from portal.uscc import uscc_check_character


def make_uscc(serial: int, prefix: str = "11") -> str:
    first17 = f"{prefix}110000{serial:09d}"
    return first17 + uscc_check_character(first17)


_serial = iter(range(500_000, 10_000_000))


@pytest.fixture
def make_org(db):
    def make(name: str, kind=OrganizationKind.AGENCY, level=Level.CITY, district="", **extra):
        return organization_create(
            actor=None,
            name=name,
            kind=kind,
            level=level,
            district=district,
            uscc=make_uscc(next(_serial)),
            responsible_leader="分管领导",
            responsible_unit="信息中心",
            **extra,
        )

    return make


@pytest.fixture
def make_user(db):
    def make(username: str, organization=None, role: str | None = None):
        user = user_create(
            username=username, password=DEMO_PASSWORD, full_name=username, email=f"{username}@example.invalid"
        )
        if organization is not None and role is not None:
            membership_create(user=user, organization=organization, role=role)
        return user

    return make


@pytest.fixture
def orgs(make_org):
    """A small city: the authority, one district authority, agencies in and out of that district."""
    authority = make_org("北京市经济和信息化局", kind=OrganizationKind.AUTHORITY, document_code="京经信")
    haidian_authority = make_org(
        "海淀区经济和信息化局",
        kind=OrganizationKind.AUTHORITY,
        level=Level.DISTRICT,
        district=District.HAIDIAN,
        document_code="海经信",
    )
    agency = make_org("北京市交通委员会")
    agency_unit = make_org("北京市交通委员会信息中心", parent=agency)
    other_agency = make_org("北京市教育委员会")
    haidian_agency = make_org("海淀区教育委员会", level=Level.DISTRICT, district=District.HAIDIAN)
    chaoyang_agency = make_org("朝阳区卫生健康委员会", level=Level.DISTRICT, district=District.CHAOYANG)
    return {
        "authority": authority,
        "haidian_authority": haidian_authority,
        "agency": agency,
        "agency_unit": agency_unit,
        "other_agency": other_agency,
        "haidian_agency": haidian_agency,
        "chaoyang_agency": chaoyang_agency,
    }


@pytest.fixture
def official(make_user, orgs):
    """An official of the city authority: sees the whole city."""
    return make_user("official", orgs["authority"], Role.AUTHORITY_OFFICIAL)


@pytest.fixture
def district_official(make_user, orgs):
    """An official of the Haidian district authority: sees Haidian."""
    return make_user("district_official", orgs["haidian_authority"], Role.DISTRICT_OFFICIAL)


@pytest.fixture
def clerk(make_user, orgs):
    """A clerk of the city transport commission."""
    return make_user("clerk", orgs["agency"], Role.AGENCY_CLERK)


@pytest.fixture
def other_clerk(make_user, orgs):
    """A clerk of another agency (education): an outsider to the transport commission."""
    return make_user("other_clerk", orgs["other_agency"], Role.AGENCY_CLERK)


@pytest.fixture
def manager(make_user, orgs):
    return make_user("manager", orgs["agency"], Role.AGENCY_MANAGER)


@pytest.fixture(autouse=True)
def _force_login_passes_second_factor(monkeypatch):
    """`client.force_login(user)` gives a session that has passed the second factor (as a verified device
    would), so tests of staff pages need not enrol a device. Tests of the 2FA flow itself sign in with
    `client.login(...)` or the login page, which leave the second factor to be passed."""
    from django.test import Client

    from portal.guard.twofactor import SESSION_VERIFIED_KEY

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        session = self.session
        session[SESSION_VERIFIED_KEY] = True
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture(autouse=True)
def _throttle_counters_per_test(settings):
    """API throttle counters live in Redis, which outlives a test; each test counts from zero under its
    own key prefix, so a test's requests never count against another test's (or a later run's)."""
    import uuid

    caches = {name: dict(config) for name, config in settings.CACHES.items()}
    caches["default"]["KEY_PREFIX"] = f"test-{uuid.uuid4().hex[:12]}"
    settings.CACHES = caches


@pytest.fixture(autouse=True)
def _default_language():
    """LocaleMiddleware activates a request's language on the thread and nothing deactivates it, so a
    test that asks for an English page would leave later tests on the same worker in English. Each test
    starts in the site's language."""
    from django.utils import translation

    translation.activate("zh-hans")
    yield
    translation.deactivate()


def pytest_collection_modifyitems(items):
    """Every test that commits (live server, Celery worker, ``transaction=True``) restores the database
    as the migrations left it (calendar, deadline kinds, content types) when it starts: Django flushes the
    tables after such a test, and a worker that runs a serialized test after a plain transactional one —
    or the other way round, as pytest-xdist may order them — would otherwise start from an empty or a
    half-restored database."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        commits = marker is not None and marker.kwargs.get("transaction")
        commits = commits or {"live_server", "transactional_db"} & set(getattr(item, "fixturenames", ()))
        if commits and "django_db_serialized_rollback" not in item.fixturenames:
            item.fixturenames.append("django_db_serialized_rollback")
