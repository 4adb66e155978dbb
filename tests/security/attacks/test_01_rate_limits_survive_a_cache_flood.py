"""Finding 1: 400 anonymous page views with unique query strings filled the shared file
cache (300 entries, culled at random) and wiped the rate limits with the pages. Fixed:
rate limits live in a store the page cache cannot evict."""

import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.security.attacks.harness import TIMEOUT, Visitor, is_login_redirect
from tests.security.attacks.world import OTHER_STUDENT, PASSWORD

pytestmark = pytest.mark.attack

FLOOD = 400
MAX_INQUIRIES = 12  # bound on the posts that look for the request-info limit
TOO_MANY_LOGINS = "Too many failed login attempts"


def inquiry(email, n):
    return {
        "name": "Attack Tester",
        "email": email,
        "phone": "",
        "program": "",
        "campus": "dallas",
        "contact_method": "email",
        "message": f"Request number {n}",
        "consent_email": "on",
        "website": "",
        "source_page": "",
    }


def flood(server, count=FLOOD, *, deadline_seconds=150):
    """`count` anonymous GETs of /careers/?q=<unique> (4 at a time, bounded in time)."""
    deadline = time.monotonic() + deadline_seconds

    def one(_):
        if time.monotonic() > deadline:
            return "late"
        response = requests.get(
            f"{server.url}/careers/?q={uuid.uuid4().hex}", timeout=TIMEOUT, allow_redirects=False
        )
        return response.status_code

    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = Counter(pool.map(one, range(count)))
    assert statuses == {200: count}, f"the flood itself went wrong: {statuses}"


def refused_login(response):
    return not is_login_redirect(response) and (
        response.status_code == 429 or TOO_MANY_LOGINS in response.text
    )


def test_rate_limits_survive_a_flood_of_unique_page_views(server):
    # Password guessing: 6 wrong passwords for one account (the limit is 5 per 5 minutes).
    guesser = Visitor(server)
    for attempt in range(6):
        response = guesser.login(OTHER_STUDENT, f"wrong-password-{attempt}")
        assert not is_login_redirect(response), "a wrong password logged in"
    assert refused_login(response), "the login limit did not engage before the flood"

    # Request info: post valid inquiries from one address until the limit refuses one.
    poster = Visitor(server)
    email = f"limit-{uuid.uuid4().hex[:8]}@attack.example"
    accepted = 0
    for n in range(MAX_INQUIRIES):
        response = poster.submit("/request-info/", inquiry(email, n))
        if response.status_code != 302:
            break
        accepted += 1
    assert accepted >= 1, f"no inquiry accepted: {response.status_code}\n{response.text[:3000]}"
    assert response.status_code == 429, (
        f"the request-info limit did not engage after {accepted} inquiries: {response.status_code}"
    )

    flood(server)

    # The right password, after the flood: still refused.
    response = guesser.login(OTHER_STUDENT, PASSWORD)
    assert refused_login(response), (
        f"the login limit was wiped by {FLOOD} page views: the right password now logs in "
        f"({response.status_code} -> {response.headers.get('Location')})"
    )
    response = poster.submit("/request-info/", inquiry(email, MAX_INQUIRIES))
    assert response.status_code == 429, (
        f"the request-info limit was wiped by {FLOOD} page views: inquiry "
        f"{accepted + 1} got {response.status_code}"
    )
