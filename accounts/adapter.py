import time
from datetime import UTC, datetime

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode

from programs.languages import language_url, path_language, supported

# Set by the apply pages (accounts.apply_views): the start date a visitor is applying
# to. Account creation is open on that start's signup URL only, for a visitor who opened
# the start's page in this session; /accounts/signup/ stays as ACCOUNT_ALLOW_SIGNUP says.
APPLY_SIGNUP_SESSION_KEY = "apply_signup_cohort"
# Set once the account is created: after the e-mail is confirmed (and the visitor logged
# in), the start's page opens the application for this start.
APPLY_BEGIN_SESSION_KEY = "apply_begin_cohort"


def applying_for(request):
    """The start id this request's apply signup is for, or None."""
    match = getattr(request, "resolver_match", None)
    if match is None or match.view_name != "apply:signup":
        return None
    cohort_id = match.kwargs.get("cohort_id")
    session = getattr(request, "session", None)
    if session is None or session.get(APPLY_SIGNUP_SESSION_KEY) != cohort_id:
        return None
    return cohort_id


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # Students get an account when staff enroll them; open signup is opt-in. An
        # applicant creates one on the way, through the start date they apply to.
        return settings.ACCOUNT_ALLOW_SIGNUP or applying_for(request) is not None

    def get_email_confirmation_url(self, request, emailconfirmation):
        # The link in the e-mail leads back to the start date when it is opened in another
        # browser (where the visitor is not logged in yet): allauth follows ?next=.
        url = super().get_email_confirmation_url(request, emailconfirmation)
        session = getattr(request, "session", None)
        cohort_id = session.get(APPLY_BEGIN_SESSION_KEY) if session is not None else None
        if cohort_id:
            start = reverse("apply:start", args=[cohort_id])
            url += "?" + urlencode({"next": f"{start}?confirmed=1"})
        return url

    def save_user(self, request, user, form, commit=True):
        # An account speaks the language of the page it was created on.
        user.language = supported(translation.get_language())
        return super().save_user(request, user, form, commit=commit)

    def get_login_redirect_url(self, request):
        # Staff land on the staff home, never on the student portal. An explicit
        # ?next= still wins (allauth reads it before asking the adapter). Students and
        # applicants land on the portal in their own language.
        if request.user.is_authenticated and request.user.is_staff:
            return reverse("admin:index")
        url = super().get_login_redirect_url(request)
        if request.user.is_authenticated:
            user = request.user
            # Logging in on a Spanish page is a choice: the account takes that language
            # (e-mails too). An English page is only the default, so the saved one wins.
            page_language = path_language(request.path)
            if page_language != settings.LANGUAGE_CODE and page_language != user.language:
                user.language = page_language
                user.save(update_fields=["language"])
            url = language_url(url, supported(user.language))
        return url

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
