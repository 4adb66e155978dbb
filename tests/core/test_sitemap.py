"""The sitemap speaks of the site at its canonical address only."""

import re
from http import HTTPStatus

import pytest
from django.contrib.sites.models import Site
from django.urls import reverse

from careers.models import CareerGuide

pytestmark = pytest.mark.django_db

CANONICAL = "https://www.trinitycareer.example/"


def addresses(xml):
    """Every address the sitemap gives: the pages and any alternates."""
    return re.findall(r"<loc>(.*?)</loc>", xml) + re.findall(r'href="(.*?)"', xml)


@pytest.mark.parametrize(("host", "secure"), [("testserver", False), ("localhost", True)])
def test_every_address_has_one_scheme_and_the_canonical_host(client, demo, host, secure):
    response = client.get(reverse("sitemap"), HTTP_HOST=host, secure=secure)
    assert response.status_code == HTTPStatus.OK
    found = addresses(response.content.decode())
    assert len(found) > 20
    assert [url for url in found if not url.startswith(CANONICAL)] == []


def test_the_disclosures_page_is_listed(client, demo):
    xml = client.get(reverse("sitemap")).content.decode()
    assert f"<loc>{CANONICAL}disclosures/</loc>" in xml


def test_the_host_follows_the_site_row(client, demo):
    Site.objects.filter(pk=1).update(domain="www.example.edu")
    Site.objects.clear_cache()
    xml = client.get(reverse("sitemap")).content.decode()
    assert "<loc>https://www.example.edu/disclosures/</loc>" in xml
    assert "trinitycareer" not in xml


def test_a_development_server_lists_http_addresses(client, demo, settings):
    settings.DEBUG = True
    found = addresses(client.get(reverse("sitemap")).content.decode())
    assert found
    assert all(url.startswith("http://www.trinitycareer.example/") for url in found)


def test_a_guide_is_dated_by_its_last_editorial_revision(client, demo):
    guide = CareerGuide.objects.get(slug="what-does-a-medical-assistant-do")
    guide.save()  # a typo fix today moves updated_at, not the editorial date
    xml = client.get(reverse("sitemap")).content.decode()
    entry = xml[xml.index(f"{CANONICAL}careers/guides/{guide.slug}/</loc>") :]
    assert re.search(r"<lastmod>(.*?)</lastmod>", entry)[1] == "2026-12-02"


def test_robots_txt_points_to_the_canonical_sitemap(client):
    body = client.get("/robots.txt", HTTP_HOST="localhost").content.decode()
    assert f"Sitemap: {CANONICAL}sitemap.xml" in body
