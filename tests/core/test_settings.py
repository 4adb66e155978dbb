import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    base.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_without_secret_key_fail_with_one_clear_line():
    result = run_manage("check", DJANGO_DEBUG="0")
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert lines == [
        "DJANGO_SECRET_KEY is not set: set it to a long random value "
        "(or set DJANGO_DEBUG=1 for development)."
    ]


def test_check_deploy_passes_with_production_settings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="a-long-random-production-secret-" + "x" * 40,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("https", "expected"),
    [("1", "True"), ("0", "False")],
)
def test_https_switch_controls_redirect_hsts_and_secure_cookies(https, expected):
    code = (
        "from django.conf import settings as s;"
        "print(s.SECURE_SSL_REDIRECT, bool(s.SECURE_HSTS_SECONDS), s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    )
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    base.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="k" * 50,
        DJANGO_HTTPS=https,
        DJANGO_SETTINGS_MODULE="trainingcenter.settings",
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django;django.setup();{code}"],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [expected] * 4


def test_database_url_selects_postgresql_with_a_pool():
    code = "from django.conf import settings as s;d=s.DATABASES['default'];print(d['ENGINE'], d['NAME'], bool(d['OPTIONS'].get('pool')))"
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    base.update(
        DJANGO_DEBUG="1",
        DATABASE_URL="postgres://u:p@db.internal:5432/school",
        REDIS_URL="redis://127.0.0.1:6399/0",
        DJANGO_SETTINGS_MODULE="trainingcenter.settings",
    )
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django;django.setup();{code};print(s.CACHES['default']['BACKEND'], s.SESSION_ENGINE)",
        ],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "school",
        "True",
        "django.core.cache.backends.redis.RedisCache",
        "django.contrib.sessions.backends.cached_db",
    ]
