# ruff: noqa: F811  (pytest fixtures imported from other test packages)
from http import HTTPStatus

import pytest
from django.core.cache import caches

from tests.factories import make_campus
from tests.programs.conftest import catalog, today, two_campuses  # noqa: F401

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
