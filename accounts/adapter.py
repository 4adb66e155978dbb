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
        # protects nothing, neither before the setup nor on the recovery codes page
        # that follows it. Any other change to two-factor settings still asks for it.
        if app == "allauth.mfa" and self.setting_up_mfa_after_login():
            return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def setting_up_mfa_after_login(self):
        """Whether this session signed in with a password within the reauthentication
        timeout and every authenticator the user has was added since then."""
        request = self.request or getattr(context, "request", None)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
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
