from http import HTTPStatus

import pytest

from tests.factories import make_campus

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
