# ruff: noqa: F811  (pytest fixtures imported from other test packages)
"""E-mail for real: the invitation and the inquiry e-mails go through Django's SMTP
backend to a local SMTP server (aiosmtpd, on a free loopback port), and what arrives is
checked: envelope, headers, a text/plain and a text/html part, and working links."""

import logging
import re
import socket
from email import message_from_bytes, policy
from html.parser import HTMLParser
from http import HTTPStatus
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller
from django.contrib.sites.models import Site
from django.urls import reverse

from accounts import services
from accounts.models import User
from programs.models import Inquiry
from tests.accounts.conftest import certification, cohort  # noqa: F401
from tests.programs.conftest import catalog, today, two_campuses  # noqa: F401

pytestmark = pytest.mark.django_db

URL = re.compile(r"https?://[^\s<>\"')]+")


class Inbox:
    """aiosmtpd handler: keeps every message it receives."""

    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        self.received.append(
            {
                "mail_from": envelope.mail_from,
                "rcpt_tos": list(envelope.rcpt_tos),
                "message": message_from_bytes(envelope.original_content, policy=policy.default),
            }
        )
        return "250 Message accepted for delivery"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp(settings):
    quiet = logging.getLogger("mail.log")  # aiosmtpd logs every connection at INFO
    level = quiet.level
    quiet.setLevel(logging.WARNING)
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 10
    yield inbox
    controller.stop()
    quiet.setLevel(level)


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a" and dict(attrs).get("href"):
            self.hrefs.append(dict(attrs)["href"])


def parts(message):
    """(text, html) of a multipart/alternative message, each exactly once."""
    assert message.get_content_type() == "multipart/alternative"
    bodies = {}
    for part in message.iter_parts():
        kind = part.get_content_type()
        assert kind not in bodies, f"two {kind} parts"
        bodies[kind] = part.get_content()
    assert set(bodies) == {"text/plain", "text/html"}
    return bodies["text/plain"], bodies["text/html"]


def assert_reads_well(text, html):
    for body in (text, html):
        assert "{{" not in body
        assert "{%" not in body
        assert "None" not in body
        assert "&amp;amp;" not in body
    assert "<" not in text.replace("<http", "")  # no markup in the plain-text part
    assert "\n\n\n\n" not in text
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert '<html lang="en">' in html
    assert "<title>" in html


def links_of(text, html):
    text_links = URL.findall(text)
    parser = Links()
    parser.feed(html)
    html_links = [href for href in parser.hrefs if not href.startswith(("mailto:", "tel:"))]
    for link in text_links + html_links:
        target = urlsplit(link)
        assert target.scheme in ("http", "https"), f"not absolute: {link}"
        assert target.netloc, f"not absolute: {link}"
    return text_links, html_links


def local(link):
    target = urlsplit(link)
    return target.path + (f"?{target.query}" if target.query else "")


def test_invitation_email_arrives_by_smtp_with_both_parts_and_a_working_link(
    smtp,
    client,
    cohort,
    certification,
):
    services.enrollment_create(
        email="new.student@example.com", cohort=cohort, certifications=[certification]
    )
    assert len(smtp.received) == 1
    mail = smtp.received[0]
    assert mail["rcpt_tos"] == ["new.student@example.com"]
    assert mail["mail_from"] == "admissions@trinitycareer.example"
    message = mail["message"]
    assert message["To"] == "new.student@example.com"
    assert message["From"] == "Trinity Career Institute <admissions@trinitycareer.example>"
    assert "Trinity Career Institute" in message["Subject"]
    assert "\n" not in message["Subject"]
    assert message["Message-ID"]
    assert message["Date"]

    text, html = parts(message)
    assert_reads_well(text, html)
    text_links, html_links = links_of(text, html)
    invitation = [link for link in text_links if "/portal/invitation/" in link]
    assert len(invitation) == 1
    link = invitation[0]
    assert link in html_links  # the button and the copyable address, same link
    assert urlsplit(link).scheme == "https"
    assert urlsplit(link).netloc == Site.objects.get_current().domain
    assert cohort.offering.program.title in text
    assert certification.acronym in text

    response = client.get(local(link), secure=True)
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "new_password1" in page  # the set-password form
    response = client.post(
        local(link),
        {"new_password1": "Sturdy-passw0rd-71", "new_password2": "Sturdy-passw0rd-71"},
        secure=True,
    )
    assert response.status_code == HTTPStatus.FOUND
    assert User.objects.get(email="new.student@example.com").has_usable_password()


def test_inquiry_emails_arrive_by_smtp_with_both_parts_and_working_links(
    smtp,
    client,
    catalog,
    django_user_model,
):
    data = {
        "name": "Maria Lopez",
        "email": "maria@example.com",
        "phone": "214 555 0190",
        "program": "medical-assisting",
        "campus": "arlington",
        "contact_method": "email",
        "message": "Do you have evening classes? Ça va?",
        "consent_email": "on",
    }
    response = client.post("/request-info/", data)
    assert response.status_code == HTTPStatus.FOUND
    inquiry = Inquiry.objects.get()
    campus = inquiry.campus
    assert len(smtp.received) == 2
    by_rcpt = {mail["rcpt_tos"][0]: mail for mail in smtp.received}
    assert set(by_rcpt) == {campus.admissions_email, "maria@example.com"}

    # To admissions: reply goes to the visitor; the admin link opens the inquiry.
    admissions = by_rcpt[campus.admissions_email]["message"]
    assert admissions["Reply-To"] == "maria@example.com"
    assert "Medical Assisting" in admissions["Subject"]
    assert campus.name in admissions["Subject"]
    text, html = parts(admissions)
    assert_reads_well(text, html)
    assert "Ça va?" in text
    assert "Ça va?" in html
    text_links, html_links = links_of(text, html)
    admin_link = reverse("admin:programs_inquiry_change", args=[inquiry.pk])
    assert any(local(link) == admin_link for link in text_links)
    assert any(local(link) == admin_link for link in html_links)
    staff = django_user_model.objects.create_user(
        email="desk@example.com", password="x", is_staff=True, is_superuser=True
    )
    client.force_login(staff)
    assert client.get(admin_link).status_code == HTTPStatus.OK
    client.logout()

    # To the visitor: reply goes to the campus; every link works.
    confirmation = by_rcpt["maria@example.com"]["message"]
    assert confirmation["Reply-To"] == campus.admissions_email
    assert "we received your request" in confirmation["Subject"]
    text, html = parts(confirmation)
    assert_reads_well(text, html)
    assert text.startswith("Hello,")  # no visitor-written text: any address can be typed
    text_links, html_links = links_of(text, html)
    assert text_links
    assert html_links
    for link in {*text_links, *html_links}:
        response = client.get(local(link))
        assert response.status_code == HTTPStatus.OK, link
    assert "/programs/medical-assisting/" in {local(link) for link in text_links}
    assert f"/campuses/{campus.slug}/" in {local(link) for link in text_links}


def test_a_refused_recipient_does_not_lose_the_inquiry(smtp, client, catalog, settings):
    settings.EMAIL_PORT = free_port()  # nothing listens there: the mail server is down
    response = client.post(
        "/request-info/",
        {
            "name": "Maria Lopez",
            "email": "maria@example.com",
            "program": "medical-assisting",
            "campus": "arlington",
            "contact_method": "email",
            "consent_email": "on",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    assert Inquiry.objects.count() == 1
    assert smtp.received == []
