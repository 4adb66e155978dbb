"""Staff journey in a real browser: enroll by e-mail, verify, reject, export the report."""

import csv
import io
import re
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from playwright.sync_api import expect

from accounts import services
from accounts.models import Enrollment, PathStep, StepReview, User
from tests.accounts import files
from tests.accounts.staff_data import (
    make_ma_certification,
    make_path,
    make_staff_cohort,
    make_student,
    step,
)
from tests.e2e.support import both_widths, choose_autocomplete
from tests.factories import make_campus
from tests.totp import current_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def wrong_code(secret):
    """A code valid at no moment of the tolerance window."""
    valid = {format_hotp_value(hotp_value(secret, c)) for c in yield_hotp_counters_from_time()}
    return next(code for code in ("000000", "111111", "222222") if code not in valid)


@pytest.fixture
def school(make_user, password, settings):
    settings.STAFF_REQUIRE_MFA = True
    staff = make_user(
        "registrar@example.com",
        first_name="Rita",
        last_name="Registrar",
        is_staff=True,
        is_superuser=True,
    )
    certification = make_ma_certification(acronym="CMA", name="Certified Medical Assistant")
    cohort = make_staff_cohort(campus=make_campus(name="Dallas", slug="dallas-e2e"))
    cohort.offering.program.title = "Medical Assisting"
    cohort.offering.program.save()
    cohort.offering.program.certifications.add(certification)  # what the program prepares for
    ana = make_student(first_name="Ana", last_name="Alvarez")
    ben = make_student(first_name="Ben", last_name="Brooks")
    ana_path = make_path(student=ana, cohort=cohort, certification=certification)
    ben_path = make_path(student=ben, cohort=cohort, certification=certification)
    services.evidence_submit(
        step=step(ana_path, "CPR card"), file=files.pdf("ana-cpr-card.pdf"), user=ana
    )
    services.evidence_submit(
        step=step(ben_path, "CPR card"), file=files.pdf("ben-cpr-card.pdf"), user=ben
    )
    totp_secret = generate_totp_secret()
    TOTP.activate(staff, totp_secret)
    return {
        "staff": staff,
        "password": password,
        "totp_secret": totp_secret,
        "cohort": cohort,
        "certification": certification,
        "ana": ana_path,
        "ben": ben_path,
    }


def serious_violations(page, csp_violations):
    csp_violations.extend(page.evaluate("window.__csp"))
    results = Axe().run(page)
    return [
        (v["id"], [n["target"] for n in v["nodes"]])
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def test_staff_logs_in_with_mfa_enrols_verifies_rejects_and_exports(
    page, live_server, shoot, school
):
    errors = []
    csp_violations = []
    # axe-core injects its own inline styles, which the CSP blocks: that console noise is
    # ignored, and real violations are read from a securitypolicyviolation listener
    # (registered on every page) before axe runs.
    page.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation', "
        "e => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline')));"
    )
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error"
            and "Failed to load resource" not in m.text  # see failed_responses
            and "Content Security Policy" not in m.text
            else None
        ),
    )
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    failed_responses = []
    page.on(
        "response",
        lambda r: (
            failed_responses.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico")
            else None
        ),
    )
    page.set_viewport_size({"width": 1280, "height": 900})

    # Log in as staff through the login form, with the authenticator app's code.
    page.goto(f"{live_server.url}/admin/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=(/|%2F)admin(/|%2F)$"))
    page.get_by_label("Email").fill("registrar@example.com")
    page.get_by_label("Password").fill(school["password"])
    both_widths(page, shoot, "01-login")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Two-Factor Authentication")).to_be_visible()
    page.get_by_label("Code").fill(wrong_code(school["totp_secret"]))
    page.get_by_role("button", name="Sign In").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("Incorrect code")
    page.get_by_label("Code").fill(current_code(school["totp_secret"]))
    both_widths(page, shoot, "02-mfa-code")
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("link", name=re.compile("waiting for review"))).to_be_visible()
    both_widths(page, shoot, "03-admin-home", fit=False)

    # Enroll a new student by e-mail.
    page.get_by_role("link", name="Enroll a student", exact=True).click()
    expect(page.get_by_role("heading", name="Enroll a student")).to_be_visible()
    page.get_by_label("E-mail address").fill("carla.new@example.com")
    page.get_by_label("First name").fill("Carla")
    page.get_by_label("Last name").fill("Nuevo")
    choose_autocomplete(page, "id_cohort", "Dallas", "Medical Assisting")
    page.get_by_label("CMA").check()
    both_widths(page, shoot, "04-enroll-form", fit=False)
    assert serious_violations(page, csp_violations) == []
    page.get_by_role("button", name="Enroll and notify the student").click()
    expect(page.locator(".messagelist")).to_contain_text(
        "Enrolled carla.new@example.com in Medical Assisting"
    )
    expect(page.locator(".messagelist")).to_contain_text("invitation e-mailed")
    both_widths(page, shoot, "05-enrolled", fit=False)
    carla = User.objects.get(email="carla.new@example.com")
    assert Enrollment.objects.get(student=carla).paths.get().steps.exists()
    assert [m.to for m in mail.outbox] == [["carla.new@example.com"]]

    # The verification queue, oldest first; open Ana's step and approve it.
    page.goto(f"{live_server.url}/admin/")
    page.get_by_role("link", name=re.compile("waiting for review")).click()
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Ana Alvarez")
    both_widths(page, shoot, "06-queue", fit=False)
    assert serious_violations(page, csp_violations) == []
    rows.first.get_by_role("link", name="CPR card").click()
    expect(page.get_by_role("link", name="ana-cpr-card.pdf").first).to_be_visible()
    page.get_by_label("Approve: the step is verified").check()
    page.get_by_label("Message to the student").fill("Clear scan, thank you.")
    both_widths(page, shoot, "07-review", fit=False)
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".messagelist")).to_contain_text("Verified “CPR card” for Ana Alvarez")
    # Straight on to the next waiting step: Ben's.
    expect(page.get_by_role("link", name="ben-cpr-card.pdf").first).to_be_visible()

    # Reject Ben's with a reason, through the list action and its reason page.
    page.get_by_role("link", name="Back to the queue").click()
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    rows.first.locator("input[type=checkbox]").check()
    page.locator("select[name=action]").select_option("reject_selected")
    page.get_by_role("button", name="Go").first.click()
    expect(page.get_by_role("heading", name="Reject steps with a reason")).to_be_visible()
    page.get_by_role("button", name="Reject with this reason").click()
    expect(page.locator(".errorlist")).to_contain_text("Give the student a reason")
    page.get_by_label("Reason shown to the student").fill(
        "Only the front of the card is visible: upload both sides."
    )
    both_widths(page, shoot, "08-reject-reason", fit=False)
    assert serious_violations(page, csp_violations) == []
    page.get_by_role("button", name="Reject with this reason").click()
    expect(page.locator(".messagelist")).to_contain_text("Rejected 1 step")
    expect(page.locator("#result_list")).to_have_count(0)
    both_widths(page, shoot, "09-queue-empty", fit=False)

    ana_step = PathStep.objects.get(pk=step(school["ana"], "CPR card").pk)
    ben_step = PathStep.objects.get(pk=step(school["ben"], "CPR card").pk)
    assert ana_step.status == PathStep.Status.VERIFIED
    assert ben_step.status == PathStep.Status.REJECTED
    assert ben_step.rejection_reason.startswith("Only the front")
    assert set(StepReview.objects.values_list("reviewer__email", "action")) == {
        ("registrar@example.com", "verified"),
        ("registrar@example.com", "rejected"),
    }

    # The cohort report, filtered to the cohort, and its CSV export.
    page.goto(f"{live_server.url}/admin/")
    page.get_by_role("link", name="Cohort progress report").click()
    page.get_by_label("Cohort").select_option(str(school["cohort"].pk))
    page.get_by_role("button", name="Show").click()
    expect(page.locator("table.tc-report tbody tr")).to_have_count(3)
    both_widths(page, shoot, "10-report", fit=False)
    assert serious_violations(page, csp_violations) == []
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export CSV").click()
    download = download_info.value
    assert download.suggested_filename.startswith("cohort-progress-")
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    by_email = {row["E-mail"]: row for row in rows}
    assert set(by_email) == {
        "carla.new@example.com",
        school["ana"].enrollment.student.email,
        school["ben"].enrollment.student.email,
    }
    ana_path = school["ana"]
    ana_path.refresh_from_db()
    assert by_email[ana_path.enrollment.student.email]["Progress (%)"] == str(
        ana_path.progress_percent
    )

    assert errors == []
    assert csp_violations == []
    assert failed_responses == []
