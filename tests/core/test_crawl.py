"""Crawl the site as a visitor, a student and staff: every internal link and form page.

No broken link, no server error, every page with a title of its own, every image with
alt text; the public and portal pages also pass the Nu Html Checker (vnu.jar)."""

import json
import re
import shutil
import subprocess
from collections import Counter, deque
from html.parser import HTMLParser
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest

from accounts.demo import DEMO_STAFF_EMAIL, DEMO_STUDENT_EMAIL
from accounts.models import User
from programs.languages import path_language

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SKIP = ("/static/", "/media/", "/accounts/logout/", "/accounts/confirm-email/")
# Admin changelists are crawled, but not every object and filter combination.
ADMIN_PAGES_PER_PATTERN = 3


class PageParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.images_without_alt, self.forms = [], [], []
        self.title, self._in_title = "", False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "img" and attrs.get("alt") is None:
            self.images_without_alt.append(attrs.get("src"))
        elif tag == "form" and attrs.get("method", "get").lower() == "get" and attrs.get("action"):
            self.forms.append(attrs["action"])
        elif tag == "title":
            self._in_title = True

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def admin_pattern(path):
    return re.sub(r"/\d+/", "/<id>/", path)


def crawl(client, start, *, limit=400):
    seen, queue, pages, problems = set(), deque([start]), {}, []
    # Like a browser, each link is opened with the page it was found on as its Referer
    # (the language switcher keeps the page's query string from it).
    referers = {}
    per_pattern = Counter()
    while queue and len(pages) < limit:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        path = urlsplit(url).path
        if path.startswith("/admin/"):
            pattern = admin_pattern(path)
            per_pattern[pattern] += 1
            if (
                per_pattern[pattern] > ADMIN_PAGES_PER_PATTERN
                or "/delete/" in path
                or "/history/" in path
            ):
                continue
        referer = referers.get(url)
        extra = {"HTTP_REFERER": f"http://testserver{referer}"} if referer else {}
        response = client.get(url, **extra)
        if response.status_code in {HTTPStatus.MOVED_PERMANENTLY, HTTPStatus.FOUND}:
            target = response.url
            if urlsplit(target).netloc in {"", "testserver"} and not target.startswith(
                "/accounts/login"
            ):
                queue.append(target)
            continue
        if response.status_code >= 400:
            problems.append(f"{url} -> {response.status_code}")
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        parser = PageParser()
        parser.feed(html)
        pages[url] = (parser.title.strip(), html)
        if not parser.title.strip():
            problems.append(f"{url}: no <title>")
        for src in parser.images_without_alt:
            problems.append(f"{url}: image without alt text: {src}")
        for href in parser.links + parser.forms:
            target, _ = urldefrag(urljoin(url, href))
            parts = urlsplit(target)
            if parts.scheme not in {"http", "https", ""} or parts.netloc not in {"", "testserver"}:
                continue
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            if not local.startswith(SKIP) and local not in seen:
                referers.setdefault(local, url)
                queue.append(local)
    return pages, problems


def duplicate_titles(pages):
    """Pages of one language sharing a title (a page and its translation may share one:
    a program's name is the same in both)."""
    by_title = {}
    for url, (title, _) in pages.items():
        if "?" in url or url.startswith("/admin/"):
            continue  # filtered views and admin screens share their list's title
        by_title.setdefault((path_language(urlsplit(url).path), title), []).append(url)
    return {title: urls for (_language, title), urls in by_title.items() if len(urls) > 1}


def check_html(pages, tmp_path):
    if not VNU.exists() or not shutil.which("java"):
        pytest.fail("The Nu Html Checker is missing: run `make html-checker`.")
    files = {}
    for i, (url, (_, html)) in enumerate(pages.items()):
        if url.startswith("/admin/"):
            continue  # Django's own admin markup is not ours to fix
        file = tmp_path / f"page{i}.html"
        file.write_text(html)
        files[str(file)] = url
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    return [
        f"{files.get(m.get('url', '').removeprefix('file:'), m.get('url'))}: line {m.get('lastLine')}: {m['message']}"
        for m in messages
    ]


def test_visitor_crawl_finds_no_broken_page(client, demo, tmp_path):
    pages, problems = crawl(client, "/")
    assert len(pages) > 20
    assert problems == []
    assert duplicate_titles(pages) == {}
    assert check_html(pages, tmp_path) == []


def test_student_crawl_finds_no_broken_page(client, demo, tmp_path):
    client.force_login(User.objects.get(email=DEMO_STUDENT_EMAIL))
    pages, problems = crawl(client, "/portal/")
    assert any(url.startswith("/portal/paths/") for url in pages)
    assert problems == []
    assert duplicate_titles(pages) == {}
    assert check_html(pages, tmp_path) == []


def test_staff_crawl_of_the_admin_finds_no_broken_page(client, demo):
    client.force_login(User.objects.get(email=DEMO_STAFF_EMAIL))
    pages, problems = crawl(client, "/admin/", limit=300)
    assert len(pages) > 20
    assert problems == []
