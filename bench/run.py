"""`make bench`: scale data, page times in process, cache hits and a mixed workload under load.

1. Scale data (manage.py bench_data) in bench/data/bench-<N>x.sqlite3, one database per
   scale (kept between runs; --fresh rebuilds them; new migrations are applied). With
   PostgreSQL installed, the largest scale is copied from its SQLite database into a
   throwaway PostgreSQL cluster (bench/copy_to_postgres.py: the same rows, in minutes).
2. In process (manage.py bench_measure): SQL queries, median and p95 server time of every
   key page it lists, at every scale on SQLite and at the largest scale on PostgreSQL,
   production settings, page cache off.
3. Cache hits (gunicorn.conf.py, production settings, one node): wrk against the bare
   view (DJANGO_BENCH_BARE_VIEW=1) and cached anonymous pages, interleaved rounds, on
   the file cache and on Redis (a redis-server on a free port, nothing saved).
4. Mixed workload at the largest scale (80 % anonymous public pages, 15 % pages of many
   logged-in students, 5 % staff pages; bench/load.py): (a) one node, SQLite, file cache;
   (b) two nodes, PostgreSQL and Redis, requests spread over both. Throughput, p50 and
   p99 per kind, errors, peak memory (VmHWM) per worker.
5. Every figure with its target and PASS/MISS on standard output and in bench/results.md,
   followed by the hand-written bench/notes.md.

Run from the repository root: .venv/bin/python bench/run.py [--scales 1 10] [--fresh]
[--no-postgres] [--lighthouse]; --report-only rewrites results.md from the last run.
"""

import argparse
import contextlib
import datetime
import json
import os
import platform
import re
import secrets
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import load  # noqa: E402
from bench.common import manage, production_env, say  # noqa: E402
from tests.scale.cluster import Node, PostgresServer, RedisServer, postgres_bin  # noqa: E402

DATA = ROOT / "bench" / "data"
RESULTS = ROOT / "bench" / "results.md"
NOTES = ROOT / "bench" / "notes.md"
LIGHTHOUSE = ROOT / "bench" / "lighthouse.py"
PY = sys.executable

# Issue 17: p50 server time at the largest scale, per kind of page; query counts flat.
MEDIAN_MS = {"public": 15, "portal": 15, "apply": 20, "admin": 50}
KIND_ALIASES = {"staff": "admin", "student": "portal"}
CACHE_RATIO = 0.90
WORKER_MEMORY_MB = 150
# Cached anonymous pages against the bare view (the bare view first: the reference).
CACHED_PAGES = {
    "bare view": "/bench/bare/",
    "home": "/",
    "programs index": "/programs/",
    "program detail": None,  # the key pages' program detail URL
    "home (es)": "/es/",
}


def log(message):
    say(f"[bench {time.strftime('%H:%M:%S')}] {message}")


def base_env(tmp):
    return production_env(
        tmp,
        DJANGO_MEDIA_ROOT=str(DATA / "media"),
        DJANGO_PRIVATE_MEDIA_ROOT=str(DATA / "private"),
        # Staff sessions are made by the bench itself (no TOTP device).
        DJANGO_STAFF_REQUIRE_MFA="0",
    )


# --- Data -----------------------------------------------------------------------------


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


def prepare_postgres(server, env, scale):
    """The same scale data as SQLite's, copied table by table (bench/copy_to_postgres.py):
    minutes faster than generating it again, and both databases hold the same rows."""
    env = {**env, "DATABASE_URL": server.url}
    started = time.perf_counter()
    log(f"PostgreSQL {scale}x: migrate, then copy bench-{scale}x.sqlite3 into it")
    manage(env, "migrate", "--noinput", "-v0")
    subprocess.run(
        [PY, "bench/copy_to_postgres.py", str(DATA / f"bench-{scale}x.sqlite3")],
        cwd=ROOT,
        env=env,
        check=True,
    )
    sql(env, "ANALYZE")
    seconds = time.perf_counter() - started
    log(f"PostgreSQL {scale}x: ready in {seconds:.0f} s")
    return env, {"how": "copied from SQLite", "seconds": seconds, "size": sql(env, PG_SIZE)}


PG_SIZE = "SELECT pg_size_pretty(pg_database_size(current_database()))"


def sql(env, statement):
    code = (
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        f"    c.execute({statement!r})\n"
        "    print(c.fetchone()[0] if c.description else '')"
    )
    out = subprocess.run(
        [PY, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip().splitlines()[-1] if out.stdout.strip() else ""


def sqlite_sizes(scale):
    db = DATA / f"bench-{scale}x.sqlite3"
    counts = {}
    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        for label, table in (
            ("users", "accounts_user"),
            ("paths", "accounts_certificationpath"),
            ("steps", "accounts_pathstep"),
            ("cohorts", "programs_cohort"),
            ("inquiries", "programs_inquiry"),
        ):
            with contextlib.suppress(sqlite3.Error):
                counts[label] = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    return {"mb": db.stat().st_size / 2**20, "rows": counts}


# --- In process -----------------------------------------------------------------------


def measure(env, label, args, tmp):
    out = tmp / f"measure-{label}.json"
    log(f"{label}: measuring key pages in process ({args.requests} requests each at most)")
    result = subprocess.run(
        [
            *(PY, "manage.py", "bench_measure", "--label", label),
            *("--out", str(out), "--requests", str(args.requests)),
            *("--budget", str(args.budget)),
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


# --- Servers --------------------------------------------------------------------------


def worker_pids(master):
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def vm_hwm_mb(pid):
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return None


@contextlib.contextmanager
def nodes(base, env, count, workers=None):
    """`count` gunicorn nodes with gunicorn.conf.py (production's worker count unless
    `workers` is given), the bare view on, no worker recycling during the run."""
    started = []
    try:
        for n in range(count):
            node = Node(base, f"{n + 1}-{secrets.token_hex(3)}", env)
            node.env.pop("GUNICORN_THREADS")
            node.env.pop("GUNICORN_WORKERS")
            if workers:
                node.env["GUNICORN_WORKERS"] = str(workers)
            node.env.update(DJANGO_BENCH_BARE_VIEW="1", GUNICORN_MAX_REQUESTS="0")
            started.append(node)
            node.start()
        for node in started:
            node.wait_ready()
        yield started
    finally:
        for node in started:
            node.stop()


def memory(node_list):
    return {
        f"{node.name.split('-')[0]}:{pid}": vm_hwm_mb(pid)
        for node in node_list
        for pid in worker_pids(node.process.pid)
    }


def run_cache_ratio(base, env, label, pages, args):
    with nodes(base, env, 1) as (node,):
        log(f"cache hits, {label}: one node {node.url}, wrk -d{args.duration}s x{args.rounds}")
        result = load.cache_ratio(
            node.url,
            pages,
            duration=args.duration,
            rounds=args.rounds,
            connections=args.connections,
            log=log,
        )
        return {"pages": result, "workers": len(worker_pids(node.process.pid))}


def run_mixed(base, env, label, count, workers, args):
    urls_file = Path(base) / f"workload-{secrets.token_hex(3)}.json"
    subprocess.run(
        [PY, "bench/workload_urls.py", str(urls_file), "--students", str(args.students)],
        cwd=ROOT,
        env=env,
        check=True,
    )
    urls = json.loads(urls_file.read_text())
    sizes = {kind: len(items) for kind, items in urls.items()}
    with nodes(base, env, count, workers) as node_list:
        origins = [node.url for node in node_list]
        log(f"mixed workload, {label}: {', '.join(origins)}; URLs {sizes}")
        failures = load.warm(origins, urls)
        if failures:
            log(f"  warm-up failures: {failures}")
        summary = load.mixed(
            origins,
            urls,
            args.mixed_seconds,
            processes=args.client_processes,
            threads=args.connections // args.client_processes,
        )
        for kind, row in summary.items():
            log(
                f"  {kind:<8} {row['rps']:>7.0f} req/s  p50 {fmt(row['p50_ms'])} ms  "
                f"p99 {fmt(row['p99_ms'])} ms  errors {row['errors']}"
            )
        mem = memory(node_list)
        log("  peak memory per worker (VmHWM): " + ", ".join(f"{m:.0f} MB" for m in mem.values()))
        server_errors = keep_logs(node_list, label)
        return {
            "label": label,
            "nodes": count,
            "workers": len(mem),
            "urls": sizes,
            "warm_failures": failures,
            "summary": summary,
            "memory_mb": mem,
            "server_errors": server_errors,
        }


def keep_logs(node_list, label):
    """Copy the nodes' logs to bench/data/logs/ and count what went wrong in them:
    responses with a 5xx status and gunicorn's worker timeouts."""
    folder = DATA / "logs"
    folder.mkdir(exist_ok=True)
    slug = label.split(")")[0].strip("(")
    counts = {"5xx": 0, "worker timeouts": 0}
    for node in node_list:
        text = node.log.read_text(errors="replace")
        shutil.copyfile(node.log, folder / f"mixed-{slug}-node-{node.name.split('-')[0]}.log")
        counts["5xx"] += len(re.findall(r'"status": ?"?5\d\d', text))
        counts["worker timeouts"] += text.count("WORKER TIMEOUT")
    if any(counts.values()):
        log(f"  in the server logs (bench/data/logs/): {counts}")
    return counts


# --- Report ---------------------------------------------------------------------------


def fmt(value, digits=1):
    return "n/a" if value is None else f"{value:.{digits}f}"


def verdict(ok):
    return "PASS" if ok else "MISS"


def page_rows(measured, scales, pg_label):
    """One row per page bench_measure returned: queries and times, target, PASS/MISS.

    Generic over its rows (page, kind, status, queries, median_ms, p95_ms), so pages
    added to bench_measure show up here without a change."""
    small, large = f"{scales[0]}x", f"{scales[-1]}x"
    by_label = {label: {p["page"]: p for p in pages} for label, pages in measured.items()}
    rows = []
    for page in measured[large]:
        name = page["page"]
        kind = KIND_ALIASES.get(page["kind"], page["kind"])
        lo = by_label[small].get(name, page)
        hi = page
        pg = by_label.get(pg_label, {}).get(name) if pg_label else None
        target = MEDIAN_MS.get(kind)
        checks = [
            all(p["status"] == 200 for p in (lo, hi, pg) if p),
            hi["queries"] <= lo["queries"],
        ]
        if target is not None:
            checks.append(hi["median_ms"] <= target)
            if pg:
                checks.append(pg["median_ms"] <= target)
        wanted = "q flat" + (f", p50 <= {target} ms" if target is not None else "")
        rows.append(
            [
                name,
                kind,
                f"{lo['queries']} / {hi['queries']}" + (f" / {pg['queries']}" if pg else ""),
                f"{lo['median_ms']:.1f} / {lo['p95_ms']:.1f}",
                f"{hi['median_ms']:.1f} / {hi['p95_ms']:.1f}",
                f"{pg['median_ms']:.1f} / {pg['p95_ms']:.1f}" if pg else "n/a",
                fmt(hi.get("cached_median_ms")),
                " / ".join(str(p.get("requests", "?")) for p in (lo, hi, pg) if p),
                wanted,
                verdict(all(checks)),
            ]
        )
    return rows


def cache_rows(cache):
    rows = []
    for backend, run in cache.items():
        for name, page in run["pages"].items():
            is_ref = page["path"] == "/bench/bare/"
            ok = (
                page["ratio"] >= CACHE_RATIO
                and not page["non_2xx"]
                and not page["socket_errors"]
                and page["cache"] == "hit"
            )
            rows.append(
                [
                    backend,
                    f"{name} ({page['path']})",
                    page["cache"] or "-",
                    f"{page['rps']:.0f}",
                    " / ".join(str(r) for r in page["rounds"]),
                    f"{page['p50_ms']:.1f}",
                    f"{page['p99_ms']:.1f}",
                    f"{page['ratio']:.0%}",
                    "reference" if is_ref else f">= {CACHE_RATIO:.0%}",
                    "n/a" if is_ref else verdict(ok),
                ]
            )
    return rows


def mixed_rows(mixed):
    rows = []
    for run in mixed:
        for kind in ("public", "student", "staff", "all"):
            row = run["summary"].get(kind)
            if row is None:
                continue
            rows.append(
                [
                    run["label"],
                    kind,
                    f"{row['share']:.0%}",
                    f"{row['requests']}",
                    f"{row['rps']:.0f}",
                    fmt(row["p50_ms"]),
                    fmt(row["p99_ms"]),
                    f"{row['errors']}"
                    + (f" ({', '.join(map(str, row['error_statuses']))})" if row["errors"] else ""),
                    "0 errors",
                    verdict(row["errors"] == 0),
                ]
            )
    return rows


def memory_rows(mixed):
    rows = []
    for run in mixed:
        values = [v for v in run["memory_mb"].values() if v is not None]
        peak = max(values) if values else 0
        rows.append(
            [
                run["label"],
                f"{run['nodes']} x {run['workers'] // max(1, run['nodes'])} workers",
                ", ".join(f"{v:.0f}" for v in values),
                f"{peak:.0f}",
                f"< {WORKER_MEMORY_MB} MB",
                verdict(bool(values) and peak < WORKER_MEMORY_MB),
            ]
        )
    return rows


def markdown_table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def text_table(header, rows):
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=True)]
    fmt_ = "  ".join(f"{{:<{w}}}" for w in widths)
    return "\n".join(fmt_.format(*map(str, r)) for r in [header, *rows])


def versions(env):
    out = subprocess.run(
        [PY, "-c", "import django, gunicorn; print(django.get_version(), gunicorn.__version__)"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout.split()
    result = {"django": out[0], "gunicorn": out[1], "sqlite": sqlite3.sqlite_version}
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split()
    result["wrk"] = wrk[1] if len(wrk) > 1 else "?"
    redis = shutil.which("redis-server")
    if redis:
        text = subprocess.run([redis, "--version"], capture_output=True, text=True).stdout
        result["redis"] = next((w[2:] for w in text.split() if w.startswith("v=")), "?")
    pg = postgres_bin()
    if pg:
        text = subprocess.run([pg / "postgres", "--version"], capture_output=True, text=True)
        result["postgresql"] = text.stdout.split()[2].rstrip(")") if text.stdout else "?"
    return result


def loadavg_text(values):
    return " / ".join(f"{v:.1f}" for v in values) + " (1 / 5 / 15 min)"


def write_report(run, args):
    scales = run["scales"]
    large = f"{scales[-1]}x"
    pg_label = run.get("pg_label")
    page_header = [
        "Page",
        "Kind",
        f"Queries {scales[0]}x / {large}" + (" / PG" if pg_label else ""),
        f"ms {scales[0]}x p50 / p95",
        f"ms {large} p50 / p95",
        f"ms {large} PostgreSQL p50 / p95",
        f"ms {large} page cache",
        "n",
        "Target",
        "Result",
    ]
    pages = page_rows(run["measured"], scales, pg_label) if run["measured"] else []
    cache_header = [
        "Cache",
        "URL",
        "X-Page-Cache",
        "req/s",
        "rounds",
        "p50 ms",
        "p99 ms",
        "vs bare",
        "Target",
        "Result",
    ]
    caches = cache_rows(run["cache"])
    mixed_header = [
        "Setup",
        "Kind",
        "Share",
        "Requests",
        "req/s",
        "p50 ms",
        "p99 ms",
        "Errors",
        "Target",
        "Result",
    ]
    mixes = mixed_rows(run["mixed"])
    memory_header = ["Setup", "gunicorn", "VmHWM per worker (MB)", "Peak MB", "Target", "Result"]
    mems = memory_rows(run["mixed"])
    v = run["versions"]
    sizes = "; ".join(
        f"{s}x SQLite {d['mb']:.0f} MB ("
        + ", ".join(f"{n:,} {k}" for k, n in d["rows"].items())
        + f"), generated in {run['gen_seconds'][str(s)]:.0f} s"
        for s, d in ((s, run["sizes"][str(s)]) for s in scales)
    )
    if run.get("postgres"):
        pgd = run["postgres"]
        sizes += f"; {large} PostgreSQL {pgd['size']} ({pgd['how']} in {pgd['seconds']:.0f} s)"
    all_rows = [r[-1] for r in (*pages, *caches, *mixes, *mems)]
    meta = [
        f"- Date: {run['date']}",
        f"- Machine: {os.cpu_count()} CPUs ({platform.machine()}), {platform.system()} "
        f"{platform.release()}, {mem_total_gb():.0f} GB RAM",
        f"- Load average at the start {loadavg_text(run['loadavg_start'])}, "
        f"at the end {loadavg_text(run['loadavg_end'])}",
        f"- Python {platform.python_version()}, Django {v['django']}, gunicorn {v['gunicorn']}, "
        f"SQLite {v['sqlite']}, PostgreSQL {v.get('postgresql', 'not installed')}, "
        f"Redis {v.get('redis', 'not installed')}, wrk {v['wrk']}",
        f"- Data: {sizes}",
        f"- In process: {args.requests} requests per page after 3 warm-up requests (fewer for a "
        f"page slower than its {args.budget:.0f} s budget: column `n`), production "
        "settings, page cache off (what rendering costs); `page cache` is the anonymous median "
        "with the page cache on (file cache)",
        f"- Cache hits: one node, gunicorn.conf.py ({run['cache_workers']} workers x 4 threads), "
        f"`wrk -t2 -c{args.connections} -d{args.duration}s`, {args.rounds} interleaved rounds "
        "(mean); the bare view and the pages against the same server; wrk shares the CPUs",
        f"- Mixed workload at {large}: {args.mixed_seconds} s after one warm-up request per URL "
        f"and node, {args.connections} keep-alive connections ({args.client_processes} client "
        "processes, bench/load.py), 80 % anonymous public pages "
        f"({run['mixed'][0]['urls'].get('public', 0)} URLs, English and Spanish), 15 % portal "
        f"pages of {args.students} different students (own sessions), 5 % staff pages; "
        "(a) one node (production's worker count), SQLite, file cache; (b) two nodes of 2 "
        "workers each on this same machine, PostgreSQL and Redis, requests spread over both",
        f"- Targets met: {all_rows.count('PASS')} of {len(all_rows) - all_rows.count('n/a')}; "
        f"whole run {run['seconds'] / 60:.1f} min",
    ]
    sections = [
        ("Page times (in process)", page_header, pages),
        ("Cache hits against the bare view (gunicorn)", cache_header, caches),
        ("Mixed workload (gunicorn)", mixed_header, mixes),
        ("Memory (after the mixed workload)", memory_header, mems),
    ]
    body = [
        "# Benchmark results",
        "",
        "Written by `make bench` (bench/run.py). Targets from issue 17.",
        "",
        *meta,
        "",
    ]
    for title, header, rows in sections:
        body += [f"## {title}", "", markdown_table(header, rows), ""]
    if run.get("lighthouse"):
        body += ["## Lighthouse", "", run["lighthouse"].strip(), ""]
    if NOTES.exists():
        body += [NOTES.read_text().strip(), ""]
    RESULTS.write_text("\n".join(body))
    say()
    for line in meta:
        say(line)
    for title, header, rows in sections:
        say()
        say(f"== {title}")
        say(text_table(header, rows))
    say()
    log(f"written {RESULTS.relative_to(ROOT)}")


def mem_total_gb():
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 2**20
    return 0


def run_lighthouse(env):
    """bench/lighthouse.py, when present, on its own terms; its output goes in the report."""
    if not LIGHTHOUSE.exists():
        log("--lighthouse: bench/lighthouse.py is not there; skipped")
        return None
    result = subprocess.run(
        [PY, str(LIGHTHOUSE)], cwd=ROOT, env=env, capture_output=True, text=True
    )
    say(result.stdout)
    return result.stdout if result.returncode == 0 else result.stdout + result.stderr[-2000:]


# --- Main -----------------------------------------------------------------------------


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--fresh", action="store_true", help="regenerate the scale data")
    parser.add_argument("--requests", type=int, default=20, help="per page, in process")
    parser.add_argument(
        "--budget", type=float, default=4, help="seconds of timed requests per page at most"
    )
    parser.add_argument("--duration", type=int, default=8, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--mixed-seconds", type=int, default=30)
    parser.add_argument("--client-processes", type=int, default=2)
    parser.add_argument("--students", type=int, default=200, help="in the mixed workload")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument(
        "--no-inprocess", action="store_true", help="only the load parts (cache hits, mixed)"
    )
    parser.add_argument("--lighthouse", action="store_true", help="also run bench/lighthouse.py")
    parser.add_argument("--report-only", action="store_true", help="rewrite results.md")
    return parser.parse_args(argv)


def main():
    args = parse_args()
    if args.report_only:
        run = json.loads((DATA / "last-run.json").read_text())
        return write_report(run, args)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk (make bench does it as root)")
    if not shutil.which("redis-server"):
        raise SystemExit("redis-server is missing: apt-get install redis-server")
    use_pg = not args.no_postgres and postgres_bin() is not None
    if not use_pg:
        log("PostgreSQL: not used (--no-postgres, or no /usr/lib/postgresql/*/bin)")
    started = time.perf_counter()
    run = {"loadavg_start": os.getloadavg(), "scales": sorted(set(args.scales))}
    scales = run["scales"]
    large = scales[-1]
    DATA.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tc-bench-") as tmp_name:
        tmp = Path(tmp_name)
        env = base_env(tmp)
        run["versions"] = versions(env)
        log("collectstatic into a temporary directory")
        manage(env, "collectstatic", "--noinput", "-v0")
        envs, run["gen_seconds"], run["sizes"], run["measured"] = {}, {}, {}, {}
        for scale in scales:
            envs[scale], run["gen_seconds"][str(scale)] = prepare_database(env, scale, args.fresh)
            run["sizes"][str(scale)] = sqlite_sizes(scale)
        for scale in scales if not args.no_inprocess else ():
            run["measured"][f"{scale}x"] = measure(envs[scale], f"{scale}x", args, tmp)

        program = next(
            (
                p["url"]
                for p in run["measured"].get(f"{large}x", [])
                if p["page"] == "program detail"
            ),
            "/programs/",
        )
        pages = {name: path or program for name, path in CACHED_PAGES.items()}
        redis = RedisServer(tmp)
        redis.start()
        pg = PostgresServer(tmp) if use_pg else None
        try:
            sqlite_env = envs[large]
            run["cache"] = {"file": run_cache_ratio(tmp, sqlite_env, "file cache", pages, args)}
            redis_env = {**sqlite_env, "REDIS_URL": redis.url[:-1] + "1"}
            run["cache"]["Redis"] = run_cache_ratio(tmp, redis_env, "Redis", pages, args)
            run["cache_workers"] = run["cache"]["file"]["workers"]
            run["mixed"] = [
                run_mixed(tmp, sqlite_env, "(a) 1 node, SQLite, file cache", 1, None, args)
            ]
            if pg is not None:
                pg.start()
                pg_env, run["postgres"] = prepare_postgres(pg, env, large)
                run["pg_label"] = f"{large}x PostgreSQL"
                if not args.no_inprocess:
                    run["measured"][run["pg_label"]] = measure(pg_env, run["pg_label"], args, tmp)
                cluster_env = {**pg_env, "REDIS_URL": redis.url[:-1] + "2"}
                run["mixed"].append(
                    run_mixed(tmp, cluster_env, "(b) 2 nodes, PostgreSQL, Redis", 2, 2, args)
                )
            if args.lighthouse:
                run["lighthouse"] = run_lighthouse(sqlite_env)
        finally:
            redis.stop()
            if pg is not None:
                pg.stop()
    run["seconds"] = time.perf_counter() - started
    run["loadavg_end"] = os.getloadavg()
    run["date"] = f"{datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}"
    (DATA / "last-run.json").write_text(json.dumps(run, indent=2, default=str))
    write_report(run, args)


if __name__ == "__main__":
    main()
