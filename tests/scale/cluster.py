"""Start and stop the pieces of a small production cluster on loopback, for the scale tests:
a throwaway PostgreSQL server, a Redis server without persistence, and gunicorn app nodes
running the production settings. The fixture registers each stop before its start."""

import contextlib
import glob
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REQUIRED_ENV = "TC_SCALE_REQUIRED"  # set by .ci/run: a missing server fails instead of skipping
DIR_ENV = "TC_SCALE_DIR"  # set by .ci/run: where the servers live, for its exit trap


def write_pid(folder, name, process):
    """<name>.pid beside the server's files: .ci/run's exit trap stops it by that id."""
    (Path(folder) / f"{name}.pid").write_text(str(process.pid))


def stop_process(process, folder, name, *, timeout=30):
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    (Path(folder) / f"{name}.pid").unlink(missing_ok=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, *, timeout=30, process=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process exited with {process.returncode} before listening")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


def postgres_bin():
    """The newest installed PostgreSQL's bin folder (Debian layout), or None."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
    candidates = [c for c in candidates if os.access(f"{c}/initdb", os.X_OK)]
    return Path(candidates[-1]) if candidates else None


def missing_servers():
    missing = []
    if postgres_bin() is None:
        missing.append("PostgreSQL (initdb, pg_ctl)")
    if shutil.which("redis-server") is None:
        missing.append("redis-server")
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        missing.append("runuser")
    return missing


class PostgresServer:
    """initdb in a temporary folder and pg_ctl on a free loopback port.

    PostgreSQL refuses to run as root, so as root it runs as the ``postgres`` user."""

    def __init__(self, base):
        self.bin = postgres_bin()
        self.dir = Path(base) / "pg"
        self.dir.mkdir()
        self.port = free_port()
        self.as_root = os.geteuid() == 0
        if self.as_root:
            shutil.chown(self.dir, "postgres")
            os.chmod(base, 0o755)
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args):
        command = [str(self.bin / args[0]), *args[1:]]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def start(self):
        self._run("initdb", "-D", f"{self.dir}/data", "-U", "postgres", "-A", "trust", "--no-sync")
        options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            "pg_ctl", "-D", f"{self.dir}/data", "-l", f"{self.dir}/server.log", "-w",
            "-o", options, "start",
        )  # fmt: skip

    def stop(self):
        with contextlib.suppress(subprocess.CalledProcessError, subprocess.TimeoutExpired):
            self._run("pg_ctl", "-D", f"{self.dir}/data", "-m", "immediate", "stop")


class RedisServer:
    """Debian's redis-server on a free loopback port, nothing written to disk."""

    def __init__(self, base):
        self.port = free_port()
        self.dir = Path(base)
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", str(self.dir),
                "--protected-mode", "yes", "--loglevel", "warning",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        write_pid(self.dir, "redis", self.process)
        wait_for_port(self.port, process=self.process)

    def stop(self):
        stop_process(self.process, self.dir, "redis", timeout=10)


def production_env(base, **extra):
    """The environment every node and release step shares (production settings, HTTP)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_HTTPS="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_STATIC_ROOT=str(Path(base) / "static"),
        DJANGO_MEDIA_ROOT=str(Path(base) / "media"),
        DJANGO_PRIVATE_MEDIA_ROOT=str(Path(base) / "private"),
        DJANGO_CACHE_DIR=str(Path(base) / "cache"),
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        DJANGO_EMAIL_FILE_PATH=str(Path(base) / "mail"),
        **extra,
    )
    return env


def manage(env, *args, timeout=600):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode:
        raise RuntimeError(
            f"manage.py {' '.join(args[:1])} failed ({result.returncode}):\n"
            f"{result.stdout[-2000:]}\n{result.stderr[-8000:]}"
        )
    return result


class Node:
    """One app node: gunicorn with gunicorn.conf.py, as `make serve` runs it."""

    def __init__(self, base, name, env):
        self.name = name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.dir = Path(base)
        self.log = self.dir / f"node-{name}.log"
        self.env = {
            **env,
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_WORKERS": "2",
            "GUNICORN_THREADS": "2",
        }
        self.process = None

    def start(self):
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "trainingcenter.wsgi", "-c", "gunicorn.conf.py"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        write_pid(self.dir, f"node-{self.name}", self.process)

    def wait_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"node {self.name} exited:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except (OSError, urllib.error.URLError):
                time.sleep(0.2)
        raise TimeoutError(f"node {self.name} not ready:\n{self.log_tail()}")

    def log_tail(self, lines=40):
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def stop(self):
        # SIGTERM: gunicorn's graceful shutdown of its workers.
        stop_process(self.process, self.dir, f"node-{self.name}")
