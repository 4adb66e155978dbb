import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def serious(results):
    return [v for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]


def test_home_page_loads_without_console_errors_or_csp_violations(page, live_server, shoot):
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(live_server.url + "/")
    assert page.locator("h1").count() == 1
    violations = page.evaluate(
        """() => new Promise(resolve => {
            const seen = [];
            document.addEventListener('securitypolicyviolation', e => seen.push(e.violatedDirective));
            setTimeout(() => resolve(seen), 300);
        })"""
    )
    assert violations == []
    assert errors == []
    shoot(page, "home-desktop")
    page.set_viewport_size({"width": 360, "height": 780})
    shoot(page, "home-phone")


@pytest.mark.parametrize("path", ["/", "/accounts/login/"])
def test_axe_finds_no_serious_violations(page, live_server, path):
    page.goto(live_server.url + path)
    results = Axe().run(page)
    assert serious(results) == [], results.generate_report()
