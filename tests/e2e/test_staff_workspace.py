"""A staff member's morning in the browser: log in, see what needs doing, review three
uploads with their previews one after the other, enroll a pasted list of five students
into a full cohort after one warning; no page on the way has an axe violation."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts import services
from accounts.models import Enrollment, PathStep
from tests.accounts import files
from tests.accounts.staff_data import (
    make_ma_certification,
    make_path,
    make_staff_cohort,
    make_student,
    step,
)
from tests.e2e.support import DESKTOP, PHONE, axe_violations, choose_autocomplete, report
from tests.factories import make_campus

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NEW_STUDENTS = [
    "Ana Flores <ana.flores@example.com>",
    "ben.ortiz@example.com, Ben, Ortiz",
    "Cleo Nguyen <cleo.nguyen@example.com>",
    "dev.patel@example.com",
    "Eli Brooks <eli.brooks@example.com>",
]


@pytest.fixture
def morning(make_user, password, settings):
    settings.STAFF_REQUIRE_MFA = False
    staff = make_user("dana@example.com", first_name="Dana", is_staff=True, is_superuser=True)
    certification = make_ma_certification()
    dallas = make_campus(name="Dallas", slug="dallas-staff")
    cohort = make_staff_cohort(campus=dallas)
    cohort.offering.program.certifications.add(certification)
    uploads = []
    for i, (upload, ext) in enumerate([(files.png, "png"), (files.pdf, "pdf"), (files.png, "png")]):
        path = make_path(cohort=cohort, certification=certification)
        card = step(path, "CPR card")
        services.evidence_submit(
            step=card, file=upload(f"card-{i}.{ext}"), user=path.enrollment.student
        )
        uploads.append(card)
    full = make_staff_cohort(campus=dallas, start_days_ago=-30)
    full.offering.program.certifications.add(certification)
    full.seats = 3  # full once its three students are in: counted, never typed
    full.save()
    for _ in range(3):
        Enrollment.objects.create(student=make_student(), cohort=full)
    earlier = [e.student for e in full.enrollments.all()]
    return {
        "staff": staff,
        "password": password,
        "uploads": uploads,
        "full": full,
        "earlier": earlier,
    }


def test_a_staff_members_morning(browser, live_server, morning, shoot):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    problems = []

    def check(name):
        problems.extend(axe_violations(page))
        shoot(page, name)

    # Log in: straight to the staff home, which says what needs doing.
    page.goto(live_server.url + reverse("account_login"))
    page.get_by_label("Email").fill(morning["staff"].email)
    page.get_by_label("Password").fill(morning["password"])
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    waiting = page.locator("a.tc-figure", has_text="uploads waiting for review")
    expect(waiting.locator(".tc-figure-count")).to_have_text("3")
    check("staff-home")
    page.set_viewport_size(PHONE)
    check("staff-home-phone")
    page.set_viewport_size(DESKTOP)

    # Three reviews, each opened from the one before, each with its preview.
    waiting.click()
    page.wait_for_url(re.compile("/stepawaitingreview/$"))
    check("queue")
    page.locator("#result_list a", has_text="CPR card").first.click()
    first, second, third = morning["uploads"]
    page.wait_for_url(re.compile(rf"/stepawaitingreview/{first.pk}/change/"))
    expect(page.locator("img.tc-preview-image")).to_be_visible()
    check("review-1")
    page.locator('input[name="decision"][value="approve"]').check()
    page.get_by_role("button", name="Record the decision").click()

    page.wait_for_url(re.compile(rf"/stepawaitingreview/{second.pk}/change/"))
    expect(page.locator("iframe.tc-preview-pdf")).to_be_visible()
    expect(page.locator(".messagelist")).to_contain_text("Verified")
    check("review-2")
    page.locator(".tc-presets input[type=radio]:not([value=''])").first.check()
    page.get_by_role("button", name="Record the decision").click()

    page.wait_for_url(re.compile(rf"/stepawaitingreview/{third.pk}/change/"))
    expect(page.locator("img.tc-preview-image")).to_be_visible()
    page.locator('input[name="decision"][value="approve"]').check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".messagelist")).to_contain_text("Nothing else is waiting for review.")
    statuses = [PathStep.objects.get(pk=s.pk).status for s in morning["uploads"]]
    assert statuses == [
        PathStep.Status.VERIFIED,
        PathStep.Status.REJECTED,
        PathStep.Status.VERIFIED,
    ]

    # Five students pasted into a full cohort: one warning, one confirmation.
    page.goto(live_server.url + reverse("admin:index"))
    page.get_by_role("link", name="Enroll several students").click()
    page.wait_for_url(re.compile("/enrollment/bulk/"))
    check("bulk-empty")
    choose_autocomplete(page, "id_cohort", "Dallas", "Full")
    page.get_by_role("textbox", name="Students").fill("\n".join(NEW_STUDENTS))
    page.get_by_role("button", name="Preview").click()
    preview = page.locator("table.tc-bulk-preview")
    expect(preview.locator("tbody tr")).to_have_count(5)
    expect(page.get_by_text(re.compile(r"is full: 3 of 3 seats taken"))).to_have_count(1)
    assert Enrollment.objects.filter(cohort=morning["full"]).count() == 3  # nothing saved yet
    check("bulk-preview")
    page.get_by_label("Enroll anyway").check()
    page.get_by_role("button", name="Enroll 5 students").click()
    expect(page.locator(".messagelist")).to_contain_text("5")
    enrolled = Enrollment.objects.filter(cohort=morning["full"])
    assert sorted(
        e.student.email for e in enrolled.exclude(student__in=morning["earlier"])
    ) == sorted(re.search(r"[\w.]+@example\.com", line).group(0) for line in NEW_STUDENTS)
    context.close()
    assert not problems, report(problems)
