"""Logs are JSON lines on standard output; a visitor never sees a stack trace.

The first test runs the production settings (DEBUG off, no pytest) in a fresh Python
process and reads what it really writes to stdout for a failing request."""

import json
import os
import subprocess
import sys
from http import HTTPStatus
from pathlib import Path

import pytest

from tests.security.urls import BOOM_MESSAGE

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import sys
import django
django.setup()
from django.test import Client
from django.test.utils import override_settings

from django.conf import settings

# collectstatic has not run here: the plain storage stands in for the hashed manifest.
storages = {**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
with override_settings(ROOT_URLCONF="tests.security.urls", STORAGES=storages):
    client = Client(raise_request_exception=False)
    response = client.get("/test-boom/", HTTP_HOST="localhost")
with open(sys.argv[1], "w") as out:
    out.write("STATUS %s\\n" % response.status_code)
    out.write(response.content.decode())
"""


@pytest.fixture(scope="module")
def production_failure(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("prod")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        DJANGO_SETTINGS_MODULE="trainingcenter.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="s" * 60,
        DJANGO_HTTPS="0",
        DJANGO_CACHE_DIR=str(tmp / "cache"),
        DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}",
    )
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp / "response.txt")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    status_line, _, page = (tmp / "response.txt").read_text().partition("\n")
    return result.stdout, status_line, page


def test_an_error_is_one_json_line_on_stdout_with_the_exception(production_failure):
    stdout, _status, _page = production_failure
    lines = [json.loads(line) for line in stdout.splitlines() if line.strip()]
    errors = [entry for entry in lines if entry["level"] == "ERROR"]
    assert len(errors) == 1, stdout
    error = errors[0]
    assert error["logger"] == "django.request"
    assert error["message"] == "Internal Server Error: /test-boom/"
    assert error["status"] == HTTPStatus.INTERNAL_SERVER_ERROR
    assert f"RuntimeError: {BOOM_MESSAGE}" in error["exception"]
    assert "Traceback" in error["exception"]
    assert error["time"].endswith("+00:00")


def test_every_stdout_line_is_json(production_failure):
    stdout, _status, _page = production_failure
    assert stdout.strip()
    for line in stdout.splitlines():
        assert isinstance(json.loads(line), dict), line


def test_the_visitor_sees_a_plain_500_page_without_a_trace(production_failure):
    _stdout, status, page = production_failure
    assert status == "STATUS 500"
    assert "Something went wrong on our side" in page
    for leak in ("Traceback", BOOM_MESSAGE, "RuntimeError", "tests/security", 'File "'):
        assert leak not in page


@pytest.mark.django_db
@pytest.mark.urls("tests.security.urls")
def test_in_the_test_settings_too_the_500_page_shows_no_trace(client, settings):
    assert settings.DEBUG is False
    client.raise_request_exception = False
    response = client.get("/test-boom/")
    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    body = response.content.decode()
    assert "Something went wrong" in body
    assert BOOM_MESSAGE not in body
    assert "Traceback" not in body


@pytest.mark.django_db
@pytest.mark.urls("tests.security.urls")
def test_a_failing_error_page_falls_back_to_plain_html(client, monkeypatch):
    from trainingcenter import errors

    def broken(name):
        raise ValueError("Missing staticfiles manifest entry")

    monkeypatch.setattr(errors.loader, "get_template", broken)
    client.raise_request_exception = False
    response = client.get("/test-boom/")
    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    body = response.content.decode()
    assert "Something went wrong on our side" in body
    assert "manifest" not in body
    assert BOOM_MESSAGE not in body
