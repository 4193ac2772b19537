"""Second factor (TOTP, with recovery codes) through django-otp: who needs it and the device helpers.

Required of the authority's staff (officials, district officials, reviewers, enforcement officers),
of security auditors, of superusers and of anyone with admin access; any other user may opt in by
enrolling a device, and from then on signs in with it too. Enrolment happens on first sign-in (the
middleware sends them there).
"""

import secrets

from django.db import transaction
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.models import Role

STAFF_ROLES_REQUIRING_2FA = frozenset(
    {Role.AUTHORITY_OFFICIAL, Role.DISTRICT_OFFICIAL, Role.AUTHORITY_REVIEWER, Role.ENFORCEMENT_OFFICER}
)
# The auditor role (reads and exports the security audit log), made by migration 0010.
AUDITOR_GROUP = "security_auditor"
RECOVERY_CODE_COUNT = 10
RECOVERY_DEVICE_NAME = "recovery"


# Session keys: whether this session's user needs the second factor (decided at sign-in, so the
# request path costs no query), and whether it has been passed in this session.
SESSION_REQUIRED_KEY = "portal_2fa_required"
SESSION_VERIFIED_KEY = "portal_2fa_verified"


def two_factor_required(user) -> bool:
    """Whether ``user`` must pass a second factor: staff roles, superusers, admin users, and opt-ins."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    return (
        user.memberships.filter(role__in=STAFF_ROLES_REQUIRING_2FA).exists()
        # The security auditor reads every account's sign-ins and addresses.
        or user.groups.filter(name=AUDITOR_GROUP).exists()
        or user_has_device(user)
    )


def session_requires_second_factor(request) -> bool:
    """Whether the signed-in user of ``request`` still has to pass the second factor in this session."""
    session = request.session
    if session.get(SESSION_VERIFIED_KEY):
        return False
    required = session.get(SESSION_REQUIRED_KEY)
    if required is None:  # a session from before sign-in recorded it
        required = session[SESSION_REQUIRED_KEY] = two_factor_required(request.user)
    return bool(required)


def session_mark_verified(request, device) -> None:
    """The second factor was passed: remember it for this session only (a new sign-in asks again)."""
    from django_otp import login as otp_login

    otp_login(request, device)
    request.session[SESSION_VERIFIED_KEY] = True
    request.session.cycle_key()  # a fresh session id at the privilege change, like sign-in itself


def totp_device_for(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def totp_device_pending(user) -> TOTPDevice:
    """The unconfirmed device being enrolled (made on first call, kept across reloads of the setup page)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def recovery_codes_generate(user) -> list[str]:
    """A fresh set of one-use recovery codes (the old set stops working). Shown once; stored as given
    by django-otp's static device, which deletes each code when used."""
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(RECOVERY_CODE_COUNT)]
    with transaction.atomic():
        device, _ = StaticDevice.objects.get_or_create(
            user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
        )
        device.token_set.all().delete()
        StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def verify_token(user, token: str):
    """The confirmed device that accepts ``token`` (TOTP first, then a recovery code), or None."""
    token = (token or "").strip().replace(" ", "")
    if not token.isdigit() or len(token) > 8:
        return None
    for device in devices_for_user(user, confirmed=True):
        if device.verify_token(token):
            return device
    return None
