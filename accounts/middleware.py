from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login


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
