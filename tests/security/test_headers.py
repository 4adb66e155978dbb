"""Security headers on every kind of response: pages, errors, files, feeds, JSON.

Every response carries a Content-Security-Policy without inline scripts, nosniff,
frame denial, a Referrer-Policy and a Permissions-Policy; under HTTPS, HSTS. Portal
pages and student files are `Cache-Control: private, no-store`."""

from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse

from accounts import services
from accounts.models import StudentProfile

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.security.urls")]


def csp_directives(value):
    directives = {}
    for part in value.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def assert_secure_headers(response, url):
    csp = csp_directives(response.headers.get("Content-Security-Policy", ""))
    assert csp, f"{url}: no Content-Security-Policy"
    scripts = csp.get("script-src", csp.get("default-src"))
    assert scripts is not None, f"{url}: CSP leaves scripts unrestricted"
    assert "'unsafe-inline'" not in scripts, url
    assert "'unsafe-eval'" not in scripts, url
    assert "*" not in scripts, url
    assert csp.get("frame-ancestors") == ["'none'"], url
    assert response.headers.get("X-Content-Type-Options") == "nosniff", url
    assert response.headers.get("X-Frame-Options") == "DENY", url
    assert response.headers.get("Referrer-Policy") in {
        "strict-origin-when-cross-origin",
        "no-referrer",
    }, url
    assert "camera=()" in response.headers.get("Permissions-Policy", ""), url


def assert_private(response, url):
    cache = {part.strip() for part in response.headers.get("Cache-Control", "").split(",")}
    assert {"private", "no-store"} <= cache, f"{url}: Cache-Control {cache}"


@pytest.fixture
def static_files(settings):
    # Tests do not run collectstatic: let WhiteNoise serve straight from the finders,
    # the way it serves collected files in production.
    settings.WHITENOISE_USE_FINDERS = True


@pytest.fixture
def public_media(settings):
    folder = settings.MEDIA_ROOT / "programs"
    folder.mkdir(parents=True)
    (folder / "hero.jpg").write_bytes(b"\xff\xd8\xff not really a jpeg")
    return "/media/programs/hero.jpg"


@pytest.fixture
def calendar_url(student, path):
    token = services.calendar_token_reset(user=student)
    assert StudentProfile.objects.get(user=student).calendar_token == token
    return reverse("portal:calendar", kwargs={"token": token})


def fetch(client, url, *, secure=False):
    client.raise_request_exception = False
    response = client.get(url, secure=secure)
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    return response


def public_responses(public_media):
    """(url, expected status) for what anyone may ask for."""
    return [
        ("/", HTTPStatus.OK),
        (reverse("programs:list"), HTTPStatus.OK),
        (reverse("programs:request_info"), HTTPStatus.OK),
        (reverse("careers:index"), HTTPStatus.OK),
        (reverse("account_login"), HTTPStatus.OK),
        ("/no-such-page/", HTTPStatus.NOT_FOUND),
        ("/test-forbidden/", HTTPStatus.FORBIDDEN),
        ("/test-boom/", HTTPStatus.INTERNAL_SERVER_ERROR),
        ("/static/bundles/public.css", HTTPStatus.OK),
        ("/static/vendor/bootstrap/js/bootstrap.bundle.min.js", HTTPStatus.OK),
        (public_media, HTTPStatus.OK),
        ("/media/programs/missing.jpg", HTTPStatus.NOT_FOUND),
        ("/healthz", HTTPStatus.OK),
        ("/robots.txt", HTTPStatus.OK),
        ("/sitemap.xml", HTTPStatus.OK),
        (reverse("portal:dashboard"), HTTPStatus.FOUND),  # to the login page
    ]


def student_responses(records, calendar_url):
    return [
        reverse("portal:dashboard"),
        records["path"].get_absolute_url(),
        reverse("portal:credentials"),
        reverse("portal:profile"),
        reverse("portal:profile_export"),
        records["evidence"].get_absolute_url(),
        records["activity"].get_proof_url(),
        calendar_url,
    ]


def test_public_responses_of_every_kind_carry_the_headers(client, static_files, public_media):
    for url, status in public_responses(public_media):
        response = fetch(client, url)
        assert response.status_code == status, url
        assert_secure_headers(response, url)


def test_portal_pages_and_files_carry_the_headers_and_are_never_stored(
    client, student, static_files, records, calendar_url
):
    client.force_login(student)
    for url in student_responses(records, calendar_url):
        response = fetch(client, url)
        assert response.status_code == HTTPStatus.OK, url
        assert_secure_headers(response, url)
        assert_private(response, url)


def test_calendar_feed_is_never_stored_even_without_a_session(client, calendar_url):
    response = fetch(client, calendar_url)
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("text/calendar")
    assert_secure_headers(response, calendar_url)
    assert_private(response, calendar_url)


def test_files_are_locked_down_further(student_client, records):
    for url in (records["evidence"].get_absolute_url(), records["activity"].get_proof_url()):
        response = fetch(student_client, url)
        csp = csp_directives(response["Content-Security-Policy"])
        assert csp["default-src"] == ["'none'"]
        assert "sandbox" in csp
        assert response["Content-Disposition"].startswith("attachment;")


def test_admin_and_account_pages_are_never_stored(staff_client):
    for url in ("/admin/", reverse("admin:accounts_enrollment_report"), reverse("account_email")):
        response = fetch(staff_client, url)
        assert response.status_code == HTTPStatus.OK, url
        assert_secure_headers(response, url)
        assert_private(response, url)


def test_csrf_failure_is_the_sites_403_page_with_the_headers(student):
    client = Client(enforce_csrf_checks=True)
    client.force_login(student)
    response = client.post(reverse("portal:calendar_reset"))
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert_secure_headers(response, "csrf failure")
    html = response.content.decode()
    assert "<footer" in html  # the site's own layout, not Django's bare page
    assert "reload" in html.lower()


def test_hsts_on_every_kind_of_response_under_https(
    settings, student, static_files, public_media, records, calendar_url
):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    client = Client()
    for url, _status in public_responses(public_media):
        response = fetch(client, url, secure=True)
        hsts = response.headers.get("Strict-Transport-Security", "")
        assert hsts.startswith("max-age=31536000"), url
        assert "includeSubDomains" in hsts, url
    client.force_login(student)
    for url in student_responses(records, calendar_url):
        response = fetch(client, url, secure=True)
        assert response.headers.get("Strict-Transport-Security", "").startswith("max-age="), url


def test_no_hsts_over_plain_http(settings, client):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    assert "Strict-Transport-Security" not in fetch(client, "/").headers
