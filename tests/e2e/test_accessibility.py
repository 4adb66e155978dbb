"""axe-core (WCAG 2.0, 2.1 and 2.2, A and AA) on every page a visitor, a student or staff
meets, at phone and desktop widths: public pages, portal pages and allauth pages, with
their error states. One browser page per width; every violation is reported at once."""

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from playwright.sync_api import expect

from accounts import services
from accounts.demo import (
    DEMO_CMAA_STUDENT_EMAIL,
    DEMO_GRADUATE_EMAIL,
    DEMO_STAFF_EMAIL,
    DEMO_STUDENT_EMAIL,
)
from accounts.models import CertificationPath, Credential, User
from careers.models import CareerGuide, Certification, Role
from programs.models import Campus, Cohort, Program
from tests.e2e.support import (
    axe_violations,
    invisible_focus_stops,
    last_mail_link,
    report,
    sign_in,
    unreadable_progress_bars,
    untied_errors,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Clinic-Morning-2026"


def public_paths():
    paths = [
        "/",
        "/campuses/",
        *(c.get_absolute_url() for c in Campus.objects.published()),
        "/programs/",
        "/programs/?campus=arlington",
        "/programs/?campus=dallas&schedule=evening",
        "/programs/?campus=nowhere",  # the filter's error message
        *(p.get_absolute_url() for p in Program.objects.published()),
        "/request-info/",
        "/request-info/?program=medical-assisting-nutrition-weight-management&campus=dallas",
        "/request-info/thank-you/",
        "/disclosures/",
        "/careers/",
        "/careers/certifications/",
        *(c.get_absolute_url() for c in Certification.objects.published()),
        *(r.get_absolute_url() for r in Role.objects.published()),
        *(g.get_absolute_url() for g in CareerGuide.objects.all()),
        "/careers/find-your-path/",
        "/careers/find-your-path/?work=patients&needles=unsure&schedule=evening&campus=dallas",
        "/search/",
        "/search/?q=medical+asistant",  # corrected, results in every group
        "/search/?q=zzyzx",  # nothing found: suggestions
        "/no-such-page/",
        "/programs/no-such-program/",
        "/accounts/login/",
        "/accounts/password/reset/",
        "/accounts/signup/",  # signup is closed: students are invited
    ]
    assert len(Program.objects.published()) >= 3
    return paths


def check(page, axe, url, problems, *, errors=False):
    """axe-core, no sideways scrolling, one <h1>, readable progress bars, a visible focus
    at every Tab stop; on an error state, every error tied to its field."""
    problems.extend(axe_violations(page, axe))
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > page.viewport_size["width"]:
        problems.append(f"{url}: {width}px wide, wider than the screen (scrolls sideways)")
    h1_count = page.locator("h1").count()
    if h1_count != 1:
        problems.append(f"{url}: {h1_count} <h1> elements")
    problems.extend(
        f"{url}: progress bar not readable: {bar}" for bar in unreadable_progress_bars(page)
    )
    if errors:
        problems.extend(f"{url}: error not tied to {name}" for name in untied_errors(page))
    # Last: it moves the focus through the page.
    problems.extend(f"{url}: focus not visible on {stop}" for stop in invisible_focus_stops(page))


def visit(page, axe, base, url, problems):
    page.goto(base + url)
    check(page, axe, url, problems)


@pytest.fixture
def school(demo, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for email in (
        DEMO_STUDENT_EMAIL,
        DEMO_CMAA_STUDENT_EMAIL,
        DEMO_GRADUATE_EMAIL,
        DEMO_STAFF_EMAIL,
    ):
        user = User.objects.get(email=email)
        user.set_password(PASSWORD)
        user.save()
    return {
        "maria": User.objects.get(email=DEMO_STUDENT_EMAIL),
        "jordan": User.objects.get(email=DEMO_CMAA_STUDENT_EMAIL),
        "graduate": User.objects.get(email=DEMO_GRADUATE_EMAIL),
        "staff": User.objects.get(email=DEMO_STAFF_EMAIL),
    }


@pytest.mark.parametrize("width", [360, 1280])
def test_every_page_has_no_wcag_violation(browser, live_server, school, width):
    base = live_server.url
    axe = Axe()
    problems = []
    viewport = {"width": width, "height": 900}

    # --- A visitor ---------------------------------------------------------------------
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    for url in public_paths():
        visit(page, axe, base, url, problems)

    # The questionnaire with missing and with hostile answers.
    for url in (
        "/careers/find-your-path/?work=office",
        "/careers/find-your-path/?work=nonsense&campus=moon",
    ):
        page.goto(base + url)
        check(page, axe, url, problems, errors=True)

    # The inquiry form: its error state, then the thank-you page.
    page.goto(base + "/request-info/")
    page.get_by_role("button", name="Send my request").click()
    expect(page.locator("#error-summary")).to_be_visible()
    check(page, axe, "/request-info/ (errors)", problems, errors=True)
    page.get_by_label("Your name").fill("Pat Visitor")
    page.get_by_label("E-mail address").fill("pat@example.com")
    page.get_by_label("Campus").select_option("dallas")
    page.get_by_label("E-mail", exact=True).check()
    # Only the consent sentence of the channel chosen is shown.
    page.get_by_role("checkbox", name=re.compile("I agree that .* by e-mail")).check()
    page.get_by_role("button", name="Send my request").click()
    page.wait_for_url(re.compile("/request-info/thank-you/$"))
    check(page, axe, "/request-info/thank-you/ (after a request)", problems)

    # Login with a wrong password; password reset, its done page and the key page.
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email").fill(DEMO_STUDENT_EMAIL)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".alert-danger, .invalid-feedback").first).to_be_visible()
    check(page, axe, "/accounts/login/ (wrong password)", problems)
    page.get_by_label("Password").fill("")
    page.get_by_role("button", name="Log in").click()
    check(page, axe, "/accounts/login/ (errors)", problems, errors=True)
    mail.outbox = []
    page.goto(base + "/accounts/password/reset/")
    page.get_by_label("Email").fill(DEMO_STUDENT_EMAIL)
    page.get_by_role("button", name=re.compile("Reset")).click()
    page.wait_for_url(re.compile("/accounts/password/reset/done/$"))
    check(page, axe, "/accounts/password/reset/done/", problems)
    page.goto(base + last_mail_link(r"/accounts/password/reset/key/\S+/"))
    check(page, axe, "/accounts/password/reset/key/", problems)

    # An invitation to set a password.
    cohort = Cohort.objects.filter(offering__campus__slug="dallas").first()
    mail.outbox = []
    services.enrollment_create(
        email=f"invitee{width}@example.com",
        cohort=cohort,
        certifications=[Certification.objects.get(slug="cma")],
        first_name="Ivy",
    )
    visit(page, axe, base, last_mail_link(r"/portal/invitation/\S+/"), problems)
    page.get_by_role("button", name="Set password and open my portal").click()
    check(page, axe, "/portal/invitation/ (errors)", problems, errors=True)
    context.close()

    # --- Students ----------------------------------------------------------------------
    for name in ("maria", "jordan", "graduate"):
        user = school[name]
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        sign_in(context, live_server, user)
        visit(page, axe, base, "/portal/", problems)
        if page.get_by_role("progressbar").count() == 0:
            problems.append(f"/portal/ for {name}: no progress bar")
        for path in CertificationPath.objects.owned_by(user):
            visit(page, axe, base, path.get_absolute_url(), problems)
        if name == "maria":
            form = page.locator("form.step-form:has(input.count-input)").first
            form.locator("input.count-input").fill("-3")
            form.locator("button[type=submit]").click()
            expect(page.locator(".invalid-feedback").first).to_be_visible()
            check(page, axe, "/portal/paths/ (count errors)", problems, errors=True)
        visit(page, axe, base, "/portal/credentials/", problems)
        if name == "maria":
            visit(page, axe, base, "/portal/profile/", problems)
            page.get_by_label("Mobile phone").fill("call me maybe")
            page.get_by_role("button", name="Save my profile").click()
            expect(page.locator(".invalid-feedback").first).to_be_visible()
            check(page, axe, "/portal/profile/ (errors)", problems, errors=True)
            for url in (
                "/accounts/email/",
                "/accounts/password/change/",
                "/accounts/2fa/",
                "/accounts/reauthenticate/",
                "/accounts/logout/",
            ):
                visit(page, axe, base, url, problems)
            page.goto(base + "/accounts/password/change/")
            page.get_by_role("button", name="Change password").click()
            check(page, axe, "/accounts/password/change/ (errors)", problems, errors=True)
        if name == "graduate":
            credential = Credential.objects.owned_by(user).first()
            form = page.locator(f"#credential-{credential.pk} details.ce-form")
            form.locator("summary").click()
            form.get_by_role("button", name="Add to my CE log").click()
            expect(page.locator(".invalid-feedback").first).to_be_visible()
            check(page, axe, "/portal/credentials/ (CE errors)", problems, errors=True)
        context.close()

    # --- Staff: set up an authenticator, then log in with it ---------------------------
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    sign_in(context, live_server, school["staff"])
    visit(page, axe, base, "/accounts/2fa/totp/activate/", problems)
    TOTP.activate(school["staff"], generate_totp_secret())
    context.clear_cookies()
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email").fill(DEMO_STAFF_EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile("/accounts/2fa/authenticate/"))
    check(page, axe, "/accounts/2fa/authenticate/", problems)
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Sign In").click()
    check(page, axe, "/accounts/2fa/authenticate/ (errors)", problems, errors=True)
    context.close()

    assert problems == [], report(problems)


@pytest.mark.parametrize("width", [360, 1280])
def test_every_spanish_page_has_no_wcag_violation(browser, live_server, school, width):
    """The same public pages at their /es/ URLs: Spanish words are longer, and a page's
    language must be declared (axe checks lang)."""
    base = live_server.url
    axe = Axe()
    problems = []
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    for url in public_paths():
        spanish = "/es" + url
        visit(page, axe, base, spanish, problems)
        if page.evaluate("document.documentElement.lang") != "es":
            problems.append(f"{spanish}: not marked as Spanish")
    assert problems == [], report(problems)
