"""Secrets in URLs never reach the logs: calendar tokens, password-reset keys,
invitation tokens and e-mail confirmation keys are redacted from every log line."""

import io
import json
import logging
import re
from datetime import timedelta
from http import HTTPStatus
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.urls import reverse
from gunicorn.config import Config

from accounts import services
from accounts.models import StudentProfile
from trainingcenter.gunicorn_logging import JSONLogger
from trainingcenter.logging import REDACTED, JSONFormatter

pytestmark = pytest.mark.django_db


@pytest.fixture
def secret_urls(student):
    """(secret, the site's real URL that carries it) for each kind of secret URL."""
    calendar = services.profile_ensure(user=student).calendar_token
    reset_key = default_token_generator.make_token(student)
    uid = user_pk_to_url_str(student)
    invitation = services.invitation_create(user=student)
    return [
        (calendar, reverse("portal:calendar", kwargs={"token": calendar})),
        (
            reset_key,
            reverse("account_reset_password_from_key", kwargs={"uidb36": uid, "key": reset_key}),
        ),
        (invitation, reverse("portal:invitation_accept", kwargs={"token": invitation})),
        ("MTo1bm9wZQ:xyz", reverse("account_confirm_email", kwargs={"key": "MTo1bm9wZQ:xyz"})),
    ]


def gunicorn_access_line(path, query=""):
    cfg = Config()
    cfg.set("accesslog", "-")
    logger = JSONLogger(cfg)
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    logger.access_log.handlers = [handler]
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "REMOTE_ADDR": "203.0.113.9",
        "HTTP_USER_AGENT": "Calendar/1.0",
    }
    response = SimpleNamespace(status="200 OK", sent=42)
    logger.access(response, None, environ, timedelta(milliseconds=3))
    return out.getvalue()


def test_gunicorn_access_log_redacts_every_secret_url(secret_urls):
    for secret, url in secret_urls:
        line = gunicorn_access_line(url)
        entry = json.loads(line)
        assert secret not in line, url
        assert REDACTED in entry["path"], url
        assert entry["status"] == HTTPStatus.OK


def test_gunicorn_access_log_redacts_a_secret_url_in_the_query(secret_urls):
    for secret, url in secret_urls:
        line = gunicorn_access_line(reverse("account_login"), urlencode({"next": url}))
        assert secret not in line, url
        assert REDACTED in json.loads(line)["query"], url


def test_gunicorn_access_log_keeps_ordinary_urls(path):
    for url in (
        path.get_absolute_url(),
        reverse("portal:calendar_reset"),
        reverse("account_reset_password"),
        reverse("account_reset_password_done"),
        "/es/programs/",
    ):
        assert json.loads(gunicorn_access_line(url))["path"] == url


def test_spanish_urls_are_redacted_too(secret_urls):
    secret, url = secret_urls[0]
    line = gunicorn_access_line("/es" + url)
    assert secret not in line


def format_record(message):
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, message, (), None)
    return JSONFormatter().format(record)


def test_django_log_lines_redact_every_secret_url(secret_urls):
    for secret, url in secret_urls:
        for message in (f"Not Found: {url}", f'"GET {url} HTTP/1.1" 404 179'):
            line = format_record(message)
            assert secret not in line, message
            assert REDACTED in json.loads(line)["message"], message


def test_a_refused_calendar_request_is_logged_without_its_token(client, student):
    """Django's own request logging, through the site's formatter, for a real request."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(JSONFormatter())
    request_logger = logging.getLogger("django.request")
    request_logger.addHandler(handler)
    guess = "Zz" + "q" * 40
    try:
        response = client.get(reverse("portal:calendar", kwargs={"token": guess}))
    finally:
        request_logger.removeHandler(handler)
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert StudentProfile.objects.filter(calendar_token=guess).count() == 0
    lines = out.getvalue().splitlines()
    assert lines, "Django logs the 404"
    assert all(guess not in line for line in lines)
    assert any(re.search(r"/portal/calendar/\[redacted\]\.ics", line) for line in lines)
