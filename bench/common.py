"""What every bench script needs to run the site with production settings on loopback:
a free port, the environment, manage.py, waiting for the server to answer."""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def say(text=""):
    sys.stdout.write(f"{text}\n")
    sys.stdout.flush()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def production_env(tmp, **overrides):
    """Production settings over plain HTTP, everything written under ``tmp`` unless
    ``overrides`` says otherwise (DATABASE_URL, media roots, ...)."""
    env = dict(os.environ)
    for name in ("DATABASE_URL", "REDIS_URL", "DJANGO_PAGE_CACHE_SECONDS", "DJANGO_MEDIA_STORAGE"):
        env.pop(name, None)
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_HTTPS="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_STATIC_ROOT=str(tmp / "static"),
        DJANGO_CACHE_DIR=str(tmp / "cache"),
        DJANGO_MEDIA_ROOT=str(tmp / "media"),
        DJANGO_PRIVATE_MEDIA_ROOT=str(tmp / "private"),
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        PYTHONUNBUFFERED="1",
    )
    env.update(overrides)
    return env


def manage(env, *args, quiet=True, capture=False):
    """Run manage.py; returns its standard output when ``capture``."""
    if capture:
        return subprocess.run(
            [PY, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
        ).stdout
    out = subprocess.DEVNULL if quiet else None
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=out)
    return None


class NoAnswer(RuntimeError):
    pass


def wait_for(url, seconds=60):
    """Until ``url`` answers 200; NoAnswer after ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise NoAnswer(f"no answer from {url}")
