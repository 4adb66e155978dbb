import re
from http import HTTPStatus

import pytest
from django.contrib.sites.models import Site
from django.core.files.base import ContentFile
from django.urls import reverse

from programs.images import SLOT_SIZES
from programs.models import Campus
from tests.factories import make_campus
from tests.programs.conftest import image_bytes, json_ld_blocks

pytestmark = pytest.mark.django_db


def _types(response):
    return {block["@type"] for block in json_ld_blocks(response)}


def _block(response, kind):
    return next(b for b in json_ld_blocks(response) if b["@type"] == kind)


def test_home_has_organization_with_one_address_per_campus(client, catalog):
    org = _block(client.get("/"), "EducationalOrganization")
    assert org["@context"] == "https://schema.org"
    assert org["name"] == "Trinity Career Institute"
    addresses = org["address"]
    assert [a["addressLocality"] for a in addresses] == ["Dallas", "Arlington"]
    assert all(a["@type"] == "PostalAddress" and a["addressRegion"] == "TX" for a in addresses)
    assert len(org["contactPoint"]) == 2


@pytest.mark.parametrize("url", ["/campuses/", "/campuses/dallas/"])
def test_campus_pages_have_organization_and_breadcrumbs(client, catalog, url):
    response = client.get(url)
    assert {"EducationalOrganization", "BreadcrumbList"} <= _types(response)
    crumbs = _block(response, "BreadcrumbList")["itemListElement"]
    assert crumbs[0]["name"] == "Home"
    assert crumbs[-1]["item"] == f"http://testserver{url}"
    assert [c["position"] for c in crumbs] == list(range(1, len(crumbs) + 1))


def test_program_index_has_item_list_of_published_programs(client, catalog):
    response = client.get("/programs/")
    items = _block(response, "ItemList")["itemListElement"]
    assert [i["name"] for i in items] == ["EKG Technician", "Medical Assisting", "Medical Billing"]
    assert items[1]["url"] == "http://testserver/programs/medical-assisting/"
    assert "BreadcrumbList" in _types(response)


def test_program_page_has_program_with_courses(client, catalog, today):
    ma = catalog["ma"]
    ma.courses.create(order=1, code="MA101", title="Terminology", hours=60, description="Words.")
    ma.courses.create(order=2, title="Externship", hours=160, is_externship=True)
    ma.admission_requirements = "GED"
    ma.save()
    response = client.get(ma.get_absolute_url())
    assert {"EducationalOccupationalProgram", "BreadcrumbList"} <= _types(response)
    program = _block(response, "EducationalOccupationalProgram")
    assert program["name"] == "Medical Assisting"
    assert program["timeToComplete"] == "P36W"
    assert program["offers"]["priceCurrency"] == "USD"
    assert program["provider"]["@type"] == "EducationalOrganization"
    assert program["programPrerequisites"] == ["GED"]
    assert sorted(program["timeOfDay"]) == ["Day", "Evening"]
    assert program["startDate"] > today.isoformat()
    courses = program["hasCourse"]
    assert [c["@type"] for c in courses] == ["Course", "Course"]
    assert courses[0]["courseCode"] == "MA101"
    assert courses[1]["timeRequired"] == "PT160H"
    # EducationalOccupationalProgram has no "location": the campuses are the provider's.
    assert "location" not in program
    addresses = program["provider"]["address"]
    assert {a["name"] for a in addresses} == {"Dallas campus", "Arlington campus"}
    assert all(a["@type"] == "PostalAddress" for a in addresses)


def test_json_ld_cannot_break_out_of_its_script(client, catalog):
    ma = catalog["ma"]
    ma.summary = "Evil </script><script>alert(1)</script> & more"
    ma.save()
    response = client.get(ma.get_absolute_url())
    html = response.content.decode()
    ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in ld
    assert "\\u003C/script\\u003E" in ld
    assert _block(response, "EducationalOccupationalProgram")["description"].startswith(
        "Evil </script>"
    )


def test_open_graph_image_uses_the_program_rendition(client, catalog):
    ma = catalog["ma"]
    ma.hero_image = ContentFile(image_bytes(size=(1800, 1000)), name="hero.jpg")
    ma.save()
    html = client.get(ma.get_absolute_url()).content.decode()
    og = re.search(r'<meta property="og:image" content="([^"]+)">', html).group(1)
    assert og.startswith("http://testserver/media/renditions/programs/")
    assert re.search(r"-1600w\.[0-9a-f]{12}\.jpg$", og), og
    # and the page serves the hero with srcset, width/height, WebP first
    assert '<source type="image/webp" srcset="' in html
    assert 'width="1600" height="889"' in html
    assert 'fetchpriority="high"' in html


def test_cards_below_the_fold_load_lazily(client, catalog):
    for program in (catalog["ma"], catalog["billing"]):
        program.hero_image = ContentFile(image_bytes(size=(1000, 600)), name="card.jpg")
        program.save()
    html = client.get("/programs/").content.decode()
    assert html.count('loading="lazy"') == 2
    assert f'sizes="{SLOT_SIZES["program-card"]}"' in html


def test_site_row_has_the_real_domain():
    site = Site.objects.get(pk=1)
    assert site.domain == "www.trinitycareer.example"
    assert site.name == "Trinity Career Institute"


def test_sitemap_lists_published_programs_and_campuses_on_the_real_domain(client, catalog):
    make_campus(name="Fort Worth", slug="fort-worth", published=False)
    response = client.get(reverse("sitemap"))
    assert response.status_code == HTTPStatus.OK
    xml = response.content.decode()
    locs = set(re.findall(r"<loc>(.*?)</loc>", xml))
    base = "https://www.trinitycareer.example"
    for path in [
        "/programs/medical-assisting/",
        "/programs/medical-billing/",
        "/programs/ekg-technician/",
        "/campuses/dallas/",
        "/campuses/arlington/",
        "/programs/",
        "/campuses/",
    ]:
        assert base + path in locs, path
    assert base + "/programs/secret-draft/" not in locs
    assert base + "/campuses/fort-worth/" not in locs
    assert "<lastmod>" in xml


def test_unpublishing_removes_a_campus_from_the_sitemap(client, catalog):
    Campus.objects.filter(slug="arlington").update(published=False)
    xml = client.get(reverse("sitemap")).content.decode()
    assert "/campuses/arlington/" not in xml
