"""Brotli and gzip: only the anonymous cached pages, never a page with a secret in it;
static files in both encodings."""

# ruff: noqa: F811  (pytest fixtures imported from other test packages)
import gzip
import io
import sys
from http import HTTPStatus

import brotli
import pytest
from django.core.files.storage import FileSystemStorage
from django.urls import reverse
from whitenoise import WhiteNoise
from whitenoise.storage import CompressedManifestStaticFilesStorage

from tests.programs.conftest import catalog, today, two_campuses  # noqa: F401
from trainingcenter import compression

pytestmark = pytest.mark.django_db

BROWSER = "gzip, deflate, br, zstd"


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 600


def decoded(response):
    encoding = response.get("Content-Encoding")
    body = response.content
    return {None: bytes, "br": brotli.decompress, "gzip": gzip.decompress}[encoding](body)


def vary(response):
    return {item.strip().lower() for item in response.get("Vary", "").split(",")}


@pytest.mark.parametrize(
    ("header", "chosen"),
    [
        ("", "identity"),
        (BROWSER, "br"),
        ("gzip, deflate", "gzip"),
        ("br;q=0, gzip", "gzip"),
        ("gzip;q=1.0, br;q=0.5", "gzip"),
        ("BR", "br"),
        ("x-gzip", "gzip"),
        ("*", "br"),
        ("*;q=0", "identity"),
        ("*, br;q=0", "gzip"),
        ("gzip;q=0, br;q=0", "identity"),
        ("identity", "identity"),
        ("deflate", "identity"),
        ("br;q=junk, gzip;q=0.1", "gzip"),
    ],
)
def test_the_encoding_follows_accept_encoding(header, chosen):
    assert compression.negotiate(header) == chosen


def test_only_text_worth_compressing_gets_variants():
    page = b"<p>" + b"Medical assisting in Dallas. " * 40 + b"</p>"
    assert set(compression.variants(page, "text/html; charset=utf-8")) == {"identity", "br", "gzip"}
    assert set(compression.variants(b"<p>ok</p>", "text/html")) == {"identity"}
    assert set(compression.variants(page, "image/png")) == {"identity"}


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_cached_pages_are_sent_compressed_on_miss_and_hit(page_cache, client, catalog, encoding):
    plain = client.get("/programs/")
    assert plain["X-Page-Cache"] == "miss"
    assert "Content-Encoding" not in plain
    assert "accept-encoding" in vary(plain)
    for state in ("hit", "hit"):
        response = client.get("/programs/", HTTP_ACCEPT_ENCODING=encoding)
        assert response["X-Page-Cache"] == state
        assert response["Content-Encoding"] == encoding
        assert "accept-encoding" in vary(response)
        assert int(response["Content-Length"]) == len(response.content)
        assert len(response.content) < len(plain.content) / 3
        assert decoded(response) == plain.content


def test_the_first_request_in_an_encoding_is_compressed_too(page_cache, client, catalog):
    response = client.get("/programs/", HTTP_ACCEPT_ENCODING=BROWSER)
    assert response["X-Page-Cache"] == "miss"
    assert response["Content-Encoding"] == "br"
    assert int(response["Content-Length"]) == len(response.content)
    again = client.get("/programs/", HTTP_ACCEPT_ENCODING=BROWSER)
    assert again["X-Page-Cache"] == "hit"
    assert again.content == response.content
    assert client.get("/programs/")["X-Page-Cache"] == "hit"  # every variant was stored


def test_refused_encodings_are_never_sent(page_cache, client, catalog):
    client.get("/programs/")
    response = client.get("/programs/", HTTP_ACCEPT_ENCODING="br;q=0, gzip;q=0")
    assert response["X-Page-Cache"] == "hit"
    assert "Content-Encoding" not in response
    assert client.get("/programs/", HTTP_ACCEPT_ENCODING="br;q=0, gzip")["Content-Encoding"] == (
        "gzip"
    )


def test_head_has_the_length_of_the_variant(page_cache, client, catalog):
    get = client.get("/programs/", HTTP_ACCEPT_ENCODING=BROWSER)
    head = client.head("/programs/", HTTP_ACCEPT_ENCODING=BROWSER)
    assert head.status_code == HTTPStatus.OK
    assert head["X-Page-Cache"] == "hit"
    assert head["Content-Encoding"] == "br"
    assert head["Content-Length"] == get["Content-Length"]
    assert head.content == b""


def test_hits_carry_the_same_headers_as_misses(page_cache, client, catalog):
    miss = client.get("/programs/", HTTP_ACCEPT_ENCODING=BROWSER)
    hit = client.get("/programs/", HTTP_ACCEPT_ENCODING=BROWSER)
    assert (miss["X-Page-Cache"], hit["X-Page-Cache"]) == ("miss", "hit")
    names = {name.lower() for name in miss.headers} - {"x-page-cache"}
    assert names == {name.lower() for name in hit.headers} - {"x-page-cache"}
    for name in (
        "Content-Security-Policy",
        "Content-Type",
        "Permissions-Policy",
        "Referrer-Policy",
        "X-Content-Type-Options",
        "X-Frame-Options",
        "Cross-Origin-Opener-Policy",
        "Vary",
    ):
        assert hit[name] == miss[name], name


def test_languages_have_their_own_compressed_pages(page_cache, client, catalog):
    for _ in range(2):
        english = client.get("/programs/", HTTP_ACCEPT_ENCODING=BROWSER)
        spanish = client.get("/es/programs/", HTTP_ACCEPT_ENCODING=BROWSER)
    assert (english["X-Page-Cache"], spanish["X-Page-Cache"]) == ("hit", "hit")
    assert b'<html lang="en"' in decoded(english)
    assert b'<html lang="es"' in decoded(spanish)


# --- Never compressed: anything that may carry a secret ---------------------------------


def assert_uncompressed(response):
    assert "Content-Encoding" not in response
    assert "X-Page-Cache" not in response


def test_logged_in_pages_are_not_compressed(page_cache, student_client, catalog):
    for url in ("/", "/programs/", "/portal/", "/accounts/email/"):
        response = student_client.get(url, HTTP_ACCEPT_ENCODING=BROWSER)
        assert response.status_code == HTTPStatus.OK, url
        assert_uncompressed(response)


def test_staff_pages_are_not_compressed(page_cache, staff_client, settings):
    settings.STAFF_REQUIRE_MFA = False
    response = staff_client.get("/admin/", HTTP_ACCEPT_ENCODING=BROWSER)
    assert response.status_code == HTTPStatus.OK
    assert_uncompressed(response)


@pytest.mark.parametrize("url", ["/accounts/login/", "/es/accounts/login/", "/apply/"])
def test_forms_with_a_csrf_token_are_not_compressed(page_cache, client, url):
    for _ in range(2):
        response = client.get(url, HTTP_ACCEPT_ENCODING=BROWSER, follow=True)
        assert response.status_code == HTTPStatus.OK
        assert_uncompressed(response)


def test_a_form_on_a_public_page_leaves_it_uncompressed(page_cache, client, catalog):
    # The request-information form sets the CSRF cookie: the page is neither stored nor
    # compressed, whatever the browser accepts.
    for _ in range(2):
        response = client.get(reverse("programs:request_info"), HTTP_ACCEPT_ENCODING=BROWSER)
        assert response.status_code == HTTPStatus.OK
        assert b"csrfmiddlewaretoken" in response.content
        assert_uncompressed(response)


def test_visitors_with_a_session_get_nothing_compressed(page_cache, client, catalog):
    client.cookies["sessionid"] = "x" * 32
    assert_uncompressed(client.get("/programs/", HTTP_ACCEPT_ENCODING=BROWSER))


def test_responses_that_set_a_cookie_are_not_compressed(page_cache, client):
    response = client.get("/language/es/", {"next": "/"}, HTTP_ACCEPT_ENCODING=BROWSER)
    assert response.cookies
    assert_uncompressed(response)


def test_uncached_queries_are_not_compressed(page_cache, client, catalog):
    response = client.get("/careers/", {"q": "flood"}, HTTP_ACCEPT_ENCODING=BROWSER)
    assert response.status_code == HTTPStatus.OK
    assert_uncompressed(response)


# --- Static files --------------------------------------------------------------------------


def test_static_files_are_collected_and_served_in_brotli_and_gzip(tmp_path):
    source = tmp_path / "source"
    (source / "css").mkdir(parents=True)
    css = b".site-header{display:flex;gap:1rem}\n" * 200
    (source / "css" / "site.css").write_bytes(css)
    root = tmp_path / "static"
    (root / "css").mkdir(parents=True)
    (root / "css" / "site.css").write_bytes(css)  # collectstatic's copy
    storage = CompressedManifestStaticFilesStorage(location=root, base_url="/static/")
    found = FileSystemStorage(location=source)
    list(storage.post_process({"css/site.css": (found, "css/site.css")}))
    hashed = storage.stored_name("css/site.css")
    assert (root / f"{hashed}.br").exists()
    assert (root / f"{hashed}.gz").exists()
    assert brotli.decompress((root / f"{hashed}.br").read_bytes()) == css

    app = WhiteNoise(lambda environ, start: [], root=root, prefix="/static/")
    for accept, encoding in ((BROWSER, "br"), ("gzip", "gzip"), ("", None)):
        status, headers, body = wsgi_get(app, f"/static/{hashed}", accept)
        assert status.startswith("200")
        assert headers.get("Content-Encoding") == encoding
        assert headers["Vary"] == "Accept-Encoding"
        assert int(headers["Content-Length"]) == len(body)
        assert {None: bytes, "br": brotli.decompress, "gzip": gzip.decompress}[encoding](
            body
        ) == css


def wsgi_get(app, path, accept_encoding):
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "HTTP_ACCEPT_ENCODING": accept_encoding,
    }
    started = {}

    def start_response(status, headers, exc_info=None):
        started.update(status=status, headers=dict(headers))

    body = b"".join(app(environ, start_response))
    return started["status"], started["headers"], body
