"""The admin pages staff use every day, checked like the public pages: no axe-core WCAG
2.x A/AA violation at phone and desktop widths, and the school's name and colors."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.services import applications as apps
from tests.accounts import files
from tests.accounts.staff_data import make_ma_certification, make_path, make_staff_cohort, step
from tests.accounts.test_application_services import fill
from tests.e2e.support import DESKTOP, PHONE, axe_violations, report, sign_in
from tests.factories import make_campus, make_cohort

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def records(make_user, settings):
    settings.STAFF_REQUIRE_MFA = False
    staff = make_user(
        "admin.a11y@example.com",
        first_name="Ada",
        last_name="Admin",
        is_staff=True,
        is_superuser=True,
    )
    certification = make_ma_certification()
    cohort = make_staff_cohort(campus=make_campus(name="Dallas", slug="dallas-a11y"))
    cohort.offering.program.certifications.add(certification)
    paths = [make_path(cohort=cohort, certification=certification) for _ in range(3)]
    for path in paths:
        student = path.enrollment.student
        services.evidence_submit(step=step(path, "CPR card"), file=files.pdf(), user=student)
    services.step_reject(
        step=step(paths[0], "CPR card"), reviewer=staff, reason="Both sides.", notify=False
    )
    services.credential_record(
        path=paths[1], issued_on=timezone.localdate().replace(day=1), number="CMA-1"
    )
    applicant = make_user("applicant.a11y@example.com", first_name="Ana", last_name="Applicant")
    upcoming = make_cohort(
        offering=cohort.offering, start_date=timezone.localdate() + timedelta(days=40)
    )
    application = apps.application_start(applicant=applicant, cohort=upcoming)
    fill(application, applicant)
    apps.application_submit(application=application, user=applicant)
    return {
        "staff": staff,
        "paths": paths,
        "queued": step(paths[1], "CPR card"),
        "application": application,
    }


def test_daily_admin_pages_have_no_accessibility_violations(browser, live_server, records, shoot):
    pages = [
        reverse("admin:index"),
        reverse("admin:accounts_stepawaitingreview_changelist"),
        reverse("admin:accounts_stepawaitingreview_change", args=[records["queued"].pk]),
        reverse("admin:accounts_enrollment_changelist"),
        reverse("admin:accounts_enrollment_add"),
        reverse("admin:accounts_enrollment_bulk"),
        reverse("admin:accounts_certificationpath_change", args=[records["paths"][0].pk]),
        reverse("admin:programs_inquiry_changelist"),
        reverse("admin:accounts_enrollment_report"),
        reverse("admin:accounts_credential_changelist") + "?expires=90",
        reverse("admin:accounts_application_changelist"),
        reverse("admin:accounts_application_change", args=[records["application"].pk]),
        reverse("admin:accounts_application_funnel"),
    ]
    context = browser.new_context(viewport=DESKTOP)
    sign_in(context, live_server, records["staff"])
    page = context.new_page()
    problems = []
    for width in (DESKTOP, PHONE):
        page.set_viewport_size(width)
        for url in pages:
            response = page.goto(live_server.url + url)
            assert response.status == 200, url
            problems += axe_violations(page)
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + reverse("admin:index"))
    shoot(page, "admin-index-desktop")
    header = page.locator("#header")
    assert "Trinity Career Institute" in header.inner_text()
    assert header.locator("img, svg").count() >= 1  # the school's logo mark
    context.close()
    assert not problems, report(problems)
