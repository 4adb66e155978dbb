import time
from datetime import UTC, datetime

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # Students get an account when staff enroll them; open signup is opt-in.
        return settings.ACCOUNT_ALLOW_SIGNUP

    def get_login_redirect_url(self, request):
        # Staff land on the staff home, never on the student portal. An explicit
        # ?next= still wins (allauth reads it before asking the adapter).
        if request.user.is_authenticated and request.user.is_staff:
            return reverse("admin:index")
        return super().get_login_redirect_url(request)

    def is_reauthentication_required(self, *, app, **kwargs):
        # Staff are sent to set up an authenticator straight after signing in
        # (StaffMFARequiredMiddleware): asking for the password they typed seconds ago
        # protects nothing, on the setup page or on the recovery codes pages that
        # follow it. Everything else in two-factor settings (removing an authenticator,
        # new recovery codes) still asks for it, as does the setup at any later time.
        if app == "allauth.mfa" and self.setting_up_mfa_after_login():
            return False
        return super().is_reauthentication_required(app=app, **kwargs)

    FIRST_SETUP_PAGES = {
        "mfa_activate_totp",
        "mfa_view_recovery_codes",
        "mfa_download_recovery_codes",
    }

    def setting_up_mfa_after_login(self):
        """Whether a staff member is on the first two-factor setup pages, signed in with
        a password within the reauthentication timeout, and had no authenticator before
        that sign-in (every one they have was added since)."""
        request = self.request or getattr(context, "request", None)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_staff:
            return False
        match = getattr(request, "resolver_match", None)
        if match is None or match.url_name not in self.FIRST_SETUP_PAGES:
            return False
        logins = [
            record["at"]
            for record in get_authentication_records(request, user)
            if record.get("method") == "password"
        ]
        if not logins or time.time() - logins[-1] >= account_settings.REAUTHENTICATION_TIMEOUT:
            return False
        signed_in_at = datetime.fromtimestamp(logins[-1], tz=UTC)
        return not Authenticator.objects.filter(user=user, created_at__lt=signed_in_at).exists()
