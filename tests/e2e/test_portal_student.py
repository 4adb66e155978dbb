"""A student's journey in a real browser: invitation, password, dashboard, path, upload."""

import re
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from django.utils import timezone

from accounts import services
from accounts.models import CertificationPath, PathStep, User
from careers.models import Certification
from tests.accounts import files, world
from tests.e2e.support import DESKTOP, both_widths

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Clinic-Morning-2026"


def serious(results):
    return [v for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]


def check_accessible(page):
    results = Axe().run(page)
    assert serious(results) == [], results.generate_report()


@pytest.fixture
def invited_student(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    world.build(with_started_cohorts=True)
    cohort = world.cohort("dallas")
    cohort.start_date = timezone.localdate() - timedelta(days=60)
    cohort.graduation_date = cohort.start_date + timedelta(weeks=36)
    cohort.save()
    mail.outbox = []
    services.enrollment_create(
        email="nia.nguyen@example.com",
        cohort=cohort,
        certifications=[Certification.objects.get(slug="cma")],
        first_name="Nia",
        last_name="Nguyen",
    )
    link = re.search(r"https?://[^/\s]+(/portal/invitation/\S+/)", mail.outbox[0].body).group(1)
    return link


def test_student_from_invitation_to_evidence_ce_calendar_and_log_out(
    page, live_server, shoot, invited_student
):
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.set_viewport_size(DESKTOP)

    # The invitation: a mismatched password first, then a good one.
    page.goto(live_server.url + invited_student)
    assert page.locator("h1").inner_text() == "Set your password"
    both_widths(page, shoot, "1-invitation")
    check_accessible(page)
    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_label("Type it again").fill(PASSWORD + "x")
    page.get_by_role("button", name="Set password and open my portal").click()
    assert page.get_by_text("The two password fields didn").is_visible()
    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_label("Type it again").fill(PASSWORD)
    page.get_by_role("button", name="Set password and open my portal").click()

    page.wait_for_url(live_server.url + "/portal/")
    assert page.get_by_text("Your password is set").is_visible()

    # Log out, then log in again with the new password through the login form.
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(live_server.url + "/")
    page.get_by_role("link", name="Student log in").click()
    page.get_by_label("Email").fill("nia.nguyen@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    both_widths(page, shoot, "2-login")
    page.get_by_role("button", name="Log in").click()

    # The dashboard: where Nia stands, at a glance.
    page.wait_for_url(live_server.url + "/portal/")
    assert page.locator("h1").inner_text() == "Hello, Nia"
    bar = page.get_by_role("progressbar", name="CMA certification progress")
    assert bar.get_attribute("aria-valuenow") == "0"
    assert page.get_by_text("0% complete").is_visible()
    assert page.get_by_text("Upcoming deadlines").is_visible()
    both_widths(page, shoot, "3-dashboard")
    check_accessible(page)

    # The path page, then an upload for the CPR card.
    page.get_by_role("link", name="Open my CMA path").click()
    assert "Certified Medical Assistant" in page.locator("h1").inner_text()
    both_widths(page, shoot, "4-path")
    check_accessible(page)
    cpr = PathStep.objects.get(
        title="BLS/CPR card", path__enrollment__student__email="nia.nguyen@example.com"
    )
    card = page.locator(f"#step-{cpr.pk}")
    card.get_by_label("Add a file").set_input_files(
        files={
            "name": "my-bls-card.jpg",
            "mimeType": "image/jpeg",
            "buffer": files.image_bytes("JPEG", exif=files.gps_exif()),
        }
    )
    card.get_by_role("button", name="Upload and submit for review").click()
    page.wait_for_load_state()
    card = page.locator(f"#step-{cpr.pk}")
    assert card.get_by_text("Submitted for review", exact=True).is_visible()  # the badge
    assert card.get_by_role("status").get_by_text("Uploaded my-bls-card.jpg").is_visible()
    assert card.get_by_role("link", name="my-bls-card.jpg", exact=True).is_visible()
    assert page.get_by_text("Uploaded my-bls-card.jpg").is_visible()
    both_widths(page, shoot, "5-path-after-upload")

    # A bad file is explained and nothing changes.
    hours = PathStep.objects.get(title="Externship hours", path=cpr.path)
    hours_card = page.locator(f"#step-{hours.pk}")
    hours_card.get_by_label("Your hours so far").fill("96")
    hours_card.get_by_role("button", name="Save hours").click()
    page.wait_for_load_state()
    assert page.locator(f"#step-{hours.pk}").get_by_text("96 / 160", exact=True).is_visible()
    hours_card = page.locator(f"#step-{hours.pk}")
    hours_card.get_by_label("Add a file").set_input_files(
        files={"name": "timesheet.pdf", "mimeType": "application/pdf", "buffer": b"MZ not a pdf"}
    )
    hours_card.get_by_role("button", name="Upload file").click()
    page.wait_for_load_state()
    assert (
        page.locator("[data-error-summary]")
        .get_by_text("is named like a PDF but its content is not one")
        .is_visible()
    )
    both_widths(page, shoot, "6-upload-refused")

    # Staff verify the card (their side runs in the admin); Nia's progress goes up.
    path = CertificationPath.objects.get(pk=cpr.path_id)
    before = path.progress_percent
    services.step_verify(
        step=PathStep.objects.get(pk=cpr.pk),
        reviewer=User.objects.create_user(email="s@example.com", is_staff=True, is_superuser=True),
    )
    page.goto(live_server.url + "/portal/")
    after = int(
        page.get_by_role("progressbar", name="CMA certification progress").get_attribute(
            "aria-valuenow"
        )
    )
    assert after > before
    assert after == CertificationPath.objects.get(pk=path.pk).progress_percent
    assert page.get_by_text(f"{after}% complete").is_visible()

    # The other portal pages.
    page.get_by_role("link", name="Credentials").first.click()
    assert page.get_by_text("No credentials yet").is_visible()
    both_widths(page, shoot, "7-credentials-empty")
    check_accessible(page)

    # Nia graduates and passes the CMA exam: staff record the credential; she logs CE.
    services.credential_record(
        path=CertificationPath.objects.get(pk=path.pk),
        issued_on=timezone.localdate() - timedelta(days=10),
        number="CMA-777001",
    )
    page.reload()
    assert page.get_by_text("CMA-777001").is_visible()
    form = page.locator("details.ce-form")
    if form.get_attribute("open") is None:  # open from the start while the log is empty
        form.locator("summary").click()
    form.get_by_label("Activity title").fill("Infection control refresher")
    form.get_by_label("Provider").fill("AAMA e-Learning")
    form.get_by_label("Category").select_option("clinical")
    form.get_by_label("Credits").fill("3")
    form.get_by_label("Date completed").fill(timezone.localdate().isoformat())
    form.get_by_role("button", name="Add to my CE log").click()
    page.wait_for_load_state()
    assert page.get_by_text("Logged “Infection control refresher”: 3 credits.").is_visible()
    assert (
        page.locator("table.ce-table tbody tr")
        .filter(has_text="Infection control refresher")
        .is_visible()
    )
    both_widths(page, shoot, "8-credentials-ce")
    check_accessible(page)

    # The profile: the private calendar link answers with an iCalendar feed.
    page.get_by_role("link", name="Profile").first.click()
    assert page.locator("h1").inner_text() == "Your profile"
    calendar_url = page.locator("#calendar-url").inner_text().strip()
    subscribe = page.get_by_role("link", name="Subscribe on this device")
    assert subscribe.get_attribute("href") == calendar_url.replace("http://", "webcal://")
    assert re.fullmatch(rf"{re.escape(live_server.url)}/portal/calendar/[\w-]+\.ics", calendar_url)
    feed = page.request.get(calendar_url)
    assert feed.status == 200
    assert feed.headers["content-type"].startswith("text/calendar")
    assert "BEGIN:VCALENDAR" in feed.text()
    both_widths(page, shoot, "9-profile")
    check_accessible(page)

    # Log out: the portal is closed again.
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(live_server.url + "/")
    assert page.get_by_role("link", name="Student log in").is_visible()
    page.goto(live_server.url + "/portal/")
    assert page.url.startswith(live_server.url + "/accounts/login/")
    assert errors == []


def test_graduate_sees_credential_expiry_and_logs_ce(page, live_server, shoot, settings):
    world.build()
    graduate = User.objects.create_user(
        email="aisha@example.com", password=PASSWORD, first_name="Aisha"
    )
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=graduate, email=graduate.email, verified=True, primary=True)
    cohort = world.cohort("dallas")
    enrollment = services.enrollment_create(
        email=graduate.email,
        cohort=cohort,
        certifications=[Certification.objects.get(slug="cma")],
        notify=False,
    )
    target = timezone.localdate() + timedelta(days=45)
    from accounts import progress

    credential = services.credential_record(
        path=enrollment.paths.get(),
        issued_on=progress.add_months(target.replace(day=1), -60),
        number="CMA-204815",
    )
    services.ce_activity_add(
        credential=credential,
        user=graduate,
        title="Coding and billing update",
        provider="AAMA e-Learning",
        category="administrative",
        credits="12",
        completed_on=timezone.localdate() - timedelta(days=30),
    )
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(graduate.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(live_server.url + "/portal/")
    page.goto(live_server.url + "/portal/credentials/")
    assert page.get_by_text("CMA-204815").is_visible()
    assert page.get_by_text("Renewal due:").is_visible()
    assert page.get_by_text("12 of 60 credits").is_visible()
    form = page.locator("details.ce-form")
    form.locator("summary").click()
    form.get_by_label("Activity title").fill("Phlebotomy safety")
    form.get_by_label("Provider").fill("NHA")
    form.get_by_label("Category").select_option("clinical")
    form.get_by_label("Credits").fill("2.5")
    form.get_by_label("Date completed").fill(timezone.localdate().isoformat())
    form.get_by_role("button", name="Add to my CE log").click()
    page.wait_for_load_state()
    assert page.get_by_text("Logged “Phlebotomy safety”: 2.5 credits.").is_visible()
    assert page.get_by_text("14.5 of 60 credits").is_visible()
    both_widths(page, shoot, "credentials")
    check_accessible(page)
    page.goto(live_server.url + "/portal/")
    both_widths(page, shoot, "dashboard-certified")
