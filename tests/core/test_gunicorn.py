"""The production configuration, served by gunicorn over plain HTTP (DJANGO_HTTPS=0)."""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def production_server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("prod")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_HTTPS="0",
        DJANGO_STATIC_ROOT=str(tmp / "static"),
        DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}",
        GUNICORN_WORKERS="1",
    )
    py = sys.executable
    for args in (["collectstatic", "--noinput", "-v0"], ["migrate", "--noinput", "-v0"]):
        subprocess.run([py, "manage.py", *args], cwd=ROOT, env=env, check=True, timeout=300)
    port = free_port()
    env["GUNICORN_BIND"] = f"127.0.0.1:{port}"
    proc = subprocess.Popen(
        [py, "-m", "gunicorn", "trainingcenter.wsgi", "-c", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    yield base
    proc.terminate()
    proc.wait(timeout=10)


def test_gunicorn_serves_the_site_with_security_headers(production_server):
    with urllib.request.urlopen(production_server + "/") as response:
        assert response.status == 200
        headers = response.headers
        html = response.read().decode()
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in headers  # DJANGO_HTTPS=0
    # Hashed, compressed static files from whitenoise's manifest storage.
    css = html.split('href="/static/bundles/public.')[1].split('"')[0]
    with urllib.request.urlopen(f"{production_server}/static/bundles/public.{css}") as response:
        assert response.status == 200
        assert "max-age=315360000" in response.headers["Cache-Control"]


def test_gunicorn_healthz_answers_200(production_server):
    with urllib.request.urlopen(production_server + "/healthz") as response:
        assert response.status == 200
        assert response.read() == b'{"status": "ok", "database": "ok"}'
