from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Akun dan peran")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from accounts.middleware import StaffSessionLimitMiddleware

        user_logged_in.connect(
            StaffSessionLimitMiddleware.session_start, dispatch_uid="staff_session_start"
        )
