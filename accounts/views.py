"""Sign-in: a password, then (for staff) a TOTP code.

The password step never logs a staff member in: it only remembers, for a few minutes,
who passed it. The session becomes a signed-in one after the code step, so there is no
moment where a staff session exists without its second factor.
"""

import time

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django import forms
from django.conf import settings
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login

from accounts import twofactor
from accounts.models import User


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"

    def form_valid(self, form):
        user = form.get_user()
        if not user.needs_second_factor:
            return super().form_valid(form)
        self.request.session.cycle_key()
        self.request.session[twofactor.PENDING_KEY] = {
            "user": user.pk,
            "backend": user.backend,
            "since": time.time(),
            "next": self.get_redirect_url(),
        }
        return redirect("accounts:second_factor")


class CodeForm(forms.Form):
    token = forms.CharField(
        label=_("Kode 6 angka"),
        max_length=9,
        error_messages={"required": _("Masukkan kode 6 angka dari aplikasi autentikator.")},
    )


def _pending_user(request) -> tuple[User | None, dict]:
    pending = request.session.get(twofactor.PENDING_KEY) or {}
    if not pending or time.time() - pending["since"] > settings.SECOND_FACTOR_WINDOW_SECONDS:
        return None, {}
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    return user, pending


def _after_sign_in(request, user: User, wanted: str) -> str:
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse("backoffice:worklist") if user.needs_second_factor else reverse("home")


@never_cache
@sensitive_post_parameters("token")
def second_factor(request):
    user, pending = _pending_user(request)
    if user is None:
        request.session.pop(twofactor.PENDING_KEY, None)
        return redirect("accounts:login")
    credentials = {"username": user.username}
    if not AxesProxyHandler.is_allowed(request, credentials):
        return get_lockout_response(request, None, credentials)

    device = twofactor.confirmed_device(user)
    enrolling = device is None
    if enrolling:
        device = twofactor.enrolment_device(user)

    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _details = device.verify_is_allowed()
        if not allowed:
            twofactor.failure_record(request, user.username)
            if getattr(request, "axes_locked_out", False):
                return get_lockout_response(request, None, credentials)
            form.add_error(
                "token", _("Terlalu banyak kode salah. Tunggu sebentar, lalu coba lagi.")
            )
        elif twofactor.device_verify(device, form.cleaned_data["token"]):
            del request.session[twofactor.PENDING_KEY]
            user.backend = pending["backend"]
            auth_login(request, user)
            otp_login(request, device)
            return redirect(_after_sign_in(request, user, pending.get("next", "")))
        else:
            twofactor.failure_record(request, user.username)
            if getattr(request, "axes_locked_out", False):
                return get_lockout_response(request, None, credentials)
            form.add_error(
                "token",
                _(
                    "Kode salah atau sudah kedaluwarsa. "
                    "Pastikan jam ponsel Anda tepat, lalu coba lagi."
                ),
            )

    context = {"form": form, "enrolling": enrolling, "person": user}
    if enrolling:
        context["qr_svg"] = twofactor.provisioning_qr_svg(device)
        context["secret"] = twofactor.secret_for_display(device)
    if twofactor.demo_hint_allowed(device):
        context["demo_code"] = twofactor.current_code(device)
    return render(request, "accounts/second_factor.html", context)
