"""Malformed and suspicious requests get the site's own 400 page, never Django's bare one."""

from http import HTTPStatus

import pytest

pytestmark = pytest.mark.django_db

TRAVERSALS = [
    "/media/../private/evidence.pdf",
    "/media/..%2F..%2Fetc%2Fpasswd",
    "/media/%2E%2E/trainingcenter/settings.py",
]


def assert_site_400(response, what):
    assert response.status_code == HTTPStatus.BAD_REQUEST, f"{what} -> {response.status_code}"
    html = response.content.decode()
    assert "Error 400" in html, what  # templates/400.html
    assert "We couldn&rsquo;t handle that request" in html, what
    assert 'class="site-header' in html, what  # in the site's layout
    assert "<footer" in html, what
    assert html.count("<h1") == 1, what


@pytest.mark.parametrize("url", TRAVERSALS)
def test_path_traversal_gets_the_site_400(client, url):
    assert_site_400(client.get(url), url)


def test_a_bad_host_header_gets_the_site_400_without_echoing_the_host(client):
    response = client.get("/", HTTP_HOST="evil.example.com")
    assert_site_400(response, "bad host")
    html = response.content.decode()
    assert "evil.example.com" not in html  # no canonical or og:url built from the bad host


def test_a_logged_in_student_gets_the_400_page_in_the_layout_too(student_client):
    assert_site_400(student_client.get(TRAVERSALS[0]), TRAVERSALS[0])
