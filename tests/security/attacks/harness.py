"""The attacker's tools: one production server on loopback, a browser-like visitor that
handles CSRF like a real browser, raw sockets for lying Content-Length headers, and
read-only looks at the server's SQLite file and its workers' memory.

Every request goes to 127.0.0.1 on a port the fixture started; every loop is bounded."""

import contextlib
import json
import re
import select
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter

from tests.scale.cluster import ROOT, Node, manage, production_env

TIMEOUT = 30  # seconds, for any single ordinary request
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class AttackServer:
    """gunicorn with the production settings (DEBUG off, file cache, SQLite) over plain
    HTTP, on a fresh database with the demo content and the attack accounts."""

    def __init__(self, base, *, name="prod", workers=2):
        self.base = Path(base)
        self.name = name
        self.db = self.base / "db.sqlite3"
        self.env = production_env(
            self.base,
            DATABASE_URL=f"sqlite:///{self.db}",
            # Staff MFA is on by default with DEBUG off; without it the staff account could
            # not reach the portal at all. Off here so that finding 4 tests permissions.
            DJANGO_STAFF_REQUIRE_MFA="0",
        )
        self.node = Node(self.base, name, self.env)
        self.node.env["GUNICORN_WORKERS"] = str(workers)
        self.node.env.pop("GUNICORN_THREADS")  # gunicorn.conf.py's default (4)
        self.url = self.node.url
        self.log = self.node.log
        self.world = {}

    def prepare(self):
        """collectstatic beside migrate, then load_demo and the attack accounts in one
        Django start (the machine is shared: every start costs seconds)."""
        collect = subprocess.Popen(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            manage(self.env, "migrate", "--noinput", "-v0")
        finally:
            _, errors = collect.communicate(timeout=600)
        if collect.returncode:
            raise RuntimeError(f"collectstatic failed:\n{errors.decode()[-4000:]}")
        result = manage(
            self.env,
            "shell",
            "-c",
            "from django.core.management import call_command; call_command('load_demo'); "
            "from tests.security.attacks.world import build; build()",
        )
        self.world = json.loads(result.stdout.strip().splitlines()[-1])

    def start(self):
        self.node.start()
        self.node.wait_ready(timeout=90)

    def stop(self):
        self.node.stop()

    @property
    def pid(self):
        return self.node.process.pid

    def log_tail(self, lines=40, width=600):
        """The end of the server's log, long JSON lines (tracebacks) cut to `width`."""
        if not self.log.exists():
            return "(no log)"
        tail = self.log.read_text(errors="replace").splitlines()[-lines:]
        return "\n".join(line if len(line) <= width else line[:width] + " …" for line in tail)

    # --- looking inside, read-only --------------------------------------------------

    def query(self, sql, params=()):
        """One read-only query on the server's SQLite file."""
        connection = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=20)
        try:
            return connection.execute(sql, params).fetchall()
        finally:
            connection.close()

    def worker_pids(self):
        children = Path(f"/proc/{self.pid}/task/{self.pid}/children").read_text().split()
        return [int(pid) for pid in children]


def start_second_server(base, db_source, *, static_root):
    """A one-worker server on a copy of a database (for attacks that break the database)."""
    server = AttackServer(base, name="spare", workers=1)
    server.env["DJANGO_STATIC_ROOT"] = str(static_root)
    server.node.env["DJANGO_STATIC_ROOT"] = str(static_root)
    source = sqlite3.connect(f"file:{db_source}?mode=ro", uri=True, timeout=20)
    target = sqlite3.connect(server.db)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
    server.start()
    return server


def vm_hwm_mb(pid):
    """Peak resident memory of a process (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmHWM for {pid}")


class SourceAddressAdapter(HTTPAdapter):
    """Connect from another loopback address (127.0.0.2, ...): another visitor's IP for
    the server's per-address limits, still to the server on 127.0.0.1."""

    def __init__(self, source, **kwargs):
        self.source = source
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.source, 0)
        super().init_poolmanager(*args, **kwargs)


class Visitor:
    """A browser: cookies, the CSRF token of the page a form came from, no redirects
    followed unless asked. `source` picks the loopback address it connects from."""

    def __init__(self, server, *, source=None):
        self.server = server
        self.source = source
        self.session = requests.Session()
        if source:
            self.session.mount("http://", SourceAddressAdapter(source))

    def url(self, path):
        return self.server.url + path

    def get(self, path, **kwargs):
        kwargs.setdefault("timeout", TIMEOUT)
        kwargs.setdefault("allow_redirects", False)
        return self.session.get(self.url(path), **kwargs)

    def csrf_token(self, page):
        response = self.get(page, allow_redirects=True)
        assert response.status_code == 200, f"GET {page}: {response.status_code}"
        match = CSRF_INPUT.search(response.text)
        assert match, f"no CSRF token on {page}"
        return match.group(1)

    def post(self, path, data=None, *, files=None, token=None, **kwargs):
        data = dict(data or {})
        if token is not None:
            data["csrfmiddlewaretoken"] = token
        kwargs.setdefault("timeout", TIMEOUT)
        kwargs.setdefault("allow_redirects", False)
        return self.session.post(self.url(path), data=data, files=files, **kwargs)

    def submit(self, page, data=None, *, action=None, files=None):
        """Open `page`, then post its form (to `action`, by default the page itself)."""
        token = self.csrf_token(page)
        return self.post(action or page, data, files=files, token=token)

    def login(self, email, password):
        return self.submit("/accounts/login/", {"login": email, "password": password})

    def logged_in(self, email, password):
        response = self.login(email, password)
        assert response.status_code == 302, (
            f"login of {email} refused: {response.status_code}\n{response.text[:2000]}"
        )
        assert "/accounts/login" not in response.headers["Location"]
        return self

    def clone(self):
        """Another connection with the same cookies (requests.Session is not thread-safe)."""
        other = Visitor(self.server, source=self.source)
        other.session.cookies.update(self.session.cookies)
        return other

    def cookie(self, name):
        return self.session.cookies.get(name)


def is_login_redirect(response):
    return response.status_code in (
        301,
        302,
        303,
    ) and "/accounts/login" not in response.headers.get("Location", "")


def oversized_request(
    server, method, path, headers, *, declared, send_at_most, body_prefix=b"", wait=10
):
    """Announce `declared` bytes of body, send at most `send_at_most` (zeros), stop as soon
    as the server answers; return (status or None, seconds until the answer, bytes sent).

    Sends in 64 KB chunks and looks for an answer between them, so a server that answers
    413 straight after the headers is heard even if it then closes the connection."""
    host, port = urlsplit(server.url).hostname, urlsplit(server.url).port
    head = [f"{method} {path} HTTP/1.1", f"Host: {host}:{port}", "Connection: close"]
    head += [f"{name}: {value}" for name, value in headers.items()]
    head.append(f"Content-Length: {declared}")
    chunk = b"0" * 65536
    sent = 0
    started = time.monotonic()
    received = b""
    with socket.create_connection((host, port), timeout=wait) as sock:
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode() + body_prefix)
        sent = len(body_prefix)
        with contextlib.suppress(BrokenPipeError, ConnectionResetError, TimeoutError):
            while sent < send_at_most and time.monotonic() - started < wait:
                readable, _, _ = select.select([sock], [], [], 0)
                if readable:
                    break
                sock.sendall(chunk)
                sent += len(chunk)
        deadline = started + wait
        with contextlib.suppress(ConnectionResetError, TimeoutError):
            while b"\r\n" not in received and time.monotonic() < deadline:
                sock.settimeout(max(0.1, deadline - time.monotonic()))
                data = sock.recv(65536)
                if not data:
                    break
                received += data
    elapsed = time.monotonic() - started
    if not received.startswith(b"HTTP/"):
        return None, elapsed, sent
    return int(received.split(b" ", 2)[1]), elapsed, sent
