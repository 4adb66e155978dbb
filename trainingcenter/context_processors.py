from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from programs.footer import footer_data
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
    """Site-wide template context: school name, navigation, canonical URL."""
    return site_context(path=request.path, origin=request_origin(request))


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
    }
