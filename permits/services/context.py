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


STALE_MESSAGE = _(
    "Berkas ini sudah berubah sejak halaman Anda dibuka (mungkin sudah diproses oleh orang "
    "lain atau tombol terklik dua kali). Tidak ada yang diubah; silakan periksa lagi."
)
