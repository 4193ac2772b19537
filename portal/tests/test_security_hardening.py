"""Issue 8, "Hardening": every item tried from the outside, as a browser or an API client would (Django's
test client against the embedded PostgreSQL; none of the portal's own code is mocked).

Second factor, password policy and sessions, the security audit log, response headers and throttling,
uploads. An unhandled API error answering problem+json is in test_input_hardening.py.
"""

import csv
import io
import itertools
import re
import runpy
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time
from rest_framework.authtoken.models import Token

from portal.demo import DEMO_PASSWORD
from portal.guard.audit import MINIMUM_RETENTION_DAYS, security_event_record, security_events_purge
from portal.models import Attachment, Role, SecurityEvent, SecurityEventKind
from portal.services import attachment_create, user_create

pytestmark = pytest.mark.django_db

BASE_DIR = Path(django_settings.BASE_DIR)
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
PROBLEM = "application/problem+json"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The policy is about which passwords are accepted, not how they are hashed: a fast hasher keeps the
    many sign-ins and password changes of this file within seconds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- helpers ---------------------------------------------------------------------------------------


def sign_in(client, username, password=DEMO_PASSWORD, **extra):
    """The sign-in page, as a person uses it (django-axes counts it; the second factor is left to pass)."""
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def totp_code(device) -> str:
    """The code the authenticator app shows now (or the next step's, if this one was used already)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if device.last_t is not None and totp.t() <= device.last_t:
        totp.time += (device.last_t + 1 - totp.t()) * device.step
    return f"{totp.token():0{device.digits}d}"


def enrol(client, user) -> list[str]:
    """Enrol an authenticator app through the setup page; returns the recovery codes shown once."""
    page = client.get(reverse("otp-setup"))
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("otp-setup"), {"token": totp_code(device)})
    assert response.status_code == 200, response.content.decode()[:500]
    return list(response.context["codes"])


def kinds(**filters) -> list[str]:
    return list(SecurityEvent.objects.filter(**filters).order_by("id").values_list("kind", flat=True))


def all_event_text() -> str:
    """Everything the audit log holds, as one string (to look for what must never be in it)."""
    return "\n".join(f"{e.username} {e.path} {e.method} {e.detail}" for e in SecurityEvent.objects.all())


def superuser():
    return user_create(username="root", password=DEMO_PASSWORD, is_superuser=True, is_staff=True)


@pytest.fixture
def make_staff(make_user, orgs):
    """A user of one of the kinds that must pass a second factor."""
    from django.contrib.auth.models import Group

    def make(who):
        if who == "superuser":
            return superuser()
        if who == "auditor":
            user = make_user("s_auditor")
            user.groups.add(Group.objects.get(name="security_auditor"))
            return user
        role, organization = {
            "official": (Role.AUTHORITY_OFFICIAL, "authority"),
            "district_official": (Role.DISTRICT_OFFICIAL, "haidian_authority"),
            "reviewer": (Role.AUTHORITY_REVIEWER, "authority"),
            "enforcement_officer": (Role.ENFORCEMENT_OFFICER, "authority"),
        }[who]
        return make_user(f"s_{who}", orgs[organization], role)

    return make


@pytest.fixture
def auditor(make_user):
    from django.contrib.auth.models import Group

    user = make_user("auditor")
    user.groups.add(Group.objects.get(name="security_auditor"))
    return user


@pytest.fixture
def document(orgs, manager, media_root):
    return attachment_create(obj=orgs["agency"], uploaded=SimpleUploadedFile("批复.pdf", PDF), actor=manager)


# --- second factor ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who", ["official", "district_official", "reviewer", "enforcement_officer", "auditor", "superuser"]
)
def test_staff_signed_in_with_a_password_alone_reach_only_the_enrolment(client, make_staff, who):
    user = make_staff(who)
    assert sign_in(client, user.username).status_code == 302

    for page in ["/dashboard/", "/organizations/", "/admin/"]:
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"] == f"{reverse('otp-setup')}?next={page}"
    api = client.get("/api/v1/organizations/")
    assert api.status_code == 403
    assert api["Content-Type"] == PROBLEM
    assert api.json()["code"] == "two-factor-required"
    # Nor can an API token be had for the password alone.
    token = Client().post(reverse("api-token"), {"username": user.username, "password": DEMO_PASSWORD})
    assert token.status_code == 400
    assert [(p["name"], p["code"]) for p in token.json()["invalid_params"]] == [("otp", "required")]
    assert not Token.objects.filter(user=user).exists()


@pytest.fixture
def clock():
    """Time stands still unless a test moves it: django-otp refuses any code for a moment after a wrong one
    (1 s, then 2 s, 4 s…), and a TOTP code once per 30-second step; the tests wait as a person would."""
    with freeze_time(timezone.now()) as frozen:
        yield frozen


def test_enrolment_on_first_sign_in_then_the_code_at_every_sign_in(client, official, clock):
    sign_in(client, "official")
    assert client.get("/dashboard/")["Location"].startswith(reverse("otp-setup"))

    setup = client.get(reverse("otp-setup"))
    assert setup.context["qr"].startswith("data:image/svg+xml;base64,")
    device = TOTPDevice.objects.get(user=official, confirmed=False)
    right = totp_code(device)
    wrong = client.post(reverse("otp-setup"), {"token": f"{(int(right) + 1) % 10**6:06d}"})
    assert wrong.status_code == 200
    assert wrong.context["form"].errors["token"]
    assert client.get("/dashboard/").status_code == 302
    # Right after a wrong code even the right one is refused (guessing is slowed down)...
    assert client.post(reverse("otp-setup"), {"token": right}).status_code == 200
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    clock.tick(timedelta(seconds=5))
    # ... and accepted once the pause is over.
    codes = client.post(reverse("otp-setup"), {"token": totp_code(device)}).context["codes"]
    assert len(codes) == len(set(codes)) == 10
    assert all(re.fullmatch(r"\d{8}", code) for code in codes)
    assert client.get("/dashboard/").status_code == 200
    assert client.get("/api/v1/organizations/").status_code == 200

    # The next sign-in asks for the code (no second enrolment), and nothing is reachable before it.
    client.post(reverse("logout"))
    sign_in(client, "official")
    assert client.get("/dashboard/")["Location"] == f"{reverse('otp-verify')}?next=/dashboard/"
    assert client.get(reverse("otp-setup"))["Location"] == reverse("otp-verify")
    guess = f"{(int(totp_code(device)) + 500_000) % 10**6:06d}"
    bad = client.post(reverse("otp-verify"), {"token": guess})
    assert bad.status_code == 200
    assert bad.context["form"].errors["token"]
    clock.tick(timedelta(seconds=31))
    passed = client.post(reverse("otp-verify"), {"token": totp_code(device), "next": "/organizations/"})
    assert passed["Location"] == "/organizations/"
    assert client.get("/dashboard/").status_code == 200

    assert kinds(username="official") == [
        SecurityEventKind.LOGIN,
        SecurityEventKind.OTP_FAILED,
        SecurityEventKind.OTP_FAILED,
        SecurityEventKind.OTP_ENROLLED,
        SecurityEventKind.LOGOUT,
        SecurityEventKind.LOGIN,
        SecurityEventKind.OTP_FAILED,
        SecurityEventKind.OTP_VERIFIED,
    ]
    # The codes typed are not evidence anyone needs: never stored.
    text = all_event_text()
    assert right not in text and guess not in text
    assert not any(code in text for code in codes)


def test_a_recovery_code_works_once_and_regenerating_voids_the_old_ones(client, official, clock):
    sign_in(client, "official")
    codes = enrol(client, official)
    client.post(reverse("logout"))

    sign_in(client, "official")
    assert client.post(reverse("otp-verify"), {"token": codes[0]}).status_code == 302
    assert client.get("/dashboard/").status_code == 200
    client.post(reverse("logout"))

    sign_in(client, "official")
    reused = client.post(reverse("otp-verify"), {"token": codes[0]})
    assert reused.status_code == 200
    assert reused.context["form"].errors["token"]
    assert client.get("/dashboard/").status_code == 302
    clock.tick(timedelta(seconds=5))
    assert client.post(reverse("otp-verify"), {"token": codes[1]}).status_code == 302

    fresh = client.post(reverse("otp-recovery")).context["codes"]
    assert not set(fresh) & set(codes)
    client.post(reverse("logout"))
    sign_in(client, "official")
    assert client.post(reverse("otp-verify"), {"token": codes[2]}).status_code == 200
    clock.tick(timedelta(seconds=5))
    assert client.post(reverse("otp-verify"), {"token": fresh[0]}).status_code == 302

    assert kinds(kind__startswith="otp_recovery") == [
        SecurityEventKind.OTP_RECOVERY_USED,
        SecurityEventKind.OTP_RECOVERY_USED,
        SecurityEventKind.OTP_RECOVERY_REGENERATED,
        SecurityEventKind.OTP_RECOVERY_USED,
    ]


def test_the_admin_is_behind_the_second_factor(client):
    root = superuser()
    signed_in = client.post("/admin/login/", {"username": "root", "password": DEMO_PASSWORD, "next": "/admin/"})
    assert signed_in.status_code == 302
    for page in ["/admin/", "/admin/portal/user/", f"/admin/portal/user/{root.pk}/change/"]:
        assert client.get(page)["Location"] == f"{reverse('otp-setup')}?next={page}"
    enrol(client, root)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/portal/user/").status_code == 200


def test_agency_users_are_not_forced_but_may_opt_in(client, clerk):
    sign_in(client, "clerk")
    assert client.get("/dashboard/").status_code == 200
    token = Client().post(reverse("api-token"), {"username": "clerk", "password": DEMO_PASSWORD})
    assert token.status_code == 200

    enrol(client, clerk)
    client.post(reverse("logout"))
    sign_in(client, "clerk")
    assert client.get("/dashboard/")["Location"] == f"{reverse('otp-verify')}?next=/dashboard/"
    # Opting in covers the API token too.
    token = Client().post(reverse("api-token"), {"username": "clerk", "password": DEMO_PASSWORD})
    assert token.status_code == 400
    device = TOTPDevice.objects.get(user=clerk)
    token = Client().post(
        reverse("api-token"), {"username": "clerk", "password": DEMO_PASSWORD, "otp": totp_code(device)}
    )
    assert token.status_code == 200
    assert SecurityEventKind.TOKEN_ISSUED in kinds(username="clerk")
    assert token.json()["token"] not in all_event_text()


# --- password policy and sessions ------------------------------------------------------------------


def change_password(client, old, new):
    return client.post(reverse("password_change"), {"old_password": old, "new_password1": new, "new_password2": new})


def password_history_length() -> int:
    (validator,) = [
        v for v in django_settings.AUTH_PASSWORD_VALIDATORS if v["NAME"].endswith("PasswordHistoryValidator")
    ]
    return validator["OPTIONS"]["history"]


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab1-short-x", "密码太短，至少需要 12 个字符"),  # 11 characters
        ("harbourlights", "至少包含"),  # one class
        ("harbourlights2026", "至少包含"),  # two classes
        ("12345678901234", "只包含数字"),
        ("Password1234", "太常见"),
    ],
)
def test_a_weak_password_is_refused_with_the_reason(client, clerk, password, message):
    client.force_login(clerk)
    response = change_password(client, DEMO_PASSWORD, password)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["new_password2"])
    clerk.refresh_from_db()
    assert clerk.check_password(DEMO_PASSWORD)


def test_none_of_the_last_passwords_may_be_used_again(client, clerk):
    history = password_history_length()
    assert history >= 5  # level 3: "no reuse of the last passwords"; five is the usual number
    client.force_login(clerk)
    passwords = [DEMO_PASSWORD] + [f"Harbour-Light-{n}x" for n in range(1, history)]
    for old, new in itertools.pairwise(passwords):
        assert change_password(client, old, new).status_code == 302
    # Every one of the last `history` passwords (the current one included) is refused...
    current = passwords[-1]
    for old in passwords:
        response = change_password(client, current, old)
        assert response.status_code == 200, old
        assert "最近" in " ".join(response.context["form"].errors["new_password2"])
    # ... and the oldest comes free once one more has been used.
    assert change_password(client, current, "Harbour-Light-new-1").status_code == 302
    assert change_password(client, "Harbour-Light-new-1", DEMO_PASSWORD).status_code == 302
    assert kinds(kind=SecurityEventKind.PASSWORD_CHANGED, username="clerk") == [SecurityEventKind.PASSWORD_CHANGED] * (
        history + 1
    )
    assert "Harbour-Light" not in all_event_text()


# A page for signed-in users that costs little to render: the session tests ask for it many times.
SIGNED_IN_PAGE = "/accounts/password/"


def test_an_idle_session_ends_after_the_idle_timeout(client, clerk):
    idle = django_settings.SESSION_COOKIE_AGE
    assert idle <= 30 * 60
    start = timezone.now()
    with freeze_time(start) as clock:
        client.force_login(clerk)
        # Activity keeps the session: two idle periods pass, a request in each.
        for _ in range(2):
            clock.tick(timedelta(seconds=idle - 60))
            assert client.get(SIGNED_IN_PAGE).status_code == 200
        clock.tick(timedelta(seconds=idle + 1))
        response = client.get(SIGNED_IN_PAGE)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_activity_renews_the_session_at_most_once_a_minute(client, clerk):
    """No session write (UPDATE and its transaction) on every signed-in request: the idle timeout is renewed
    when the last renewal is SESSION_RENEW_SECONDS old (issue 15), exact to that minute."""
    from django.test.utils import CaptureQueriesContext

    def session_writes() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(SIGNED_IN_PAGE).status_code == 200
        return sum('UPDATE "django_session"' in q["sql"] for q in captured.captured_queries)

    renew = django_settings.SESSION_RENEW_SECONDS
    assert renew <= 60
    with freeze_time(timezone.now()) as clock:
        client.force_login(clerk)
        assert session_writes() == 1  # the first request stamps the session's start
        clock.tick(timedelta(seconds=renew - 1))
        assert session_writes() == 0
        clock.tick(timedelta(seconds=1))
        assert session_writes() == 1
        assert session_writes() == 0


def test_a_session_ends_at_the_absolute_timeout_however_active(client, clerk):
    idle, absolute = django_settings.SESSION_COOKIE_AGE, django_settings.SESSION_ABSOLUTE_SECONDS
    assert absolute <= 12 * 3600
    step = timedelta(seconds=idle * 0.9)
    start = timezone.now()
    with freeze_time(start) as clock:
        client.force_login(clerk)
        while timezone.now() + step - start < timedelta(seconds=absolute):
            clock.tick(step)
            assert client.get(SIGNED_IN_PAGE).status_code == 200
        clock.tick(step)
        response = client.get(SIGNED_IN_PAGE)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('login')}?next={SIGNED_IN_PAGE}"
        assert client.get("/api/v1/organizations/").status_code in (401, 403)
    expired = SecurityEvent.objects.get(kind=SecurityEventKind.SESSION_EXPIRED)
    assert (expired.username, expired.detail) == ("clerk", {"reason": "absolute"})


def test_changing_or_resetting_the_password_ends_the_other_sessions(client, clerk):
    elsewhere = Client()
    elsewhere.force_login(clerk)
    client.force_login(clerk)
    assert elsewhere.get("/dashboard/").status_code == 200

    token = Token.objects.create(user=clerk)
    api = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/v1/organizations/").status_code == 200

    assert change_password(client, DEMO_PASSWORD, "Harbour-Light-9x").status_code == 302
    assert client.get("/dashboard/").status_code == 200  # the session that changed it stays
    assert elsewhere.get("/dashboard/")["Location"].startswith(reverse("login"))
    # The API token had with the old password ends too.
    assert api.get("/api/v1/organizations/").status_code == 401
    assert not Token.objects.filter(user=clerk).exists()
    changed = SecurityEvent.objects.get(kind=SecurityEventKind.PASSWORD_CHANGED)
    assert changed.detail == {"tokens_revoked": 1}

    # A reset by e-mail ends every session, the one that asked included.
    clerk.refresh_from_db()
    link = reverse(
        "password_reset_confirm",
        args=[urlsafe_base64_encode(force_bytes(clerk.pk)), default_token_generator.make_token(clerk)],
    )
    anonymous = Client()
    form = anonymous.get(link)
    assert form.status_code == 302
    done = anonymous.post(form["Location"], {"new_password1": "Harbour-Reset-7y", "new_password2": "Harbour-Reset-7y"})
    assert done.status_code == 302
    assert client.get("/dashboard/")["Location"].startswith(reverse("login"))


# --- security audit log ----------------------------------------------------------------------------


def test_sign_in_failures_and_the_lockout_are_logged_without_the_passwords(client, clerk, settings):
    limit = settings.AXES_FAILURE_LIMIT
    for n in range(limit):
        response = sign_in(client, "clerk", f"Wrong-Guess-{n}x", REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 429  # the limit-th failure locks
    assert sign_in(client, "clerk", DEMO_PASSWORD, REMOTE_ADDR="198.51.100.7").status_code == 429

    failed = SecurityEvent.objects.filter(kind=SecurityEventKind.LOGIN_FAILED)
    assert failed.count() >= limit
    assert {(e.username, e.ip_address, e.path) for e in failed} == {("clerk", "198.51.100.7", "/accounts/login/")}
    # The failure that locked, and the attempt refused during the lockout.
    lockouts = SecurityEvent.objects.filter(kind=SecurityEventKind.LOCKOUT)
    assert [(e.username, e.ip_address) for e in lockouts] == [("clerk", "198.51.100.7")] * 2

    sign_in(client, "clerk", DEMO_PASSWORD, REMOTE_ADDR="203.0.113.9")
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.LOGIN).exists()  # the account is locked
    text = all_event_text()
    assert "Wrong-Guess" not in text
    assert DEMO_PASSWORD not in text


def test_a_successful_sign_in_is_logged_with_account_and_address(client, clerk):
    sign_in(client, "clerk", REMOTE_ADDR="203.0.113.9")
    event = SecurityEvent.objects.get(kind=SecurityEventKind.LOGIN)
    assert (event.user_id, event.username, event.ip_address) == (clerk.pk, "clerk", "203.0.113.9")
    assert DEMO_PASSWORD not in all_event_text()


def test_application_logs_keep_no_password_username_or_token(client, clerk, caplog):
    caplog.set_level("DEBUG")
    sign_in(client, "clerk", "Wrong-Guess-1x")
    sign_in(client, "clerk")
    client.get(reverse("security-audit"))
    token = Client().post(reverse("api-token"), {"username": "clerk", "password": DEMO_PASSWORD}).json()["token"]
    Client(HTTP_AUTHORIZATION=f"Token {token}").get("/api/v1/portal/standards/")
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "Forbidden (Permission denied): /security/audit/" in logged  # the logs were captured
    for secret in ["Wrong-Guess-1x", DEMO_PASSWORD, token, "clerk"]:
        assert secret not in logged


def test_permission_denials_are_logged(client, clerk):
    client.force_login(clerk)
    assert client.get(reverse("security-audit")).status_code == 403
    standard = {"code": "GB/T 9704-2012", "title": "党政机关公文格式", "effective_on": "2012-07-01"}
    assert client.post("/api/v1/portal/standards/", standard).status_code == 403
    denied = SecurityEvent.objects.filter(kind=SecurityEventKind.PERMISSION_DENIED).order_by("id")
    assert [(e.username, e.method, e.path, e.status) for e in denied] == [
        ("clerk", "GET", "/security/audit/", 403),
        ("clerk", "POST", "/api/v1/portal/standards/", 403),
    ]
    assert "党政机关公文格式" not in all_event_text()  # what was sent is not kept


def test_downloads_of_attachments_and_letters_and_exports_are_logged(client, official, manager, document):
    client.force_login(manager)
    assert client.get(reverse("attachment-download", args=[document.uuid])).status_code == 200
    assert client.get(f"/api/v1/attachments/{document.uuid}/").status_code == 200
    export = client.get("/deadlines/?export=csv")
    assert export.status_code == 200
    b"".join(export.streaming_content)

    # An agency system with its API token is audited under its account too.
    token = Token.objects.create(user=manager)
    agency_system = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert agency_system.get(f"/api/v1/attachments/{document.uuid}/").status_code == 200

    client.force_login(official)
    grading = approved_grading(manager, official)
    letter = client.get(reverse("security:grading-certificate", args=[grading.uuid]))
    assert letter.status_code == 200
    assert letter["Content-Type"] == "application/pdf"

    downloads = SecurityEvent.objects.filter(kind=SecurityEventKind.DOWNLOAD).order_by("id")
    assert [(e.username, e.path) for e in downloads] == [
        ("manager", f"/attachments/{document.uuid}/"),
        ("manager", f"/api/v1/attachments/{document.uuid}/"),
        ("manager", "/deadlines/"),
        ("manager", f"/api/v1/attachments/{document.uuid}/"),
        ("official", f"/security/gradings/{grading.uuid}/certificate.pdf"),
    ]
    assert downloads[2].detail["query"] == "export=csv"
    assert all(e.status == 200 and e.detail["disposition"] for e in downloads)
    assert token.key not in all_event_text()


def test_an_anonymous_download_is_logged_only_when_it_is_personal(client, clerk, orgs):
    from portal.services.calendar import calendar_years_ensure_provisional
    from resources.services import disclosure

    calendar_years_ensure_provisional(through=timezone.localdate() + timedelta(days=120))
    application, code = disclosure.application_record(
        actor=clerk,
        agency=orgs["agency"],
        channel="in_person",
        received_on=timezone.localdate(),
        applicant_kind="citizen",
        applicant_name="张三",
        id_type="id_card",
        id_number="110101199001011234",
        contact="13800000000",
        description="2025年本市公交线路调整的批复文件",
    )
    disclosure.application_reply(application=application, actor=clerk, response_type="disclosed")

    # Published data: not logged (every public request would otherwise write to the log).
    assert client.get("/api/v1/portal/standards/").status_code == 200
    assert client.get("/standards/?format=csv").status_code == 200
    # A reply letter fetched with its tracking code: logged, the code never.
    letter = client.post(
        reverse("disclosure:track-letter"),
        {"number": application.tracking_number, "code": code},
        REMOTE_ADDR="198.51.100.8",
    )
    assert letter.status_code == 200
    assert letter["Content-Type"] == "application/pdf"
    (event,) = SecurityEvent.objects.filter(kind=SecurityEventKind.DOWNLOAD)
    assert (event.username, event.ip_address, event.method, event.path) == (
        "",
        "198.51.100.8",
        "POST",
        reverse("disclosure:track-letter"),
    )
    assert code not in all_event_text()


def approved_grading(clerk, official):
    from portal.services.calendar import calendar_years_ensure_provisional
    from security import services

    calendar_years_ensure_provisional(through=timezone.localdate() + timedelta(days=800))
    system = services.system_create(
        actor=clerk,
        operator=clerk.memberships.first().organization,
        name="交通执法移动办案系统",
        builder="北京华信系统集成有限公司",
        purpose="交通执法办案",
        users_served="执法人员",
        network="egov",
    )
    grading = services.grading_create(
        actor=clerk,
        system=system,
        business_harm_object="citizen",
        business_harm_degree="general",
        service_harm_object="citizen",
        service_harm_degree="general",
    )
    grading = services.grading_submit(grading=grading, actor=clerk)
    return services.grading_approve(grading=grading, actor=official)


def test_the_log_is_append_only(clerk):
    event = security_event_record(SecurityEventKind.LOGIN, user=clerk)
    for change in [
        lambda: SecurityEvent.objects.filter(pk=event.pk).update(username="someone-else"),
        lambda: SecurityEvent.objects.filter(pk=event.pk).delete(),
        lambda: SecurityEvent.objects.all().delete(),
        lambda: connection.cursor().execute("UPDATE portal_securityevent SET kind = 'logout'"),
        lambda: connection.cursor().execute("DELETE FROM portal_securityevent"),
    ]:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            change()
    event.refresh_from_db()
    assert (event.username, event.kind) == ("clerk", SecurityEventKind.LOGIN)


def insert_event_aged(days: int) -> int:
    """An event written ``days`` ago (INSERT is the one thing the log allows)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO portal_securityevent (uuid, at, kind, username, method, path, detail)"
            " VALUES (gen_random_uuid(), now() - make_interval(days => %s), 'login', %s, '', '', '{}') RETURNING id",
            [days, f"aged-{days}"],
        )
        return cursor.fetchone()[0]


def test_the_log_is_kept_at_least_six_months(settings):
    assert MINIMUM_RETENTION_DAYS >= 183  # 网络安全法 Art. 21: no less than six months
    assert settings.SECURITY_AUDIT_RETENTION_DAYS >= MINIMUM_RETENTION_DAYS
    young, old = insert_event_aged(182), insert_event_aged(400)
    # Even a purge configured below the floor keeps six months.
    settings.SECURITY_AUDIT_RETENTION_DAYS = 30
    assert security_events_purge() == 1
    assert list(SecurityEvent.objects.filter(pk__in=[young, old]).values_list("pk", flat=True)) == [young]
    # And the database refuses to delete a young row whoever asks.
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        SecurityEvent.objects.filter(pk=young).delete()


def test_only_the_auditor_views_and_exports_the_log(client, auditor, official, clerk, manager):
    security_event_record(SecurityEventKind.LOGIN_FAILED, username="mallory")
    for user in [official, clerk, manager]:
        client.force_login(user)
        assert client.get(reverse("security-audit")).status_code == 403
        assert client.get(reverse("security-audit") + "?export=csv").status_code == 403

    client.force_login(auditor)
    page = client.get(reverse("security-audit") + "?kind=login_failed")
    assert page.status_code == 200
    assert [e.username for e in page.context["page"]] == ["mallory"]
    assert "no-store" in page["Cache-Control"]

    export = client.get(reverse("security-audit") + "?kind=permission_denied&export=csv")
    assert export.status_code == 200
    assert export["Content-Disposition"].startswith("attachment")
    assert "no-store" in export["Cache-Control"]
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["时间", "事件", "用户名"]
    assert sorted(row[2] for row in rows[1:]) == ["clerk", "clerk", "manager", "manager", "official", "official"]
    # Reading the log is itself logged.
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.DOWNLOAD, username="auditor").count() == 1


# --- response headers ------------------------------------------------------------------------------


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def test_pages_carry_a_content_security_policy_without_inline_scripts(client, clerk):
    for signed_in in [False, True]:
        if signed_in:
            client.force_login(clerk)
        for page in ["/", "/dashboard/"] if signed_in else ["/", "/accounts/login/"]:
            response = client.get(page)
            assert response.status_code == 200
            policy = directives(response["Content-Security-Policy"])
            assert policy["script-src"] == ["'self'"], page
            assert policy["default-src"] == ["'self'"]
            assert policy["object-src"] == ["'none'"]
            assert policy["frame-ancestors"] == ["'none'"]
            assert "'unsafe-inline'" not in response["Content-Security-Policy"].split("style-src")[0]
            html = response.content.decode()
            assert not INLINE_SCRIPT.search(html), page


INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[a-z][^>]*\s(on[a-z]+|hx-on[:\w-]*)\s*=", re.I | re.S)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.I)


def template_files():
    """Every template of the portal: the project's directory and each of its apps' (not Django's own)."""
    from django.template.utils import get_app_template_dirs

    roots = [Path(d) for engine in django_settings.TEMPLATES for d in engine["DIRS"]]
    roots += [
        Path(d)
        for d in get_app_template_dirs("templates")
        if Path(d).is_relative_to(BASE_DIR) and "site-packages" not in Path(d).parts
    ]
    return [file for root in roots for file in root.rglob("*.html")]


def test_the_admin_runs_under_the_policy(client):
    root = superuser()
    client.force_login(root)
    for page in ["/admin/", "/admin/portal/user/", f"/admin/portal/user/{root.pk}/change/", "/admin/portal/user/add/"]:
        response = client.get(page)
        assert response.status_code == 200, page
        assert not INLINE_SCRIPT.search(response.content.decode()), page


def test_the_api_documentation_pages_run_under_the_policy(client):
    for page in ["/api/v1/docs/", "/api/v1/redoc/"]:
        response = client.get(page)
        assert response.status_code == 200
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html), page
        scripts = re.findall(r'<script src="([^"]+)"', html)
        assert scripts, page
        for src in scripts:
            assert src.startswith("/"), src  # same origin: script-src 'self'
            assert client.get(src).status_code == 200, src


def test_no_template_has_an_inline_script_or_event_handler():
    files = template_files()
    assert len(files) > 50
    offenders = []
    for file in files:
        text = file.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, INLINE_HANDLER, JAVASCRIPT_URL):
            offenders += [f"{file.relative_to(BASE_DIR)}: {m.group(0)[:80]}" for m in pattern.finditer(text)]
    assert offenders == []


def test_the_patterns_catch_what_the_policy_blocks():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert INLINE_SCRIPT.search('<script type="module">x()</script>')
    assert not INLINE_SCRIPT.search('<script src="/static/a.js" defer></script>')
    assert not INLINE_SCRIPT.search('<script id="d" type="application/json">{}</script>')
    assert INLINE_HANDLER.search('<form method="post" onsubmit="return confirm(\'x\')">')
    assert INLINE_HANDLER.search('<button hx-on:click="x()">')
    assert not INLINE_HANDLER.search('<form data-confirm="确认？" class="once">')
    assert JAVASCRIPT_URL.search('<a href="javascript:void(0)">')


def test_no_store_on_signed_in_pages_downloads_exports_and_the_api(client, manager, document):
    anonymous_page = client.get("/")
    assert "no-store" not in anonymous_page.get("Cache-Control", "")  # public pages may be cached
    for api in ["/api/v1/enforcement/decisions/", "/api/v1/portal/standards/", "/api/v1/organizations/"]:
        assert "no-store" in client.get(api)["Cache-Control"], api

    client.force_login(manager)
    responses = {
        "page": client.get("/dashboard/"),
        "denied": client.get(reverse("security-audit")),
        "download": client.get(reverse("attachment-download", args=[document.uuid])),
        "api download": client.get(f"/api/v1/attachments/{document.uuid}/"),
        "export": client.get("/deadlines/?export=xlsx"),
        "api": client.get("/api/v1/organizations/"),
    }
    for name, response in responses.items():
        assert "no-store" in response["Cache-Control"], name
        assert "private" in response["Cache-Control"], name


def test_no_server_header_names_a_version(client, clerk):
    import gunicorn.http.wsgi

    client.force_login(clerk)
    for path in ["/", "/dashboard/", "/api/v1/organizations/", "/static/portal/portal.js", "/no-such-page/"]:
        response = client.get(path)
        assert "Server" not in response, path
        assert "X-Powered-By" not in response, path
    # Production runs gunicorn (Dockerfile, make run): it names itself, without a version.
    assert '"gunicorn"' in (BASE_DIR / "Dockerfile").read_text()
    announced = gunicorn.http.wsgi.Response(req=None, sock=None, cfg=None).version
    assert announced == "gunicorn"


def settings_with(monkeypatch, **environment):
    """The settings module as a deployment with ``environment`` would load it."""
    monkeypatch.delenv("DJANGO_TRUST_X_FORWARDED_PROTO", raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(BASE_DIR / "portal" / "settings.py"))


def test_the_proxy_header_is_trusted_only_when_configured(monkeypatch, client, settings):
    assert "SECURE_PROXY_SSL_HEADER" not in settings_with(monkeypatch)
    assert "SECURE_PROXY_SSL_HEADER" not in settings_with(monkeypatch, DJANGO_TRUST_X_FORWARDED_PROTO="false")
    trusted = settings_with(monkeypatch, DJANGO_TRUST_X_FORWARDED_PROTO="true")
    assert trusted["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")

    # Untrusted, a client claiming HTTPS over plain HTTP is still sent to HTTPS.
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/regulation/", HTTP_X_FORWARDED_PROTO="https").status_code == 301
    settings.SECURE_PROXY_SSL_HEADER = trusted["SECURE_PROXY_SSL_HEADER"]
    assert client.get("/regulation/", HTTP_X_FORWARDED_PROTO="https").status_code == 200


@pytest.fixture
def throttle_rates(monkeypatch, settings):
    """Small rates through the settings. DRF copies DEFAULT_THROTTLE_RATES into its throttle class when it
    is imported, so the class takes the overridden settings' rates too. Counters start from zero (the
    root conftest gives every test its own cache key prefix)."""
    from rest_framework.throttling import SimpleRateThrottle

    def set_rates(**rates):
        config = {**settings.REST_FRAMEWORK}
        config["DEFAULT_THROTTLE_RATES"] = {**config["DEFAULT_THROTTLE_RATES"], **rates}
        settings.REST_FRAMEWORK = config
        monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", config["DEFAULT_THROTTLE_RATES"])

    return set_rates


def assert_throttled(response):
    assert response.status_code == 429
    assert response["Content-Type"] == PROBLEM
    assert response.json()["status"] == 429
    assert int(response["Retry-After"]) > 0


def test_the_token_view_is_throttled(client, clerk, throttle_rates):
    throttle_rates(token="3/min")
    for n in range(3):
        answered = client.post(reverse("api-token"), {"username": "clerk", "password": f"Wrong-{n}"})
        assert answered.status_code == 400
    assert_throttled(client.post(reverse("api-token"), {"username": "clerk", "password": DEMO_PASSWORD}))
    # Per address: another client is not held back by this one's guessing.
    other = client.post(
        reverse("api-token"), {"username": "clerk", "password": DEMO_PASSWORD}, REMOTE_ADDR="192.0.2.44"
    )
    assert other.status_code == 200


def test_public_api_endpoints_are_throttled(client, throttle_rates):
    throttle_rates(anon="3/min")
    for path in ["/api/v1/enforcement/decisions/", "/api/v1/disclosure/catalog/", "/api/v1/disclosure/guides/"]:
        assert client.get(path).status_code == 200, path
    assert_throttled(client.get("/api/v1/enforcement/decisions/"))
    assert client.get("/api/v1/enforcement/decisions/", REMOTE_ADDR="192.0.2.45").status_code == 200


def test_signed_in_api_callers_are_throttled_by_account(client, clerk, throttle_rates):
    throttle_rates(user="2/min")
    client.force_login(clerk)
    for _ in range(2):
        assert client.get("/api/v1/organizations/").status_code == 200
    assert_throttled(client.get("/api/v1/organizations/", REMOTE_ADDR="192.0.2.46"))


# --- uploads ---------------------------------------------------------------------------------------


def upload(client, org, name, content):
    return client.post(
        reverse("organization-attachment-create", args=[org.uuid]), {"file": SimpleUploadedFile(name, content)}
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [("报告.pdf", PNG), ("报告.pdf", EXE), ("照片.png", PDF), ("页面.jpg", b"<html><script>alert(1)</script>")],
)
def test_an_upload_is_checked_by_its_content_not_its_name(client, manager, orgs, media_root, name, content):
    client.force_login(manager)
    response = upload(client, orgs["agency"], name, content)
    assert response.status_code == 400
    assert "文件内容与扩展名" in " ".join(response.context["attachment_form"].errors["file"])
    assert not Attachment.objects.exists()
    assert not [p for p in media_root.rglob("*") if p.is_file()]


def test_an_upload_over_the_size_limit_is_refused(client, manager, orgs, media_root, settings):
    settings.ATTACHMENT_MAX_BYTES = 2048
    client.force_login(manager)
    response = upload(client, orgs["agency"], "大.pdf", PDF + b"0" * 2048)
    assert response.status_code == 400
    assert "文件过大" in " ".join(response.context["attachment_form"].errors["file"])
    assert upload(client, orgs["agency"], "小.pdf", PDF + b"0" * 1024).status_code == 302


def test_uploads_are_stored_outside_the_web_root_under_random_names(client, manager, orgs, media_root, settings):
    media = Path(django_settings.MEDIA_ROOT).resolve()
    for web_root in [Path(settings.STATIC_ROOT), *map(Path, settings.STATICFILES_DIRS)]:
        web_root = web_root.resolve()
        assert not media.is_relative_to(web_root) and not web_root.is_relative_to(media)
    client.force_login(manager)
    for _ in range(2):
        assert upload(client, orgs["agency"], "立项批复.pdf", PDF).status_code == 302
    first, second = Attachment.objects.order_by("id")
    assert first.file.name != second.file.name  # the same file twice: two random names
    for attachment in (first, second):
        stored = Path(attachment.file.path)
        assert stored.is_relative_to(media_root) and stored.read_bytes() == PDF
        assert "批复" not in attachment.file.name and not attachment.file.name.endswith(".pdf")
        # Nothing serves the storage directly: only the checked download view.
        assert client.get(settings.MEDIA_URL + attachment.file.name).status_code == 404
        assert client.get("/static/" + attachment.file.name).status_code == 404


def test_downloads_are_attachments_never_sniffed(client, manager, document):
    client.force_login(manager)
    for path in [reverse("attachment-download", args=[document.uuid]), f"/api/v1/attachments/{document.uuid}/"]:
        response = client.get(path)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;"), path
        assert response["Content-Disposition"].endswith("filename*=utf-8''%E6%89%B9%E5%A4%8D.pdf")  # 批复.pdf
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Type"] == "application/pdf"  # the type found in the content
        assert b"".join(response.streaming_content) == PDF


def test_the_length_rule_speaks_the_language_of_the_page(client, clerk, settings):
    client.force_login(clerk)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = change_password(client, DEMO_PASSWORD, "Ab1-short-x")
    assert response.context["form"].errors["new_password2"] == [
        "This password is too short. It must contain at least 12 characters."
    ]
