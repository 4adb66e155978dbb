from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors: the database or a template tag may be what failed.
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"SCHOOL_NAME": "Trinity Career Institute"}))


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a form sent without a valid security token (an expired page,
    blocked cookies, or another site posting here). Nothing was changed."""
    return render(request, "403_csrf.html", status=403)
