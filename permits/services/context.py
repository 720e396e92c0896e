from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Actor:
    """Who acts, and from where: the request context every event records."""

    user: object | None
    ip: str | None = None
    user_agent: str = ""

    @classmethod
    def from_request(cls, request) -> Actor:
        return cls(
            user=request.user if request.user.is_authenticated else None,
            ip=request.META.get("REMOTE_ADDR"),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
        )

    @classmethod
    def system(cls) -> Actor:
        return cls(user=None)

    @property
    def role(self) -> str:
        return getattr(self.user, "role", "") if self.user else "system"


class ActionRefused(Exception):
    """A clear, user-facing reason why an action did not happen (nothing changed)."""

    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = message


class ContactUnverified(ActionRefused):
    """An online applicant has not yet proved we can reach them."""

    def __init__(self) -> None:
        super().__init__(
            _("Verifikasi dulu surel atau nomor ponsel Anda agar kami dapat mengabari Anda.")
        )


class HeldRefused(ActionRefused):
    """Someone tried to act on a file under an integrity hold (the attempt is recorded:
    ``permits.services.events.held_attempts_recorded``)."""

    def __init__(self, application_id: int, actor: Actor, action: str, message=None) -> None:
        super().__init__(message or HELD_MESSAGE)
        self.application_id, self.actor, self.action = application_id, actor, action


HELD_MESSAGE = _(
    "Berkas ini sedang ditahan untuk pemeriksaan konflik kepentingan. Tidak ada tahap yang "
    "dapat dijalankan sampai penahanan dicabut."
)

# Checks other apps run before a person acts on a file (the integrity app: no action before
# the officer's conflict-of-interest declaration). Each is ``guard(application, user, action)``
# and raises ``ActionRefused`` to refuse; ``action`` names the transition or "check".
_action_guards: list = []


def register_action_guard(guard):
    if guard not in _action_guards:
        _action_guards.append(guard)
    return guard


def action_guards_check(application, user, action: str) -> None:
    if user is None:
        return
    for guard in _action_guards:
        guard(application, user, action)


STALE_MESSAGE = _(
    "Berkas ini sudah berubah sejak halaman Anda dibuka (mungkin sudah diproses oleh orang "
    "lain atau tombol terklik dua kali). Tidak ada yang diubah; silakan periksa lagi."
)
