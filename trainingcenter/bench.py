"""A bare view for `make bench`: the framework's own limit on this machine.

Enabled only when DJANGO_BENCH_BARE_VIEW=1 (bench/run.py sets it for its own gunicorn):
normal deployments never have this URL. It answers a fixed small body through the
whole middleware stack, never from the page cache, so the load test can report the
cached public pages as a ratio of what one Django response costs here.
"""

import os

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.cache import never_cache

ENABLED = os.environ.get("DJANGO_BENCH_BARE_VIEW") == "1"
BODY = b"<!doctype html><title>bare</title><p>ok</p>\n"


@never_cache
def bare(request):
    return HttpResponse(BODY)


urlpatterns = [path("bench/bare/", bare, name="bench_bare")] if ENABLED else []
