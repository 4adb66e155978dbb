# ruff: noqa: F811  (pytest fixtures imported from other test packages)
"""Rate limits on login, password reset, invitation and inquiry endpoints, counted per
visitor (not per proxy, not dodged by a forged header); no user enumeration on login or
password reset. tests/accounts and tests/programs test each limit's basic trigger."""

import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from programs.models import Inquiry
from tests.programs.conftest import catalog, inquiry_limit, today, two_campuses  # noqa: F401

pytestmark = pytest.mark.django_db

RESET = "/accounts/password/reset/"
LOGIN = "/accounts/login/"


def page_text(response):
    """The visible message area, without tokens and other per-request values."""
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    html = re.sub(r'nonce="[^"]+"', "", html)
    return re.sub(r'value="[^"]*@example\.com"', 'value=""', html)


# --- Login ---------------------------------------------------------------------------


def test_login_does_not_tell_unknown_addresses_from_wrong_passwords(client, student):
    known = client.post(LOGIN, {"login": student.email, "password": "wrong-password"})
    unknown = client.post(LOGIN, {"login": "nobody@example.com", "password": "wrong-password"})
    assert known.status_code == unknown.status_code == HTTPStatus.OK
    assert page_text(known) == page_text(unknown)
    assert "not correct" in known.content.decode()


LIMITED = "Too many failed login attempts"


def login_outcomes(client, email, *, net):
    outcomes = []
    for i in range(7):
        response = client.post(
            LOGIN, {"login": email, "password": "wrong"}, REMOTE_ADDR=f"10.{net}.{i}.1"
        )
        assert response.status_code == HTTPStatus.OK
        outcomes.append(LIMITED in response.content.decode())
    return outcomes


def test_login_limit_holds_for_unknown_addresses_too(client, student):
    """Were only real accounts limited, the limit itself would reveal who has one."""
    known = login_outcomes(client, student.email, net=9)
    assert known == [False] * 5 + [True] * 2  # five tries per address, from any network
    assert login_outcomes(client, "nobody@example.com", net=8) == known


def test_limited_login_refuses_even_the_right_password(client, student, password):
    for _ in range(5):
        client.post(LOGIN, {"login": student.email, "password": "wrong"})
    response = client.post(LOGIN, {"login": student.email, "password": password})
    assert LIMITED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_is_limited_per_network_and_a_forged_header_does_not_help(client):
    said = []
    for i in range(12):
        response = client.post(
            LOGIN,
            {"login": f"guess{i}@example.com", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{i}",
        )
        said.append(LIMITED in response.content.decode())
    assert said[:10] == [False] * 10  # a different address each time: only the network counts
    assert said[10:] == [True] * 2


def test_too_many_requests_page_is_the_sites_own(client, student):
    for _ in range(6):
        response = client.post(RESET, {"email": student.email})
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    html = response.content.decode()
    assert "Too many attempts" in html
    assert "<footer" in html
    assert html.count("<h1") == 1


# --- Password reset ------------------------------------------------------------------


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(
    client, student, mailoutbox
):
    known = client.post(RESET, {"email": student.email})
    unknown = client.post(RESET, {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == HTTPStatus.FOUND
    assert known.url == unknown.url == reverse("account_reset_password_done")
    # Each address gets a message at that address only: nothing shows on screen.
    assert sorted(m.to[0] for m in mailoutbox) == ["nobody@example.com", student.email]
    assert (
        "/accounts/password/reset/key/"
        in next(m for m in mailoutbox if m.to == [student.email]).body
    )
    assert "/password/reset/key/" not in next(m for m in mailoutbox if m.to != [student.email]).body


def test_password_reset_is_limited_per_address(client, student, mailoutbox):
    statuses = [
        client.post(RESET, {"email": student.email}, REMOTE_ADDR=f"10.8.{i}.1").status_code
        for i in range(7)
    ]
    assert statuses[:5] == [HTTPStatus.FOUND] * 5
    assert statuses[5:] == [HTTPStatus.TOO_MANY_REQUESTS] * 2
    assert len(mailoutbox) == 5


def test_password_reset_limit_is_the_same_for_unknown_addresses(client, student):
    def statuses(email, net):
        return [
            client.post(RESET, {"email": email}, REMOTE_ADDR=f"10.{net}.{i}.1").status_code
            for i in range(7)
        ]

    assert statuses(student.email, 7) == statuses("nobody@example.com", 6)


def test_password_reset_is_limited_per_network(client, mailoutbox):
    statuses = [
        client.post(RESET, {"email": f"person{i}@example.com"}).status_code for i in range(22)
    ]
    assert statuses[:20] == [HTTPStatus.FOUND] * 20
    assert statuses[20:] == [HTTPStatus.TOO_MANY_REQUESTS] * 2
    assert len(mailoutbox) == 20
    limited = client.post(RESET, {"email": "late@example.com"})
    assert "Too many attempts" in limited.content.decode()


# --- Invitations ---------------------------------------------------------------------


def test_invitation_limit_is_not_dodged_with_a_forged_header(client):
    for i in range(30):
        client.get("/portal/invitation/guess/", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}")
    response = client.get("/portal/invitation/guess/", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_behind_a_trusted_proxy_each_visitor_has_their_own_allowance(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for _ in range(31):
        busy = client.get("/portal/invitation/guess/", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert busy.status_code == HTTPStatus.TOO_MANY_REQUESTS
    other = client.get("/portal/invitation/guess/", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert other.status_code == HTTPStatus.NOT_FOUND  # an unknown link, not "too many"


# --- Requests for information --------------------------------------------------------


def inquiry(email):
    return {
        "name": "Maria Lopez",
        "email": email,
        "program": "medical-assisting",
        "campus": "arlington",
        "contact_method": "email",
        "consent_email": "on",
    }


def test_inquiry_limit_is_not_dodged_with_a_forged_header(client, catalog):
    for i in range(inquiry_limit("ip") + 2):
        response = client.post(
            "/request-info/",
            inquiry(f"person{i}@example.com"),
            HTTP_X_FORWARDED_FOR=f"203.0.113.{i}",
        )
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert Inquiry.objects.count() == inquiry_limit("ip")
