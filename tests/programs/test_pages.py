import re
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from careers.models import CareerGuide
from programs.models import Campus, Disclosure
from tests.factories import make_certification, make_role

pytestmark = pytest.mark.django_db


def _text(response):
    """Page text with tags and repeated whitespace collapsed, for phrase checks."""
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _date(d):
    return f"{d:%b} {d.day}, {d.year}"


# --- campuses ------------------------------------------------------------------------


def test_campus_list_shows_each_campus_with_its_own_programs(client, catalog):
    response = client.get(reverse("programs:campus_list"))
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    dallas_part, arlington_part = html.split('id="campus-arlington"')
    assert "EKG Technician" in dallas_part
    assert "Medical Billing" not in dallas_part
    assert "Medical Billing" in arlington_part
    assert "EKG Technician" not in arlington_part
    assert "Secret Draft" not in html


def test_campus_detail_lists_programs_schedules_and_next_starts(client, catalog, today):
    response = client.get(reverse("programs:campus_detail", args=["arlington"]))
    assert response.status_code == HTTPStatus.OK
    text = _text(response)
    assert "Arlington campus" in text
    assert catalog["arlington"].street in text
    assert "Medical Billing" in text
    assert "EKG Technician" not in text
    assert "6:00 pm to 10:00 pm" in text
    # the full day class is skipped; the evening class (3 seats left) is the next start
    assert f"Next start {_date(today + timedelta(days=30))} 3 seats left" in text
    assert f"Next start {_date(today + timedelta(days=15))}" in text
    assertContains(response, 'Closer to <a href="/campuses/dallas/">Dallas</a>?')


def test_campus_detail_shows_visiting_information(client, two_campuses):
    dallas, _ = two_campuses
    dallas.parking = "Garage behind the building."
    dallas.transit = "DART Green Line, Market Center Station."
    dallas.map_url = "https://www.openstreetmap.org/?q=dallas"
    dallas.save()
    response = client.get(reverse("programs:campus_detail", args=["dallas"]))
    assertContains(response, "Garage behind the building.")
    assertContains(response, "DART Green Line")
    assertContains(response, 'href="https://www.openstreetmap.org/?q=dallas"')
    assertContains(response, 'href="tel:+12145550100"')
    assertContains(response, "No programs are scheduled at this campus yet")


@pytest.mark.parametrize("slug", ["houston", "no-such-campus"])
def test_unknown_campus_is_the_site_404(client, two_campuses, slug):
    response = client.get(f"/campuses/{slug}/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assertContains(response, "We couldn", status_code=HTTPStatus.NOT_FOUND)


def test_unpublished_campus_is_404(client, two_campuses):
    Campus.objects.filter(slug="dallas").update(published=False)
    assert client.get("/campuses/dallas/").status_code == HTTPStatus.NOT_FOUND


# --- program index -------------------------------------------------------------------


def _card_titles(response):
    return [p.title for p in response.context["programs"]]


def test_program_list_shows_published_programs_with_facts_and_next_starts(client, catalog, today):
    response = client.get(reverse("programs:list"))
    assert response.status_code == HTTPStatus.OK
    assert _card_titles(response) == ["EKG Technician", "Medical Assisting", "Medical Billing"]
    text = _text(response)
    assert "36 weeks" in text
    assert "720 hours" in text
    assert f"Next start {_date(today + timedelta(days=20))}" in text  # MA in Dallas
    assert "No start date scheduled: ask admissions" in text  # EKG
    assert "Secret Draft" not in text


def test_program_list_filters_by_campus(client, catalog):
    dallas = client.get(reverse("programs:list"), {"campus": "dallas"})
    arlington = client.get(reverse("programs:list"), {"campus": "arlington"})
    assert _card_titles(dallas) == ["EKG Technician", "Medical Assisting"]
    assert _card_titles(arlington) == ["Medical Assisting", "Medical Billing"]
    # a card filtered to Arlington shows only Arlington schedules
    assert "Dallas Day" not in _text(arlington)


def test_program_list_filters_combine(client, catalog):
    response = client.get(
        reverse("programs:list"),
        {"campus": "arlington", "schedule": "evening", "field": "clinical"},
    )
    assert _card_titles(response) == ["Medical Assisting"]
    text = _text(response)
    assert "1 program at Arlington in clinical healthcare with evening classes" in text
    # the filters stay in the form and in the campus links
    assertContains(response, '<option value="evening" selected>')
    assertContains(response, "?campus=dallas&amp;schedule=evening&amp;field=clinical")


def test_program_list_says_when_nothing_matches(client, catalog):
    response = client.get(reverse("programs:list"), {"campus": "dallas", "schedule": "evening"})
    assert response.status_code == HTTPStatus.OK
    assert _card_titles(response) == []
    assertContains(response, "No program matches all of these filters.")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"campus": "houston"}, "We have no campus by that name. Showing every campus."),
        ({"field": "astronomy"}, "That is not one of our fields of study."),
        ({"schedule": "midnight"}, "That is not a class schedule we offer."),
    ],
)
def test_invalid_filter_values_get_a_clear_message_not_an_error(client, catalog, query, message):
    response = client.get(reverse("programs:list"), query)
    assert response.status_code == HTTPStatus.OK
    assertContains(response, message)
    assert len(_card_titles(response)) == 3


def test_an_invalid_filter_keeps_the_valid_ones(client, catalog):
    response = client.get(reverse("programs:list"), {"campus": "houston", "schedule": "evening"})
    assert _card_titles(response) == ["Medical Assisting", "Medical Billing"]


# --- program detail ------------------------------------------------------------------


@pytest.fixture
def full_program(catalog):
    ma = catalog["ma"]
    ma.summary = "Clinical and front-office skills for medical practices."
    ma.tuition_includes = "Textbooks\nTwo sets of scrubs"
    ma.admission_requirements = "High school diploma or GED\nBackground check"
    ma.accreditation = "Accredited by a demo accreditor."
    ma.save()
    ma.courses.create(order=1, code="MA101", title="Medical terminology", hours=60)
    ma.courses.create(
        order=2, code="MA190", title="Clinical externship", hours=160, is_externship=True
    )
    ma.outcomes.create(
        year=2024,
        completion_rate=81.5,
        placement_rate=78,
        exam_pass_rate=84,
        exam_name="CCMA",
        source="Annual report to TWC",
    )
    cert = make_certification(
        name="Certified Clinical Medical Assistant", acronym="CCMA", slug="ccma"
    )
    role = make_role(title="Clinical Medical Assistant", slug="clinical-medical-assistant")
    ma.certifications.add(cert)
    ma.roles.add(role)
    return ma


def test_program_detail_shows_what_a_future_student_needs(client, full_program, today):
    response = client.get(full_program.get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    text = _text(response)
    for phrase in [
        "Medical Assisting",
        "Clinical and front-office skills for medical practices.",
        "36 weeks",
        "720",
        "Diploma",
        "$14,950",
        "Textbooks",
        "Two sets of scrubs",
        "Medical terminology",
        "Clinical externship",
        "Total 220",
        "High school diploma or GED",
        "Annual report to TWC",
        "81.5%",
        "84% CCMA",
        "Accredited by a demo accreditor.",
        "Dallas campus",
        "Arlington campus",
        "6:00 pm to 10:00 pm",
        _date(today + timedelta(days=20)),
        _date(today + timedelta(days=10)),  # the full cohort is listed, marked Full
        "Full: waitlist open",
        "3 seats left",
    ]:
        assert phrase in text, phrase


def test_program_detail_links_certifications_and_careers(client, full_program):
    response = client.get(full_program.get_absolute_url())
    assertContains(response, f'href="{reverse("careers:certification_detail", args=["ccma"])}"')
    assertContains(
        response, f'href="{reverse("careers:role_detail", args=["clinical-medical-assistant"])}"'
    )


def test_program_detail_offers_request_info_preselected_per_campus(client, full_program):
    response = client.get(full_program.get_absolute_url())
    url = reverse("programs:request_info")
    assertContains(response, f'href="{url}?program=medical-assisting&amp;campus=dallas"')
    assertContains(response, f'href="{url}?program=medical-assisting&amp;campus=arlington"')
    assertContains(response, f'href="{url}?program=medical-assisting"')


def test_program_without_upcoming_cohort_says_ask_admissions(client, catalog):
    response = client.get(catalog["ekg"].get_absolute_url())
    assertContains(response, "No upcoming start date is scheduled: ask admissions")


def test_program_without_any_offering_says_ask_admissions(client, catalog):
    catalog["ekg"].offerings.update(active=False)
    response = client.get(catalog["ekg"].get_absolute_url())
    assertContains(response, "This program has no upcoming start date yet.")


def test_unpublished_certifications_are_not_linked(client, full_program):
    full_program.certifications.update(published=False)
    response = client.get(full_program.get_absolute_url())
    assertNotContains(response, reverse("careers:certification_detail", args=["ccma"]))


@pytest.mark.parametrize("slug", ["secret-draft", "no-such-program"])
def test_unpublished_or_unknown_program_is_the_site_404(client, catalog, slug):
    response = client.get(f"/programs/{slug}/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assertContains(response, "We couldn", status_code=HTTPStatus.NOT_FOUND)


# --- home, disclosures, footer -------------------------------------------------------


def test_home_shows_both_campuses_featured_programs_and_next_starts(client, catalog, today):
    CareerGuide.objects.create(
        title="What does a medical assistant do?",
        slug="what-does-a-medical-assistant-do",
        meta_description="Duties, workplaces and certifications.",
        intro="Intro",
    )
    CareerGuide.objects.create(
        title="Draft guide", slug="draft", meta_description="x", intro="x", published=False
    )
    response = client.get(reverse("home"))
    assert response.status_code == HTTPStatus.OK
    text = _text(response)
    assert "Dallas campus" in text
    assert "Arlington campus" in text
    assert [row["program"].slug for row in response.context["featured_programs"]] == [
        "medical-assisting"
    ]
    assert _date(today + timedelta(days=20)) in text
    assert "What does a medical assistant do?" in text
    assertContains(response, 'href="/careers/guides/what-does-a-medical-assistant-do/"')
    assert "Draft guide" not in text
    assertContains(response, f'href="{reverse("programs:request_info")}"')


def test_home_without_featured_programs_shows_programs_anyway(client, catalog):
    catalog["ma"].featured = False
    catalog["ma"].save()
    response = client.get(reverse("home"))
    # every published program taught somewhere, the draft excluded
    assert [row["program"].slug for row in response.context["featured_programs"]] == [
        "ekg-technician",
        "medical-assisting",
        "medical-billing",
    ]


def test_disclosures_page_lists_staff_text(client, db):
    Disclosure.objects.create(
        title="Student complaints",
        slug="student-complaints",
        order=2,
        body="Talk to us first.\n\nThen write to TWC at https://www.twc.texas.gov/",
        footer_text="Complaints may go to the Texas Workforce Commission.",
    )
    Disclosure.objects.create(
        title="State approval", slug="state-approval", order=1, body="Demo school."
    )
    response = client.get(reverse("programs:disclosures"))
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert html.index("State approval") < html.index("Student complaints")
    assertContains(response, '<a href="https://www.twc.texas.gov/" rel="nofollow">')
    assertContains(response, 'id="student-complaints"')


def test_footer_shows_campuses_disclosure_notice_and_link(client, catalog):
    Disclosure.objects.create(
        title="Approval", slug="approval", body="x", footer_text="Approved by the TWC (demo)."
    )
    response = client.get(reverse("programs:list"))
    footer = response.content.decode().split("<footer", 1)[1]
    assert "Dallas campus" in footer
    assert catalog["arlington"].address_line in footer
    assert "Approved by the TWC (demo)." in footer
    assert reverse("programs:disclosures") in footer


def test_footer_follows_campus_edits(client, catalog):
    client.get(reverse("home"))  # fills the footer cache
    catalog["dallas"].phone = "(214) 555-0199"
    catalog["dallas"].save()
    response = client.get(reverse("programs:list"))
    assert "(214) 555-0199" in response.content.decode().split("<footer", 1)[1]


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/campuses/",
        "/campuses/dallas/",
        "/programs/",
        "/programs/medical-assisting/",
        "/request-info/",
        "/request-info/thank-you/",
        "/disclosures/",
    ],
)
def test_every_page_has_one_h1_title_description_and_canonical(client, catalog, url):
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert re.search(r"<title>[^<]{10,}</title>", html)
    assert re.search(r'<meta name="description" content="[^"]{30,}">', html)
    assert f'<link rel="canonical" href="http://testserver{url.split("?")[0]}">' in html
    assert 'property="og:title"' in html
    assert "style=" not in html
