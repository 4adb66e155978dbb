import html as html_lib
import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from careers.models import CareerGuide, Certification, LaborFigure, Role
from tests.careers.helpers import by_type
from tests.factories import make_certification, make_role

pytestmark = pytest.mark.django_db

PAGES = [
    ("careers:index", {}),
    ("careers:certification_list", {}),
    ("careers:certification_detail", {"slug": "cma"}),
    ("careers:certification_detail", {"slug": "maac"}),
    ("careers:role_detail", {"slug": "medical-assistant"}),
    ("careers:role_detail", {"slug": "clinical-medical-assistant"}),
    ("careers:guide_detail", {"slug": "what-does-a-medical-assistant-do"}),
    ("careers:find_your_path", {}),
]


def text(response):
    """The page's visible text, whitespace collapsed."""
    html = response.content.decode()
    html = re.sub(r"<script.*?</script>|<style.*?</style>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", html)))


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_every_page_has_its_own_head_and_one_h1(client, careers_demo, name, kwargs):
    url = reverse(name, kwargs=kwargs)
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert html.count("<h1") == 1
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert title.strip() != "Trinity Career Institute"
    description = re.search(r'<meta name="description" content="([^"]*)"', html).group(1)
    assert len(description) > 50
    assert f'<link rel="canonical" href="http://testserver{url}">' in html
    assert ' style="' not in html  # CSP: no inline styles
    crumbs = by_type(response, "BreadcrumbList")
    assert len(crumbs) == 1
    assert crumbs[0]["itemListElement"][-1]["item"] == f"http://testserver{url}"


def test_careers_index_links_roles_guides_certifications_and_path_finder(client, careers_demo):
    response = client.get(reverse("careers:index"))
    html = response.content.decode()
    for role in Role.objects.all():
        assert f'href="{role.get_absolute_url()}"' in html
    for cert in Certification.objects.all():
        assert f'href="{cert.get_absolute_url()}"' in html
    assert 'href="/careers/guides/what-does-a-medical-assistant-do/"' in html
    assert f'href="{reverse("careers:find_your_path")}"' in html
    assert f'href="{reverse("careers:certification_list")}"' in html


def test_comparison_lists_the_medical_assistant_certifications_with_their_bodies(
    client, careers_demo
):
    response = client.get(reverse("careers:certification_list"))
    page = text(response)
    table = response.content.decode().split('class="table compare-table"')[1].split("</table>")[0]
    for acronym, body in [
        ("CMA", "American Association of Medical Assistants"),
        ("RMA", "American Medical Technologists"),
        ("CCMA", "National Healthcareer Association"),
        ("CMAA", "National Healthcareer Association"),
        ("MAAC", "American Medical Certification Association"),
    ]:
        assert f'<span class="compare-acronym">{acronym}</span>' in table
        assert body in page
    # The table's columns: body, track, eligibility, exam, renewal, CE.
    for label in ["Issued by", "Track", "Eligibility", "Exam", "Renewal", "Continuing education"]:
        assert f'data-label="{label}"' in table
    assert "CPT" not in table  # related credentials get their own table
    assert "200 multiple-choice questions, 160 minutes" in page
    assert "Every 5 years, from the end of the month certified" in page
    assert (
        "60 per cycle: 10 administrative points, 10 clinical points, 10 general points, "
        "30 points in any category" in page
    )
    assert "30 CCP points per cycle" in page
    # Exam "confirm" flags are for staff: visitors are sent to the body's page instead.
    assert "Confirm with AMCA" not in page
    assert "confirm-badge" not in response.content.decode()
    assert "See AMCA" in page


def test_certification_detail_shows_facts_sources_routes_and_path(client, careers_demo):
    response = client.get(reverse("careers:certification_detail", kwargs={"slug": "rma"}))
    page = text(response)
    assert "Registered Medical Assistant (RMA)" in page
    for route in ["Education", "Military", "Work experience", "Apprenticeship", "Instructors"]:
        assert route in page
    assert "Our sources don\u2019t agree on the details of this route" in page
    assert "checked November 2026" in page
    assert 'href="https://americanmedtech.org/"' in response.content.decode()
    assert "About 210" in page
    assert "120 minutes" in page
    assert "Your path to the RMA" in page
    assert "Complete the 160-hour externship" in page
    assert "Track 160 hours" in page
    assert "Verified by staff" in page
    assert "None of our current programs prepares for this exam" in page


def test_certification_detail_lists_programs_and_their_campuses(client, school):
    response = client.get(reverse("careers:certification_detail", kwargs={"slug": "cma"}))
    html = response.content.decode()
    assert f'href="{reverse("programs:detail", kwargs={"slug": school["ma"].slug})}"' in html
    for slug in ["dallas", "arlington"]:
        assert f'href="{reverse("programs:campus_detail", kwargs={"slug": slug})}"' in html
    page = text(response)
    assert "Arlington : day, evening classes" in page
    assert "Dallas : day classes" in page
    assert "Medical Administrative Assistant" not in page  # prepares for CMAA/MAAC only


def test_certification_json_ld_is_an_educational_occupational_credential(client, careers_demo):
    response = client.get(reverse("careers:certification_detail", kwargs={"slug": "cma"}))
    [credential] = by_type(response, "EducationalOccupationalCredential")
    assert credential["@context"] == "https://schema.org"
    assert credential["name"] == "Certified Medical Assistant (CMA)"
    assert credential["recognizedBy"]["name"] == "American Association of Medical Assistants"
    assert credential["validFor"] == "P60M"
    assert credential["url"] == "http://testserver/careers/certifications/cma/"
    names = [c["name"] for c in by_type(response, "BreadcrumbList")[0]["itemListElement"]]
    assert names == ["Home", "Careers", "Certifications", "CMA"]


def test_unpublished_or_unknown_pages_are_404(client, careers_demo):
    Certification.objects.filter(slug="cet").update(published=False)
    Role.objects.filter(slug="ekg-technician").update(published=False)
    for url in [
        reverse("careers:certification_detail", kwargs={"slug": "cet"}),
        reverse("careers:certification_detail", kwargs={"slug": "nope"}),
        reverse("careers:role_detail", kwargs={"slug": "ekg-technician"}),
        reverse("careers:role_detail", kwargs={"slug": "nope"}),
        reverse("careers:guide_detail", kwargs={"slug": "nope"}),
    ]:
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND, url
    assert "CET" not in text(client.get(reverse("careers:certification_list")))


def test_role_page_shows_duties_with_sources_and_labour_figures_with_source_and_year(
    client, careers_demo
):
    response = client.get(reverse("careers:role_detail", kwargs={"slug": "medical-assistant"}))
    page = text(response)
    assert "SOC 31-9092" in page
    assert "Measure vital signs, such as blood pressure BLS" in page
    assert "Texas Career Check" in page
    assert "$44,200" in page
    assert "Data: May 2024 pay; 2024-2034 projections" in page
    assert "U.S. Bureau of Labor Statistics, Occupational Outlook Handbook" in page
    assert "$36,914" in page
    assert "Data: 2020-2030 projections; wage year unclear" in page
    assert "Sources disagree: confirm with the source" in page
    assert "72,040 jobs, projected 92,940" in page
    assert "Projections Central" in page
    assert "Physicians' offices" in page
    assert "Clinical medical assistant" in page  # its specialisations
    assert 'href="/careers/guides/what-does-a-medical-assistant-do/"' in response.content.decode()


def test_role_json_ld_is_an_occupation_with_soc_and_salary(client, careers_demo):
    response = client.get(reverse("careers:role_detail", kwargs={"slug": "medical-assistant"}))
    [occupation] = by_type(response, "Occupation")
    assert occupation["name"] == "Medical assistant"
    assert occupation["occupationalCategory"]["codeValue"] == "31-9092"
    # The BLS figure is a median, Texas Career Check's an average (mean).
    salaries = {s["@type"]: s for s in occupation["estimatedSalary"]}
    assert salaries["MonetaryAmountDistribution"]["median"] == 44200
    assert salaries["MonetaryAmount"]["value"] == 36914
    assert "median" not in salaries["MonetaryAmount"]
    assert all(s["currency"] == "USD" for s in occupation["estimatedSalary"])
    assert "Schedule patient appointments" in occupation["responsibilities"]
    assert {"@type": "State", "name": "Texas"} in occupation["occupationLocation"]


def test_specialisation_shows_the_umbrella_roles_figures(client, careers_demo):
    response = client.get(
        reverse("careers:role_detail", kwargs={"slug": "clinical-medical-assistant"})
    )
    page = text(response)
    assert "The figures cover all medical assistants (SOC 31-9092)" in page
    assert "$44,200" in page
    assert "CMA (AAMA)" in page
    assert "CMAA" not in page
    names = [c["name"] for c in by_type(response, "BreadcrumbList")[0]["itemListElement"]]
    assert names == ["Home", "Careers", "Medical assistant", "Clinical medical assistant"]
    [occupation] = by_type(response, "Occupation")
    assert {s.get("median") or s["value"] for s in occupation["estimatedSalary"]} == {44200, 36914}


def test_guide_covers_every_seed_section(client, careers_demo):
    response = client.get(
        reverse("careers:guide_detail", kwargs={"slug": "what-does-a-medical-assistant-do"})
    )
    html = response.content.decode()
    page = text(response)
    # Table of contents pointing at each section.
    for anchor in [
        "an-umbrella-term",
        "clinical-or-administrative",
        "duties",
        "what-changes-the-job",
        "certifications",
        "start-your-training",
    ]:
        assert f'href="#{anchor}"' in html
        assert f'id="{anchor}"' in html
    # The umbrella term and what it depends on.
    assert '"Medical assistant" covers a family of jobs' in page
    for factor in ["type of facility", "certifications the employer requires", "physicians"]:
        assert factor in page
    # Clinical vs administrative and the certifications accepted for each.
    clinical, administrative = html.split("track-panel-clinical")[1].split(
        "track-panel-administrative"
    )
    assert "CMA" in clinical
    assert "RMA" in clinical
    assert "CMAA" not in clinical
    assert "CMAA" in administrative
    assert "MAAC" in administrative
    # The duties, with their sources.
    assert "Give patients injections or medications" in page
    assert "Schedule patient appointments" in page
    assert "Texas Career Check" in page
    # The three workplace factors, each with its contrast.
    for label in [
        "Size of the medical team",
        "Small private practice",
        "Large group practice",
        "Workplace structure and patient volume",
        "High-volume hospital practice",
        "Type of practice",
        "Urgent care clinic",
        "Dermatology or other specialty clinic",
    ]:
        assert label in page
    assert "workers' compensation" in page


def test_guide_ends_with_calls_to_action_for_both_campuses(client, school):
    response = client.get(
        reverse("careers:guide_detail", kwargs={"slug": "what-does-a-medical-assistant-do"})
    )
    html = response.content.decode()
    cta = html.split('id="start-your-training"')[1]
    for slug in ["dallas", "arlington"]:
        assert f'href="{reverse("programs:campus_detail", kwargs={"slug": slug})}"' in cta
        assert f'href="{reverse("programs:request_info")}?campus={slug}"' in cta
    for program in [school["ma"], school["maa"]]:
        assert f'href="{reverse("programs:detail", kwargs={"slug": program.slug})}"' in cta
    assert f"next start {school['first_start']:%b} {school['first_start'].day}" in text(response)
    [article] = by_type(response, "Article")
    assert article["headline"] == "What does a medical assistant do?"


def test_guide_without_programs_says_so_instead_of_an_empty_block(client, careers_demo):
    response = client.get(
        reverse("careers:guide_detail", kwargs={"slug": "what-does-a-medical-assistant-do"})
    )
    assert "Our program schedule is being updated" in text(response)


def test_admin_text_cannot_break_out_of_json_ld(client, db):
    cert = make_certification(
        slug="evil",
        name="</script><script>alert(1)</script>",
        summary="<!-- & </SCRIPT>",
    )
    response = client.get(cert.get_absolute_url())
    html = response.content.decode()
    assert "<script>alert(1)" not in html
    [credential] = by_type(response, "EducationalOccupationalCredential")
    assert credential["name"].startswith("</script><script>alert(1)</script>")
    assert credential["description"] == "<!-- & </SCRIPT>"


def test_rich_text_escapes_staff_html(client, db):
    role = make_role(slug="r", description="<b>bold</b>\n\n- <i>one</i>\n- two")
    html = client.get(role.get_absolute_url()).content.decode()
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "<li>&lt;i&gt;one&lt;/i&gt;</li><li>two</li>" in html


def test_staff_corrections_show_on_the_site(client, careers_demo):
    figure = LaborFigure.objects.get(role__slug="medical-assistant", region="us")
    figure.annual_pay = 45100
    figure.data_year = "May 2025"
    figure.save()
    CareerGuide.objects.filter(slug="what-does-a-medical-assistant-do").update(
        title="What do medical assistants do all day?"
    )
    page = text(client.get(reverse("careers:role_detail", kwargs={"slug": "medical-assistant"})))
    assert "$45,100" in page
    assert "Data: May 2025" in page
    guide = client.get(
        reverse("careers:guide_detail", kwargs={"slug": "what-does-a-medical-assistant-do"})
    )
    assert "What do medical assistants do all day?" in text(guide)


def test_sitemap_lists_every_careers_page(client, careers_demo):
    Role.objects.filter(slug="ekg-technician").update(published=False)
    # Locations use the Sites framework domain; compare paths.
    xml = client.get(reverse("sitemap")).content.decode()
    assert "/careers/</loc>" in xml
    assert "/careers/certifications/</loc>" in xml
    assert "/careers/find-your-path/</loc>" in xml
    assert "/careers/guides/what-does-a-medical-assistant-do/</loc>" in xml
    for cert in Certification.objects.all():
        assert f"{cert.get_absolute_url()}</loc>" in xml
    for role in Role.objects.published():
        assert f"{role.get_absolute_url()}</loc>" in xml
    assert "/careers/ekg-technician/" not in xml
