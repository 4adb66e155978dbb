import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.careers.scenario import load_careers_demo, make_campuses, make_school
from tests.e2e.support import both_widths

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PAGES = {
    "index": "/careers/",
    "guide": "/careers/guides/what-does-a-medical-assistant-do/",
    "comparison": "/careers/certifications/",
    "cma": "/careers/certifications/cma/",
    "maac": "/careers/certifications/maac/",
    "role-umbrella": "/careers/medical-assistant/",
    "role-clinical": "/careers/clinical-medical-assistant/",
    "find-your-path": "/careers/find-your-path/",
    "find-your-path-result": (
        "/careers/find-your-path/?work=patients&needles=unsure&schedule=evening&campus=dallas"
    ),
    "find-your-path-errors": "/careers/find-your-path/?work=nonsense",
}


@pytest.fixture
def school_site(transactional_db):
    load_careers_demo()
    return make_school(make_campuses())


def watch_errors(page):
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def test_visitor_goes_from_home_to_guide_comparison_and_a_recommended_program(
    page, live_server, school_site, shoot
):
    errors = watch_errors(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Careers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Start a career in healthcare")
    both_widths(page, shoot, "1-careers-index")

    page.get_by_role("link", name="What does a medical assistant do?").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What does a medical assistant do?")
    toc = page.get_by_role("navigation", name="On this page")
    toc.get_by_role("link", name="Three things that change the job").click()
    expect(page).to_have_url(re.compile(r"#what-changes-the-job$"))
    cta = page.locator("#start-your-training")
    expect(cta.get_by_role("link", name="Dallas campus")).to_have_attribute(
        "href", "/campuses/dallas/"
    )
    expect(cta.get_by_role("link", name="Arlington campus")).to_have_attribute(
        "href", "/campuses/arlington/"
    )
    both_widths(page, shoot, "2-guide")

    page.get_by_role("link", name="Open the full comparison, with eligibility").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Medical assistant certifications compared"
    )
    rows = page.locator("table.compare-table").first.locator("tbody tr")
    # CCMA, which the medical-assisting program prepares for, is compared with the others.
    expect(rows).to_have_count(5)
    for acronym in ["CMA", "RMA", "CCMA", "CMAA", "MAAC"]:
        expect(rows.locator(".compare-acronym", has_text=re.compile(f"^{acronym}$"))).to_have_count(
            1
        )
    both_widths(page, shoot, "3-comparison")

    page.get_by_role("link", name="Find your path").last.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Which healthcare career fits you?")
    page.get_by_label("Caring for patients").check()
    page.get_by_label("I'm comfortable with them").check()
    page.get_by_label("Evening classes").check()
    page.get_by_label("Arlington").check()
    page.get_by_role("button", name="Show my path").click()

    expect(page.get_by_role("heading", name=re.compile("Our suggestion"))).to_contain_text(
        "clinical medical assistant"
    )
    program = page.locator(".program-match").get_by_role(
        "link", name="Medical Assisting with Nutrition and Weight Management", exact=True
    )
    expect(program).to_have_attribute(
        "href", "/programs/medical-assisting-nutrition-weight-management/"
    )
    expect(page.locator(".program-match").first).to_contain_text("Evening")
    expect(page.locator(".program-match dt").filter(has_text="Next start").first).to_be_visible()
    both_widths(page, shoot, "4-find-your-path-result")

    # The recommended program: its page, the evening class at Arlington, the tuition.
    program.click()
    expect(page).to_have_url(
        live_server.url + "/programs/medical-assisting-nutrition-weight-management/"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Medical Assisting with Nutrition and Weight Management"
    )
    schedules = page.locator("#start-dates")
    expect(schedules).to_contain_text("Arlington")
    expect(schedules).to_contain_text("6:00 pm to 10:00 pm")
    expect(page.locator("#tuition .tuition-figure")).to_contain_text("$")
    both_widths(page, shoot, "5-recommended-program")
    assert errors == []


def test_find_your_path_shows_messages_beside_fields_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    load_careers_demo()
    make_campuses()
    page.goto(live_server.url + "/careers/find-your-path/")
    page.get_by_label("Running the office").check()
    page.get_by_role("button", name="Show my path").click()
    expect(page.locator("#id_needles_error")).to_have_text("Tell us how you feel about needles.")
    expect(page.locator("#id_campus_error")).to_have_text("Choose a campus, or either campus.")
    expect(page.get_by_label("Running the office")).to_be_checked()  # answers are kept
    context.close()


@pytest.mark.parametrize("width", [1280, 360])
def test_careers_pages_fit_the_screen_and_pass_axe(page, live_server, school_site, shoot, width):
    errors = watch_errors(page)
    page.set_viewport_size({"width": width, "height": 900})
    axe = Axe()
    for name, path in PAGES.items():
        page.goto(live_server.url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= width, f"{path} is {overflow}px wide at {width}px"
        results = axe.run(page)
        serious = [
            v for v in results.response["violations"] if v["impact"] in {"serious", "critical"}
        ]
        assert serious == [], f"{path}: {results.generate_report()}"
        shoot(page, f"{name}-{width}")
    assert errors == []
