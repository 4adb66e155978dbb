"""`make bench`: scale data, in-process page measurements, a load test, bench/results.md.

1. Scale data (manage.py bench_data) in bench/data/bench-<N>x.sqlite3, one database per
   scale (kept between runs; --fresh rebuilds them; new migrations are applied).
2. In process (manage.py bench_measure): SQL queries and median/p95 server time of each
   key page at every scale, with production settings and the page cache off.
3. Load (largest scale): gunicorn with gunicorn.conf.py and production settings on a
   loopback port, wrk against the programs index, a program detail page and a bare view
   (DJANGO_BENCH_BARE_VIEW=1), interleaved, bounded in time; then every key page (portal
   and admin ones logged in) so each worker has done real work; peak memory (VmHWM) per
   worker from /proc.
4. A table on standard output and in bench/results.md, each target PASS or MISS.

Run from the repository root: .venv/bin/python bench/run.py [--scales 1 10] [--fresh]
"""

import argparse
import datetime
import json
import os
import platform
import re
import secrets
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
DATA = ROOT / "bench" / "data"
RESULTS = ROOT / "bench" / "results.md"
PY = sys.executable

TARGETS = {
    "public": {"queries": 8, "median_ms": 15},
    "portal": {"queries": 12, "median_ms": 30},
    "admin": {"queries": None, "median_ms": 200},
}
THROUGHPUT_RATIO = 0.70
WORKER_MEMORY_MB = 150


def say(text=""):
    sys.stdout.write(f"{text}\n")
    sys.stdout.flush()


def log(message):
    say(f"[bench {time.strftime('%H:%M:%S')}] {message}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(env, *args, quiet=True):
    out = subprocess.DEVNULL if quiet else None
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=out)


def base_env(tmp):
    env = dict(os.environ)
    for name in ("DATABASE_URL", "REDIS_URL", "DJANGO_PAGE_CACHE_SECONDS"):
        env.pop(name, None)
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_HTTPS="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_STATIC_ROOT=str(tmp / "static"),
        DJANGO_CACHE_DIR=str(tmp / "cache"),
        DJANGO_MEDIA_ROOT=str(DATA / "media"),
        DJANGO_PRIVATE_MEDIA_ROOT=str(DATA / "private"),
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        # Staff sessions are made by the bench itself (no TOTP device).
        DJANGO_STAFF_REQUIRE_MFA="0",
        PYTHONUNBUFFERED="1",
    )
    return env


def prepare_database(env, scale, fresh):
    db = DATA / f"bench-{scale}x.sqlite3"
    done = db.with_suffix(".done")
    env = {**env, "DATABASE_URL": f"sqlite:///{db}"}
    if fresh or not done.exists():
        for path in (db, done, Path(f"{db}-journal")):
            path.unlink(missing_ok=True)
        log(f"{scale}x: generating scale data in {db.relative_to(ROOT)}")
        started = time.perf_counter()
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "bench_data", "--scale", str(scale), quiet=False)
        done.write_text(f"{time.perf_counter() - started:.0f}\n")
    else:
        log(f"{scale}x: reusing {db.relative_to(ROOT)} (make bench BENCH_FRESH=1 rebuilds it)")
        manage(env, "migrate", "--noinput", "-v0")
    return env, float(done.read_text())


def measure(env, scale, requests, tmp):
    out = tmp / f"measure-{scale}x.json"
    log(f"{scale}x: measuring key pages in process ({requests} requests each)")
    result = subprocess.run(
        [
            *(PY, "manage.py", "bench_measure", "--label", f"{scale}x"),
            *("--out", str(out), "--requests", str(requests)),
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    for line in result.stdout.splitlines():
        if not line.startswith("{"):  # JSON log lines of the app
            say(f"    {line}")
    return json.loads(out.read_text())["pages"]


# --- Load test ------------------------------------------------------------------------


def wait_for(url, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer {url}")


def fetch(url, session=None):
    request = urllib.request.Request(url)
    if session:
        request.add_header("Cookie", f"sessionid={session}")
    with urllib.request.urlopen(request, timeout=60) as response:
        response.read()
        return response.status, response.headers.get("X-Page-Cache")


def parse_wrk(output):
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = {}
    for pct, value, unit in re.findall(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s)\b", output, re.M):
        factor = {"us": 0.001, "ms": 1, "s": 1000}[unit]
        latency[pct] = float(value) * factor
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors:.*", output)
    return {
        "rps": rps,
        "p50_ms": latency.get("50"),
        "p99_ms": latency.get("99"),
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": errors.group(0) if errors else "",
    }


def worker_pids(master):
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def vm_hwm_mb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return None


def load_test(env, scale, tmp, duration, rounds, connections):
    pages_file = tmp / "sessions.json"
    manage(
        env, "bench_measure", "--label", f"{scale}x", "--out", str(pages_file), "--sessions-only"
    )
    pages = json.loads(pages_file.read_text())
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    server_env = {
        **env,
        "DJANGO_BENCH_BARE_VIEW": "1",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        # No recycling in the middle of a 10 s run: memory is read after the load.
        "GUNICORN_MAX_REQUESTS": "0",
    }
    server_log = open(tmp / "gunicorn.log", "w")  # noqa: SIM115 (closed below)
    server = subprocess.Popen(
        [str(Path(PY).parent / "gunicorn"), "trainingcenter.wsgi", "-c", "gunicorn.conf.py"],
        cwd=ROOT,
        env=server_env,
        stdout=server_log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(f"{origin}/healthz")
        workers = worker_pids(server.pid)
        log(f"{scale}x: gunicorn on {origin}, {len(workers)} workers; wrk -d{duration}s x{rounds}")
        by_name = {p["page"]: p for p in pages}
        targets = {
            "bare view": "/bench/bare/",
            "programs index": by_name["programs index"]["url"],
            "program detail": by_name["program detail"]["url"],
        }
        for name, path in targets.items():
            status, cache = fetch(origin + path)
            log(f"  warm {name}: {status} page cache {cache or '-'}")
        runs = {name: [] for name in targets}
        for _ in range(rounds):
            for name, path in targets.items():
                output = subprocess.run(
                    [
                        *("wrk", "-t2", f"-c{connections}", f"-d{duration}s"),
                        *("--latency", "--timeout", "5s", origin + path),
                    ],
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
                run = parse_wrk(output)
                runs[name].append(run)
                log(f"  {name:<16} {run['rps']:>8.0f} req/s  p50 {run['p50_ms']:.1f} ms")
        load = {}
        for name, items in runs.items():
            load[name] = {
                "rps": statistics.mean(r["rps"] for r in items),
                "p50_ms": statistics.mean(r["p50_ms"] for r in items),
                "p99_ms": statistics.mean(r["p99_ms"] for r in items),
                "non_2xx": sum(r["non_2xx"] for r in items),
                "socket_errors": "; ".join(r["socket_errors"] for r in items if r["socket_errors"]),
                "path": targets[name],
            }
        # Every key page, logged in where it needs to be, a few times per worker.
        statuses = {}
        for _ in range(3 * max(1, len(workers))):
            for page in pages:
                statuses[page["page"]] = fetch(origin + page["url"], page["session"])[0]
        bad = {k: v for k, v in statuses.items() if v != 200}
        if bad:
            log(f"  pages not 200 under gunicorn: {bad}")
        memory = {pid: vm_hwm_mb(pid) for pid in worker_pids(server.pid)}
        log(
            "  peak memory per worker (VmHWM): " + ", ".join(f"{m:.0f} MB" for m in memory.values())
        )
        return {"load": load, "memory_mb": memory, "workers": len(memory), "statuses": statuses}
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        server_log.close()


# --- Report ---------------------------------------------------------------------------


def verdict(ok):
    return "PASS" if ok else "MISS"


def page_rows(measured, scales):
    """One row per key page: queries and times at each scale, the target, PASS/MISS."""
    small, large = f"{scales[0]}x", f"{scales[-1]}x"
    by_scale = {label: {p["page"]: p for p in pages} for label, pages in measured.items()}
    rows = []
    for page in measured[large]:
        name, kind = page["page"], page["kind"]
        lo, hi = by_scale[small][name], by_scale[large][name]
        target = TARGETS[kind]
        checks = [lo["status"] == 200 and hi["status"] == 200, hi["queries"] <= lo["queries"]]
        wanted = []
        if target["queries"] is not None:
            checks.append(max(lo["queries"], hi["queries"]) <= target["queries"])
            wanted.append(f"<= {target['queries']} q")
        else:
            wanted.append("q flat")
        checks.append(hi["median_ms"] < target["median_ms"])
        wanted.append(f"< {target['median_ms']} ms at {large}")
        cached = hi.get("cached_median_ms")
        rows.append(
            [
                name,
                kind,
                f"{lo['queries']} / {hi['queries']}",
                f"{lo['median_ms']:.1f} / {lo['p95_ms']:.1f}",
                f"{hi['median_ms']:.1f} / {hi['p95_ms']:.1f}",
                f"{cached:.1f}" if cached is not None else "n/a",
                ", ".join(wanted),
                verdict(all(checks)),
            ]
        )
    return rows


def markdown_table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def text_table(header, rows):
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=True)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    return "\n".join(fmt.format(*map(str, r)) for r in [header, *rows])


def versions(env):
    out = subprocess.run(
        [PY, "-c", "import django, gunicorn; print(django.get_version(), gunicorn.__version__)"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout.split()
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout
    wrk = (wrk.split() or ["wrk", "?"])[1]
    return {"django": out[0], "gunicorn": out[1], "wrk": wrk}


def write_report(measured, scales, load, gen_seconds, args, env, seconds):
    large = f"{scales[-1]}x"
    header = [
        "Page",
        "Kind",
        f"Queries {scales[0]}x / {large}",
        f"ms {scales[0]}x median / p95",
        f"ms {large} median / p95",
        f"ms {large} page cache",
        "Target",
        "Result",
    ]
    rows = page_rows(measured, scales)
    bare = load["load"]["bare view"]["rps"]
    load_header = ["URL", "req/s", "p50 ms", "p99 ms", "vs bare view", "Target", "Result"]
    load_rows = []
    for name, run in load["load"].items():
        ratio = run["rps"] / bare if bare else 0
        is_target = name != "bare view"
        ok = ratio >= THROUGHPUT_RATIO and run["non_2xx"] == 0 and not run["socket_errors"]
        load_rows.append(
            [
                f"{name} ({run['path']})",
                f"{run['rps']:.0f}",
                f"{run['p50_ms']:.1f}",
                f"{run['p99_ms']:.1f}",
                f"{ratio:.0%}",
                f">= {THROUGHPUT_RATIO:.0%}" if is_target else "reference",
                verdict(ok) if is_target else "n/a",
            ]
        )
    peak = max(load["memory_mb"].values())
    memory_row = [
        [
            f"{load['workers']} workers",
            ", ".join(f"{m:.0f}" for m in load["memory_mb"].values()),
            f"{peak:.0f}",
            f"< {WORKER_MEMORY_MB} MB",
            verdict(peak < WORKER_MEMORY_MB),
        ]
    ]
    memory_header = ["gunicorn", "VmHWM per worker (MB)", "Peak MB", "Target", "Result"]
    v = versions(env)
    load_avg = load["loadavg"] if "loadavg" in load else os.getloadavg()
    meta = [
        f"- Date: {load.get('date') or f'{datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}'}",
        f"- Machine: {os.cpu_count()} CPUs ({platform.machine()}), {platform.system()} "
        f"{platform.release()}; load average at the end {load_avg[0]:.1f} / {load_avg[1]:.1f}"
        f" / {load_avg[2]:.1f} (1 / 5 / 15 min)",
        f"- Python {platform.python_version()}, Django {v['django']}, gunicorn {v['gunicorn']}"
        f", wrk {v['wrk']}, SQLite {sqlite_version()}",
        "- Data: "
        + "; ".join(f"{s}x generated in {gen_seconds[s]:.0f} s" for s in scales)
        + " (1x: 2 campuses, 60 programs, 600 cohorts, 10,000 students, 20,000 paths, "
        "200,000 steps, 20,000 inquiries; 10x: students, paths, steps and inquiries x10)",
        f"- In process: {args.requests} requests per page after 3 warm-up requests, "
        "production settings (DEBUG off), page cache off (what rendering costs); "
        "`page cache` is the anonymous median with the page cache on (file cache backend)",
        f"- Load: gunicorn.conf.py ({load['workers']} workers x "
        f"{os.environ.get('GUNICORN_THREADS', '4')} threads), production settings, "
        f"`wrk -t2 -c{args.connections} -d{args.duration}s`, {args.rounds} interleaved rounds "
        "(mean), same server for all three URLs, loopback; wrk shares the 2 CPUs",
        f"- Whole run: {seconds:.0f} s",
    ]
    body = [
        "# Benchmark results",
        "",
        "Written by `make bench` (bench/run.py). Targets from issue 7.",
        "",
        *meta,
        "",
        "## Key pages (in process)",
        "",
        markdown_table(header, rows),
        "",
        "## Throughput under load (gunicorn, production settings)",
        "",
        markdown_table(load_header, load_rows),
        "",
        "## Memory",
        "",
        markdown_table(memory_header, memory_row),
        "",
    ]
    notes = ROOT / "bench" / "notes.md"
    if notes.exists():
        body += [notes.read_text().strip(), ""]
    RESULTS.write_text("\n".join(body))
    say()
    say(text_table(header, rows))
    say()
    say(text_table(load_header, load_rows))
    say()
    say(text_table(memory_header, memory_row))
    say()
    log(f"written {RESULTS.relative_to(ROOT)}")


def sqlite_version():
    import sqlite3

    return sqlite3.sqlite_version


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--fresh", action="store_true", help="regenerate the scale data")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--report-only", action="store_true", help="rewrite results.md")
    args = parser.parse_args()
    if args.report_only:
        return report_only(args)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk (make bench does it as root)")
    started = time.perf_counter()
    DATA.mkdir(parents=True, exist_ok=True)
    scales = sorted(set(args.scales))
    with tempfile.TemporaryDirectory(prefix="tc-bench-") as tmp_name:
        tmp = Path(tmp_name)
        env = base_env(tmp)
        log("collectstatic into a temporary directory")
        manage(env, "collectstatic", "--noinput", "-v0")
        measured, gen_seconds, envs = {}, {}, {}
        for scale in scales:
            envs[scale], gen_seconds[scale] = prepare_database(env, scale, args.fresh)
        for scale in scales:
            measured[f"{scale}x"] = measure(envs[scale], scale, args.requests, tmp)
        load = load_test(
            envs[scales[-1]], scales[-1], tmp, args.duration, args.rounds, args.connections
        )
        run = {"measured": measured, "load": load, "gen_seconds": gen_seconds}
        run["seconds"] = time.perf_counter() - started
        run["loadavg"] = os.getloadavg()
        run["date"] = f"{datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}"
        (DATA / "last-run.json").write_text(json.dumps(run, indent=2, default=str))
        write_report(
            measured,
            scales,
            {**load, "loadavg": run["loadavg"]},
            gen_seconds,
            args,
            env,
            run["seconds"],
        )


def report_only(args):
    """Write bench/results.md again from the last run (e.g. after editing notes.md)."""
    run = json.loads((DATA / "last-run.json").read_text())
    scales = sorted(int(label.rstrip("x")) for label in run["measured"])
    gen_seconds = {int(k): v for k, v in run["gen_seconds"].items()}
    run["load"]["loadavg"] = run["loadavg"]
    run["load"]["date"] = run.get("date")
    write_report(
        run["measured"], scales, run["load"], gen_seconds, args, dict(os.environ), run["seconds"]
    )


if __name__ == "__main__":
    main()
