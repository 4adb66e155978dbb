import logging

from django.core.exceptions import DisallowedHost
from django.http import HttpResponseBadRequest, HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from trainingcenter.context_processors import site_context

logger = logging.getLogger(__name__)


def bad_request(request, exception=None):
    """A malformed or suspicious request (a bad Host header, a path that tries to leave
    its folder): the site's own page. The request's Host may be what is wrong, so the
    page never asks the request for it."""
    try:
        request.get_host()
    except DisallowedHost:
        # No request context: its processors would ask for the Host again.
        html = loader.render_to_string("400.html", site_context(path=request.path, origin=""))
        return HttpResponseBadRequest(html)
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


FALLBACK_500 = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Something went wrong</title></head>
<body><main><h1>Something went wrong on our side</h1>
<p>We have been told about it. Please try again in a few minutes.</p>
<p><a href="/">Go to the home page</a></p></main></body></html>"""


def server_error(request):
    # No context processors: the database or a template tag may be what failed.
    try:
        template = loader.get_template("500.html")
        html = template.render({"SCHOOL_NAME": "Trinity Career Institute"})
    except Exception:  # the error page itself must never fail (e.g. a missing static manifest)
        logger.exception("The 500 page could not be rendered")
        html = FALLBACK_500
    return HttpResponseServerError(html)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a form sent without a valid security token (an expired page,
    blocked cookies, or another site posting here). Nothing was changed."""
    return render(request, "403_csrf.html", status=403)
