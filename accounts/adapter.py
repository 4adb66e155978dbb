from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # Students get an account when staff enroll them; open signup is opt-in.
        return settings.ACCOUNT_ALLOW_SIGNUP
