"""Absolute URLs for what leaves the page: structured data, social cards, e-mails."""

from django.conf import settings
from django.contrib.sites.models import Site


def request_origin(request):
    """``scheme://host`` of the request (the host already checked against ALLOWED_HOSTS)."""
    return f"{request.scheme}://{request.get_host()}"


def absolute_url(origin, url):
    """A site path made absolute; a URL that already is one (media on S3) is kept as is."""
    return origin + url if url.startswith("/") else url


def site_scheme():
    """The canonical scheme: HTTPS, except on a development server (DEBUG)."""
    return "http" if settings.DEBUG else "https"


def site_url(path):
    """Links with no request at hand (e-mails from commands, the sitemap, robots.txt): the
    Sites domain with the canonical scheme, whatever host the request came in on."""
    return f"{site_scheme()}://{Site.objects.get_current().domain}{path}"
