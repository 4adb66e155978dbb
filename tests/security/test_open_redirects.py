"""Every `next=` stays on the site: hostile targets never become a Location elsewhere.

Browsers treat a backslash like a slash and drop tabs and newlines, so "/\\evil.example"
and "/\\t/evil.example" are as dangerous as "//evil.example"; each redirect target is
normalised the way a browser would before it is checked."""

from html.parser import HTMLParser
from http import HTTPStatus
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from accounts import services
from tests.totp import current_code

pytestmark = pytest.mark.django_db

HOSTILE = [
    "//evil.example",
    "//evil.example/portal/",
    "https://evil.example",
    "http://evil.example/accounts/login/",
    "https:evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    " //evil.example",
    "///evil.example",
    "https://testserver@evil.example",
    "https://evil.example\\@testserver",
    "javascript:alert(document.domain)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "%2F%2Fevil.example",  # sent encoded once more: decodes to the literal text
    "/%2F%2Fevil.example",
    "/%5Cevil.example",
]
# The same targets sent raw in the query string, percent-encoded by hand.
RAW_QUERIES = [
    "next=%2F%2Fevil.example",
    "next=%2f%2fevil.example",
    "next=%5C%5Cevil.example",
    "next=%2F%5Cevil.example",
    "next=https%3A%2F%2Fevil.example",
    "next=%09%2F%2Fevil.example",
    "next=javascript%3Aalert(1)",
    "next=/portal/&next=//evil.example",
]
HOST = "testserver"


def browser_view(location, base):
    """Where a browser would go for this Location header, as (scheme, host)."""
    cleaned = "".join(ch for ch in location if ch not in "\t\n\r").strip(" \x00")
    cleaned = cleaned.replace("\\", "/")
    target = urlsplit(urljoin(f"http://{HOST}{base}", cleaned))
    return target.scheme, target.netloc


def assert_local(location, base="/"):
    scheme, host = browser_view(location, base)
    assert scheme in ("http", "https"), f"Location {location!r} is a {scheme}: URL"
    assert host == HOST, f"Location {location!r} leaves the site for {host!r}"


class LinkParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.targets = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.targets.append(attrs["href"])
        if tag == "form" and attrs.get("action"):
            self.targets.append(attrs["action"])
        if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "refresh":
            self.targets.append((attrs.get("content") or "").partition("url=")[2])


def assert_stays_on_site(response, base):
    if response.status_code in (301, 302, 303, 307, 308):
        assert_local(response["Location"], base)
        return
    assert response.status_code < 500
    parser = LinkParser()
    parser.feed(response.content.decode())
    for target in parser.targets:
        if target.startswith(("mailto:", "tel:", "webcal:", "#")) or not target:
            continue
        scheme, host = browser_view(target, base)
        assert "evil.example" not in host, f"{base}: link to {target!r}"
        assert scheme in ("http", "https"), f"{base}: {target!r}"


def queries():
    return list(dict.fromkeys([urlencode({"next": value}) for value in HOSTILE] + RAW_QUERIES))


def next_value(query):
    return parse_qs(query)["next"][-1]


QUERIES = pytest.mark.parametrize("query", queries())


@QUERIES
def test_login(client, student, password, query):
    url = f"{reverse('account_login')}?{query}"
    response = client.post(url, {"login": student.email, "password": password})
    assert response.status_code == HTTPStatus.FOUND
    assert "_auth_user_id" in client.session
    assert_local(response["Location"], url)
    # The form's own hidden field carries the value too: posting it there changes nothing.
    client.logout()
    data = {"login": student.email, "password": password, "next": next_value(query)}
    response = client.post(reverse("account_login"), data)
    assert_local(response["Location"], url)


@QUERIES
def test_login_page_when_already_logged_in(student_client, query):
    url = f"{reverse('account_login')}?{query}"
    assert_stays_on_site(student_client.get(url), url)


@QUERIES
def test_admin_login(client, staff_user, password, query):
    url = f"{reverse('admin:login')}?{query}"
    response = client.get(url)
    assert_stays_on_site(response, url)
    response = client.get(url, follow=True)
    assert_stays_on_site(response, url)
    if response.redirect_chain:
        final = response.redirect_chain[-1][0]
        response = client.post(final, {"login": staff_user.email, "password": password})
        assert_stays_on_site(response, final)


@QUERIES
def test_logout(student_client, query):
    url = f"{reverse('account_logout')}?{query}"
    response = student_client.post(url, {"next": next_value(query)})
    assert response.status_code == HTTPStatus.FOUND
    assert "_auth_user_id" not in student_client.session
    assert_local(response["Location"], url)


@QUERIES
def test_admin_logout(staff_client, query):
    url = f"{reverse('admin:logout')}?{query}"
    response = staff_client.post(url)
    assert_stays_on_site(response, url)


@QUERIES
def test_signup_closed(client, query):
    url = f"{reverse('account_signup')}?{query}"
    for response in (client.get(url), client.post(url, {"email": "x@example.com"})):
        assert_stays_on_site(response, url)


@QUERIES
def test_reauthenticate(student_client, student, password, query):
    url = f"{reverse('account_reauthenticate')}?{query}"
    assert_stays_on_site(student_client.get(url), url)
    response = student_client.post(url, {"password": password})
    assert response.status_code == HTTPStatus.FOUND
    assert_local(response["Location"], url)


@QUERIES
def test_password_change(student_client, password, query):
    url = f"{reverse('account_change_password')}?{query}"
    response = student_client.post(
        url,
        {"oldpassword": password, "password1": "n3w-Sturdy-pass", "password2": "n3w-Sturdy-pass"},
    )
    assert_stays_on_site(response, url)


@QUERIES
def test_mfa_setup_requested_by_the_staff_check(settings, staff_client, query):
    settings.STAFF_REQUIRE_MFA = True
    url = f"/admin/?{query}"
    response = staff_client.get(url, follow=True)
    for location, _status in response.redirect_chain:
        assert_local(location, url)
    assert_stays_on_site(response, response.redirect_chain[-1][0])


@QUERIES
def test_mfa_login_stage(client, staff_user, password, query):
    secret = generate_totp_secret()
    TOTP.activate(staff_user, secret)
    url = f"{reverse('account_login')}?{query}"
    response = client.post(url, {"login": staff_user.email, "password": password})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("mfa_authenticate"))
    response = client.post(response["Location"], {"code": current_code(secret)})
    assert response.status_code == HTTPStatus.FOUND
    assert "_auth_user_id" in client.session
    assert_local(response["Location"], url)


@QUERIES
def test_invitation_acceptance(client, student, query):
    student.set_unusable_password()
    student.save()
    token = services.invitation_create(user=student)
    url = f"{reverse('portal:invitation_accept', kwargs={'token': token})}?{query}"
    response = client.post(
        url, {"new_password1": "n3w-Sturdy-pass", "new_password2": "n3w-Sturdy-pass"}
    )
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("portal:dashboard")


@QUERIES
def test_calendar_reset(student_client, query):
    url = f"{reverse('portal:calendar_reset')}?{query}"
    response = student_client.post(url, {"next": next_value(query)})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("portal:profile")


@QUERIES
def test_portal_login_redirect_keeps_the_visitor_on_site(client, query):
    """Anonymous visitors to the portal are sent to log in with a local next=."""
    url = f"{reverse('portal:dashboard')}?{query}"
    response = client.get(url)
    assert response.status_code == HTTPStatus.FOUND
    assert_local(response["Location"], url)
    login = client.get(response["Location"])
    assert_stays_on_site(login, response["Location"])


def test_local_next_is_still_honoured(client, student, password):
    """The control: a genuine local target is followed, so the refusals above are real."""
    url = f"{reverse('account_login')}?{urlencode({'next': '/portal/credentials/'})}"
    response = client.post(url, {"login": student.email, "password": password})
    assert response["Location"] == "/portal/credentials/"


@pytest.mark.parametrize("location", ["//evil.example", "/\\evil.example", "https://evil.example"])
def test_the_checker_itself_catches_foreign_locations(location):
    with pytest.raises(AssertionError):
        assert_local(location)
