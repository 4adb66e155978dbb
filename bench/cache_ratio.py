"""Throughput of cached pages against the bare Django view, on the file cache and on Redis.

One gunicorn per cache backend (production settings over plain HTTP, the demo data,
gunicorn.conf.py with 2 sync workers by default), wrk with 16 connections against
/bench/bare/, the programs index and a program page, interleaved for several rounds in
the same run; the figure that matters is each page's requests per second divided by the
bare view's (the framework's own limit on this machine, measured beside it).

    .venv/bin/python bench/cache_ratio.py [--backends file redis] [--rounds 3] [--duration 5]

Other code calls ``measure()``, which returns the figures as a dict. Needs wrk
(apt-get install wrk) and, for Redis, /usr/bin/redis-server (started on a free port).
"""

import argparse
import json
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import PY, free_port, manage, production_env, say, wait_for  # noqa: E402

REDIS_SERVER = "/usr/bin/redis-server"
PAGES = {"bare view": "/bench/bare/", "programs index": "/programs/"}


def _env(tmp, database):
    return production_env(tmp, DATABASE_URL=database or f"sqlite:///{tmp / 'demo.sqlite3'}")


def _manage(env, *args):
    return manage(env, *args, capture=True)


def _fetch(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        response.read()
        return response.status, response.headers.get("X-Page-Cache")


def _wrk(url, duration, connections, accept_encoding):
    headers = ("-H", f"Accept-Encoding: {accept_encoding}") if accept_encoding else ()
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "5s", *headers, url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return rps, int(bad.group(1)) if bad else 0


class _Redis:
    def __init__(self, tmp):
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                *(REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--dir", str(tmp)),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


def _serve(env, workers, worker_class, log):
    port = free_port()
    server_env = {
        **env,
        "DJANGO_BENCH_BARE_VIEW": "1",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(workers),
        "GUNICORN_MAX_REQUESTS": "0",
    }
    command = [str(Path(PY).parent / "gunicorn"), "trainingcenter.wsgi", "-c", "gunicorn.conf.py"]
    if worker_class:
        command += ["--worker-class", worker_class]
        if worker_class == "sync":  # with threads > 1 gunicorn would use gthread instead
            command += ["--threads", "1"]
    server = subprocess.Popen(
        [*command, "--access-logfile", "/dev/null"],
        cwd=ROOT,
        env=server_env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    origin = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{origin}/healthz")
    except RuntimeError:
        server.kill()
        raise
    return server, origin


def _stop(server):
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()


def measure(
    backends=("file", "redis"),
    rounds=3,
    duration=5,
    connections=16,
    workers=2,
    worker_class="sync",
    database=None,
    accept_encoding=None,
    say=say,
):
    """Requests per second of the bare view and of two cached pages, per backend.

    Returns {"file": {"pages": {name: {"path", "rps": [...], "mean", "ratio"}}}, ...}.
    ``database``: a DATABASE_URL with data already in it; by default the demo data is
    loaded into a new SQLite file. ``accept_encoding``: sent by wrk (none by default, as
    wrk sends none: the pages go uncompressed; "br, gzip" is what browsers get)."""
    if not shutil.which("wrk"):
        raise RuntimeError("wrk is missing: apt-get install wrk")
    results = {}
    with tempfile.TemporaryDirectory(prefix="tc-cache-ratio-") as name:
        tmp = Path(name)
        env = _env(tmp, database)
        say("collectstatic, migrate" + ("" if database else ", load_demo"))
        _manage(env, "collectstatic", "--noinput", "-v0")
        _manage(env, "migrate", "--noinput", "-v0")
        if not database:
            _manage(env, "load_demo")
        program = _manage(
            env,
            "shell",
            "-c",
            "from programs.models import Program; "
            "print(Program.objects.order_by('pk').first().get_absolute_url())",
        ).split()[-1]
        pages = {**PAGES, "program page": program}
        for backend in backends:
            redis = _Redis(tmp) if backend == "redis" else None
            backend_env = {**env, "REDIS_URL": redis.url} if redis else env
            log = open(tmp / f"gunicorn-{backend}.log", "w")  # noqa: SIM115 (closed below)
            server = None
            try:
                server, origin = _serve(backend_env, workers, worker_class, log)
                for page, path in pages.items():
                    for _ in range(2 * workers):
                        status, cache = _fetch(origin + path)
                    say(f"{backend}: warm {page} {path}: {status}, page cache {cache or '-'}")
                runs = {page: [] for page in pages}
                errors = 0
                for _ in range(rounds):
                    for page, path in pages.items():
                        rps, bad = _wrk(origin + path, duration, connections, accept_encoding)
                        runs[page].append(rps)
                        errors += bad
                        say(f"{backend}: {page:<15} {rps:8.0f} req/s")
                bare = statistics.mean(runs["bare view"])
                results[backend] = {
                    "errors": errors,
                    "pages": {
                        page: {
                            "path": pages[page],
                            "rps": runs[page],
                            "mean": statistics.mean(runs[page]),
                            "ratio": statistics.mean(runs[page]) / bare,
                            # Per round, against the bare view of the same round.
                            "round_ratios": [
                                r / b for r, b in zip(runs[page], runs["bare view"], strict=True)
                            ],
                            # Steadier than the mean on a machine shared with other jobs.
                            "median_round_ratio": statistics.median(
                                r / b for r, b in zip(runs[page], runs["bare view"], strict=True)
                            ),
                        }
                        for page in pages
                    },
                }
            finally:
                if server:
                    _stop(server)
                log.close()
                if redis:
                    redis.stop()
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", nargs="+", default=["file", "redis"])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-class", default="sync", help="'' keeps gunicorn.conf.py's")
    parser.add_argument("--database", help="a DATABASE_URL with data (default: the demo)")
    parser.add_argument("--accept-encoding", help='sent by wrk, e.g. "br, gzip"')
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    results = measure(
        args.backends,
        args.rounds,
        args.duration,
        args.connections,
        args.workers,
        args.worker_class,
        args.database,
        args.accept_encoding,
    )
    say()
    for backend, result in results.items():
        for page, figures in result["pages"].items():
            rounds = " ".join(f"{r:.2f}" for r in figures["round_ratios"])
            say(
                f"{backend:<6} {page:<15} {figures['mean']:8.0f} req/s  "
                f"{figures['ratio']:.2f}x bare, median of rounds "
                f"{figures['median_round_ratio']:.2f}x  ({rounds})"
            )
        say(f"{backend:<6} non-2xx responses: {result['errors']}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
