"""Request information with the keyboard alone, on a desktop: no mouse, no clicks.

Every Tab stop must show where the focus is; the order must follow the page; the one
mistake (an incomplete e-mail address) is announced, reachable and fixable by keyboard."""

import re

import pytest
from playwright.sync_api import expect

from programs.models import Inquiry
from tests.careers.scenario import load_careers_demo, make_campuses, make_school
from tests.e2e.support import DESKTOP, both_widths, focus_is_visible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def school_site(transactional_db):
    load_careers_demo()
    return make_school(make_campuses())


def focused(page):
    """The focused element, described: tag, id, name and text."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            return {tag: el.tagName.toLowerCase(), id: el.id, name: el.name || '',
                    type: el.type || '', text: (el.textContent || '').trim().slice(0, 60)};
        }"""
    )


def tab(page, stops, *, key="Tab"):
    """Press Tab; the newly focused element must show a visible focus indicator."""
    page.keyboard.press(key)
    now = focused(page)
    stops.append(now)
    assert focus_is_visible(page), f"no visible focus on {now}"
    return now


def tab_until(page, stops, matches, *, limit=40):
    for _ in range(limit):
        if matches(tab(page, stops)):
            return
    raise AssertionError(f"not reached in {limit} Tab presses: {stops[-limit:]}")


def test_request_information_with_the_keyboard_alone(page, live_server, school_site, shoot):
    stops = []
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/")

    # The skip link is the first Tab stop, and it shows.
    first = tab(page, stops)
    assert first["text"] == "Skip to main content"
    expect(page.get_by_role("link", name="Skip to main content")).to_be_in_viewport()

    # On through the header to "Request info", then Enter.
    tab_until(page, stops, lambda el: el["text"] == "Request info")
    header_stops = [stop["text"] for stop in stops]
    assert header_stops.index("Programs") < header_stops.index("Request info")
    shoot(page, "1-home-request-info-focused")
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/request-info/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Request information")

    # Skip the header, then Tab to the first field: every stop visibly focused.
    assert tab(page, stops)["text"] == "Skip to main content"
    page.keyboard.press("Enter")
    tab_until(page, stops, lambda el: el["id"] == "id_name")
    page.keyboard.type("Pat Keyboard")
    # The fields come in the order they are shown.
    assert tab(page, stops)["id"] == "id_email"
    page.keyboard.type("pat@example")  # the mistake: no domain ending
    assert tab(page, stops)["id"] == "id_program"
    page.keyboard.press("ArrowDown")  # the first program in the list
    assert tab(page, stops)["id"] == "id_campus"
    page.keyboard.type("Dallas")  # type-ahead picks the option
    assert tab(page, stops)["id"] == "id_phone"
    page.keyboard.type("214 555 0199")
    # The preferred start and schedule are optional: "Not sure yet", "No preference".
    assert tab(page, stops)["id"] == "id_preferred_cohort"
    radio = tab(page, stops)
    assert (radio["name"], radio["type"]) == ("preferred_schedule", "radio")
    radio = tab(page, stops)
    assert (radio["name"], radio["type"]) == ("contact_method", "radio")
    page.keyboard.press("ArrowRight")  # E-mail -> Phone call
    page.keyboard.press("ArrowRight")  # -> Text message
    assert page.get_by_role("radio", name="Text message").is_checked()
    assert tab(page, stops)["id"] == "id_message"
    page.keyboard.type("Is there an evening class?")
    # Only the consent for the channel chosen is shown (and a Tab stop).
    assert tab(page, stops)["id"] == "id_consent_text"
    assert page.locator("#id_consent_email").is_hidden()
    page.keyboard.press("Space")
    assert page.locator("#id_consent_text").is_checked()
    # Past the disclosures link (the honeypot field is never a Tab stop) to the button.
    tab_until(page, stops, lambda el: el["text"] == "Send my request", limit=3)
    assert "id_website" not in {stop["id"] for stop in stops}
    assert page.locator("#id_program").input_value() == school_site["ma"].slug
    assert page.locator("#id_campus").input_value() == "dallas"
    both_widths(page, shoot, "2-form-filled")
    page.keyboard.press("Enter")

    # The mistake: the summary takes the focus and is announced; its link leads to the field.
    page.wait_for_load_state()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    assert focus_is_visible(page)
    expect(page).to_have_title(re.compile("^Error: "))
    email = page.locator("#id_email")
    error_id = email.get_attribute("aria-describedby").split()[0]
    expect(page.locator(f"#{error_id}")).to_have_text(
        "Enter a complete e-mail address, like name@example.com."
    )
    both_widths(page, shoot, "3-error")
    link = tab(page, stops)
    assert link["text"].startswith("E-mail address: Enter a complete e-mail address")
    page.keyboard.press("Enter")  # the link's fragment focuses the field
    assert focused(page)["id"] == "id_email"
    assert focus_is_visible(page)
    # Everything else was kept.
    assert page.locator("#id_name").input_value() == "Pat Keyboard"
    assert page.get_by_role("radio", name="Text message").is_checked()
    assert page.locator("#id_consent_text").is_checked()

    # Correct it and send with Enter from the field.
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("pat@example.com")
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/request-info/thank-you/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, Pat!")
    both_widths(page, shoot, "4-thank-you")

    inquiry = Inquiry.objects.get()
    assert (inquiry.email, inquiry.campus.slug, inquiry.contact_method) == (
        "pat@example.com",
        "dallas",
        "text",
    )
    assert inquiry.phone == "(214) 555-0199"
    assert inquiry.program == school_site["ma"]
