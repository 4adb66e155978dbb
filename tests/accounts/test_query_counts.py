"""The dashboard and the path page run the same number of queries for 3 or 30 rows."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import services
from tests.accounts import files
from tests.factories import make_certification, make_cohort

pytestmark = pytest.mark.django_db


def build(student, staff, n):
    """n paths (over two enrollments) of n steps each, with files, reviews, a credential."""
    steps = []
    for i in range(n):
        kind = ["count", "evidence", "check", "date"][i % 4]
        spec = {
            "title": f"Step {i}",
            "kind": kind,
            "due_days": 10 + i,
            "student_can_complete": True,
        }
        if kind == "count":
            spec.update(target=10, unit="hours")
        steps.append(spec)
    certs = [make_certification(steps=steps, ce=[("any", "Any", 10)]) for _ in range(n)]
    cohorts = [make_cohort(start_date=timezone.localdate() - timedelta(days=5)) for _ in range(2)]
    half = n // 2
    paths = []
    for cohort, chunk in ((cohorts[0], certs[:half]), (cohorts[1], certs[half:])):
        enrollment = services.enrollment_create(
            email=student.email, cohort=cohort, certifications=chunk, notify=False
        )
        paths += list(enrollment.paths.all())
    first = paths[0]
    for step in first.steps.all():
        if step.kind == "evidence":
            services.evidence_submit(step=step, file=files.pdf(), user=student)
            services.step_reject(step=step, reviewer=staff, reason="Again")
        elif step.kind == "count":
            services.step_record_count(step=step, count=4, user=student)
        elif step.kind == "check":
            services.step_verify(step=step, reviewer=staff, note="ok")
    for path in paths[1:]:
        services.credential_record(path=path, issued_on=timezone.localdate())
    return first


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


# Not "page": that name is pytest-playwright's browser page fixture, and borrowing it
# made this test pull every browser test forward, ahead of database tests.
@pytest.mark.parametrize("screen", ["dashboard", "path", "credentials"])
def test_query_count_does_not_grow_with_paths_and_steps(make_user, staff_user, client, screen):
    counts = []
    for n in (3, 30):
        student = make_user(f"q{n}@example.com")
        first = build(student, staff_user, n)
        client.force_login(student)
        url = {
            "dashboard": reverse("portal:dashboard"),
            "path": first.get_absolute_url(),
            "credentials": reverse("portal:credentials"),
        }[screen]
        count_queries(client, url)  # warm-up: session and once-a-day refreshes
        counts.append(count_queries(client, url))
    assert counts[0] == counts[1], counts
    # 12, the applications still in progress, and the student's path ids read before
    # their steps (twice on the dashboard: decisions and deadlines)
    assert counts[0] <= 15
