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
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login

from accounts import twofactor
from accounts.forms import CodeForm as ContactCodeForm
from accounts.forms import (
    ContactChangeForm,
    PreferencesForm,
    ResetFinishForm,
    ResetStartForm,
    SignInForm,
    SignUpForm,
)
from accounts.models import ContactCode, User
from accounts.purposes import next_from, purpose_of, safe_next, with_next
from accounts.services import (
    CODES_PER_WINDOW,
    ContactChangeRefused,
    applicant_sign_up,
    code_check,
    code_send,
    contact_change_finish,
    contact_change_start,
    password_reset_finish,
    password_reset_start,
)
from core.ratelimit import allow, client_address


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        wanted = context.get("next", "")  # LoginView keeps only a safe one
        context["purpose"] = purpose_of(wanted)
        context["sign_up_url"] = with_next("accounts:sign_up", wanted)
        return context

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
    wanted = safe_next(request, wanted)
    if wanted:
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


# --- Applicants: sign-up, contact verification, password reset --------------------------

SESSION_RESET_IDENTIFIER = "terang_reset_identifier"
SESSION_SIGN_UP = "terang_sign_up"


def _limited(request, scope: str, limit: int) -> bool:
    return not allow(scope, client_address(request), limit=limit, window=3600)


@never_cache
@sensitive_post_parameters("password1", "password2")
def sign_up(request):
    """A new applicant's account; where they were going (``next``) waits for them after
    the contact is verified."""
    wanted = next_from(request)
    if request.user.is_authenticated:
        return redirect(wanted or "home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _limited(request, "signup", settings.SIGNUP_LIMIT):
            form.add_error(None, _("Terlalu banyak pendaftaran dari alamat ini. Coba lagi nanti."))
        else:
            data = form.cleaned_data
            started = applicant_sign_up(
                identifier=data["identifier"],
                password=data["password1"],
                full_name=data["full_name"],
                nik=data["nik"],
                address=data["address"],
                business_name=data["business_name"],
                nib=data["nib"],
                language=getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE),
            )
            request.session.cycle_key()
            request.session[SESSION_SIGN_UP] = {
                "user": started.user.pk if started.user else None,
                "address": started.address,
                "sent": 1,
            }
            return redirect(with_next("accounts:verify", wanted))
    context = {
        "form": form,
        "next": wanted,
        "purpose": purpose_of(wanted),
        "login_url": with_next("accounts:login", wanted),
    }
    return render(request, "accounts/sign_up.html", context, status=400 if form.errors else 200)


def _verifying(request) -> tuple[User | None, str, dict | None]:
    """Whose address is being verified: the signed-in person's, or that of the sign-up
    just made in this session (``pending``; its ``user`` is None when nothing was created,
    and then no code fits)."""
    if request.user.is_authenticated:
        user = request.user
        return user, user.email or user.phone, None
    pending = request.session.get(SESSION_SIGN_UP) or {}
    user = User.objects.filter(pk=pending["user"]).first() if pending.get("user") else None
    return user, pending.get("address", ""), pending or None


def _code_resend(request, user: User | None, pending: dict | None) -> bool:
    if user is not None:
        return code_send(user, ContactCode.Purpose.VERIFY)
    pending["sent"] += 1  # nothing goes out, but the page says what it would
    request.session.modified = True
    return pending["sent"] <= CODES_PER_WINDOW


@never_cache
def verify(request):
    """The applicant enters the code sent to their e-mail or phone (or asks for another),
    then goes on where they were going (``next``), signed in. Right after sign-up the
    visitor is not signed in yet: the sign-up in the session says whose address it is."""
    user, address, pending = _verifying(request)
    wanted = next_from(request)
    if not request.user.is_authenticated and pending is None:
        return redirect_to_login(request.get_full_path())
    form = ContactCodeForm(request.POST or None)
    if request.method == "POST":
        if "resend" in request.POST:
            form = ContactCodeForm()
            if _code_resend(request, user, pending):
                messages.success(request, _("Kode baru sudah dikirim."))
            else:
                messages.error(request, _("Kode sudah beberapa kali dikirim. Tunggu 15 menit."))
        elif form.is_valid():
            if user and code_check(user, ContactCode.Purpose.VERIFY, form.cleaned_data["code"]):
                if pending is not None:
                    del request.session[SESSION_SIGN_UP]
                    auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, _("Terima kasih, kontak Anda sudah terverifikasi."))
                return redirect(wanted or "home")
            form.add_error("code", _("Kode salah atau kedaluwarsa. Minta kode baru bila perlu."))
    context = {
        "form": form,
        "address": address,
        "verified": bool(user and user.is_verified_contact),
        "next": wanted,
        "purpose": purpose_of(wanted),
    }
    return render(request, "accounts/verify.html", context, status=400 if form.errors else 200)


@never_cache
def reset_start(request):
    form = ResetStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _limited(request, "reset", settings.RESET_LIMIT):
            form.add_error(None, _("Terlalu banyak permintaan dari alamat ini. Coba lagi nanti."))
        else:
            identifier = form.cleaned_data["identifier"].strip()
            password_reset_start(identifier)
            request.session[SESSION_RESET_IDENTIFIER] = identifier
            return redirect("accounts:reset_finish")
    return render(request, "accounts/reset_start.html", {"form": form})


@never_cache
@sensitive_post_parameters("password1", "password2", "code")
def reset_finish(request):
    identifier = request.session.get(SESSION_RESET_IDENTIFIER)
    if not identifier:
        return redirect("accounts:reset_start")
    form = ResetFinishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _limited(request, "reset-code", settings.RESET_LIMIT * 3):
            form.add_error(None, _("Terlalu banyak percobaan dari alamat ini. Coba lagi nanti."))
        else:
            try:
                done = password_reset_finish(
                    identifier, form.cleaned_data["code"], form.cleaned_data["password1"]
                )
            except ValidationError as weak:  # only told to who holds the code
                form.add_error("password2", weak)
            else:
                if done:
                    del request.session[SESSION_RESET_IDENTIFIER]
                    messages.success(request, _("Kata sandi sudah diganti. Silakan masuk."))
                    return redirect("accounts:login")
                form.add_error("code", _("Kode salah atau kedaluwarsa."))
    context = {"form": form, "identifier": identifier}
    return render(
        request, "accounts/reset_finish.html", context, status=400 if form.errors else 200
    )


@never_cache
@login_required
def preferences(request):
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        request.user._history_user = request.user
        form.save()
        messages.success(request, _("Pilihan Anda tersimpan."))
        return redirect("accounts:preferences")
    status = 400 if form.errors else 200
    context = {"form": form, "change_form": ContactChangeForm()}
    return render(request, "accounts/preferences.html", context, status=status)


SESSION_CHANGE_TO = "terang.contact_change_to"


@never_cache
@login_required
@sensitive_post_parameters("password", "code")
def contact_change(request):
    """Step 1 (``identifier`` and ``password``): a code goes to the new address. Step 2
    (``code``): the address is taken. Until then the old one stays in use."""
    user = request.user
    change_form = ContactChangeForm()
    code_form = ContactCodeForm()
    pending = request.session.get(SESSION_CHANGE_TO, "")
    if request.method == "POST" and "code" in request.POST:
        code_form = ContactCodeForm(request.POST)
        if code_form.is_valid():
            address = contact_change_finish(user, code_form.cleaned_data["code"])
            if address:
                request.session.pop(SESSION_CHANGE_TO, None)
                messages.success(
                    request, _("Alamat Anda sekarang %(address)s.") % {"address": address}
                )
                return redirect("accounts:preferences")
            code_form.add_error(
                "code", _("Kode salah atau kedaluwarsa. Minta kode baru bila perlu.")
            )
    elif request.method == "POST":
        change_form = ContactChangeForm(request.POST)
        if change_form.is_valid():
            try:
                _kind, pending = contact_change_start(
                    user,
                    change_form.cleaned_data["identifier"],
                    change_form.cleaned_data["password"],
                )
            except ContactChangeRefused as refused:
                change_form.add_error(None, str(refused))
            else:
                request.session[SESSION_CHANGE_TO] = pending
                messages.success(request, _("Kode dikirim ke %(address)s.") % {"address": pending})
                return redirect("accounts:contact_change")
    context = {"change_form": change_form, "code_form": code_form, "pending": pending}
    status = 400 if change_form.errors or code_form.errors else 200
    return render(request, "accounts/contact_change.html", context, status=status)
