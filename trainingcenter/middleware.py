from urllib.parse import urlencode

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set: Permissions-Policy, and
    Cache-Control that keeps personal pages out of shared caches."""

    private_prefixes = ("/portal/", "/accounts/", "/admin/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if request.path.startswith(self.private_prefixes):
            # Student records and account pages: never stored by browsers or proxies.
            patch_cache_control(response, private=True, no_store=True)
        else:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                patch_cache_control(response, private=True)
                patch_vary_headers(response, ["Cookie"])
        return response


class StaffMFARequiredMiddleware:
    """Staff reach student records (the admin, staff views of portal pages) only
    once two-factor authentication is set up, when settings.STAFF_REQUIRE_MFA is on."""

    protected_prefixes = ("/admin/", "/portal/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.STAFF_REQUIRE_MFA and request.path.startswith(self.protected_prefixes):
            user = request.user
            if user.is_authenticated and user.is_staff and not is_mfa_enabled(user):
                messages.warning(
                    request,
                    "Staff accounts need two-factor authentication before they can open "
                    "student records. Set up an authenticator app below.",
                )
                return redirect_to(reverse("mfa_activate_totp"), next_url=request.get_full_path())
        return self.get_response(request)


def redirect_to(url, *, next_url):
    return HttpResponseRedirect(f"{url}?{urlencode({'next': next_url})}")
