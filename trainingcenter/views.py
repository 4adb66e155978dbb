import posixpath
import sqlite3
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.utils import DatabaseError
from django.http import Http404, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils._os import safe_join
from django.utils.cache import get_conditional_response, quote_etag
from django.utils.http import http_date
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView
from django.views.static import serve

from careers.models import CareerGuide, Certification
from programs import seo
from programs.links import request_origin, site_url
from programs.media_names import cache_control
from programs.models import Campus, first_start


class HomeView(TemplateView):
    """Both campuses with their next starts, featured programs, career guides.

    One pass over the campuses' active offerings (and their upcoming cohorts) feeds both
    the campus cards and the featured programs, so the page costs the same few queries
    however many programs and cohorts there are.
    """

    template_name = "home.html"
    featured_limit = 6
    guides_limit = 3

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campuses = list(Campus.objects.published().with_offerings())
        origin = request_origin(self.request)
        context.update(
            campuses=campuses,
            featured_programs=self._featured(campuses),
            guides=list(CareerGuide.objects.published()[: self.guides_limit]),
            # Read from what the programs prepare for: never a credential none of them leads to.
            prepared_acronyms=", ".join(
                cert.acronym for cert in Certification.objects.prepared_by_school()
            ),
            structured_data=[seo.organization(campuses=campuses, origin=origin)],
        )
        return context

    def _featured(self, campuses):
        programs = {}
        for campus in campuses:
            for offering in campus.active_offerings:
                program = programs.setdefault(
                    offering.program_id, {"program": offering.program, "campuses": {}}
                )
                row = program["campuses"].setdefault(
                    campus.pk, {"campus": campus, "schedules": [], "next_cohort": None}
                )
                row["schedules"].append(offering.get_schedule_display())
                row["next_cohort"] = first_start([row["next_cohort"], offering.next_cohort])
        rows = [
            {"program": p["program"], "campus_rows": list(p["campuses"].values())}
            for p in programs.values()
        ]
        featured = [r for r in rows if r["program"].featured] or rows
        featured.sort(key=lambda r: (r["program"].order, r["program"].title))
        return featured[: self.featured_limit]


HEALTH_TIMEOUT_SECONDS = 2


def _check_sqlite_file(path):
    """Read a real table of the SQLite file and take its write lock for an instant.

    A separate connection opened in ``mode=rw`` never creates a missing file (Django's own
    connection would, silently, and then answer ``SELECT 1`` from an empty database), and
    its short timeout turns a lock held by a stuck writer into a failed check."""
    if not Path(path).is_file():
        raise DatabaseError("the database file is missing")
    probe = sqlite3.connect(
        f"{Path(path).resolve().as_uri()}?mode=rw", uri=True, timeout=HEALTH_TIMEOUT_SECONDS
    )
    try:
        probe.execute("SELECT 1 FROM django_migrations LIMIT 1").fetchall()
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
    except sqlite3.Error as error:
        raise DatabaseError(str(error)) from error
    finally:
        probe.close()


def check_database():
    """Raise DatabaseError unless the database answers a query on a real table."""
    if connection.vendor == "sqlite" and not connection.is_in_memory_db():
        _check_sqlite_file(connection.settings_dict["NAME"])
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM django_migrations LIMIT 1")
        cursor.fetchone()


@never_cache
@require_GET
def healthz(request):
    try:
        check_database()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_GET
def robots_txt(request):
    sitemap = site_url(reverse("sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        "Disallow: /portal/",
        "Disallow: /es/accounts/",
        "Disallow: /es/portal/",
        f"Sitemap: {sitemap}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def public_media(request, path):
    """Public uploads (campus photos, program images) from MEDIA_ROOT, read at request
    time. Private student files live elsewhere (PRIVATE_MEDIA_ROOT) and never come here;
    ``serve`` refuses any path that leaves MEDIA_ROOT.

    Images named after their content (``programs.media_names``) are cached for a year;
    any other file for an hour. Each file has an ETag and a Last-Modified date, so a
    browser that asks again gets a 304 without the bytes."""
    name = posixpath.normpath(path).lstrip("/")
    fullpath = Path(safe_join(settings.MEDIA_ROOT, name))
    try:
        stat = fullpath.stat() if fullpath.is_file() else None
    except (OSError, ValueError):  # a name too long for the file system, and the like
        raise Http404 from None
    if stat is None:
        return serve(request, path, document_root=settings.MEDIA_ROOT)  # its 404
    etag = quote_etag(f"{stat.st_mtime_ns:x}-{stat.st_size:x}")
    last_modified = int(stat.st_mtime)
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        # The validators were judged above, If-None-Match first (RFC 9110 13.2.2): `serve`
        # would judge If-Modified-Since again on its own and answer 304 to an ETag that
        # did not match.
        request.META.pop("HTTP_IF_MODIFIED_SINCE", None)
        response = serve(request, path, document_root=settings.MEDIA_ROOT)
    if response.status_code in (200, 304):
        response.headers["ETag"] = etag
        response.headers["Last-Modified"] = http_date(last_modified)
        response.headers["Cache-Control"] = cache_control(name)
    return response
