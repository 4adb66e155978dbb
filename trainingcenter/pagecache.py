"""Whole-page cache for anonymous visitors, invalidated the moment content changes.

Every cached page is stored with the *content version* it was rendered under, and served
only while that is still the current version. Saving or deleting any public content
(careers and programs models, the Site row) bumps the version, so the next request renders
afresh: an edit in the admin is visible at once, on every app node that shares the cache
(Redis in production). A hit reads the version and the page in one round trip.

An entry is a compact (version, status, headers, encoding, body) tuple, one per encoding:
the page as rendered, Brotli and gzip, compressed once when stored
(trainingcenter/compression.py), and sent by the browser's Accept-Encoding with
``Vary: Accept-Encoding``.

Pages live in their own cache (the "pages" alias, bounded), never beside the rate limits
in the default cache: a flood of page views can only push out other pages.

A page is keyed on its path and on the query parameters its view reads, which the view
declares as ``page_cache_params`` (none by default). A request carrying any other
parameter, or one parameter twice, is served but neither looked up nor stored; a view
that rendered from an invalid value says so with ``Cache-Control: no-store``, and that
page is not stored either. So only valid pages are kept, and there are finitely many.
"""

import functools
import hashlib
import time
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_vary_headers

from trainingcenter import compression

PAGE_CACHE = "pages"
# Kept with the pages it versions: if the bounded cache ever drops it, a new version
# starts and every page renders afresh (never a stale page).
VERSION_KEY = "pagecache:version"
CONTENT_APPS = {"careers", "programs", "sites"}
# Rows created by visitors do not change what public pages show.
NOT_CONTENT = {"programs.inquiry"}
SKIP_PREFIXES = ("/admin/", "/accounts/", "/portal/", "/apply/", "/healthz", "/static/", "/media/")


def _cache():
    return caches[PAGE_CACHE]


def content_version():
    cache = _cache()
    version = cache.get(VERSION_KEY)
    if version is None:
        version = time.time_ns()
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY, version)
    return version


def bump_content_version(**kwargs):
    _cache().set(VERSION_KEY, time.time_ns(), None)


def _is_content(model):
    meta = model._meta
    return meta.app_label in CONTENT_APPS and meta.label_lower not in NOT_CONTENT


def _on_change(sender, using=None, **kwargs):
    if _is_content(sender):
        bump_content_version()
        # Again once the change is committed: a page rendered meanwhile (by another
        # request, still reading the old rows) would otherwise be kept under the new
        # version, e.g. seats taken recounted inside an enrollment's transaction.
        transaction.on_commit(bump_content_version, using=using)


def connect_signals():
    post_save.connect(_on_change, dispatch_uid="pagecache-save")
    post_delete.connect(_on_change, dispatch_uid="pagecache-delete")
    for model in apps.get_models():
        for field in model._meta.local_many_to_many:
            if _is_content(model):
                m2m_changed.connect(
                    _on_change,
                    sender=field.remote_field.through,
                    dispatch_uid=f"pagecache-m2m-{field}",
                )


class AnonymousPageCacheMiddleware:
    """Serve anonymous GET/HEAD requests of public pages from the cache.

    Only requests without a session or messages cookie qualify, and only 200
    responses that set no cookie (so nothing carrying a CSRF token) are stored.

    A hit costs one cache round trip (``get_many`` of the version and the page in the
    encoding the browser accepts) and no URL resolving unless the request has a query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.PAGE_CACHE_SECONDS
        if seconds <= 0:
            return self.get_response(request)
        # The path already tells the languages apart (/es/...); the language is in the key
        # too, so that a page is never served in another language than it was stored in.
        language, unprefixed = _language_and_path(request.path_info)
        if not self._qualifies(request, unprefixed):
            return self.get_response(request)
        params = self._cache_params(request, language)
        if params is None:
            return self.get_response(request)
        page = f"{request.get_host()}:{language}:{request.path}?{urlencode(params)}"
        # Hashed: short keys are cheaper to validate, send and compare, whatever the URL.
        base = f"pagecache:{hashlib.blake2b(page.encode(), digest_size=16).hexdigest()}"
        encoding = compression.negotiate(request.META.get("HTTP_ACCEPT_ENCODING", ""))
        key = f"{base}:{encoding}"
        cache = _cache()
        found = cache.get_many([VERSION_KEY, key])
        version = found.get(VERSION_KEY)
        entry = found.get(key)
        if version is not None and entry is not None and entry[0] == version:
            return _response(entry, "hit")
        if version is None:
            version = content_version()
        # The version read before rendering: if content changes meanwhile, the entry is
        # already older than the new version and is never served.
        response = self.get_response(request)
        if not self._storable(response):
            return response
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        headers = tuple(
            (name, value)
            for name, value in response.headers.items()
            if name.lower() not in UNSTORED_HEADERS
        )
        variants = compression.variants(response.content, response.get("Content-Type", ""))
        # One entry per encoding a browser may ask for; a page too small to compress is
        # stored as it is under each of them.
        entries = {}
        for name in (compression.IDENTITY, *compression.ENCODINGS):
            sent = name if name in variants else compression.IDENTITY
            entries[name] = (version, response.status_code, headers, sent, variants[sent])
        cache.set_many({f"{base}:{name}": entry for name, entry in entries.items()}, seconds)
        # The same bytes as the next hit, in the encoding this browser accepts.
        return _response(entries[encoding], "miss")

    @staticmethod
    def _qualifies(request, unprefixed):
        # In every language: /es/portal/ is skipped like /portal/.
        return (
            request.method in {"GET", "HEAD"}
            and not unprefixed.startswith(SKIP_PREFIXES)
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "messages" not in request.COOKIES
            and _canonical_host(request)
        )

    @staticmethod
    def _cache_params(request, language):
        """The request's query parameters in a fixed order, or None when any of them is
        one the view does not declare (or is repeated): such a request is not cached."""
        if not request.META.get("QUERY_STRING"):
            return []
        declared = _declared_params(settings.ROOT_URLCONF, request.path_info, language)
        params = []
        for name, values in request.GET.lists():
            if name not in declared or len(values) != 1:
                return None
            params.append((name, values[0]))
        return sorted(params)

    @staticmethod
    def _storable(response):
        cache_control = response.get("Cache-Control", "")
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "private" not in cache_control
            and "no-store" not in cache_control
            and "Content-Encoding" not in response
        )


# Set again for each variant (Content-Length), or never stored (X-Page-Cache).
UNSTORED_HEADERS = {"content-length", "content-encoding", "x-page-cache"}


def _response(entry, state):
    """A response from a stored (version, status, headers, encoding, body) entry."""
    _version, status, headers, encoding, body = entry
    response = HttpResponse(body, status=status, headers=headers)
    response["Content-Length"] = str(len(body))
    if encoding != compression.IDENTITY:
        response["Content-Encoding"] = encoding
    # Every stored page has variants: shared caches keep them apart.
    patch_vary_headers(response, ("Accept-Encoding",))
    response["X-Page-Cache"] = state
    return response


def _canonical_host(request):
    """Whether the Host header is written the one way a browser writes it for this server.

    The host is part of the key (pages carry absolute links built from it), and Django
    accepts an allowed host in any case, with a trailing dot or with any port. Only the
    canonical spelling is cached (lower case, no trailing dot, no port or the port this
    server listens on), so made-up variants of one host are served but never stored: they
    cannot fill the cache and push real pages (and the version) out."""
    host = request.get_host()
    domain, _, port = host.rpartition(":") if host.count(":") == 1 else (host, "", "")
    return (
        host == host.lower()
        and not domain.endswith(".")
        and (not port or port == str(request.META.get("SERVER_PORT", "")))
    )


def _language_and_path(path):
    """The path's language and the path without its language prefix."""
    code = translation.get_language_from_path(path)
    if code and code != settings.LANGUAGE_CODE:
        return code, path[len(code) + 1 :] or "/"
    return code or settings.LANGUAGE_CODE, path


@functools.lru_cache(maxsize=512)
def _declared_params(urlconf, path, language):
    """The query parameters the view of ``path`` declares (resolved once per path)."""
    try:
        # Resolved in the path's language: the locale middleware has not run yet.
        with translation.override(language):
            match = resolve(path, urlconf)
    except Resolver404:
        return ()
    view = getattr(match.func, "view_class", match.func)
    return tuple(getattr(view, "page_cache_params", ()))
