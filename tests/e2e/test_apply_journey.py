"""From visitor to student: on a 360 px phone a visitor opens an Arlington start from the
program page, creates an account, confirms the e-mail, fills in every step, uploads a photo
ID (PNG) and a GED (PDF), sends the application and reads "Submitted"; staff verify both
documents with their previews, hold the interview and accept; the same account, back on
the phone, lands on a student dashboard with the program's certification plan."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Application
from tests.accounts import files
from tests.accounts.staff_data import make_ma_certification
from tests.e2e.support import DESKTOP, PHONE, axe_violations, report, sign_in
from tests.factories import make_campus, make_cohort, make_offering, make_program

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_visitor_applies_from_a_phone_and_becomes_a_student(
    browser, live_server, shoot, tmp_path, make_user, settings
):
    settings.STAFF_REQUIRE_MFA = False
    program = make_program(title="Medical Assistant", slug="medical-assistant")
    certification = make_ma_certification(name="Certified Clinical Medical Assistant")
    program.certifications.add(certification)
    program.main_certification = certification
    program.save()
    arlington = make_campus(name="Arlington", slug="arlington")
    cohort = make_cohort(
        offering=make_offering(program=program, campus=arlington, schedule="evening"),
        start_date=timezone.localdate() + timedelta(days=45),
    )
    photo_id = tmp_path / "drivers-license.png"
    photo_id.write_bytes(files.png("drivers-license.png").read())
    ged = tmp_path / "ged-certificate.pdf"
    ged.write_bytes(files.pdf("ged-certificate.pdf").read())

    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = phone.new_page()
    base = live_server.url
    problems = []

    # From the program page's start-date table to the start's page.
    page.goto(f"{base}{program.get_absolute_url()}")
    page.get_by_role("link", name=re.compile(r"Apply to the .* start")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Medical Assistant")
    expect(page.locator(".start-facts")).to_contain_text("Arlington")
    shoot(page, "1-start")
    problems += axe_violations(page)

    # A mistake first: the error summary takes the focus and the typing stays.
    page.get_by_label("First name").fill("Ana")
    page.get_by_label("E-mail").fill("ana.lopez@example.com")
    page.get_by_role("button", name="Create my account and apply").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(page.get_by_label("First name")).to_have_value("Ana")
    page.get_by_label("Last name").fill("Lopez")
    page.get_by_label("Choose a password").fill("correct-Horse-battery-9")
    page.get_by_role("button", name="Create my account and apply").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        re.compile("check your e-mail", re.IGNORECASE)
    )
    assert not Application.objects.exists()

    # The e-mail's link, confirmed in the same browser: straight into the draft.
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+)", mail.outbox[-1].body)
    page.goto(base + link.group(1))
    page.get_by_role("button", name=re.compile("Confirm")).click()
    expect(page.locator(".apply-progress-count")).to_contain_text("Step 1 of 5")

    # About you
    expect(page.get_by_label("First name")).to_have_value("Ana")
    page.get_by_label("Last name").fill("Lopez")
    page.get_by_label("Mobile phone").fill("(817) 555-0100")
    born = timezone.localdate() - timedelta(days=365 * 24)
    page.get_by_label("Date of birth").fill(born.isoformat())
    page.get_by_label("Street address").fill("12 Main St")
    page.get_by_label("City").fill("Arlington")
    page.get_by_label("ZIP code").fill("76010")
    shoot(page, "2-about")
    page.get_by_role("button", name="Save and continue").click()

    # Education
    expect(page.locator(".apply-progress-count")).to_contain_text("Step 2 of 5")
    page.get_by_role("radio", name=re.compile("GED or other")).check()
    page.get_by_label("School or testing center").fill("Arlington Testing Center")
    page.get_by_label("Year you graduated or passed").fill("2020")
    page.get_by_role("button", name="Save and continue").click()

    # Documents: a PNG photo ID and a PDF GED.
    expect(page.locator(".apply-progress-count")).to_contain_text("Step 3 of 5")
    page.get_by_role("radio", name="Photo ID").check()
    page.get_by_label("File").set_input_files(str(photo_id))
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.locator(".doc-kinds")).to_contain_text("drivers-license.png")
    page.get_by_role("radio", name=re.compile("Diploma, GED")).check()
    page.get_by_label("File").set_input_files(str(ged))
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.locator(".doc-kinds")).to_contain_text("ged-certificate.pdf")
    shoot(page, "3-documents")
    problems += axe_violations(page)
    page.get_by_role("button", name="Continue").click()

    # Consent
    expect(page.locator(".apply-progress-count")).to_contain_text("Step 4 of 5")
    page.get_by_label(re.compile("true and complete")).check()
    page.get_by_label(re.compile("may contact me")).check()
    page.get_by_role("button", name="Save and continue").click()

    # Review and send
    expect(page.locator(".apply-progress-count")).to_contain_text("Step 5 of 5")
    expect(page.locator(".apply-missing")).to_have_count(0)
    shoot(page, "4-review")
    problems += axe_violations(page)
    page.get_by_role("button", name="Send my application").click()
    expect(page.locator("#status-title")).to_have_text("Submitted")
    shoot(page, "5-submitted")
    problems += axe_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    application = Application.objects.get()
    assert application.cohort == cohort
    assert application.status == Application.Status.SUBMITTED
    assert application.documents.count() == 2
    assert problems == [], report(problems)

    # Staff: the application in the pipeline, both documents verified after a look at
    # their previews, the interview scheduled, held, and the applicant accepted.
    staff = make_user("dana@example.com", first_name="Dana", is_staff=True, is_superuser=True)
    desk = browser.new_context(viewport=DESKTOP)
    sign_in(desk, live_server, staff)
    admin = desk.new_page()
    admin.goto(f"{base}{reverse('admin:accounts_application_changelist')}")
    expect(admin.locator("#result_list")).to_contain_text("Lopez")
    admin.goto(f"{base}{reverse('admin:accounts_application_change', args=[application.pk])}")
    expect(admin.locator("img, iframe, object").first).to_be_visible()
    verify = admin.get_by_role("button", name=re.compile(r"^Verify: "))
    for left in (1, 0):
        # From the keyboard: headless Chromium's PDF viewer (the preview above) takes the
        # first mouse click on the page as it finishes loading.
        verify.first.focus()
        with admin.expect_navigation():
            admin.keyboard.press("Enter")
        expect(verify).to_have_count(left)
        expect(admin.locator(".messagelist")).to_contain_text(re.compile("verified", re.I))
    tomorrow = timezone.localdate() + timedelta(days=1)
    admin.get_by_label("Interview date").fill(tomorrow.isoformat())
    admin.get_by_label("Time").fill("10:00")
    admin.get_by_label("Campus").select_option(label="Arlington")
    with admin.expect_navigation():
        admin.get_by_role("button", name="Schedule the interview").click()
    expect(admin.locator(".messagelist")).to_contain_text(re.compile("interview", re.I))
    assert mail.outbox[-1].attachments, "the interview e-mail carries its calendar file"
    # The day of the interview has come.
    Application.objects.filter(pk=application.pk).update(
        interview_at=timezone.now() - timedelta(hours=1)
    )
    admin.reload()
    with admin.expect_navigation():
        admin.get_by_role("button", name="Mark the interview held").click()
    with admin.expect_navigation():
        admin.get_by_role("button", name="Accept", exact=True).click()
    expect(admin.locator(".messagelist")).to_contain_text(re.compile("accepted", re.I))
    expect(admin.get_by_role("button", name="Accept", exact=True)).to_have_count(0)
    shoot(admin, "6-staff-accepted")
    problems += axe_violations(admin)
    application.refresh_from_db()
    assert application.status == Application.Status.ACCEPTED
    assert application.enrollment.student == application.applicant
    assert "accepted" in mail.outbox[-1].subject.lower()

    # The new student, same account, same phone: the dashboard shows the plan.
    page.goto(f"{base}{reverse('portal:dashboard')}")
    expect(page.locator(".path-card-title")).to_contain_text("Certified Clinical Medical Assistant")
    expect(page.locator(".next-step .next-title").first).not_to_be_empty()
    expect(page.get_by_role("heading", name=re.compile("not enrolled"))).to_have_count(0)
    shoot(page, "7-student-dashboard")
    problems += axe_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert problems == [], report(problems)
