"""Load generators for `make bench`.

- `cache_ratio()`: wrk against the bare view and cached pages of one server,
  interleaved rounds, each page's throughput as a ratio of the bare view's.
- `mixed()`: a mixed workload (anonymous, student, staff) over one or more nodes.
  A small Python generator rather than wrk: wrk's Lua callbacks see neither a clock
  nor which request a response answers, so they cannot split latency by kind of page;
  here every request is recorded (kind, latency, status), so each kind gets its own
  throughput, p50, p99 and error count. It runs in a few processes of several threads
  each with keep-alive connections, like wrk's connections, and shares the CPUs with
  the server (as wrk does).

The pure helpers (parse_wrk, percentile, plan, pick, summarize) are unit-tested in
tests/core/test_bench_harness.py.
"""

import concurrent.futures
import http.client
import math
import multiprocessing
import random
import re
import statistics
import subprocess
import time
import urllib.parse

KINDS = ("public", "student", "staff")
MIX = {"public": 80, "student": 15, "staff": 5}


# --- Pure helpers ---------------------------------------------------------------------


def parse_wrk(output):
    """Requests/s, p50/p99 (ms) and errors from `wrk --latency` output."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = {}
    for pct, value, unit in re.findall(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s)\b", output, re.M):
        latency[pct] = float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return {
        "rps": rps,
        "p50_ms": latency.get("50"),
        "p99_ms": latency.get("99"),
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": sum(map(int, socket_errors.groups())) if socket_errors else 0,
    }


def percentile(values, fraction):
    """Nearest-rank percentile (values need not be sorted); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def plan(urls, mix=None):
    """[(kind, weight, [(path, cookie), ...])] for the kinds that have URLs.

    `urls` is what bench/workload_urls.py writes: public paths are plain strings,
    logged-in ones [path, cookie] pairs."""
    mix = mix or MIX
    rows = []
    for kind in KINDS:
        items = [(u, None) if isinstance(u, str) else (u[0], u[1]) for u in urls.get(kind, [])]
        if items and mix.get(kind):
            rows.append((kind, mix[kind], items))
    return rows


def pick(rng, the_plan):
    """One request of the mix: a kind by its weight, then a URL of that kind uniformly."""
    kinds = [row[0] for row in the_plan]
    weights = [row[1] for row in the_plan]
    index = rng.choices(range(len(kinds)), weights=weights)[0]
    path, cookie = rng.choice(the_plan[index][2])
    return kinds[index], path, cookie


def summarize(records, seconds):
    """Per kind and for all: requests, req/s, p50, p99 (ms), errors.

    records: (kind, latency_ms, status) with status 0 for a socket error; an error is a
    socket error or a status outside 2xx/3xx."""
    by_kind = {}
    for kind, latency, status in records:
        by_kind.setdefault(kind, []).append((latency, status))
    by_kind["all"] = [(latency, status) for _, latency, status in records]
    summary = {}
    for kind, items in by_kind.items():
        ok = [latency for latency, status in items if 200 <= status < 400]
        errors = [status for _, status in items if not 200 <= status < 400]
        summary[kind] = {
            "requests": len(items),
            "rps": len(items) / seconds if seconds else 0.0,
            "p50_ms": percentile(ok, 0.50),
            "p99_ms": percentile(ok, 0.99),
            "errors": len(errors),
            "error_statuses": sorted(set(errors)),
            "share": len(items) / len(records) if records else 0.0,
        }
    return summary


# --- Mixed workload -------------------------------------------------------------------


def _connection(origin):
    parts = urllib.parse.urlsplit(origin)
    return http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)


def _client_thread(origins, the_plan, deadline, seed, records):
    rng = random.Random(seed)
    connections = {}
    while time.monotonic() < deadline:
        kind, path, cookie = pick(rng, the_plan)
        origin = origins[rng.randrange(len(origins))]  # spread over the nodes
        headers = {"Accept-Encoding": "gzip, br", "Accept": "text/html"}
        if cookie:
            headers["Cookie"] = f"sessionid={cookie}"
        started = time.perf_counter()
        # A kept-alive connection the server closed while idle (gunicorn's keepalive is
        # 5 s) fails on its next request; a browser then retries a GET once on a new
        # connection, and so does this client. A failure on a new connection is an error.
        for attempt in (1, 2):
            reused = origin in connections
            try:
                conn = connections.get(origin) or connections.setdefault(
                    origin, _connection(origin)
                )
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
                if response.will_close:
                    conn.close()
                    connections.pop(origin, None)
                break
            except (OSError, http.client.HTTPException):
                status = 0
                broken = connections.pop(origin, None)
                if broken is not None:
                    broken.close()
                if not reused or attempt == 2:
                    break
        records.append((kind, (time.perf_counter() - started) * 1000, status))
    for conn in connections.values():
        conn.close()


def _client_process(origins, the_plan, seconds, threads, seed):
    import threading

    records = []
    deadline = time.monotonic() + seconds
    workers = [
        threading.Thread(
            target=_client_thread, args=(origins, the_plan, deadline, seed * 1000 + n, records)
        )
        for n in range(threads)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return records


def mixed(origins, urls, seconds, *, processes=2, threads=8, seed=17):
    """Run the mix for `seconds` with processes x threads keep-alive connections."""
    the_plan = plan(urls)
    context = multiprocessing.get_context("fork")
    with concurrent.futures.ProcessPoolExecutor(processes, mp_context=context) as pool:
        futures = [
            pool.submit(_client_process, origins, the_plan, seconds, threads, seed + n)
            for n in range(processes)
        ]
        records = [r for future in futures for r in future.result()]
    return summarize(records, seconds)


def warm(origins, urls, logged_in=3):
    """Every public URL once on every node (fills the page caches), and the first few
    logged-in ones (never cached: only the code paths get warm)."""
    statuses = {}
    for origin in origins:
        conn = _connection(origin)
        for kind, _, items in plan(urls):
            for path, cookie in items if kind == "public" else items[:logged_in]:
                headers = {"Cookie": f"sessionid={cookie}"} if cookie else {}
                try:
                    conn.request("GET", path, headers=headers)
                    response = conn.getresponse()
                    response.read()
                    status = response.status
                    if response.will_close:
                        conn.close()
                        conn = _connection(origin)
                except (OSError, http.client.HTTPException):
                    status = 0
                    conn.close()
                    conn = _connection(origin)
                if not 200 <= status < 400:
                    statuses[f"{kind} {path}"] = status
        conn.close()
    return statuses  # the failures only


# --- Cache hits against the bare view (wrk) ------------------------------------------


def fetch_headers(origin, path):
    conn = _connection(origin)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status, response.getheader("X-Page-Cache")
    finally:
        conn.close()


def cache_ratio(origin, pages, *, duration, rounds, connections, log=print):
    """wrk on the bare view and on each page, interleaved; the mean of the rounds.

    pages: {name: path}, the bare view first. Returns {name: {rps, p50_ms, p99_ms,
    non_2xx, socket_errors, path, cache, ratio}}."""
    runs = {name: [] for name in pages}
    cache = {}
    for name, path in pages.items():
        fetch_headers(origin, path)
        cache[name] = fetch_headers(origin, path)
    for _ in range(rounds):
        for name, path in pages.items():
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
            log(f"  {name:<22} {run['rps']:>8.0f} req/s  p50 {run['p50_ms']:.1f} ms")
    result = {}
    bare = None
    for name, items in runs.items():
        rps = statistics.mean(r["rps"] for r in items)
        bare = rps if bare is None else bare
        result[name] = {
            "rps": rps,
            "p50_ms": statistics.mean(r["p50_ms"] for r in items),
            "p99_ms": statistics.mean(r["p99_ms"] for r in items),
            "non_2xx": sum(r["non_2xx"] for r in items),
            "socket_errors": sum(r["socket_errors"] for r in items),
            "path": pages[name],
            "status": cache[name][0],
            "cache": cache[name][1],
            "ratio": rps / bare if bare else 0.0,
            "rounds": [round(r["rps"]) for r in items],
        }
    return result
