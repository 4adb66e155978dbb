"""Every public page weighs at most 100 KB on a phone's first visit.

Each page opens in a fresh browser context (an empty cache) 360 px wide at a phone's
pixel density, and everything it loads counts: the HTML, stylesheets, scripts, fonts and
every image the browser fetches (lazy images near the first screen included). Text
travels compressed in production (static files with Brotli or gzip, anonymous pages
gzipped), so text counts at its gzip size (level 6, what servers use by default);
images and fonts are already compressed and count at their size in bytes.
"""

import gzip
import re
import sys

import pytest
from django.utils import translation

from careers.models import CareerGuide
from programs.models import Campus, Program

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BUDGET = 102_400
PHONE = {"viewport": {"width": 360, "height": 780}, "device_scale_factor": 2, "is_mobile": True}
TEXT_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml")


def public_pages():
    """The public pages of every kind, with their path in the current language."""
    program = Program.objects.published().get(slug="medical-assisting-nutrition-weight-management")
    return {
        "home": "/",
        "programs index": "/programs/",
        "program": program.get_absolute_url(),
        "campus": Campus.objects.published().get(slug="dallas").get_absolute_url(),
        "careers index": "/careers/",
        "guide": CareerGuide.objects.get(
            slug="what-does-a-medical-assistant-do"
        ).get_absolute_url(),
        "certifications": "/careers/certifications/",
        "search results": "/search/?q=medical+assistant",
        "find your path": "/careers/find-your-path/",
        "find your path, answered": (
            "/careers/find-your-path/?work=patients&needles=unsure&schedule=evening&campus=dallas"
        ),
        "request information": "/request-info/",
    }


def weigh(browser, url):
    """(total bytes, [(bytes, how counted, content type, url)]) for one first visit."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    responses = []
    page.on("response", lambda response: responses.append(response))
    try:
        page.goto(url, wait_until="load")
        page.wait_for_load_state("networkidle")
        rows = []
        for response in responses:
            if response.status in (204, 301, 302, 304) or response.url.startswith("data:"):
                continue
            body = response.body()
            kind = response.headers.get("content-type", "").split(";")[0]
            if kind.startswith(TEXT_TYPES):
                rows.append((len(gzip.compress(body, compresslevel=6)), "gzip", kind, response.url))
            else:
                rows.append((len(body), "bytes", kind, response.url))
    finally:
        context.close()
    return sum(row[0] for row in rows), rows


def breakdown(name, url, total, rows):
    lines = [f"{name} ({url}): {total:,} bytes, budget {BUDGET:,}"]
    for size, how, kind, resource in sorted(rows, reverse=True):
        lines.append(f"    {size:>8,} {how:<5} {kind:<24} {resource.split('//', 1)[-1]}")
    return "\n".join(lines)


def test_every_public_page_is_at_most_100_kb_on_a_phone(browser, live_server, demo):
    base = live_server.url
    over, weighed = [], []
    for language in ("en", "es"):
        with translation.override(language):
            pages = public_pages()
        for name, path in pages.items():
            if language == "es" and not path.startswith("/es/"):
                path = "/es" + path
            total, rows = weigh(browser, base + path)
            assert any(kind == "text/html" for _, _, kind, _ in rows), path
            weighed.append(f"{total:>9,} {language} {name}")
            if total > BUDGET:
                over.append(breakdown(f"{name} [{language}]", path, total, rows))
    summary = "Every page (bytes):\n" + "\n".join(weighed)
    sys.stdout.write(summary + "\n")  # shown with -s
    assert not over, "Pages over the budget:\n" + "\n\n".join(over) + "\n\n" + summary


def test_phones_download_images_sized_for_their_slot(browser, live_server, demo):
    """At 360 px, 1x and 2x: each image the browser picks covers its slot's device pixels
    and is at most 10 % wider (the renditions and ``sizes`` follow the layout)."""
    paths = [
        "/",
        "/programs/",
        "/campuses/",
        Campus.objects.published().get(slug="dallas").get_absolute_url(),
        Program.objects.published().first().get_absolute_url(),
    ]
    problems, checked = [], 0
    for density in (1, 2):
        context = browser.new_context(**{**PHONE, "device_scale_factor": density})
        page = context.new_page()
        for path in paths:
            page.goto(live_server.url + path)
            # Bring every lazy image in, then read what each <img> chose and its box.
            page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
            page.wait_for_load_state("networkidle")
            for slot, source in page.evaluate(
                """() => [...document.querySelectorAll('picture img')].map(
                    i => [i.getBoundingClientRect().width, i.currentSrc])"""
            ):
                match = re.search(r"-(\d+)w\.[0-9a-f]{12}\.(?:webp|jpg)$", source)
                assert match, f"{path}: {source!r} is not a rendition"
                width, needed = int(match[1]), slot * density
                checked += 1
                if not needed <= width <= 1.1 * needed:
                    problems.append(
                        f"{path} at {density}x: a {slot:.0f} px slot needs {needed:.0f} px, "
                        f"got {width} px ({source.rsplit('/', 1)[-1]})"
                    )
        context.close()
    assert checked >= 10
    assert not problems, "\n".join(problems)
