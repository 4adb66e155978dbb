"""The site's URLs plus two views that fail on purpose, for error-response tests."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from trainingcenter.urls import handler403, handler404, handler500
from trainingcenter.urls import urlpatterns as site_urls

BOOM_MESSAGE = "Kaboom: a test view failed on purpose"


def boom(request):
    raise RuntimeError(BOOM_MESSAGE)


def forbidden(request):
    raise PermissionDenied


urlpatterns = [path("test-boom/", boom), path("test-forbidden/", forbidden), *site_urls]

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
