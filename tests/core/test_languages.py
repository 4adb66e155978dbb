"""English and Spanish: URLs, <html lang>, hreflang, the switcher, the first visit's
redirect, the page cache and the sitemap."""

# ruff: noqa: F811  (pytest fixtures imported from other test packages)
import re
from http import HTTPStatus
from urllib.parse import parse_qs, quote, urlsplit
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from programs.languages import accept_language, language_url, path_language, strip_language
from tests.careers.conftest import campuses, careers_demo, school  # noqa: F401

pytestmark = pytest.mark.django_db

SPANISH = "es-MX,es;q=0.9,en;q=0.5"
SITEMAP_NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
}
# Public pages that are not in the sitemap (forms and their answers).
NAMED_PUBLIC_PAGES = [
    "apply:choose",
    "programs:request_info_thanks",
    "programs:disclosures",
    "account_login",
    "account_reset_password",
]


def html_lang(html):
    return re.search(r"<html lang=\"([^\"]+)\"", html).group(1)


def alternates(html):
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))


def switcher(html):
    """(language, next) of the header's language link."""
    match = re.search(
        r'<a class="utility-link language-switch" href="([^"]+)" lang="([^"]+)"', html
    )
    href, code = match.group(1).replace("&amp;", "&"), match.group(2)
    parts = urlsplit(href)
    assert parts.path == reverse("switch_language", args=[code])
    assert f'hreflang="{code}"' in html
    return code, parse_qs(parts.query)["next"][0]


def sitemap_entries(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == HTTPStatus.OK
    root = ElementTree.fromstring(response.content)
    entries = []
    for url in root.findall("sm:url", SITEMAP_NS):
        links = {
            link.get("hreflang"): link.get("href") for link in url.findall("xhtml:link", SITEMAP_NS)
        }
        entries.append((url.find("sm:loc", SITEMAP_NS).text, links))
    return entries


def public_paths(client):
    english = {
        urlsplit(loc).path
        for loc, _links in sitemap_entries(client)
        if path_language(urlsplit(loc).path) == "en"
    }
    english.update(reverse(name) for name in NAMED_PUBLIC_PAGES)
    return sorted(english)


# --- The language helpers ----------------------------------------------------------


def test_language_of_paths_and_the_same_page_in_the_other_language():
    assert path_language("/programs/") == "en"
    assert path_language("/es/programs/") == "es"
    assert strip_language("/es/portal/") == "/portal/"
    assert strip_language("/es/") == "/"
    assert strip_language("/establishments/") == "/establishments/"
    assert language_url("/programs/?campus=dallas", "es") == "/es/programs/?campus=dallas"
    assert language_url("/es/careers/", "en") == "/careers/"
    assert language_url("/admin/", "es") == "/admin/"  # no Spanish version
    assert language_url("/no-such-page/", "es") == "/no-such-page/"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("es-MX,es;q=0.9,en;q=0.5", "es"),
        ("es", "es"),
        ("fr-FR, es;q=0.5", "es"),
        ("en-US,en;q=0.9,es;q=0.8", "en"),
        ("es;q=0.4, en;q=0.6", "en"),
        ("es;q=0, en", "en"),  # q=0: not acceptable
        ("es;q=0", None),
        ("fr-FR", None),
        ("*", None),
        ("", None),
        (None, None),
    ],
)
def test_accept_language_picks_the_first_site_language_the_browser_prefers(header, expected):
    assert accept_language(header) == expected


# --- Every public page in both languages ---------------------------------------------


def test_every_public_page_exists_in_english_and_spanish(client, school):
    paths = public_paths(client)
    assert "/" in paths
    assert "/careers/certifications/" in paths
    assert any(p.startswith("/programs/") and p != "/programs/" for p in paths)
    assert any(p.startswith("/careers/guides/") for p in paths)
    problems = []
    for english in paths:
        spanish = "/es" + english
        for path, code, other, other_path in (
            (english, "en", "es", spanish),
            (spanish, "es", "en", english),
        ):
            client.cookies.clear()
            response = client.get(path)
            if response.status_code != HTTPStatus.OK:
                problems.append(f"{path}: {response.status_code}")
                continue
            html = response.content.decode()
            if html_lang(html) != code:
                problems.append(f"{path}: <html lang={html_lang(html)}>")
            expected = {
                "en": f"http://testserver{english}",
                "es": f"http://testserver{spanish}",
                "x-default": f"http://testserver{english}",
            }
            if alternates(html) != expected:
                problems.append(f"{path}: alternates {alternates(html)}")
            if f'<link rel="canonical" href="http://testserver{path}">' not in html:
                problems.append(f"{path}: canonical")
            if switcher(html) != (other, other_path):
                problems.append(f"{path}: switcher {switcher(html)}")
    assert not problems, "\n".join(problems)


def test_spanish_pages_say_spanish_to_browsers(client):
    response = client.get("/es/")
    assert response["Content-Language"] == "es"
    assert client.get("/")["Content-Language"] == "en"


def test_the_switcher_keeps_the_query_string_without_writing_it_in_the_page(client, school):
    junk = "Visit-cheap-pills-example"
    html = client.get("/programs/", {"campus": junk}).content.decode()
    assert junk not in html
    code, target = switcher(html)
    assert (code, target) == ("es", "/es/programs/")
    # The browser sends the page it was on: its filters are kept.
    response = client.get(
        f"/language/{code}/",
        {"next": target},
        HTTP_REFERER="http://testserver/programs/?campus=dallas&schedule=evening",
    )
    assert response["Location"] == "/es/programs/?campus=dallas&schedule=evening"
    # Not from another page or another site.
    for referer in (
        "http://testserver/careers/?campus=dallas",
        "https://evil.example.com/programs/?campus=dallas",
    ):
        response = client.get(f"/language/{code}/", {"next": target}, HTTP_REFERER=referer)
        assert response["Location"] == "/es/programs/", referer


def test_a_missing_page_switches_to_the_other_home_page_and_has_no_alternates(client):
    response = client.get("/es/no-such-page/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    html = response.content.decode()
    assert html_lang(html) == "es"
    assert alternates(html) == {}
    assert switcher(html) == ("en", "/")


@pytest.mark.parametrize("url", ["/es/portal/", "/es/portal/profile/", "/es/apply/applications/"])
def test_spanish_portal_and_apply_pages_need_a_login_like_the_english_ones(client, url):
    response = client.get(url)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == f"/es/accounts/login/?next={quote(url)}"


def test_admin_and_machine_urls_have_no_spanish_version(client):
    for url in ("/es/admin/", "/es/healthz", "/es/sitemap.xml", "/es/robots.txt"):
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND, url
    assert client.get("/healthz").status_code == HTTPStatus.OK


def test_the_500_page_speaks_the_language_of_the_url(client):
    from trainingcenter.errors import server_error

    with translation.override("es"):
        response = server_error(None)
    assert html_lang(response.content.decode()) == "es"


# --- The switcher ----------------------------------------------------------------------


def test_switching_remembers_the_choice_and_keeps_the_page(client):
    response = client.get("/language/es/", {"next": "/programs/?campus=dallas"})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/es/programs/?campus=dallas"
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "es"
    assert cookie["max-age"] == settings.LANGUAGE_COOKIE_AGE
    assert cookie["samesite"] == "Lax"
    assert "no-cache" in response["Cache-Control"]
    response = client.get("/language/en/", {"next": "/es/careers/"})
    assert response["Location"] == "/careers/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


@pytest.mark.parametrize(
    "target",
    ["https://evil.example.com/", "//evil.example.com/", "/\\evil.example.com", "", "javascript:x"],
)
def test_switching_never_leaves_the_site(client, target):
    response = client.get("/language/es/", {"next": target})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/es/"


def test_switching_to_an_unknown_language_is_a_404(client):
    assert client.get("/language/fr/", {"next": "/"}).status_code == HTTPStatus.NOT_FOUND


# --- The first visit ----------------------------------------------------------------------


def test_a_spanish_browser_is_sent_to_the_spanish_page_once(client, school):
    response = client.get("/programs/?campus=dallas", HTTP_ACCEPT_LANGUAGE=SPANISH)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/es/programs/?campus=dallas"
    vary = {v.strip() for v in response["Vary"].split(",")}
    assert {"Accept-Language", "Cookie"} <= vary
    # The Spanish page itself is served, never redirected again.
    assert client.get("/es/programs/", HTTP_ACCEPT_LANGUAGE=SPANISH).status_code == HTTPStatus.OK


def test_choosing_english_in_the_switcher_is_never_overruled(client, school):
    client.get("/language/en/", {"next": "/es/programs/"})
    response = client.get("/programs/", HTTP_ACCEPT_LANGUAGE=SPANISH)
    assert response.status_code == HTTPStatus.OK
    assert html_lang(response.content.decode()) == "en"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE=SPANISH).status_code == HTTPStatus.OK


def test_choosing_spanish_leads_english_links_to_spanish_pages(client):
    client.get("/language/es/", {"next": "/"})
    response = client.get("/careers/")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/es/careers/"


@pytest.mark.parametrize("header", [None, "en-US,en;q=0.9", "fr-FR,de;q=0.5", "*"])
def test_crawlers_and_other_browsers_read_english(client, header):
    extra = {"HTTP_ACCEPT_LANGUAGE": header} if header else {}
    response = client.get("/", **extra)
    assert response.status_code == HTTPStatus.OK
    assert html_lang(response.content.decode()) == "en"
    assert "Accept-Language" in response["Vary"]


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/healthz",
        "/sitemap.xml",
        "/robots.txt",
        "/static/bundles/public.css",
        "/media/nothing.jpg",
        "/portal/calendar/" + "x" * 30 + ".ics",
        "/no-such-page/",
    ],
)
def test_no_redirect_where_there_is_no_spanish_page(client, url):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=SPANISH)
    assert not response.get("Location", "").startswith("/es/"), url


def test_no_redirect_for_a_post(client):
    response = client.post("/request-info/", {}, HTTP_ACCEPT_LANGUAGE=SPANISH)
    assert not response.get("Location", "").startswith("/es/")


def test_no_redirect_for_people_signed_in(student_client):
    response = student_client.get("/portal/", HTTP_ACCEPT_LANGUAGE=SPANISH)
    assert response.status_code == HTTPStatus.OK


# --- The page cache -----------------------------------------------------------------------


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 600


def test_the_page_cache_keeps_languages_apart(page_cache, client, school):
    english = client.get("/programs/")
    spanish = client.get("/es/programs/")
    assert (english["X-Page-Cache"], spanish["X-Page-Cache"]) == ("miss", "miss")
    for _ in range(2):
        again_en = client.get("/programs/")
        again_es = client.get("/es/programs/")
        assert (again_en["X-Page-Cache"], again_es["X-Page-Cache"]) == ("hit", "hit")
        assert html_lang(again_en.content.decode()) == "en"
        assert html_lang(again_es.content.decode()) == "es"
    # A Spanish browser is redirected before the cached English page could answer.
    response = client.get("/programs/", HTTP_ACCEPT_LANGUAGE=SPANISH)
    assert response.status_code == HTTPStatus.FOUND
    assert "X-Page-Cache" not in response
    # The switcher sets a cookie: never cached, and no cookie in a cached page.
    assert "X-Page-Cache" not in client.get("/language/es/", {"next": "/"})
    assert "Set-Cookie" not in str(again_es.serialize_headers())


def test_the_page_cache_skips_private_areas_in_every_language(page_cache, client):
    for url in ("/es/apply/", "/es/accounts/login/", "/apply/"):
        client.get(url)
        assert "X-Page-Cache" not in client.get(url), url


def test_the_page_cache_reads_declared_parameters_in_spanish_too(page_cache, client, school):
    assert client.get("/es/programs/?campus=dallas")["X-Page-Cache"] == "miss"
    assert client.get("/es/programs/?campus=dallas")["X-Page-Cache"] == "hit"


# --- The sitemap --------------------------------------------------------------------------


def test_the_sitemap_lists_every_page_in_both_languages_with_alternates(client, school):
    entries = sitemap_entries(client)
    locs = [loc for loc, _links in entries]
    assert len(locs) == len(set(locs))
    english = [loc for loc in locs if path_language(urlsplit(loc).path) == "en"]
    spanish = [loc for loc in locs if path_language(urlsplit(loc).path) == "es"]
    assert english
    assert len(english) == len(spanish)
    for loc, links in entries:
        parts = urlsplit(loc)
        path = strip_language(parts.path)
        origin = f"{parts.scheme}://{parts.netloc}"
        # One scheme and host per page: its alternates use the same.
        assert links == {
            "en": origin + path,
            "es": origin + "/es" + path,
            "x-default": origin + path,
        }, loc
    assert any(urlsplit(loc).path == "/es/careers/certifications/" for loc in spanish)
