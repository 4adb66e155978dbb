"""A future student on a phone: campus, program, start date and tuition, request info."""

import io
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from django.core.management.base import OutputWrapper
from django.core.management.color import no_style
from playwright.sync_api import expect

from programs.models import Inquiry
from trainingcenter.demo import programs as demo

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}
MA = "Medical Assisting with Nutrition and Weight Management"


@pytest.fixture
def demo_site(live_server):
    demo.load(stdout=OutputWrapper(io.StringIO()), style=no_style(), with_accounts=False)
    return live_server.url


def settle(page):
    """Scroll through the page so lazy images load before a full-page screenshot."""
    page.evaluate(
        """async () => {
            for (let y = 0; y < document.body.scrollHeight; y += 500) {
                window.scrollTo({top: y, behavior: "instant"});
                await new Promise(r => setTimeout(r, 60));
            }
            window.scrollTo({top: 0, behavior: "instant"});
            const loaded = Promise.all([...document.images].map(img => img.complete ? null :
                new Promise(r => { img.onload = img.onerror = r; })));
            await Promise.race([loaded, new Promise(r => setTimeout(r, 3000))]);
        }"""
    )


def no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_phone_journey_from_home_to_thank_you(page, demo_site, shoot):
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.set_viewport_size(PHONE)
    before = Inquiry.objects.count()  # the demo ships a few sample inquiries

    page.goto(demo_site + "/")
    expect(page.locator("h1")).to_contain_text("healthcare career")
    settle(page)
    assert no_horizontal_scroll(page)
    shoot(page, "1-home-phone")

    page.locator("main").get_by_role("link", name="Arlington campus", exact=True).click()
    expect(page.locator("h1")).to_have_text("Arlington campus")
    expect(page.get_by_text("Arlington has no fixed-route city bus")).to_be_visible()
    settle(page)
    assert no_horizontal_scroll(page)
    shoot(page, "2-arlington-phone")

    page.locator("article.campus-program").get_by_role("link", name=MA).click()
    expect(page.locator("h1")).to_have_text(MA)
    arlington = page.locator(".campus-schedule").filter(has_text="Arlington campus")
    expect(arlington.get_by_text("Evening classes", exact=True)).to_be_visible()
    first_start = arlington.locator("table.cohort-table tbody tr").first
    expect(first_start).to_be_visible()
    expect(first_start.locator("time").first).to_have_text(
        re.compile(r"[A-Z][a-z]{2} \d{1,2}, \d{4}")
    )
    expect(arlington.get_by_text("Tuition $15,950")).to_be_visible()
    expect(page.locator(".key-facts")).to_contain_text("$15,950")
    settle(page)
    assert no_horizontal_scroll(page)
    shoot(page, "3-program-phone")

    arlington.get_by_role("link", name="Ask about Arlington").click()
    expect(page.locator("h1")).to_have_text("Request information")
    expect(page.locator("#id_program")).to_have_value(
        "medical-assisting-nutrition-weight-management"
    )
    expect(page.locator("#id_campus")).to_have_value("arlington")

    page.get_by_label("Your name").fill("Maria Lopez")
    page.get_by_label("E-mail address").fill("maria@")  # the mistake
    page.get_by_role("radio", name="Text message").check()
    page.get_by_role("textbox", name=re.compile("^Phone number")).fill("817 555 0133")
    page.get_by_label("Questions or comments").fill("Is there a spot in the next evening class?")
    consent = page.get_by_role("checkbox", name=re.compile("I agree that"))
    expect(consent).to_have_accessible_name(re.compile("send me text messages"))
    consent.check()
    page.get_by_role("button", name="Send my request").click()

    email = page.get_by_label("E-mail address")
    expect(email).to_have_attribute("aria-invalid", "true")
    error = page.locator("#id_email_error")
    expect(error).to_contain_text("Enter a complete e-mail address")
    assert "id_email_error" in email.get_attribute("aria-describedby")
    expect(page.get_by_label("Questions or comments")).to_have_value(
        "Is there a spot in the next evening class?"
    )
    assert Inquiry.objects.count() == before
    shoot(page, "4-request-error-phone")

    email.fill("maria@example.com")
    page.get_by_role("button", name="Send my request").click()
    expect(page.locator("h1")).to_have_text("Thank you, Maria!")
    expect(page.get_by_text("Arlington campus will text you")).to_be_visible()
    shoot(page, "5-thank-you-phone")

    assert Inquiry.objects.count() == before + 1
    inquiry = Inquiry.objects.get(email="maria@example.com")
    assert inquiry.campus.slug == "arlington"
    assert inquiry.program.slug == "medical-assisting-nutrition-weight-management"
    assert inquiry.source_page.startswith("/programs/medical-assisting")
    assert sorted(m.to[0] for m in mail.outbox) == [
        "admissions.arlington@trinitycareer.example",
        "maria@example.com",
    ]
    assert errors == []


def test_honeypot_is_neither_visible_nor_focusable(page, demo_site):
    page.set_viewport_size(PHONE)
    page.goto(demo_site + "/request-info/")
    honeypot = page.locator("#id_website")
    expect(honeypot).not_to_be_in_viewport()
    page.get_by_label("Your name").focus()
    for _ in range(30):
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") != "id_website"


def test_filters_work_without_javascript(browser, demo_site):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(demo_site + "/programs/")
    page.get_by_label("Campus", exact=True).select_option("arlington")
    page.get_by_label("Schedule", exact=True).select_option("evening")
    page.get_by_role("button", name="Show programs").click()
    assert "campus=arlington" in page.url
    assert "schedule=evening" in page.url
    expect(page.locator("h2.result-count")).to_contain_text("at Arlington with evening classes")
    titles = page.locator(".program-card .card-title").all_inner_texts()
    assert MA in titles
    assert "Pharmacy Technician" not in titles
    context.close()


@pytest.mark.parametrize(
    ("path", "name"),
    [
        pytest.param(path, name, id=name)
        for path, name in [
            ("/", "home"),
            ("/programs/", "programs"),
            ("/programs/medical-assisting-nutrition-weight-management/", "program"),
            ("/campuses/", "campuses"),
            ("/campuses/dallas/", "dallas"),
            ("/request-info/", "request-info"),
            ("/disclosures/", "disclosures"),
        ]
    ],
)
def test_public_pages_look_right_and_pass_axe(page, demo_site, shoot, path, name):
    page.set_viewport_size(DESKTOP)
    page.goto(demo_site + path)
    settle(page)
    shoot(page, f"{name}-desktop")
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]
    assert serious == [], results.generate_report()
    page.set_viewport_size(PHONE)
    settle(page)
    assert no_horizontal_scroll(page)
    shoot(page, f"{name}-phone")
