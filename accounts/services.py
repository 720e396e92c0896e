"""Applicant accounts: sign-up, contact verification codes and password reset by code."""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.identity import looks_like_phone, phone_normalise
from accounts.models import ContactCode, Role, User
from outbox.models import Channel, Message
from outbox.services import Contact, message_queue

CODE_LIFETIME = datetime.timedelta(minutes=15)
CODE_ATTEMPTS = 5
CODES_PER_WINDOW = 3  # codes sent per user and purpose per CODE_LIFETIME


@dataclass(frozen=True)
class SignUpStarted:
    """What the sign-up page may say: a code went to ``address``. ``user`` is the new
    account, or None when the address or the NIK already belongs to one (the page does
    not know, and must not tell)."""

    address: str
    user: User | None


def identifier_normalise(identifier: str) -> tuple[str, str]:
    """("email", "siti@contoh.id") or ("phone", "+62812…"); ValidationError if neither."""
    identifier = identifier.strip()
    if looks_like_phone(identifier):
        return "phone", phone_normalise(identifier)
    return "email", identifier.lower()


def user_by_identifier(identifier: str) -> User | None:
    try:
        kind, value = identifier_normalise(identifier)
    except Exception:
        return None
    users = User.objects.filter(is_active=True)
    if kind == "phone":
        return users.filter(phone=value).first() or users.filter(username=value).first()
    return users.filter(email__iexact=value).first() or users.filter(username=value).first()


@transaction.atomic
def applicant_sign_up(
    *,
    identifier: str,
    password: str,
    full_name: str,
    nik: str,
    address: str,
    business_name: str = "",
    nib: str = "",
    language: str = "id",
) -> SignUpStarted:
    """Open an applicant's account and send a code to its address; the page answers
    "we sent a code to …" whatever happened, so it never tells who has an account.

    - The address already has an account: nothing is created; the address is told that
      someone tried to sign up with it (sign in, or reset the password).
    - The NIK already has an account: nothing is created; the typed address is told
      that its details match an existing account (sign in, reset, or come to the
      counter with the KTP), and the NIK's account is told that someone tried. Only
      who reads that address learns it, and sign-ups are limited per network address.

    Either way the visitor goes on to the code page and no code will fit. Both branches
    hash the password and queue one message, so they take about as long.
    """
    kind, value = identifier_normalise(identifier)
    hashed = make_password(password)
    channel = Channel.SMS if kind == "phone" else Channel.EMAIL
    owner = user_by_identifier(value) or User.objects.filter(username=value).first()
    if owner is not None:
        _tell_once(
            "account.sign_up_taken",
            {"address": value},
            Contact(channel, value, owner.language, owner),
        )
        return SignUpStarted(value, None)
    nik_owner = User.objects.filter(nik=nik).first()
    if nik_owner is not None:
        _nik_taken_tell(value, channel, language, nik_owner)
        return SignUpStarted(value, None)
    user = User(
        username=value,
        role=Role.APPLICANT,
        full_name=full_name,
        nik=nik,
        address=address,
        business_name=business_name,
        nib=nib,
        language=language,
        email=value if kind == "email" else "",
        phone=value if kind == "phone" else "",
        password=hashed,
    )
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # a concurrent sign-up with the same NIK or identifier
        return SignUpStarted(value, None)
    code_send(user, ContactCode.Purpose.VERIFY)
    return SignUpStarted(value, user)


def _nik_taken_tell(address: str, channel: str, language: str, nik_owner: User) -> None:
    _tell_once(
        "account.sign_up_nik_taken", {"address": address}, Contact(channel, address, language)
    )
    if nik_owner.email or nik_owner.phone:
        _tell_once("account.sign_up_nik_tried", {}, _contact(nik_owner))


def _tell_once(kind: str, context: dict, contact: Contact) -> None:
    """A notice that someone tried something with this address, at most once per code
    lifetime: repeated tries must not flood someone's inbox or phone."""
    since = timezone.now() - CODE_LIFETIME
    recent = Message.objects.filter(kind=kind, address=contact.address, created_at__gte=since)
    if not recent.exists():
        message_queue(kind=kind, context=context, contact=contact)


def _hash(user: User, purpose: str, code: str) -> str:
    return salted_hmac("terang.contact-code", f"{user.pk}:{purpose}:{code}").hexdigest()


def _contact(user: User) -> Contact:
    if user.email:
        return Contact(Channel.EMAIL, user.email, user.language, user)
    return Contact(Channel.SMS, user.phone, user.language, user)


def code_send(user: User, purpose: str, contact: Contact | None = None) -> bool:
    """Send a fresh code through the outbox (to ``contact``, by default the account's own
    address); False if too many were sent lately."""
    now = timezone.now()
    recent = ContactCode.objects.filter(
        user=user, purpose=purpose, created_at__gte=now - CODE_LIFETIME
    ).count()
    if recent >= CODES_PER_WINDOW:
        return False
    code = f"{secrets.randbelow(10**6):06d}"
    contact = contact or _contact(user)
    ContactCode.objects.create(
        user=user,
        purpose=purpose,
        channel=contact.channel,
        address=contact.address,
        code_hash=_hash(user, purpose, code),
        expires_at=now + CODE_LIFETIME,
    )
    message_queue(
        kind=f"account.{purpose}",
        context={"code": code, "minutes": int(CODE_LIFETIME.total_seconds() // 60)},
        contact=contact,
    )
    return True


@transaction.atomic
def code_check(user: User, purpose: str, code: str) -> ContactCode | None:
    """The latest live code, once, if ``code`` is it (else None); wrong tries count and kill
    it after five."""
    latest = (
        ContactCode.objects.select_for_update()
        .filter(user=user, purpose=purpose, used_at__isnull=True, expires_at__gt=timezone.now())
        .order_by("-created_at", "-pk")
        .first()
    )
    if latest is None or latest.attempts >= CODE_ATTEMPTS:
        return None
    if not constant_time_compare(latest.code_hash, _hash(user, purpose, code.strip())):
        latest.attempts += 1
        latest.save(update_fields=["attempts"])
        return None
    latest.used_at = timezone.now()
    latest.save(update_fields=["used_at"])
    if purpose == ContactCode.Purpose.VERIFY:
        field = "email_verified_at" if latest.channel == Channel.EMAIL else "phone_verified_at"
        setattr(user, field, latest.used_at)
        user.save(update_fields=[field])
    return latest


class ContactChangeRefused(Exception):
    """Why a new e-mail address or phone number cannot be taken (a user-facing message)."""


@transaction.atomic
def contact_change_start(user: User, identifier: str, password: str) -> tuple[str, str]:
    """Send a code to the new address (after the password); it is only taken once proved.

    The current address is told that a change was asked for, so a stolen session cannot
    quietly move the account to someone else's phone.
    """
    if not user.check_password(password):
        raise ContactChangeRefused(_("Kata sandi salah."))
    kind, value = identifier_normalise(identifier)
    current = user.phone if kind == "phone" else user.email.lower()
    if value == current:
        raise ContactChangeRefused(_("Itu sudah alamat akun Anda."))
    other = user_by_identifier(value)
    if (other is not None and other.pk != user.pk) or User.objects.filter(username=value).exclude(
        pk=user.pk
    ).exists():
        raise ContactChangeRefused(_("Alamat itu sudah dipakai akun lain."))
    channel = Channel.SMS if kind == "phone" else Channel.EMAIL
    if not code_send(
        user, ContactCode.Purpose.CHANGE, Contact(channel, value, user.language, user)
    ):
        raise ContactChangeRefused(_("Kode sudah beberapa kali dikirim. Tunggu 15 menit."))
    if user.email or user.phone:
        message_queue(
            kind="account.change_requested", context={"new": value}, contact=_contact(user)
        )
    return kind, value


@transaction.atomic
def contact_change_finish(user: User, code: str) -> str | None:
    """Take the new address proved by ``code``: it becomes the account's (verified), and its
    sign-in name if the old address was. Returns the new address, or None."""
    proved = code_check(user, ContactCode.Purpose.CHANGE, code)
    if proved is None:
        return None
    if User.objects.filter(username=proved.address).exclude(pk=user.pk).exists():
        return None  # taken meanwhile by a sign-up
    field, verified = (
        ("email", "email_verified_at")
        if proved.channel == Channel.EMAIL
        else ("phone", "phone_verified_at")
    )
    old = getattr(user, field)
    setattr(user, field, proved.address)
    setattr(user, verified, proved.used_at)
    fields = [field, verified]
    if old and user.username.lower() == old.lower():
        user.username = proved.address
        fields.append("username")
    user._history_user = user
    user.save(update_fields=fields)
    return proved.address


def password_reset_start(identifier: str) -> None:
    """Send a reset code if an applicant's account has that address; say nothing either
    way. Staff accounts are never reset by code (an administrator resets them, with the
    second factor: ``staff_credentials_reset``); their owner is told someone tried, at
    most once per code lifetime."""
    user = user_by_identifier(identifier)
    if user is None:
        return
    if user.needs_second_factor:
        _staff_reset_tried_tell(user)
        return
    code_send(user, ContactCode.Purpose.RESET)


def _staff_reset_tried_tell(user: User) -> None:
    if user.email or user.phone:
        _tell_once("account.reset_staff_refused", {}, _contact(user))


@transaction.atomic
def password_reset_finish(identifier: str, code: str, password: str) -> bool:
    """Set the new password if ``code`` is the applicant's reset code. The password is
    checked against the account only then (ValidationError, the code still usable), so
    the rules never tell a visitor without the code whether the account exists."""
    user = user_by_identifier(identifier)
    if user is None or user.needs_second_factor:
        return False
    if code_check(user, ContactCode.Purpose.RESET, code) is None:
        return False
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    return True


TEMPORARY_PASSWORD_BYTES = 12


@transaction.atomic
def staff_credentials_reset(*, user: User, by: User) -> str:
    """An administrator resets someone's password and second factor: a temporary password
    (returned, to hand over) and no authenticator, so the next sign-in enrols a new one.
    Their sessions end with the device; the change is kept in the history with ``by``."""
    temporary = secrets.token_urlsafe(TEMPORARY_PASSWORD_BYTES)
    TOTPDevice.objects.filter(user=user).delete()
    user.set_password(temporary)
    user._history_user = by
    user._change_reason = "Sandi dan faktor kedua disetel ulang oleh administrator"
    user.save(update_fields=["password"])
    return temporary
