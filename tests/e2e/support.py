"""Helpers shared by the browser tests: sign-in by session cookie, axe-core, focus."""

import re
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core import mail
from django.test import Client

PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}
# WCAG 2.0, 2.1 and 2.2, levels A and AA (axe-core has no A-level rule tagged wcag22a).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}


def sign_in(context, live_server, user):
    """Put a logged-in session for `user` into a browser context (no login form)."""
    client = Client()
    client.force_login(user)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def axe_violations(page, axe=None):
    """Every WCAG 2.x A/AA violation on the page, one line per rule and element."""
    results = (axe or Axe()).run(page, options=AXE_OPTIONS)
    path = urlsplit(page.url).path
    return [
        f"{path}: {v['id']} ({v['impact']}) {node['target']}: "
        + " | ".join(line.strip() for line in node.get("failureSummary", "").splitlines()[1:3])
        for v in results.response["violations"]
        for node in v["nodes"]
    ]


def report(problems):
    """Problems grouped by what is wrong, each with the pages it is on."""
    grouped = {}
    for problem in problems:
        where, _, what = problem.partition(": ")
        grouped.setdefault(what, []).append(where)
    return "\n".join(
        f"{what}\n    on {len(pages)} page(s): {', '.join(dict.fromkeys(pages))}"
        for what, pages in grouped.items()
    )


def both_widths(page, shoot, name, *, fit=True):
    """Full-page screenshots at desktop and phone widths; with `fit`, the page must fit
    the phone without sideways scrolling (Django's admin screens are not held to it)."""
    page.set_viewport_size(DESKTOP)
    shoot(page, f"{name}-desktop")
    page.set_viewport_size(PHONE)
    shoot(page, f"{name}-phone")
    width = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size(DESKTOP)
    assert not fit or width <= PHONE["width"], f"{name} is {width}px wide on a 360px phone"


def last_mail_link(pattern):
    """The site path of the first link matching `pattern` in the newest e-mail."""
    match = re.search(rf"https?://[^/\s]+({pattern})", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def focus_is_visible(page):
    """True when the focused element shows a focus indicator (outline or box shadow)."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            if (!el || el === document.body) return false;
            const s = getComputedStyle(el);
            const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
            const faint = /rgba\\([^)]*,\\s*0?\\.[0-4]\\d*\\)/.test(s.boxShadow);
            return outline || (s.boxShadow && s.boxShadow !== 'none' && !faint);
        }"""
    )


def untied_errors(page):
    """Invalid fields whose error message is not tied to them with aria-describedby (on
    the field, or on the fieldset of a radio or checkbox group). Fails when the page shows
    no invalid field at all, so a check on an error state cannot pass vacuously."""
    return page.evaluate(
        """() => {
            const fields = [...document.querySelectorAll(
                'input.is-invalid, select.is-invalid, textarea.is-invalid, ' +
                '[aria-invalid="true"]')];
            if (!fields.length) return ['no invalid field on the page'];
            const describedByError = el => (el?.getAttribute('aria-describedby') || '')
                .split(/\\s+/).filter(Boolean).map(id => document.getElementById(id))
                .some(d => d && d.textContent.trim() &&
                      /error|invalid/i.test(d.id + ' ' + d.className) &&
                      d.checkVisibility());
            return fields.filter(el => !describedByError(el) &&
                                       !describedByError(el.closest('fieldset, [role=radiogroup]')))
                         .map(el => el.name || el.id);
        }"""
    )


def unreadable_progress_bars(page):
    """Progress bars a screen reader cannot read: no role, value, name or visible text."""
    return page.evaluate(
        """() => [...document.querySelectorAll('[class*=progress]:not([aria-hidden=true])')]
            .filter(el => el.matches('.tc-progress-track, .progress, [role=progressbar]'))
            .filter(el => !(el.getAttribute('role') === 'progressbar' &&
                            /^\\d+$/.test(el.getAttribute('aria-valuenow') || '') &&
                            (el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')) &&
                            el.parentElement.textContent.includes(
                                el.getAttribute('aria-valuenow') + '%')))
            .map(el => el.outerHTML.slice(0, 120))"""
    )


def invisible_focus_stops(page, *, limit=150):
    """Tab through the whole page from where the focus is: the stops that show no focus
    indicator (outline or box shadow), described."""
    described = """() => {
        const el = document.activeElement;
        if (!el || el === document.body) return null;
        const s = getComputedStyle(el);
        const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
        // A box shadow counts when it is not mostly transparent (Bootstrap's 25% ring is).
        const faint = /rgba\\([^)]*,\\s*0?\\.[0-4]\\d*\\)/.test(s.boxShadow);
        const visible = outline || (s.boxShadow && s.boxShadow !== 'none' && !faint);
        const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' "' +
            (el.textContent || el.name || '').trim().replace(/\\s+/g, ' ').slice(0, 40) + '"';
        return [name, visible];
    }"""
    seen, invisible = [], []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate(described)
        if stop is None or stop[0] in seen[:1]:
            break
        seen.append(stop[0])
        if not stop[1]:
            invisible.append(stop[0])
    return invisible


def choose_autocomplete(page, field_id, search, option_text=None):
    """Pick an option of an admin search-as-you-type field (Select2) as staff do: open
    it, type, click the first option that contains `option_text` (default: `search`)."""
    page.locator(f"#{field_id} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(search)
    page.locator(".select2-results__option", has_text=option_text or search).first.click()
