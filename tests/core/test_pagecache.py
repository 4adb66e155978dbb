# ruff: noqa: F811  (pytest fixtures imported from other test packages)
import gzip
import pickle
from http import HTTPStatus

import brotli
import pytest
from django.core.cache import caches

from tests.factories import make_campus
from tests.programs.conftest import catalog, today, two_campuses  # noqa: F401
from trainingcenter.pagecache import VERSION_KEY

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 600


def test_anonymous_pages_are_served_from_the_cache(page_cache, client, django_assert_num_queries):
    first = client.get("/")
    assert first["X-Page-Cache"] == "miss"
    client.cookies.clear()
    with django_assert_num_queries(0):
        second = client.get("/")
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content


def test_a_content_edit_is_visible_on_the_next_request(page_cache, client):
    client.get("/")
    assert client.get("/")["X-Page-Cache"] == "hit"
    make_campus(name="Fort Worth")
    response = client.get("/")
    assert response["X-Page-Cache"] == "miss"


def test_logged_in_pages_are_never_shared(page_cache, student_client):
    response = student_client.get("/")
    assert "X-Page-Cache" not in response
    assert "private" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


def test_portal_and_account_pages_are_private_and_not_stored(student_client):
    for url in ("/portal/", "/accounts/email/"):
        response = student_client.get(url)
        assert response.status_code == HTTPStatus.OK
        assert "private" in response["Cache-Control"]
        assert "no-store" in response["Cache-Control"]


def test_pages_with_a_csrf_token_are_not_cached(page_cache, client):
    client.get("/accounts/login/")
    response = client.get("/accounts/login/")
    assert "X-Page-Cache" not in response


def test_post_requests_are_never_cached(page_cache, client):
    response = client.post("/")
    assert "X-Page-Cache" not in response


def stored_pages():
    return len(caches["pages"]._cache)  # locmem in tests: the number of entries


def test_unknown_query_parameters_are_neither_stored_nor_served_from_the_cache(page_cache, client):
    client.get("/careers/")
    before = stored_pages()
    for i in range(5):
        response = client.get("/careers/", {"q": f"flood-{i}"})
        assert response.status_code == HTTPStatus.OK
        assert "X-Page-Cache" not in response
    assert client.get("/careers/", {"q": "flood-0"}).get("X-Page-Cache") is None
    assert stored_pages() == before


def test_a_parameter_given_twice_is_not_cached(page_cache, client, catalog):
    for _ in range(2):
        response = client.get("/programs/?campus=dallas&campus=arlington")
        assert "X-Page-Cache" not in response


def test_declared_parameters_key_the_page_in_any_order(page_cache, client, catalog):
    first = client.get("/programs/?campus=arlington&schedule=evening")
    assert first["X-Page-Cache"] == "miss"
    again = client.get("/programs/?schedule=evening&campus=arlington")
    assert again["X-Page-Cache"] == "hit"
    other = client.get("/programs/?campus=dallas")
    assert other["X-Page-Cache"] == "miss"  # a different filter is a different page


def test_a_page_built_from_an_unknown_campus_is_not_stored_or_echoed(page_cache, client, catalog):
    junk = "Visit-cheap-pills-example"
    for _ in range(2):
        response = client.get("/programs/", {"campus": junk})
        assert response.status_code == HTTPStatus.OK
        assert "X-Page-Cache" not in response
        assert "no-store" in response["Cache-Control"]
        assert junk not in response.content.decode()
        assert "We have no campus by that name" in response.content.decode()


def test_find_your_path_stores_valid_answers_only(page_cache, client, catalog):
    answers = {"work": "both", "needles": "unsure", "schedule": "either", "campus": "either"}
    invalid = {**answers, "work": "juggling"}
    for _ in range(2):
        assert "X-Page-Cache" not in client.get("/careers/find-your-path/", invalid)
    client.get("/careers/find-your-path/", answers)
    assert client.get("/careers/find-your-path/", answers)["X-Page-Cache"] == "hit"


def test_a_hit_reads_the_version_and_the_page_in_one_round_trip(page_cache, client, monkeypatch):
    client.get("/")
    pages = caches["pages"]
    calls, get, get_many = [], pages.get, pages.get_many

    def spy_get(*args, **kwargs):
        calls.append("get")
        return get(*args, **kwargs)

    def spy_get_many(keys, **kwargs):
        calls.append(("get_many", len(keys)))
        # locmem reads each key with get(): one round trip on Redis (MGET).
        monkeypatch.setattr(pages, "get", get)
        try:
            return get_many(keys, **kwargs)
        finally:
            monkeypatch.setattr(pages, "get", spy_get)

    monkeypatch.setattr(pages, "get", spy_get)
    monkeypatch.setattr(pages, "get_many", spy_get_many)
    assert client.get("/")["X-Page-Cache"] == "hit"
    assert calls == [("get_many", 2)]


def test_entries_are_compact_tuples_not_pickled_responses(page_cache, client):
    client.get("/")
    entries = [pickle.loads(value) for value in caches["pages"]._cache.values()]
    pages = [entry for entry in entries if isinstance(entry, tuple)]
    assert {entry[3] for entry in pages} == {"identity", "br", "gzip"}
    for _version, status, headers, _encoding, body in pages:
        assert status == HTTPStatus.OK
        assert isinstance(body, bytes)
        assert all(isinstance(name, str) and isinstance(value, str) for name, value in headers)


def test_an_evicted_version_never_serves_a_stale_page(page_cache, client):
    client.get("/")
    assert client.get("/")["X-Page-Cache"] == "hit"
    # The bounded cache drops the version, then content changes while it is missing.
    caches["pages"].delete(VERSION_KEY)
    make_campus(name="Fort Worth")
    response = client.get("/")
    assert response["X-Page-Cache"] == "miss"
    assert b"Fort Worth" in response.content
    assert client.get("/")["X-Page-Cache"] == "hit"


def test_the_version_read_before_rendering_is_stored(page_cache, client, monkeypatch):
    # Content that changes while a page renders: the page is kept under the older version,
    # so the next request renders again instead of serving what was rendered meanwhile.
    from trainingcenter import pagecache

    original = pagecache.AnonymousPageCacheMiddleware.__call__

    def edit_during_render(self, request):
        inner = self.get_response

        def render(request):
            response = inner(request)
            pagecache.bump_content_version()
            return response

        self.get_response = render
        try:
            return original(self, request)
        finally:
            self.get_response = inner

    monkeypatch.setattr(pagecache.AnonymousPageCacheMiddleware, "__call__", edit_during_render)
    assert client.get("/")["X-Page-Cache"] == "miss"
    monkeypatch.undo()
    assert client.get("/")["X-Page-Cache"] == "miss"
    assert client.get("/")["X-Page-Cache"] == "hit"


def test_query_parameters_are_read_per_view_once(page_cache, client, catalog):
    from trainingcenter.pagecache import _declared_params

    _declared_params.cache_clear()
    for _ in range(3):
        client.get("/programs/?campus=dallas")
    client.get("/programs/")  # no query: nothing to resolve
    assert _declared_params.cache_info().misses == 1


def test_a_cache_that_evicts_never_serves_a_stale_page(page_cache, client, settings, tmp_path):
    # The production file cache with room for few entries: pages, their variants and the
    # version itself are culled at random as pages are stored.
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path),
            "OPTIONS": {"MAX_ENTRIES": 5, "CULL_FREQUENCY": 2},
        },
    }
    states = set()
    for edit in range(4):
        name = f"Campus Number {edit}"
        make_campus(name=name)
        for _ in range(3):
            for url in ("/", "/es/", "/careers/"):
                for encoding in ("", "br", "gzip"):
                    response = client.get(url, HTTP_ACCEPT_ENCODING=encoding)
                    assert response.status_code == HTTPStatus.OK
                    states.add(response["X-Page-Cache"])
                    if url != "/careers/":
                        body = response.content
                        if encoding == "br":
                            body = brotli.decompress(body)
                        elif encoding == "gzip":
                            body = gzip.decompress(body)
                        assert name.encode() in body, (url, encoding, response["X-Page-Cache"])
    assert states == {"hit", "miss"}


def test_hits_on_the_file_cache(page_cache, client, settings, tmp_path):
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path),
        },
    }
    first = client.get("/", HTTP_ACCEPT_ENCODING="br")
    second = client.get("/", HTTP_ACCEPT_ENCODING="br")
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert second.content == first.content
    assert second["Content-Encoding"] == "br"


@pytest.mark.parametrize(
    "host", ["TESTSERVER", "testserver.", "testserver:1", "testserver:8080", "TestServer:80"]
)
def test_made_up_spellings_of_the_host_are_served_but_never_stored(
    page_cache, client, settings, host
):
    settings.ALLOWED_HOSTS = ["testserver"]
    pages = caches["pages"]
    pages.clear()
    response = client.get("/careers/", HTTP_HOST=host)
    assert response.status_code == HTTPStatus.OK
    assert "X-Page-Cache" not in response
    assert pages.get(VERSION_KEY) is None  # nothing read or written
    # The canonical spelling (the port the server listens on, the test client's 80) is.
    assert client.get("/careers/", HTTP_HOST="testserver")["X-Page-Cache"] == "miss"
    assert client.get("/careers/", HTTP_HOST="testserver:80")["X-Page-Cache"] == "miss"
    assert client.get("/careers/", HTTP_HOST="testserver")["X-Page-Cache"] == "hit"
