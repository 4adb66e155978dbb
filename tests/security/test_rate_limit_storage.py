# ruff: noqa: F811  (pytest fixtures imported from other test packages)
"""Rate limits hold in the production cache configuration: a flood of page views cannot
evict them, each window lasts as long as it says, and concurrent requests do not
overshoot. (The rest of the suite runs on process memory.)"""

import threading
from datetime import timedelta
from http import HTTPStatus

import pytest
import time_machine
from django.core.cache import caches
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

from programs.models import Inquiry
from tests.programs.conftest import catalog, inquiry_limit, today, two_campuses  # noqa: F401
from trainingcenter.settings import production_caches

LOGIN = "/accounts/login/"
LIMITED = "Too many failed login attempts"
PAGE_CACHE_ENTRIES = 40


@pytest.fixture
def production_cache(settings, tmp_path):
    """The deployment's CACHES without Redis, with a small page cache so that a test can
    overfill it."""
    config = production_caches(redis_url="", cache_dir=str(tmp_path / "pages"))
    config["pages"]["OPTIONS"]["MAX_ENTRIES"] = PAGE_CACHE_ENTRIES
    settings.CACHES = config  # Django's setting_changed handler rebuilds the caches
    settings.PAGE_CACHE_SECONDS = 600
    assert caches["default"].__class__.__name__ == "DatabaseCache"
    yield
    for cache in caches.all():
        cache.clear()


def flood(count):
    """What the penetration test did: anonymous views of many distinct URLs, valid ones
    (stored by the page cache) and junk ones."""
    visitor = Client()
    urls = [f"/careers/?q=flood-{i}" for i in range(count)]
    for campus in ("", "dallas", "arlington"):
        for schedule in ("", "day", "evening", "hybrid"):
            for field in ("", "healthcare", "business", "technology"):
                urls.append(f"/programs/?campus={campus}&schedule={schedule}&field={field}")
    for url in urls:
        assert visitor.get(url).status_code == HTTPStatus.OK
    assert len(urls) > PAGE_CACHE_ENTRIES


def wrong_login(client, email):
    response = client.post(LOGIN, {"login": email, "password": "wrong"})
    return LIMITED in response.content.decode()


def inquiry(email):
    return {
        "name": "Maria Lopez",
        "email": email,
        "program": "medical-assisting",
        "campus": "arlington",
        "contact_method": "email",
        "consent_email": "on",
    }


def post_inquiry(client, n):
    return client.post("/request-info/", inquiry(f"person{n}@example.com")).status_code


@pytest.mark.django_db
def test_a_flood_of_page_views_does_not_wipe_the_login_limit(
    production_cache, client, student, password
):
    assert [wrong_login(client, student.email) for _ in range(6)] == [False] * 5 + [True]
    flood(120)
    assert wrong_login(client, student.email)
    response = client.post(LOGIN, {"login": student.email, "password": password})
    assert LIMITED in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_flood_of_page_views_does_not_wipe_the_request_info_limit(
    production_cache, client, catalog
):
    limit = inquiry_limit("ip")
    statuses = [post_inquiry(client, n) for n in range(limit + 1)]
    assert statuses == [HTTPStatus.FOUND] * limit + [HTTPStatus.TOO_MANY_REQUESTS]
    flood(120)
    assert post_inquiry(client, 99) == HTTPStatus.TOO_MANY_REQUESTS
    assert Inquiry.objects.count() == limit


@pytest.mark.django_db
def test_the_request_info_limit_lasts_the_whole_hour(production_cache, client, catalog):
    limit = inquiry_limit("ip")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for n in range(limit):
            assert post_inquiry(client, n) == HTTPStatus.FOUND
        clock.shift(timedelta(minutes=59))
        assert post_inquiry(client, 100) == HTTPStatus.TOO_MANY_REQUESTS
        clock.shift(timedelta(minutes=2))
        assert post_inquiry(client, 101) == HTTPStatus.FOUND


@pytest.mark.django_db
def test_the_invitation_limit_lasts_ten_minutes(production_cache, client):
    url = "/portal/invitation/guess/"
    with time_machine.travel(timezone.now(), tick=False) as clock:
        statuses = [client.get(url).status_code for _ in range(31)]
        assert statuses == [HTTPStatus.NOT_FOUND] * 30 + [HTTPStatus.TOO_MANY_REQUESTS]
        clock.shift(timedelta(minutes=9))
        assert client.get(url).status_code == HTTPStatus.TOO_MANY_REQUESTS
        clock.shift(timedelta(minutes=2))
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="the in-memory SQLite test database fails concurrent writers at once "
    "('table is locked') instead of waiting: run with DATABASE_URL=postgres://...",
)
def test_concurrent_requests_for_information_do_not_overshoot(production_cache, catalog):
    limit, senders = inquiry_limit("ip"), 24
    start = threading.Barrier(senders)
    statuses, errors = [], []

    def send(n):
        try:
            client = Client()
            start.wait()
            statuses.append(post_inquiry(client, n))
        except Exception as error:  # reported below, not lost in the thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(n,)) for n in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    saved = Inquiry.objects.count()
    assert 0 < saved <= limit
    assert statuses.count(HTTPStatus.FOUND) == saved
    assert statuses.count(HTTPStatus.TOO_MANY_REQUESTS) == senders - saved
