"""The pure parts of the benchmark harness (bench/load.py): parsing, weighting, summaries."""

import random
from collections import Counter

import pytest

from bench import load

WRK_OUTPUT = """\
Running 8s test @ http://127.0.0.1:40000/programs/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    10.12ms    4.01ms  80.00ms   90.00%
  Latency Distribution
     50%  812.00us
     75%   12.50ms
     90%   15.00ms
     99%    1.20s
  11610 requests in 8.00s, 120.00MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:   1451.25
Transfer/sec:     15.00MB
"""


def test_parse_wrk_reads_throughput_latency_in_ms_and_errors():
    run = load.parse_wrk(WRK_OUTPUT)
    assert run["rps"] == pytest.approx(1451.25)
    assert run["p50_ms"] == pytest.approx(0.812)
    assert run["p99_ms"] == pytest.approx(1200)
    assert run["non_2xx"] == 4
    assert run["socket_errors"] == 3


def test_parse_wrk_without_errors_counts_none():
    clean = "\n".join(
        line for line in WRK_OUTPUT.splitlines() if "errors" not in line and "Non-2xx" not in line
    )
    run = load.parse_wrk(clean)
    assert run["non_2xx"] == 0
    assert run["socket_errors"] == 0


def test_percentile_is_nearest_rank_and_empty_is_none():
    values = list(range(100, 0, -1))  # unsorted on purpose
    assert load.percentile(values, 0.5) == 50
    assert load.percentile(values, 0.99) == 99
    assert load.percentile(values, 1.0) == 100
    assert load.percentile([7], 0.99) == 7
    assert load.percentile([], 0.5) is None


def test_plan_keeps_kinds_with_urls_and_reads_cookies():
    urls = {"public": ["/", "/es/"], "student": [["/portal/", "abc"]], "staff": []}
    assert load.plan(urls) == [
        ("public", 80, [("/", None), ("/es/", None)]),
        ("student", 15, [("/portal/", "abc")]),
    ]


def test_pick_follows_the_weights_of_the_mix():
    urls = {
        "public": ["/", "/programs/"],
        "student": [["/portal/", "s1"], ["/portal/", "s2"]],
        "staff": [["/admin/", "x"]],
    }
    rng = random.Random(1)
    the_plan = load.plan(urls)
    picks = [load.pick(rng, the_plan) for _ in range(20000)]
    shares = Counter(kind for kind, _, _ in picks)
    assert shares["public"] / len(picks) == pytest.approx(0.80, abs=0.02)
    assert shares["student"] / len(picks) == pytest.approx(0.15, abs=0.02)
    assert shares["staff"] / len(picks) == pytest.approx(0.05, abs=0.01)
    # Every student's session is used, each with its own cookie.
    assert {cookie for kind, _, cookie in picks if kind == "student"} == {"s1", "s2"}
    assert all(cookie is None for kind, _, cookie in picks if kind == "public")


def test_summarize_splits_by_kind_and_counts_errors():
    records = [
        ("public", 1.0, 200),
        ("public", 3.0, 200),
        ("public", 2.0, 302),
        ("public", 50.0, 500),
        ("student", 10.0, 200),
        ("staff", 40.0, 0),  # socket error
    ]
    summary = load.summarize(records, seconds=2)
    assert summary["public"]["requests"] == 4
    assert summary["public"]["rps"] == 2
    assert summary["public"]["p50_ms"] == 2.0  # errors are not in the latencies
    assert summary["public"]["errors"] == 1
    assert summary["public"]["error_statuses"] == [500]
    assert summary["staff"]["errors"] == 1
    assert summary["staff"]["p50_ms"] is None
    assert summary["all"]["requests"] == 6
    assert summary["all"]["errors"] == 2
    assert summary["student"]["share"] == pytest.approx(1 / 6)
