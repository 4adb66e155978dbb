"""Whole-page cache for anonymous visitors, invalidated the moment content changes.

Every cached page is stored under the current *content version*. Saving or deleting any
public content (careers and programs models, the Site row) bumps the version, so the next
request renders afresh: an edit in the admin is visible at once, on every app node that
shares the cache (Redis in production).

Pages live in their own cache (the "pages" alias, bounded), never beside the rate limits
in the default cache: a flood of page views can only push out other pages.

A page is keyed on its path and on the query parameters its view reads, which the view
declares as ``page_cache_params`` (none by default). A request carrying any other
parameter, or one parameter twice, is served but neither looked up nor stored; a view
that rendered from an invalid value says so with ``Cache-Control: no-store``, and that
page is not stored either. So only valid pages are kept, and there are finitely many.
"""

import time
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.urls import Resolver404, resolve
from django.utils import translation

from programs.languages import path_language, strip_language

PAGE_CACHE = "pages"
# Kept with the pages it versions: if the bounded cache ever drops it, a new version
# starts and every page renders afresh (never a stale page).
VERSION_KEY = "pagecache:version"
CONTENT_APPS = {"careers", "programs", "sites"}
# Rows created by visitors do not change what public pages show.
NOT_CONTENT = {"programs.inquiry"}
# In every language: /es/portal/ is skipped like /portal/.
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
    responses that set no cookie (so nothing carrying a CSRF token) are stored."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.PAGE_CACHE_SECONDS
        params = self._cache_params(request) if self._qualifies(request) else None
        if seconds <= 0 or params is None:
            return self.get_response(request)
        query = urlencode(params)
        # The path already tells the languages apart (/es/...); the language is in the key
        # too, so that a page is never served in another language than it was stored in.
        language = path_language(request.path_info)
        key = (
            f"pagecache:{content_version()}:{request.get_host()}:{language}:{request.path}?{query}"
        )
        response = _cache().get(key)
        if response is not None:
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if self._storable(response):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            _cache().set(key, response, seconds)
            response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def _qualifies(request):
        return (
            request.method in {"GET", "HEAD"}
            and not strip_language(request.path_info).startswith(SKIP_PREFIXES)
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "messages" not in request.COOKIES
        )

    @staticmethod
    def _cache_params(request):
        """The request's query parameters in a fixed order, or None when any of them is
        one the view does not declare (or is repeated): such a request is not cached."""
        try:
            # Resolved in the path's language: the locale middleware has not run yet.
            with translation.override(path_language(request.path_info)):
                match = resolve(request.path_info)
        except Resolver404:
            declared = ()
        else:
            view = getattr(match.func, "view_class", match.func)
            declared = getattr(view, "page_cache_params", ())
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
        )
