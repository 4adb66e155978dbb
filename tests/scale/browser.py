"""A tiny stdlib HTTP client that behaves like a browser for these tests: a cookie jar,
redirects followed on request, and HTML forms read back with their current values."""

import http.cookiejar
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from html.parser import HTMLParser


@dataclass
class Response:
    status: int
    headers: object
    body: bytes
    url: str

    @property
    def text(self):
        return self.body.decode("utf-8", errors="replace")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    def __init__(self, *, forwarded_for=None):
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )
        # What the load balancer would append for this visitor.
        self.headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}

    def request(self, url, data=None, *, follow=True, headers=None):
        for _ in range(10):
            body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
            request = urllib.request.Request(
                url, data=body, headers={**self.headers, **(headers or {})}
            )
            try:
                with self.opener.open(request, timeout=30) as raw:
                    response = Response(raw.status, raw.headers, raw.read(), url)
            except urllib.error.HTTPError as error:
                response = Response(error.code, error.headers, error.read(), url)
            if follow and response.status in {301, 302, 303} and response.headers["Location"]:
                url, data = urllib.parse.urljoin(url, response.headers["Location"]), None
                continue
            return response
        raise AssertionError(f"too many redirects from {url}")

    def get(self, url, **kwargs):
        return self.request(url, **kwargs)

    def post(self, url, data, **kwargs):
        return self.request(url, data, **kwargs)

    def cookie(self, name):
        return next((c.value for c in self.cookies if c.name == name), None)


class _FormParser(HTMLParser):
    """Collect the fields of the first <form> whose attributes contain ``marker``."""

    def __init__(self, marker):
        super().__init__(convert_charrefs=True)
        self.marker = marker
        self.in_form = False
        self.found = False
        self.action = None
        self.fields = []
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and not self.found and self.marker in " ".join(map(str, attrs.values())):
            self.in_form = self.found = True
            self.action = attrs.get("action")
            return
        if not self.in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in {"file", "button", "reset", "image"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            if kind == "submit" and name != "_save":
                return
            self.fields.append((name, attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields.append((self._select, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.in_form:
            self.in_form = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, value = self._textarea
            # The HTML parser keeps the newline browsers drop after <textarea>.
            self.fields.append((name, value[1:] if value.startswith("\n") else value))
            self._textarea = None


def read_form(html, marker):
    """(action, [(name, value), ...]) of the form marked by ``marker`` (id, action, class)."""
    parser = _FormParser(marker)
    parser.feed(html)
    if not parser.found:
        raise AssertionError(f"no form matching {marker!r} on the page")
    return parser.action, parser.fields


def with_values(fields, **values):
    """Replace (or add) single-valued fields."""
    kept = [(name, value) for name, value in fields if name not in values]
    return kept + list(values.items())
