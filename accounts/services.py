"""Applicant accounts: sign-up, contact verification codes and password reset by code."""

from __future__ import annotations

import datetime
import secrets

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from accounts.identity import looks_like_phone, phone_normalise
from accounts.models import ContactCode, Role, User
from outbox.models import Channel
from outbox.services import Contact, message_queue

CODE_LIFETIME = datetime.timedelta(minutes=15)
CODE_ATTEMPTS = 5
CODES_PER_WINDOW = 3  # codes sent per user and purpose per CODE_LIFETIME


class SignUpRefused(Exception):
    pass


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
) -> User:
    kind, value = identifier_normalise(identifier)
    if user_by_identifier(value) is not None or User.objects.filter(username=value).exists():
        raise SignUpRefused(kind)
    if User.objects.filter(nik=nik).exists():
        raise SignUpRefused("nik")
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
        password=make_password(password),
    )
    try:
        user.save()
    except IntegrityError as exc:  # a concurrent sign-up with the same NIK or identifier
        raise SignUpRefused(kind) from exc
    code_send(user, ContactCode.Purpose.VERIFY)
    return user


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
    """Send a reset code if the account exists; say nothing either way."""
    user = user_by_identifier(identifier)
    if user is not None:
        code_send(user, ContactCode.Purpose.RESET)


@transaction.atomic
def password_reset_finish(identifier: str, code: str, password: str) -> bool:
    user = user_by_identifier(identifier)
    if user is None or code_check(user, ContactCode.Purpose.RESET, code) is None:
        return False
    user.set_password(password)
    user.save(update_fields=["password"])
    return True
