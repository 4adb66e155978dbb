"""In-process measurements for `make bench`: SQL queries and server time per key page.

Runs on a database filled by `bench_data` (bench/run.py points DATABASE_URL at it).
The anonymous page cache is off here: this measures what rendering a page costs; the
cache is measured under load against gunicorn (bench/run.py).
"""

import json
import statistics
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from accounts.demo import DEMO_STAFF_EMAIL
from accounts.models import Application, CertificationPath, Credential, User
from careers.models import CareerGuide, Role
from programs.models import Campus, Program

REQUESTS = 50
BENCH_DOMAIN = "@bench.example"


def admin_pages(cohort):
    """The staff pages measured: the staff home, the big changelists, the applications
    pipeline and the cohort report."""
    return [
        ("admin: staff home", reverse("admin:index")),
        ("admin: applications pipeline", reverse("admin:accounts_application_changelist")),
        ("admin: enrollments", reverse("admin:accounts_enrollment_changelist")),
        ("admin: inquiries", reverse("admin:programs_inquiry_changelist")),
        ("admin: verification queue", reverse("admin:accounts_stepawaitingreview_changelist")),
        (
            "admin: cohort report",
            reverse("admin:accounts_enrollment_report") + f"?cohort={cohort.pk}",
        ),
    ]


def key_pages():
    """(name, kind, url, user) for every page the benchmark measures.

    The same rows are picked at every scale: the first bench student (lowest id) and
    the bench credential holder with the lowest id, the first published program."""
    path = (
        CertificationPath.objects.filter(enrollment__student__email__endswith=BENCH_DOMAIN)
        .select_related("enrollment__student", "enrollment__cohort")
        .order_by("id")
        .first()
    )
    if path is None:
        raise CommandError("No bench data here: run `manage.py bench_data` first.")
    credential = (
        Credential.objects.filter(student__email__endswith=BENCH_DOMAIN)
        .select_related("student")
        .order_by("id")
        .first()
    )
    # A real demo program (courses, outcomes, images), not a generated filler one.
    program = (
        Program.objects.published()
        .exclude(slug__startswith="allied-health-program-")
        .order_by("order", "title")
        .first()
    )
    campus = Campus.objects.published().order_by("order", "name").first()
    guide = CareerGuide.objects.order_by("id").first()
    role = Role.objects.order_by("id").first()
    # The demo applicant's application (load_demo writes a few), submitted or not.
    application = Application.objects.select_related("applicant", "cohort").order_by("id").first()
    student = path.enrollment.student
    staff = User.objects.filter(email=DEMO_STAFF_EMAIL, is_staff=True).first()
    if staff is None:
        raise CommandError(f"No staff account {DEMO_STAFF_EMAIL}: run load_demo.")
    # The report of the student's cohort: it grows with the scale (paginated by 100).
    cohort = path.enrollment.cohort
    pages = [
        ("home", "public", reverse("home"), None),
        ("programs index", "public", reverse("programs:list"), None),
        (
            "programs index, campus filter",
            "public",
            reverse("programs:list") + f"?campus={campus.slug}",
            None,
        ),
        ("campus page", "public", campus.get_absolute_url(), None),
        ("program detail", "public", program.get_absolute_url(), None),
        ("careers index", "public", reverse("careers:index"), None),
        ("certification comparison", "public", reverse("careers:certification_list"), None),
        ("guide", "public", guide.get_absolute_url(), None),
        ("role page", "public", role.get_absolute_url(), None),
        ("find your path", "public", reverse("careers:find_your_path"), None),
        ("search", "public", reverse("search:results") + "?q=medical+assistant", None),
        (
            "search, misspelled",
            "public",
            reverse("search:results") + "?q=medical+asistant+evening",
            None,
        ),
        ("dashboard", "portal", reverse("portal:dashboard"), student),
        ("path page", "portal", path.get_absolute_url(), student),
        (
            "credentials page",
            "portal",
            reverse("portal:credentials"),
            credential.student if credential else student,
        ),
    ]
    pages.append(("apply: choose a start", "apply", reverse("apply:choose"), None))
    if application is not None:
        applicant = application.applicant
        pages += [
            (
                "apply: a step",
                "apply",
                reverse("apply:start", args=[application.cohort_id]),
                applicant,
            ),
            ("apply: my applications", "apply", reverse("apply:applications"), applicant),
            (
                "apply: an application",
                "apply",
                reverse("apply:application", args=[application.pk]),
                applicant,
            ),
        ]
    pages += [(name, "admin", url, staff) for name, url in admin_pages(cohort)]
    return pages


def percentile(sorted_values, fraction):
    """Nearest-rank percentile of an already sorted list."""
    rank = max(1, round(fraction * len(sorted_values) + 0.5))
    return sorted_values[min(rank, len(sorted_values)) - 1]


class Command(BaseCommand):
    help = "Measure SQL queries and server time per key page on the current database."

    def add_arguments(self, parser):
        parser.add_argument("--label", required=True, help="e.g. 1x or 10x")
        parser.add_argument("--out", required=True, help="JSON file to write")
        parser.add_argument("--requests", type=int, default=REQUESTS)
        parser.add_argument(
            "--budget",
            type=float,
            default=0,
            help="Seconds per page at most for the warm-up and for the timed requests "
            "(0: no limit): a slow page is timed fewer times, so the whole run stays bounded.",
        )
        parser.add_argument(
            "--sessions-only",
            action="store_true",
            help="Only write the key pages with a logged-in session cookie each (for the "
            "load run against gunicorn), measure nothing.",
        )

    def handle(self, *args, label, out, requests, sessions_only, budget=0, **options):
        if sessions_only:
            return self.write_sessions(out)
        results = []
        settings_for_bench = override_settings(
            PAGE_CACHE_SECONDS=0,
            STAFF_REQUIRE_MFA=False,
            ALLOWED_HOSTS=["testserver"],
            SECURE_SSL_REDIRECT=False,
        )
        with settings_for_bench:
            for name, kind, url, user in key_pages():
                client = Client()
                if user is not None:
                    client.force_login(user)
                warm_started = time.perf_counter()
                for _ in range(3):  # warm: templates compiled, connection open
                    response = client.get(url)
                    if budget and time.perf_counter() - warm_started > budget:
                        break
                status = response.status_code
                with CaptureQueriesContext(connection) as captured:
                    client.get(url)
                queries = len(captured)
                reset_queries()
                timings = []
                for _ in range(requests):
                    started = time.perf_counter()
                    client.get(url)
                    timings.append((time.perf_counter() - started) * 1000)
                    if budget and sum(timings) > budget * 1000:
                        break
                timings.sort()
                cached = self.time_cached(url, requests) if kind == "public" else None
                row = {
                    "page": name,
                    "kind": kind,
                    "url": url,
                    "status": status,
                    "queries": queries,
                    "median_ms": round(statistics.median(timings), 2),
                    "p95_ms": round(percentile(timings, 0.95), 2),
                    "requests": len(timings),
                    "cached_median_ms": cached,
                }
                results.append(row)
                self.stdout.write(
                    f"{label:>4} {name:<32} {status} {row['queries']:>3} queries "
                    f"{row['median_ms']:>8.2f} ms median {row['p95_ms']:>8.2f} ms p95"
                )
        Path(out).write_text(json.dumps({"label": label, "pages": results}, indent=2))

    @staticmethod
    def time_cached(url, requests):
        """Median time of an anonymous request served by the page cache (production's
        cache backend: the file cache, or Redis when REDIS_URL is set)."""
        client = Client()
        with override_settings(PAGE_CACHE_SECONDS=600):
            client.get(url)
            response = client.get(url)
            if response.get("X-Page-Cache") != "hit":
                return None
            timings = []
            for _ in range(requests):
                started = time.perf_counter()
                client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
        return round(statistics.median(timings), 2)

    @staticmethod
    def write_sessions(out):
        """Every key page with a session cookie of its user (None for public pages)."""
        pages = []
        for name, kind, url, user in key_pages():
            cookie = None
            if user is not None:
                client = Client()
                client.force_login(user)
                cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
            pages.append({"page": name, "kind": kind, "url": url, "session": cookie})
        Path(out).write_text(json.dumps(pages, indent=2))
