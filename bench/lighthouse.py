"""Lighthouse on every public page, on a phone, in English and Spanish.

Loads the demo content into a throwaway database, collects the static files, starts
gunicorn (gunicorn.conf.py) with production settings over plain HTTP on a loopback port,
then runs Lighthouse (package.json pins it; ``npm ci`` installs it) with the system's
Chromium on each page: mobile form factor and Lighthouse's default (simulated) throttling.
Prints the four category scores of each page against the 0.95 target, PASS or MISS, and
for a miss the audits that cost the most. Takes a few minutes.

    .venv/bin/python bench/lighthouse.py [--strict] [--pages home campus] [--languages en]
    .venv/bin/python bench/lighthouse.py --base-url http://127.0.0.1:8000   (a running site)

Exit status: 0, or 1 with --strict when any score misses the target (2 when Lighthouse
could not run a page).
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import PY, NoAnswer, free_port, manage, production_env, say, wait_for  # noqa: E402

LIGHTHOUSE = ROOT / "bench" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
TARGET = 0.95
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")

# The public pages of every kind (demo slugs, DESIGN.md); Spanish at /es/ + the same path.
PAGES = {
    "home": "/",
    "programs index": "/programs/",
    "program": "/programs/medical-assisting-nutrition-weight-management/",
    "campus": "/campuses/dallas/",
    "careers index": "/careers/",
    "guide": "/careers/guides/what-does-a-medical-assistant-do/",
    "certifications": "/careers/certifications/",
    "search results": "/search/?q=medical+assistant",
    "find your path": "/careers/find-your-path/",
    "request information": "/request-info/",
}


def log(message):
    say(f"[lighthouse {time.strftime('%H:%M:%S')}] {message}")


def start_site(tmp):
    """Demo data, static files and gunicorn; returns (origin, server process, log file)."""
    env = production_env(
        tmp,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}",
    )
    log("loading the demo content into a throwaway database")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_demo")
    manage(env, "collectstatic", "--noinput", "-v0")
    port = free_port()
    server_log = open(tmp / "gunicorn.log", "w")  # noqa: SIM115 (closed by stop_site)
    server = subprocess.Popen(
        [str(Path(PY).parent / "gunicorn"), "trainingcenter.wsgi", "-c", "gunicorn.conf.py"],
        cwd=ROOT,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
        stdout=server_log,
        stderr=subprocess.STDOUT,
    )
    origin = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{origin}/healthz")
    except NoAnswer as error:
        raise SystemExit(f"gunicorn did not start: {error}") from None
    log(f"gunicorn with production settings on {origin}")
    return origin, server, server_log


def stop_site(server, server_log):
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
    server_log.close()


def run_lighthouse(url, out, chromium):
    """Lighthouse's JSON report of one page, or None when it could not run."""
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={out}",
        "--form-factor=mobile",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox",
        "--quiet",
    ]
    env = {**os.environ, "CHROME_PATH": chromium}
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    if result.returncode != 0 or not out.exists():
        say(f"    Lighthouse failed on {url}: {(result.stderr or result.stdout).strip()[-500:]}")
        return None
    return json.loads(out.read_text())


def reasons(report, category):
    """The failing audits of a category, heaviest first: 'title (display value)'."""
    audits = report["audits"]
    rows = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = audits.get(ref["id"], {})
        score = audit.get("score")
        if ref.get("weight", 0) and score is not None and score < 0.9:
            lost = ref["weight"] * (1 - score)
            value = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
            rows.append((lost, f"{audit.get('title', ref['id'])}{value}"))
    if category == "performance":
        # Opportunities and diagnostics carry no weight but say where the time goes.
        for audit in audits.values():
            details = audit.get("details") or {}
            if details.get("type") == "opportunity" and (audit.get("score") or 1) < 0.9:
                saved = details.get("overallSavingsMs") or 0
                if saved >= 50:
                    rows.append((0, f"{audit['title']} (saves ~{saved:.0f} ms)"))
    return [text for _, text in sorted(rows, key=lambda row: -row[0])[:5]]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--strict", action="store_true", help="exit 1 when a score misses")
    parser.add_argument("--base-url", help="audit this running site instead of starting one")
    parser.add_argument("--pages", nargs="+", choices=sorted(PAGES), help="only these pages")
    parser.add_argument("--languages", nargs="+", choices=("en", "es"), default=["en", "es"])
    parser.add_argument("--chromium", default=os.environ.get("CHROME_PATH") or CHROMIUM)
    parser.add_argument("--reports", help="keep the JSON reports in this folder")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if not LIGHTHOUSE.exists():
        raise SystemExit(
            "Lighthouse is not installed: run `make lighthouse` (bench/lighthouse/package.json pins it)."
        )
    if not Path(args.chromium).exists():
        raise SystemExit(f"No Chromium at {args.chromium} (--chromium or CHROME_PATH).")
    tmp = Path(tempfile.mkdtemp(prefix="lighthouse-"))
    reports = Path(args.reports) if args.reports else tmp / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    server = None
    try:
        if args.base_url:
            origin = args.base_url.rstrip("/")
        else:
            origin, server, server_log = start_site(tmp)
        names = args.pages or list(PAGES)
        rows, misses, failures = [], 0, 0
        for language in args.languages:
            for name in names:
                path = PAGES[name] if language == "en" else "/es" + PAGES[name]
                slug = f"{language}-{name.replace(' ', '-')}"
                log(f"{language} {name}: {path}")
                report = run_lighthouse(origin + path, reports / f"{slug}.json", args.chromium)
                if report is None:
                    failures += 1
                    rows.append((f"{name} [{language}]", None, []))
                    continue
                scores = {c: report["categories"][c]["score"] for c in CATEGORIES}
                why = []
                for category, score in scores.items():
                    if score is None or score < TARGET:
                        misses += 1
                        why.extend(f"{category}: {r}" for r in reasons(report, category))
                rows.append((f"{name} [{language}]", scores, why))
        print_table(rows)
        say(f"\nReports (JSON): {reports}")
    finally:
        if server is not None:
            stop_site(server, server_log)
        if not args.reports:
            shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        return 2
    return 1 if args.strict and misses else 0


def print_table(rows):
    heads = ("page", "perf", "a11y", "best pr.", "SEO", f"target {TARGET}")
    width = max([len(heads[0])] + [len(name) for name, _, _ in rows])
    say()
    say(f"{heads[0]:<{width}}  " + "  ".join(f"{h:>8}" for h in heads[1:5]) + f"  {heads[5]}")
    for name, scores, why in rows:
        if scores is None:
            say(f"{name:<{width}}  Lighthouse could not run this page")
            continue
        cells = "  ".join(
            f"{'-' if scores[c] is None else f'{scores[c]:.2f}':>8}" for c in CATEGORIES
        )
        ok = all(s is not None and s >= TARGET for s in scores.values())
        say(f"{name:<{width}}  {cells}  {'PASS' if ok else 'MISS'}")
        for reason in why:
            say(f"{'':<{width}}    {reason}")


if __name__ == "__main__":
    sys.exit(main())
