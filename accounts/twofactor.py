"""Staff second factor: a TOTP code from an authenticator app (django-otp).

Every account that is not an applicant's signs in with a password and then a code. A
staff member without a confirmed device enrols on their first sign-in by scanning a QR
code; until the code is confirmed the device does not count. Wrong codes count towards
the same lockout as wrong passwords (django-axes).
"""

import time

import segno
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User

DEMO_DEVICE_NAME = "demo"
PENDING_KEY = "terang_pending_second_factor"


def needs_second_factor(user) -> bool:
    """Staff, auditors and administrators; never applicants."""
    return bool(user.is_authenticated and user.needs_second_factor)


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk").first()


def enrolment_device(user: User) -> TOTPDevice:
    """The unconfirmed device the user is enrolling, created on first need."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def device_verify(device: TOTPDevice, token: str) -> bool:
    """Check a code; django-otp throttles repeated failures on the device itself."""
    token = "".join(ch for ch in token if ch.isdigit())
    if not token or not device.verify_token(token):
        return False
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    return True


def failure_record(request, username: str) -> None:
    """A wrong code counts like a wrong password towards the lockout."""
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)


def provisioning_qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG QR code (no external service)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, border=2)


def secret_for_display(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, for typing into an app by hand."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def current_code(device: TOTPDevice) -> str:
    """A code the device accepts now (demo hint and tests only).

    A code is single-use: once this time step's code was used, the next step's is
    given (the device accepts one step of drift).
    """
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    now = time.time()
    totp.time = now
    if totp.t() <= device.last_t:
        totp.time = now + device.step
    return f"{totp.token():0{device.digits}d}"


def demo_hint_allowed(device: TOTPDevice | None) -> bool:
    """With DEBUG on, the demo accounts' current code is shown on the code page."""
    return bool(settings.DEBUG and device is not None and device.name == DEMO_DEVICE_NAME)
