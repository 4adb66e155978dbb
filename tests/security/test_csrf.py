"""Every POST form on every page carries a CSRF token, and every form endpoint refuses
a POST without one (403) and changes nothing.

The pages come from the same crawl as tests/core/test_crawl.py, as a visitor, a student
and staff, over the demo content; the allauth pages and an invitation page are added."""

from collections import Counter, deque
from html.parser import HTMLParser
from http import HTTPStatus
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from accounts import services
from accounts.demo import DEMO_GRADUATE_EMAIL, DEMO_STAFF_EMAIL, DEMO_STUDENT_EMAIL
from accounts.models import User
from tests.core.test_crawl import SKIP, PageParser, admin_pattern

pytestmark = pytest.mark.django_db

SIGNED_IN = ("/portal/", "/accounts/")
ACCOUNT_PAGES = [
    "account_login",
    "account_reset_password",
    "account_signup",
]
STUDENT_ACCOUNT_PAGES = [
    "account_email",
    "account_change_password",
    "mfa_index",
    "mfa_activate_totp",
    "account_reauthenticate",
]


class FormParser(HTMLParser):
    """POST forms with their action and the values a browser would send."""

    def __init__(self, page):
        super().__init__()
        self.page, self.forms, self._form = page, [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {
                "method": (attrs.get("method") or "get").lower(),
                "action": urljoin(self.page, attrs.get("action") or self.page),
                "fields": {},
            }
        elif self._form is not None and tag in ("input", "select", "textarea", "button"):
            name = attrs.get("name")
            kind = (attrs.get("type") or "").lower()
            if (
                not name
                or kind == "file"
                or (kind in ("checkbox", "radio") and "checked" not in attrs)
            ):
                return
            self._form["fields"].setdefault(name, attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            if self._form["method"] == "post":
                self.forms.append(self._form)
            self._form = None


def post_forms(pages):
    forms = []
    for url, html in pages.items():
        parser = FormParser(url)
        parser.feed(html)
        forms += [(url, form) for form in parser.forms]
    return forms


def collect(client, starts, *, limit, within=("/",)):
    """Crawl from each start like tests/core/test_crawl.py, following only links below
    `within` (signed-in crawls skip the public pages the visitor crawl covers)."""
    pages, seen, queue = {}, set(), deque(starts)
    per_pattern = Counter()
    while queue and len(pages) < limit:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        path = urlsplit(url).path
        if path.startswith("/admin/"):
            per_pattern[admin_pattern(path)] += 1
            if per_pattern[admin_pattern(path)] > 3 or "/delete/" in path or "/history/" in path:
                continue
        response = client.get(url)
        if response.status_code in (HTTPStatus.MOVED_PERMANENTLY, HTTPStatus.FOUND):
            if urlsplit(response.url).netloc in ("", "testserver"):
                queue.append(response.url)
            continue
        assert response.status_code == HTTPStatus.OK, url
        if "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        pages[url] = html
        parser = PageParser()
        parser.feed(html)
        for href in parser.links + parser.forms:
            target = urlsplit(urldefrag(urljoin(url, href))[0])
            if target.netloc not in ("", "testserver") or target.scheme not in (
                "",
                "http",
                "https",
            ):
                continue
            local = target.path + (f"?{target.query}" if target.query else "")
            if local.startswith(within) and not local.startswith(SKIP) and local not in seen:
                queue.append(local)
    return pages


def snapshot():
    """Every row of every table but sessions: any change shows up."""
    state = {}
    for model in apps.get_models():
        if model is Session:
            continue
        rows = model._base_manager.order_by("pk").values()
        # force_login() stamps last_login: that is the test logging in, not a form.
        state[model._meta.label] = [
            {k: v for k, v in row.items() if k != "last_login"} for row in rows
        ]
    return state


def assert_refused_without_token(user, forms):
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    client.get(forms[0][0])  # a browser holds the CSRF cookie; only the token is missing
    assert "csrftoken" in client.cookies
    tried = set()
    for page, form in forms:
        action = urlsplit(form["action"])
        assert action.netloc in ("", "testserver"), f"{page}: form posts to {form['action']}"
        target = action.path + (f"?{action.query}" if action.query else "")
        if target in tried:
            continue
        tried.add(target)
        data = {k: v for k, v in form["fields"].items() if k != "csrfmiddlewaretoken"}
        response = client.post(target, data)
        assert response.status_code == HTTPStatus.FORBIDDEN, f"{page}: POST {target} without token"
        response = client.post(target, {**data, "csrfmiddlewaretoken": "x" * 64})
        assert response.status_code == HTTPStatus.FORBIDDEN, f"{page}: POST {target} bad token"
    if user is not None:  # the logout forms were refused too
        assert client.session.get("_auth_user_id") == str(user.pk)
    return tried


def forms_of(client, user, starts, *, limit, within=("/",)):
    if user is not None:
        client.force_login(user)
    forms = post_forms(collect(client, starts, limit=limit, within=within))
    assert forms, "no POST form found"
    for page, form in forms:
        assert "csrfmiddlewaretoken" in form["fields"], f"{page}: POST form {form['action']}"
        assert form["fields"]["csrfmiddlewaretoken"], page
    return forms


def test_every_post_form_has_a_token_and_needs_it(client, demo):
    invitee = User.objects.create_user(email="invitee@example.com")
    token = services.invitation_create(user=invitee)
    invitation = reverse("portal:invitation_accept", kwargs={"token": token})
    student = User.objects.get(email=DEMO_STUDENT_EMAIL)
    graduate = User.objects.get(email=DEMO_GRADUATE_EMAIL)
    staff = User.objects.get(email=DEMO_STAFF_EMAIL)
    visitor_starts = [
        "/",
        reverse("programs:request_info"),
        invitation,
        *(reverse(name) for name in ACCOUNT_PAGES),
    ]
    student_starts = ["/portal/", *(reverse(name) for name in STUDENT_ACCOUNT_PAGES)]
    roles = [
        (None, forms_of(client, None, visitor_starts, limit=300)),
        (student, forms_of(Client(), student, student_starts, limit=100, within=SIGNED_IN)),
        (graduate, forms_of(Client(), graduate, ["/portal/"], limit=40, within=SIGNED_IN)),
        (staff, forms_of(Client(), staff, ["/admin/"], limit=100, within=("/admin/",))),
    ]

    before = snapshot()
    tried = {}
    for user, forms in roles:
        tried[user] = assert_refused_without_token(user, forms)
    assert snapshot() == before

    assert {reverse("programs:request_info"), reverse("account_login"), invitation} <= tried[None]
    assert reverse("portal:calendar_reset") in tried[student]
    assert reverse("account_logout") in tried[student]
    assert reverse("portal:profile") in tried[student]
    assert any("/portal/steps/" in url for url in tried[student])
    assert any(url.endswith("/ce/") for url in tried[graduate])
    assert any(url.startswith("/admin/accounts/") for url in tried[staff])
