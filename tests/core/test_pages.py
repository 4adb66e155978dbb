import json
from http import HTTPStatus
from unittest import mock

import pytest
from django.db.utils import OperationalError
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_page_renders_in_layout(client):
    response = client.get("/")
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert 'href="#main"' in html  # skip link
    assert html.count("<h1") == 1
    assert "<main" in html
    assert "<footer" in html
    assert "bundles/public.css" in html


def test_security_headers_on_a_page(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp  # a nonce is added only when a page uses one
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]


def test_hsts_and_ssl_redirect_under_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    assert client.get("/").status_code == HTTPStatus.MOVED_PERMANENTLY
    response = client.get("/", secure=True)
    assert response.status_code == HTTPStatus.OK
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_healthz_answers_200_with_json_when_database_is_up(client):
    response = client.get("/healthz")
    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_database_is_unreachable(client):
    with mock.patch("trainingcenter.views.connection") as conn:
        conn.cursor.side_effect = OperationalError("connection refused")
        response = client.get("/healthz")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert json.loads(response.content)["database"] == "unavailable"


def test_robots_txt_points_to_sitemap_and_hides_private_areas(client):
    response = client.get("/robots.txt")
    assert response.status_code == HTTPStatus.OK
    body = response.content.decode()
    assert "Disallow: /portal/" in body
    assert "Disallow: /admin/" in body
    # The canonical address, whatever host the request came in on.
    assert "Sitemap: https://www.trinitycareer.example/sitemap.xml" in body


def test_sitemap_is_xml(client):
    response = client.get(reverse("sitemap"))
    assert response.status_code == HTTPStatus.OK
    assert b"<urlset" in response.content


def test_unknown_url_gets_the_site_404_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "We couldn" in response.content.decode()
    assert "<footer" in response.content.decode()


def test_500_page_shows_no_stack_trace(rf):
    from trainingcenter.errors import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    body = response.content.decode()
    assert "Something went wrong" in body
    assert "Traceback" not in body


def test_403_page_in_layout(rf):
    from trainingcenter.errors import permission_denied

    request = rf.get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    response = permission_denied(request)
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "have access" in response.content.decode()
