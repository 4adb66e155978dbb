from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from programs.footer import footer_data
from programs.languages import has_version_in, language_url, other_languages, supported
from programs.links import request_origin

MAIN_NAV = [
    (_("Programs"), "programs:list"),
    (_("Campuses"), "programs:campus_list"),
    (_("Careers"), "careers:index"),
]


def _url(name):
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def site(request):
    """Site-wide template context: school name, navigation, canonical URL, languages."""
    return site_context(path=request.path, origin=request_origin(request))


def language_context(*, path, origin):
    """``hreflang`` alternates (absolute, with ``x-default``) of a page that exists in
    every language, and the switcher's links: the same page in each other language,
    through the view that remembers the choice (and keeps the query string, which the
    page never echoes). A page with no other version (a 404) switches to the other
    language's home page."""
    current = supported(translation.get_language())
    alternates = []
    if origin and has_version_in(path, other_languages(current)[0][0]):
        alternates = [
            {"code": code, "url": origin + language_url(path, code)}
            for code, _name in settings.LANGUAGES
        ]
        alternates.append(
            {"code": "x-default", "url": origin + language_url(path, settings.LANGUAGE_CODE)}
        )
    switch = []
    for code, name in other_languages(current):
        target = language_url(path, code)
        if target == path:
            with translation.override(code):
                target = _url("home") or "/"
        query = urlencode({"next": target})
        url = reverse("switch_language", args=[code])
        switch.append({"code": code, "name": name, "url": f"{url}?{query}"})
    return {"language_alternates": alternates, "language_switch": switch}


def site_context(*, path, origin):
    """The site context for a path; ``origin`` empty where the Host header can't be
    trusted (the 400 page for a request with a bad Host)."""
    nav = []
    for label, name in MAIN_NAV:
        url = _url(name)
        if url:
            nav.append({"label": label, "url": url, "active": path.startswith(url)})
    portal_url = _url("portal:dashboard")
    # Lazy: pages that do not render the footer (the admin) run no footer query.
    footer = SimpleLazyObject(footer_data)
    return {
        "SCHOOL_NAME": settings.SCHOOL_NAME,
        "main_nav": nav,
        "site_origin": origin,
        "canonical_url": origin + path,
        "portal_url": portal_url,
        "request_info_url": _url("programs:request_info"),
        "footer_campuses": SimpleLazyObject(lambda: footer["campuses"]),
        "footer_notice": SimpleLazyObject(lambda: footer["notice"]),
        "disclosures_url": _url("programs:disclosures"),
        **language_context(path=path, origin=origin),
    }
