"""The visitor's language: the switcher's view and the first visit's redirect.

The language of a page is its URL's (``/es/...`` Spanish, no prefix English), so the page
cache keeps the two apart by path. A visitor's choice lives in the language cookie, set by
the switcher (a plain GET link: cached pages carry no form and no CSRF token).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from programs.languages import accept_language, has_version_in, language_url, path_language

# Never redirected to another language: staff, files and feeds read by programs.
NO_REDIRECT_PREFIXES = ("/admin/", "/static/", "/media/", "/healthz", "/language/")
NO_REDIRECT_SUFFIXES = (".ics", ".xml", ".txt")


@never_cache
def switch_language(request, code):
    """Remember ``code`` in the language cookie and go to ``next`` in that language.

    ``next`` must be a path of this site; anything else (another host, a scheme, nothing)
    leads to the home page in that language. The page's query string (its filters) is
    taken from the Referer when that is the same page of this site: pages never write
    their query into the link, so a made-up value is never echoed in a page."""
    if code not in dict(settings.LANGUAGES):
        raise Http404("No such language.")
    target = request.GET.get("next", "")
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    target = language_url(target, code)
    referer = urlsplit(request.headers.get("Referer", ""))
    if (
        "?" not in target
        and referer.query
        and referer.netloc == request.get_host()
        and language_url(referer.path, code) == target
    ):
        target = f"{target}?{referer.query}"
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


class PreferredLanguageMiddleware:
    """Send a visitor to the page in their language when they open an English URL.

    Only a GET or HEAD of a page that exists in the other language, from a visitor with
    no session (people signed in have a language of their own): the cookie's language
    when they chose one in the switcher, otherwise the first site language their
    browser's Accept-Language prefers. Choosing English sets the cookie, so nobody is
    sent back; a crawler without Accept-Language reads English. Runs before the page
    cache, which would otherwise answer with the English page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Decided once: it runs before the page cache, on every cached hit.
        applies = self._applies(request)
        if applies:
            wanted = self._wanted(request)
            if wanted and wanted != settings.LANGUAGE_CODE:
                url = request.get_full_path()
                if has_version_in(request.path_info, wanted):
                    response = HttpResponseRedirect(language_url(url, wanted))
                    patch_vary_headers(response, ("Accept-Language", "Cookie"))
                    return response
        response = self.get_response(request)
        if applies:
            # The same URL redirects other visitors: shared caches must tell them apart.
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response

    @staticmethod
    def _applies(request):
        path = request.path_info
        return (
            request.method in {"GET", "HEAD"}
            and path_language(path) == settings.LANGUAGE_CODE
            and not path.startswith(NO_REDIRECT_PREFIXES)
            and not path.endswith(NO_REDIRECT_SUFFIXES)
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        )

    @staticmethod
    def _wanted(request):
        cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if cookie:
            return cookie if cookie in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        return accept_language(request.META.get("HTTP_ACCEPT_LANGUAGE"))
