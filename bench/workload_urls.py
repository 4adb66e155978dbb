"""The URLs of the mixed workload, with a fresh session cookie for every logged-in user.

Run by bench/run.py with the environment of the server under test (same database, cache,
SECRET_KEY): `python bench/workload_urls.py OUT.json [--students 200]`. Writes

    {"public": [url, ...], "student": [[url, cookie], ...], "staff": [[url, cookie], ...]}

- public: a spread over the anonymous pages in English and Spanish (home, programs
  index and filters, program pages, campus pages, careers, roles, certifications,
  guides, find-your-path, search);
- student: the portal pages (dashboard, path page, credentials) of MANY different bench
  students, each with a session of its own, so per-student rows are not all warm;
- staff: the staff home, review queue, cohort report, admissions pipeline and enrolment
  list, with the demo staff account's session (the bench turns off staff MFA).
"""

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trainingcenter.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import translation  # noqa: E402

from accounts.demo import DEMO_STAFF_EMAIL  # noqa: E402
from accounts.models import CertificationPath, Credential, User  # noqa: E402
from careers.models import CareerGuide, Certification, Role  # noqa: E402
from programs.models import Campus, Program  # noqa: E402

BENCH_DOMAIN = "@bench.example"
SEARCHES = ["medical assistant", "phlebotomy", "evening", "billing coding"]
SEARCHES_ES = ["asistente medico", "flebotomia", "noche"]


def session_cookie(user):
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def public_urls(language):
    """Anonymous pages in one language (the same spread in both)."""
    with translation.override(language):
        programs = list(
            Program.objects.published().order_by("order", "title").values_list("slug", flat=True)
        )
        # The demo programs first (real content), then a sample of the generated ones.
        real = [s for s in programs if not s.startswith("allied-health-program-")]
        filler = [s for s in programs if s.startswith("allied-health-program-")][::6]
        campuses = list(Campus.objects.published().order_by("order", "name"))
        urls = [
            reverse("home"),
            reverse("programs:list"),
            *(reverse("programs:list") + f"?campus={c.slug}" for c in campuses),
            *(reverse("programs:detail", kwargs={"slug": s}) for s in real + filler),
            *(c.get_absolute_url() for c in campuses),
            reverse("careers:index"),
            reverse("careers:certification_list"),
            reverse("careers:find_your_path"),
            *(r.get_absolute_url() for r in Role.objects.published().order_by("id")),
            *(c.get_absolute_url() for c in Certification.objects.published().order_by("id")[:4]),
            *(g.get_absolute_url() for g in CareerGuide.objects.published().order_by("id")),
        ]
        words = SEARCHES if language == "en" else SEARCHES_ES
        urls += [reverse("search:results") + "?q=" + w.replace(" ", "+") for w in words]
    return urls


def student_urls(count):
    """Portal pages of `count` different bench students (spread over the id range)."""
    paths = CertificationPath.objects.filter(enrollment__student__email__endswith=BENCH_DOMAIN)
    total = paths.count()
    step = max(1, total // max(1, count))
    ids = list(paths.order_by("id").values_list("id", flat=True)[::step][:count])
    rows = []
    seen = set()
    for path in CertificationPath.objects.filter(id__in=ids).select_related("enrollment__student"):
        student = path.enrollment.student
        if student.pk in seen:
            continue
        seen.add(student.pk)
        cookie = session_cookie(student)
        rows.append([reverse("portal:dashboard"), cookie])
        rows.append([path.get_absolute_url(), cookie])
        if Credential.objects.filter(student=student).exists():
            rows.append([reverse("portal:credentials"), cookie])
    return rows


def staff_urls():
    staff = User.objects.filter(email=DEMO_STAFF_EMAIL, is_staff=True).first()
    if staff is None:
        raise SystemExit(f"No staff account {DEMO_STAFF_EMAIL}: run load_demo.")
    path = (
        CertificationPath.objects.filter(enrollment__student__email__endswith=BENCH_DOMAIN)
        .select_related("enrollment")
        .order_by("id")
        .first()
    )
    cookie = session_cookie(staff)
    urls = [
        reverse("admin:index"),
        reverse("admin:accounts_stepawaitingreview_changelist"),
        reverse("admin:accounts_enrollment_report") + f"?cohort={path.enrollment.cohort_id}",
        reverse("admin:accounts_application_changelist"),
        reverse("admin:accounts_enrollment_changelist"),
    ]
    return [[url, cookie] for url in urls]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--students", type=int, default=200)
    args = parser.parse_args()
    urls = {
        "public": public_urls("en") + public_urls("es"),
        "student": student_urls(args.students),
        "staff": staff_urls(),
    }
    Path(args.out).write_text(json.dumps(urls, indent=1))


if __name__ == "__main__":
    main()
