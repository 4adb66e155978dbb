# ruff: noqa: F811  (pytest fixtures imported from other test packages)
"""Unknown URLs, ids and slugs in every area get the site's own 404 page, never a 500.

Includes drafts (unpublished programs, roles, certifications, guides), malformed and
hostile paths, and the portal ids of another student's records."""

from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse

from careers.models import CareerGuide
from tests.accounts.conftest import (  # noqa: F401  (fixtures shared with the portal tests)
    certification,
    cohort,
    enroll,
    other_path,
    path,
    step,
)
from tests.factories import make_campus, make_certification, make_program, make_role
from tests.security.conftest import records  # noqa: F401

pytestmark = pytest.mark.django_db

PUBLIC_UNKNOWN = [
    "/no-such-page/",
    "/no-such-page",
    "/index.php",
    "/wp-login.php",
    "/.env",
    "/.git/config",
    "/campuses/nowhere/",
    "/campuses/DALLAS-X/",
    "/campuses/%E2%80%AE/",
    "/programs/no-such-program/",
    "/programs/%00/",
    "/programs/" + "a" * 300 + "/",
    "/programs/caf%C3%A9/",
    "/programs/../../etc/passwd",
    "/programs/1/2/3/",
    "/request-info/extra/",
    "/careers/no-such-role/",
    "/careers/certifications/no-such-cert/",
    "/careers/guides/no-such-guide/",
    "/careers/find-your-path/extra/",
    "/careers/%F0%9F%92%A9/",
    "/static/css/no-such-file.css",
    "/static/../trainingcenter/settings.py",
    "/media/no-such-file.jpg",
    "/media/profiles/",
    "/portal/calendar/" + "x" * 40 + ".ics",
    "/portal/calendar/short.ics",
    "/accounts/no-such-page/",
    "/sitemap.xml/extra",
    "/robots.txt/",
]


def assert_site_404(response, url):
    assert response.status_code == HTTPStatus.NOT_FOUND, f"{url} -> {response.status_code}"
    html = response.content.decode()
    assert "We couldn" in html, url  # templates/404.html
    assert "<footer" in html, url
    assert html.count("<h1") == 1, url


@pytest.fixture
def drafts(db):
    make_campus(name="Closed", slug="closed-campus", published=False)
    make_program(title="Secret draft", slug="secret-draft", published=False)
    make_role(title="Draft role", slug="draft-role", published=False)
    make_certification(acronym="DRF", slug="draft-cert", published=False)
    CareerGuide.objects.create(
        title="Draft guide",
        slug="draft-guide",
        meta_description="Not yet.",
        intro="Not yet.",
        published=False,
    )
    return [
        "/campuses/closed-campus/",
        "/programs/secret-draft/",
        "/careers/draft-role/",
        "/careers/certifications/draft-cert/",
        "/careers/guides/draft-guide/",
    ]


@pytest.mark.parametrize("url", PUBLIC_UNKNOWN)
def test_unknown_public_urls_get_the_site_404(client, url):
    assert_site_404(client.get(url), url)


@pytest.mark.parametrize("url", PUBLIC_UNKNOWN[:12])
def test_unknown_urls_get_the_site_404_when_logged_in_too(student_client, url):
    assert_site_404(student_client.get(url), url)


def test_drafts_are_404_for_visitors(client, drafts):
    for url in drafts:
        assert_site_404(client.get(url), url)


def test_unknown_invitation_links_get_a_404_in_the_site_layout(client):
    response = client.get("/portal/invitation/not-a-real-token/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    html = response.content.decode()
    assert "This invitation link is not valid" in html  # a 404 page that says what to do
    assert "<footer" in html


def other_students_urls(r):
    hours = step(r["path"], "Externship hours")
    return {
        "get": [
            reverse("portal:path_detail", kwargs={"pk": r["path"].pk}),
            reverse("portal:evidence_download", kwargs={"pk": r["evidence"].pk}),
            reverse("portal:ce_proof_download", kwargs={"pk": r["activity"].pk}),
            reverse("portal:path_detail", kwargs={"pk": 987654}),
            reverse("portal:evidence_download", kwargs={"pk": 987654}),
            reverse("portal:ce_proof_download", kwargs={"pk": 987654}),
            "/portal/paths/0/",
            "/portal/paths/abc/",
            "/portal/paths/-1/",
            "/portal/paths/99999999999999999999999/",
            "/portal/no-such-page/",
        ],
        "post": [
            reverse("portal:step_count", kwargs={"pk": hours.pk}),
            reverse("portal:step_date", kwargs={"pk": hours.pk}),
            reverse("portal:step_done", kwargs={"pk": hours.pk}),
            reverse("portal:step_evidence", kwargs={"pk": hours.pk}),
            reverse("portal:ce_add", kwargs={"pk": r["credential"].pk}),
            reverse("portal:ce_delete", kwargs={"pk": r["activity"].pk}),
            reverse("portal:step_count", kwargs={"pk": 987654}),
            reverse("portal:ce_delete", kwargs={"pk": 987654}),
        ],
    }


def test_another_students_ids_get_the_site_404(other_student, records):
    client = Client()
    client.force_login(other_student)
    urls = other_students_urls(records)
    for url in urls["get"]:
        assert_site_404(client.get(url), url)
    for url in urls["post"]:
        assert_site_404(client.post(url, {}), url)
    assert records["credential"].ce_activities.count() == 1
