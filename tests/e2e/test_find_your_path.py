"""Find your path in a browser: an empty submit, and results that read on any screen."""

import pytest
from playwright.sync_api import expect

from tests.careers.scenario import load_careers_demo, make_campuses, make_school
from tests.e2e.support import DESKTOP, PHONE, axe_violations, untied_errors

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

URL = "/careers/find-your-path/"
RESULT = URL + "?work=patients&needles=unsure&schedule=either&campus=either&answered=1"
QUESTIONS = ["work", "needles", "schedule", "campus"]


@pytest.fixture
def school_site(transactional_db):
    load_careers_demo()
    return make_school(make_campuses())


def misplaced_facts(page):
    """Result rows whose label and value are not side by side in the row's own box."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.match-fact')].flatMap(row => {
            const box = row.getBoundingClientRect();
            const dt = row.querySelector('dt').getBoundingClientRect();
            const dd = row.querySelector('dd').getBoundingClientRect();
            const inside = r => r.left >= box.left - 1 && r.right <= box.right + 1 &&
                                r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
            const problems = [];
            if (Math.abs(dt.top - dd.top) > 4) problems.push('label and value on different rows');
            if (dt.right > dd.left) problems.push('label overlaps its value');
            if (!inside(dt) || !inside(dd)) problems.push('outside its row');
            if (dd.right > document.documentElement.clientWidth) problems.push('past the screen');
            return problems.map(p => row.querySelector('dt').textContent.trim() + ': ' + p);
        })"""
    )


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["360px", "1280px"])
def test_results_read_as_label_value_rows(page, live_server, school_site, shoot, size):
    page.set_viewport_size(size)
    page.goto(live_server.url + RESULT)
    results = page.locator(".program-match")
    expect(results.first).to_be_visible()
    labels = results.first.locator(".match-facts").first.locator("dt")
    expect(labels).to_have_text(["Program", "Campus", "Schedule", "Next start"])
    assert page.locator(".match-fact").count() >= 8  # both campuses of the program
    assert misplaced_facts(page) == []
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= size["width"], f"{width}px wide at {size['width']}px"
    assert axe_violations(page) == []
    shoot(page, f"find-your-path-result-{size['width']}")


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
def test_an_empty_submit_says_what_is_missing(browser, live_server, school_site, javascript):
    context = browser.new_context(java_script_enabled=javascript, viewport=PHONE)
    page = context.new_page()
    page.goto(live_server.url + URL)
    page.get_by_role("button", name="Show my path").click()

    summary = page.locator("#pathfinder-errors")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.get_by_role("listitem")).to_have_count(4)
    for name in QUESTIONS:
        expect(page.locator(f"#id_{name}_error")).to_be_visible()
    if javascript:  # page scripts (the checks below) cannot run in a page without them
        assert untied_errors(page) == []
    # Nothing else happened: no result, the same questions, still unanswered.
    expect(page.locator(".pathfinder-result")).to_have_count(0)
    expect(page.locator("input[type=radio]:checked")).to_have_count(0)
    # The summary's links lead to the questions.
    summary.get_by_role("link", name="Choose when you can attend class.").click()
    expect(page.locator("#id_schedule_0")).to_be_focused()
    if javascript:
        assert axe_violations(page) == []
    context.close()
