"""Who may keep a session, and how long: staff only with a second factor, and not for
long idle or past a working day."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils import timezone
from django.utils.translation import gettext


class SecondFactorRequiredMiddleware:
    """No staff session without a verified second factor.

    Terang's own sign-in only creates staff sessions after the code; this catches any other
    way a session could appear (Django admin's login form, a future view), and ends it.
    Runs after django-otp's OTPMiddleware, which supplies ``user.is_verified()``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.needs_second_factor and not user.is_verified():
            logout(request)
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return self.get_response(request)


class StaffSessionLimitMiddleware:
    """Staff sessions end after ``STAFF_SESSION_IDLE_MINUTES`` without a request, and
    ``STAFF_SESSION_MAX_HOURS`` after they began, whatever happens (a desk left open, a
    shared computer at the counter). The person signs in again and comes back to the page
    they asked for. Applicants keep Django's long sessions.

    The last-seen time is written at most once a minute, not on every request; the stored
    session expires an hour after the idle limit (told, until then, why it ended).
    """

    STARTED = "terang_staff_session_started"
    SEEN = "terang_staff_session_seen"
    WRITE_EVERY = 60
    # The session itself is kept this much longer, so who comes back is told why.
    EXPLAIN_MINUTES = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.needs_second_factor:
            ended = self._ended(request, timezone.now().timestamp())
            if ended:
                logout(request)
                messages.info(request, ended)
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return self.get_response(request)

    @classmethod
    def session_start(cls, sender, request, user, **kwargs) -> None:
        """At sign-in (``user_logged_in``): the session's clocks start."""
        if request is not None and hasattr(request, "session") and user.needs_second_factor:
            now = timezone.now().timestamp()
            request.session[cls.STARTED] = now
            request.session[cls.SEEN] = now

    def _ended(self, request, now: float) -> str:
        session = request.session
        idle = settings.STAFF_SESSION_IDLE_MINUTES
        started = session.setdefault(self.STARTED, now)
        seen = session.get(self.SEEN, now)
        if now - seen > idle * 60:
            return gettext(
                "Sesi Anda berakhir karena tidak aktif selama %(minutes)s menit. "
                "Silakan masuk lagi."
            ) % {"minutes": idle}
        if now - started > settings.STAFF_SESSION_MAX_HOURS * 3600:
            return gettext("Sesi Anda berakhir setelah %(hours)s jam. Silakan masuk lagi.") % {
                "hours": settings.STAFF_SESSION_MAX_HOURS
            }
        if self.SEEN not in session or now - seen >= self.WRITE_EVERY:
            session[self.SEEN] = now
            session.set_expiry((idle + self.EXPLAIN_MINUTES) * 60)
        return ""
