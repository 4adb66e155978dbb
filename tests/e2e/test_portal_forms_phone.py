"""Portal forms on a 360 px phone: file names read in full, an empty form's summary takes
the focus, the calendar link is copied with one tap, a file is withdrawn after asking."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts import services
from accounts.models import Evidence
from tests.accounts import files
from tests.accounts.staff_data import make_ma_certification, make_path, make_student, step
from tests.e2e.support import PHONE, axe_violations, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LONG_NAME = "bls-provider-card-front-and-back-american-heart-association.pdf"


def fits(locator):
    """The element shows all of its content: nothing cut off, nothing past the screen."""
    return locator.evaluate(
        """el => el.scrollWidth <= el.clientWidth + 1
             && el.getBoundingClientRect().right <= window.innerWidth + 1"""
    )


def test_portal_forms_on_a_phone(browser, live_server, shoot, tmp_path):
    student = make_student(first_name="Nia", last_name="Nguyen")
    path = make_path(student=student, certification=make_ma_certification())
    credential = services.credential_record(path=path, issued_on=timezone.localdate())
    document = tmp_path / LONG_NAME
    document.write_bytes(files.pdf(LONG_NAME).read())

    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    sign_in(context, live_server, student)
    page = context.new_page()

    # The file input and the chosen file's name, whole, at 360 px.
    cpr = step(path, "CPR card")
    page.goto(f"{live_server.url}{path.get_absolute_url()}")
    card = page.locator(f"#step-{cpr.pk}")
    file_input = card.get_by_label("Add a file")
    expect(card.locator(".file-chosen")).to_have_text("No file chosen")
    file_input.set_input_files(str(document))
    chosen = card.locator(".file-chosen")
    expect(chosen).to_have_text(f"Chosen: {LONG_NAME}")
    assert fits(chosen)
    assert fits(file_input)
    label = card.locator(f"label[for='{file_input.get_attribute('id')}']")
    assert fits(label)
    shoot(page, "portal-file-chosen-phone")
    card.get_by_role("button", name=re.compile("Upload and submit")).click()
    expect(page.locator(f"#step-{cpr.pk}")).to_contain_text("Submitted for review")
    # The message is in the step's card the page opens at, on screen at 360 px.
    said = page.locator(f"#step-{cpr.pk} [role=status]")
    expect(said).to_contain_text("Uploaded")
    expect(said).to_be_in_viewport()

    # Withdraw it: the question first, then the file is gone.
    page.locator(f"#step-{cpr.pk}").get_by_role("link", name=re.compile("Withdraw")).click()
    expect(page.get_by_role("heading", name="Withdraw this file?")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Withdraw the file").click()
    said = page.locator(f"#step-{cpr.pk} [role=status] .alert")
    expect(said).to_contain_text("Withdrew")
    expect(said).to_be_in_viewport()
    expect(said).to_be_focused()
    assert not Evidence.objects.exists()

    # An empty CE form: one summary, focused, listing each problem.
    page.goto(f"{live_server.url}/portal/credentials/")
    form = page.locator(f"#credential-{credential.pk}")
    form.get_by_role("button", name="Add to my CE log").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("There are 4 problems")  # the one category is chosen
    assert axe_violations(page) == []
    shoot(page, "portal-ce-errors-phone")

    # The calendar link, whole, copied with one tap.
    page.goto(f"{live_server.url}/portal/profile/")
    link = page.locator("#calendar-url")
    assert fits(link)
    page.get_by_role("button", name="Copy link").click()
    expect(page.locator("#calendar-copy-status")).to_contain_text("Link copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == link.inner_text().strip()
    assert copied.endswith(".ics")
    assert axe_violations(page) == []
    shoot(page, "portal-profile-calendar-phone")
    context.close()
